import { ProtocolViolationError } from './protocol-violation-error.js'

/**
 * Reads the body of one protocol message: big-endian integers, NUL-terminated UTF-8 strings and
 * byte ranges. Reading past the end of the message is a protocol violation (FATAL 08P01), because a
 * length field that disagrees with the content means the stream can no longer be trusted.
 */
export class BufferReader {
  private offset: number

  constructor(
    private readonly buffer: Buffer,
    start: number,
    private readonly end: number,
    /** Names the message in error texts, e.g. `Bind`. */
    private readonly messageName: string,
  ) {
    this.offset = start
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.end - this.offset
  }

  int8(): number {
    this.need(1)
    const value = this.buffer.readUInt8(this.offset)
    this.offset += 1
    return value
  }

  int16(): number {
    this.need(2)
    const value = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return value
  }

  /** Counts (parameter and format counts) are unsigned 16-bit: a Bind may carry 65,535 parameters. */
  uint16(): number {
    this.need(2)
    const value = this.buffer.readUInt16BE(this.offset)
    this.offset += 2
    return value
  }

  int32(): number {
    this.need(4)
    const value = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return value
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const nul = this.buffer.indexOf(0, this.offset)
    if (nul === -1 || nul >= this.end) throw this.violation('a string is not NUL-terminated')
    const value = this.buffer.toString('utf8', this.offset, nul)
    this.offset = nul + 1
    return value
  }

  /** `length` bytes, shared with the underlying buffer (not copied). */
  bytes(length: number): Buffer {
    this.need(length)
    const value = this.buffer.subarray(this.offset, this.offset + length)
    this.offset += length
    return value
  }

  /** The rest of the message. */
  rest(): Buffer {
    return this.bytes(this.remaining)
  }

  /** Fails when the message has bytes its declared content did not account for. */
  expectEnd(): void {
    if (this.offset !== this.end) throw this.violation('the message is longer than its content')
  }

  violation(reason: string): ProtocolViolationError {
    return new ProtocolViolationError(`invalid ${this.messageName} message: ${reason}`)
  }

  private need(count: number): void {
    if (count < 0 || this.offset + count > this.end) {
      throw this.violation('the message is shorter than its content')
    }
  }
}
