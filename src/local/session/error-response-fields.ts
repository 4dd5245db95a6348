import { type PgErrorFields, toPgError } from '../errors/pg-error-fields.js'
import { ProtocolViolationError } from '../protocol/protocol-violation-error.js'

/**
 * The ErrorResponse fields for anything the startup phase or a session throws. The protocol layer's
 * violation (08P01, or 0A000 for an unsupported protocol version) carries its own fields; every other
 * error, DuckDB's included, is mapped by {@link toPgError}.
 *
 * ### Examples
 * ```ts
 * errorResponseFields(new ProtocolViolationError('invalid frontend message type 0'))
 * // { severity: 'FATAL', code: '08P01', message: 'invalid frontend message type 0' }
 * ```
 */
export function errorResponseFields(error: unknown): PgErrorFields {
  if (!(error instanceof ProtocolViolationError)) return toPgError(error)
  return {
    severity: error.severity,
    code: error.code,
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  }
}
