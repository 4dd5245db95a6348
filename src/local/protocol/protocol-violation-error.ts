import { MotherDuckError } from '../../errors/motherduck-error.js'

/**
 * A client stream that breaks the protocol (a bad length, an oversized or malformed message, an
 * unknown type byte): the connection cannot go on, so the server answers with a FATAL ErrorResponse
 * carrying these fields and closes it. The protocol layer raises only this error and imports nothing
 * else of the endpoint, so its SQLSTATE is written here rather than taken from the endpoint's list.
 *
 * ### Examples
 * ```ts
 * throw new ProtocolViolationError('invalid Bind message: the message is shorter than its content')
 * ```
 */
export class ProtocolViolationError extends MotherDuckError {
  override readonly name: string = 'ProtocolViolationError'
  /** SQLSTATE 08P01 (protocol_violation); 0A000 for a protocol version the server does not speak. */
  readonly code: '08P01' | '0A000' = '08P01'
  /** The stream can no longer be trusted: always FATAL. */
  readonly severity = 'FATAL'
  readonly hint?: string

  constructor(message: string, options: { readonly hint?: string | undefined } = {}) {
    super(message)
    if (options.hint !== undefined) this.hint = options.hint
  }
}

/**
 * A StartupMessage asking for a protocol other than 3.x. Postgres reports it as 0A000
 * (feature_not_supported), FATAL, which clients show as "unsupported frontend protocol".
 */
export class UnsupportedProtocolVersionError extends ProtocolViolationError {
  override readonly name = 'UnsupportedProtocolVersionError'
  override readonly code = '0A000'

  constructor(
    readonly major: number,
    readonly minor: number,
  ) {
    super(`unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`)
  }
}
