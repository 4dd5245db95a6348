import { StartupCode } from '../../wire/startup-codes.js'
import { BufferReader } from './buffer-reader.js'
import { FrontendCode } from './message-codes.js'
import {
  ProtocolViolationError,
  UnsupportedProtocolVersionError,
} from './protocol-violation-error.js'

/** A message from the client, decoded. Strings are decoded as UTF-8; byte fields share the input. */
export type FrontendMessage =
  | {
      readonly type: 'startup'
      readonly protocolVersion: number
      readonly parameters: Readonly<Record<string, string>>
    }
  | { readonly type: 'sslRequest' }
  | { readonly type: 'gssEncRequest' }
  | { readonly type: 'cancelRequest'; readonly processId: number; readonly secretKey: number }
  | { readonly type: 'query'; readonly sql: string }
  | {
      readonly type: 'parse'
      readonly name: string
      readonly sql: string
      readonly parameterTypes: readonly number[]
    }
  | {
      readonly type: 'bind'
      readonly portal: string
      readonly statement: string
      readonly parameterFormats: readonly number[]
      readonly parameters: readonly (Buffer | null)[]
      readonly resultFormats: readonly number[]
    }
  | { readonly type: 'describe'; readonly kind: 'S' | 'P'; readonly name: string }
  | { readonly type: 'execute'; readonly portal: string; readonly maxRows: number }
  | { readonly type: 'close'; readonly kind: 'S' | 'P'; readonly name: string }
  | { readonly type: 'sync' }
  | { readonly type: 'flush' }
  | { readonly type: 'terminate' }
  /** PasswordMessage, SASLInitialResponse or SASLResponse: only the authentication step can tell. */
  | { readonly type: 'password'; readonly data: Buffer }
  | { readonly type: 'copy'; readonly code: number }
  | { readonly type: 'functionCall' }
  /** The stream broke the protocol; always the last message the parser returns. */
  | { readonly type: 'protocolViolation'; readonly error: ProtocolViolationError }

export interface FrontendParserOptions {
  /** Largest message accepted once authenticated, in bytes, including the length field. Default 64 MiB. */
  readonly maxMessageSize?: number
  /**
   * Largest message accepted between the StartupMessage and `authenticated()` (the password and SASL
   * messages), in bytes, including the length field. Default 65,536: Postgres limits authentication
   * messages to 65,535 bytes (PG_MAX_AUTH_TOKEN_LENGTH), so a client that has not proved anything cannot
   * make the server hold 64 MiB.
   */
  readonly maxAuthenticationMessageSize?: number
}

/** Postgres refuses startup packets above 10,000 bytes (MAX_STARTUP_PACKET_LENGTH); so do we. */
const MAX_STARTUP_MESSAGE_SIZE = 10_000
const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024
const DEFAULT_MAX_AUTHENTICATION_MESSAGE_SIZE = 64 * 1024
/**
 * The most a message's buffer holds beyond the bytes that arrived: the length field is only a claim,
 * so the buffer starts at this size (or the bytes at hand) and doubles as bytes arrive, never past
 * the declared size. A client that claims 64 MiB and sends 10 bytes costs 64 KiB, not 64 MiB.
 */
const INITIAL_BODY_CAPACITY = 64 * 1024
const EMPTY = Buffer.alloc(0)

/**
 * Incremental parser of the client side of the protocol. Feed it socket chunks as they arrive; it
 * returns every message completed by the chunk, whatever way the stream was split: a message may span
 * many chunks and a chunk may hold many messages. A message that spans chunks is collected into a
 * buffer that grows with the bytes received (at most twice them, or 64 KiB), never to a size the
 * client merely claimed; a message inside one chunk is decoded in place.
 *
 * Until the StartupMessage, messages are untyped (length first). The parser stops after an SSLRequest
 * or GSSENCRequest and keeps any further bytes (see `bufferedBytes`): the bytes after an SSLRequest are
 * a TLS handshake, and bytes a client sent before hearing the answer must not be trusted.
 *
 * A stream that breaks the protocol (bad length, oversized message, malformed content) yields a
 * `protocolViolation` message after the valid ones before it, and the parser then ignores its input.
 *
 * ### Examples
 * ```ts
 * const parser = new FrontendParser()
 * socket.on('data', (chunk) => {
 *   for (const message of parser.parse(chunk)) handle(message)
 * })
 * ```
 */
export class FrontendParser {
  private startupPhase = true
  private failed = false
  private paused = false
  /** Bytes of an incomplete header, or everything held back while paused. */
  private pending: Buffer = EMPTY
  /** The body of the message being collected (its first `partialFilled` bytes are valid). */
  private partial: Buffer | null = null
  private partialFilled = 0
  /** The body size the message's length field declared. */
  private partialSize = 0
  private partialCode = 0
  private readonly maxMessageSize: number
  private readonly maxAuthenticationMessageSize: number
  private isAuthenticated = false

  constructor(options: FrontendParserOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE
    this.maxAuthenticationMessageSize =
      options.maxAuthenticationMessageSize ?? DEFAULT_MAX_AUTHENTICATION_MESSAGE_SIZE
  }

  /** Bytes received but not returned as messages yet. */
  get bufferedBytes(): number {
    return this.pending.length + (this.partial === null ? 0 : this.partialFilled + 5)
  }

  /** Bytes this parser holds in buffers right now (received or reserved for a message in progress). */
  get heldBytes(): number {
    return this.pending.length + (this.partial === null ? 0 : this.partial.length)
  }

  /** The client proved who it is: messages up to `maxMessageSize` are accepted from now on. */
  authenticated(): void {
    this.isAuthenticated = true
  }

  /** True until a StartupMessage has been parsed. */
  get inStartupPhase(): boolean {
    return this.startupPhase
  }

  /** Continues after an SSLRequest/GSSENCRequest; returns the messages held back. */
  resume(): FrontendMessage[] {
    this.paused = false
    const held = this.pending
    this.pending = EMPTY
    return this.parse(held)
  }

  parse(chunk: Buffer): FrontendMessage[] {
    const messages: FrontendMessage[] = []
    if (this.failed) return messages
    let data = chunk
    if (this.pending.length > 0) {
      data = Buffer.concat([this.pending, chunk])
      this.pending = EMPTY
    }
    let offset = 0
    try {
      while (offset < data.length) {
        if (this.paused) {
          this.pending = Buffer.from(data.subarray(offset))
          break
        }
        if (this.partial !== null) {
          const take = Math.min(this.partialSize - this.partialFilled, data.length - offset)
          this.collect(data, offset, offset + take)
          offset += take
          if (this.partialFilled < this.partialSize) break
          const body = this.partial
          this.partial = null
          messages.push(this.decode(this.partialCode, body, 0, this.partialSize))
          continue
        }
        const headerSize = this.startupPhase ? 4 : 5
        if (data.length - offset < headerSize) {
          // Copied so that a small remainder does not keep a large chunk alive.
          this.pending = Buffer.from(data.subarray(offset))
          break
        }
        const code = this.startupPhase ? 0 : data[offset]!
        const length = data.readInt32BE(offset + headerSize - 4)
        if (!this.startupPhase) this.checkType(code)
        this.checkLength(code, length)
        const bodyStart = offset + headerSize
        const bodyEnd = bodyStart + length - 4
        if (bodyEnd <= data.length) {
          messages.push(this.decode(code, data, bodyStart, bodyEnd))
          offset = bodyEnd
        } else {
          this.partialSize = length - 4
          this.partialCode = code
          this.partialFilled = 0
          this.partial = EMPTY
          this.collect(data, bodyStart, data.length)
          offset = data.length
        }
      }
    } catch (error) {
      this.failed = true
      this.pending = EMPTY
      this.partial = null
      messages.push({ type: 'protocolViolation', error: asProtocolViolation(error) })
    }
    return messages
  }

  /** Appends bytes to the message being collected, growing its buffer by doubling up to its size. */
  private collect(data: Buffer, start: number, end: number): void {
    const filled = this.partialFilled + (end - start)
    let body = this.partial ?? EMPTY
    if (filled > body.length) {
      const capacity = Math.min(
        this.partialSize,
        Math.max(filled, body.length * 2, INITIAL_BODY_CAPACITY),
      )
      const grown = Buffer.allocUnsafe(capacity)
      body.copy(grown, 0, 0, this.partialFilled)
      body = grown
      this.partial = grown
    }
    data.copy(body, this.partialFilled, start, end)
    this.partialFilled = filled
  }

  /**
   * Refuses an unknown type byte from the header alone, as Postgres does, instead of first waiting for
   * the body its length claims. Password and SASL messages belong to authentication: afterwards 'p' is
   * no message at all.
   */
  private checkType(code: number): void {
    if (MESSAGE_NAMES[code] === undefined) throw invalidType(code)
    if (code === FrontendCode.Password && this.isAuthenticated) throw invalidType(code)
  }

  private checkLength(code: number, length: number): void {
    const max = this.startupPhase
      ? MAX_STARTUP_MESSAGE_SIZE
      : this.isAuthenticated
        ? this.maxMessageSize
        : Math.min(this.maxAuthenticationMessageSize, this.maxMessageSize)
    const min = this.startupPhase ? 8 : 4
    const what = this.startupPhase
      ? 'startup packet'
      : `message of type "${String.fromCharCode(code)}"`
    if (length < min) throw new ProtocolViolationError(`invalid ${what} length ${length}`)
    if (length > max) {
      throw new ProtocolViolationError(
        `${what} of ${length} bytes exceeds the limit of ${max} bytes`,
        {
          hint: !this.isAuthenticated
            ? undefined
            : 'Send large data in smaller batches (fewer rows per INSERT or per parameter).',
        },
      )
    }
  }

  private decode(code: number, buffer: Buffer, start: number, end: number): FrontendMessage {
    if (this.startupPhase)
      return this.decodeStartup(new BufferReader(buffer, start, end, 'startup packet'))
    const reader = new BufferReader(buffer, start, end, messageName(code))
    const message = decodeRegular(code, reader)
    if (message.type !== 'password' && message.type !== 'copy') reader.expectEnd()
    return message
  }

  private decodeStartup(reader: BufferReader): FrontendMessage {
    const code = reader.int32()
    switch (code) {
      case StartupCode.SSLRequest:
        reader.expectEnd()
        this.paused = true
        return { type: 'sslRequest' }
      case StartupCode.GSSENCRequest:
        reader.expectEnd()
        this.paused = true
        return { type: 'gssEncRequest' }
      case StartupCode.CancelRequest: {
        const processId = reader.int32()
        const secretKey = reader.int32()
        reader.expectEnd()
        this.paused = true
        return { type: 'cancelRequest', processId, secretKey }
      }
    }
    const major = code >>> 16
    const minor = code & 0xffff
    if (major !== 3) throw new UnsupportedProtocolVersionError(major, minor)
    const parameters: Record<string, string> = Object.create(null)
    for (;;) {
      const name = reader.cstring()
      if (name === '') break
      parameters[name] = reader.cstring()
    }
    reader.expectEnd()
    this.startupPhase = false
    return { type: 'startup', protocolVersion: code, parameters }
  }
}

function decodeRegular(code: number, reader: BufferReader): FrontendMessage {
  switch (code) {
    case FrontendCode.Query:
      return { type: 'query', sql: reader.cstring() }
    case FrontendCode.Parse: {
      const name = reader.cstring()
      const sql = reader.cstring()
      const count = reader.uint16()
      const parameterTypes: number[] = new Array(count)
      for (let i = 0; i < count; i++) parameterTypes[i] = reader.int32() >>> 0
      return { type: 'parse', name, sql, parameterTypes }
    }
    case FrontendCode.Bind: {
      const portal = reader.cstring()
      const statement = reader.cstring()
      const parameterFormats = readFormats(reader)
      const count = reader.uint16()
      const parameters: (Buffer | null)[] = new Array(count)
      for (let i = 0; i < count; i++) {
        const length = reader.int32()
        if (length < -1) throw reader.violation(`parameter ${i + 1} has length ${length}`)
        parameters[i] = length === -1 ? null : reader.bytes(length)
      }
      const resultFormats = readFormats(reader)
      return { type: 'bind', portal, statement, parameterFormats, parameters, resultFormats }
    }
    case FrontendCode.Describe:
      return { type: 'describe', kind: readKind(reader), name: reader.cstring() }
    case FrontendCode.Execute:
      return { type: 'execute', portal: reader.cstring(), maxRows: reader.int32() }
    case FrontendCode.Close:
      return { type: 'close', kind: readKind(reader), name: reader.cstring() }
    case FrontendCode.Sync:
      return { type: 'sync' }
    case FrontendCode.Flush:
      return { type: 'flush' }
    case FrontendCode.Terminate:
      return { type: 'terminate' }
    case FrontendCode.Password:
      return { type: 'password', data: reader.rest() }
    case FrontendCode.CopyData:
    case FrontendCode.CopyDone:
    case FrontendCode.CopyFail:
      return { type: 'copy', code }
    case FrontendCode.FunctionCall:
      // Refused by the session (0A000) whatever its arguments: skip them.
      reader.rest()
      return { type: 'functionCall' }
    default:
      throw invalidType(code)
  }
}

function invalidType(code: number): ProtocolViolationError {
  return new ProtocolViolationError(`invalid frontend message type ${code}`)
}

/**
 * Format codes as sent: a code other than 0 or 1 is the session's to refuse (22023, where Postgres
 * refuses it), not a broken message.
 */
function readFormats(reader: BufferReader): number[] {
  const count = reader.uint16()
  const formats: number[] = new Array(count)
  for (let i = 0; i < count; i++) formats[i] = reader.int16()
  return formats
}

function readKind(reader: BufferReader): 'S' | 'P' {
  const kind = reader.int8()
  if (kind === 0x53) return 'S'
  if (kind === 0x50) return 'P'
  throw reader.violation(`invalid kind ${kind}: expected 'S' or 'P'`)
}

const MESSAGE_NAMES: Readonly<Record<number, string>> = {
  [FrontendCode.Bind]: 'Bind',
  [FrontendCode.Close]: 'Close',
  [FrontendCode.CopyData]: 'CopyData',
  [FrontendCode.CopyDone]: 'CopyDone',
  [FrontendCode.CopyFail]: 'CopyFail',
  [FrontendCode.Describe]: 'Describe',
  [FrontendCode.Execute]: 'Execute',
  [FrontendCode.Flush]: 'Flush',
  [FrontendCode.FunctionCall]: 'FunctionCall',
  [FrontendCode.Parse]: 'Parse',
  [FrontendCode.Password]: 'password',
  [FrontendCode.Query]: 'Query',
  [FrontendCode.Sync]: 'Sync',
  [FrontendCode.Terminate]: 'Terminate',
}

function messageName(code: number): string {
  return MESSAGE_NAMES[code] ?? `type ${code}`
}

function asProtocolViolation(error: unknown): ProtocolViolationError {
  if (error instanceof ProtocolViolationError) return error
  return new ProtocolViolationError(`invalid message: ${(error as Error).message}`)
}
