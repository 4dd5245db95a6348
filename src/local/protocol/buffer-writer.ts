import type { EncodedColumn } from './encoded-column.js'

/** Strings up to this many UTF-16 units are copied in JavaScript when they are ASCII. */
const SHORT_STRING = 32

/**
 * A growable output buffer for backend messages. Messages are appended back to back so that a whole
 * batch (for example RowDescription + 2,048 DataRows + CommandComplete) leaves in one socket write.
 * `take()` hands the bytes over and starts a fresh buffer, because the socket keeps a reference to
 * what it was given until it is flushed.
 */
export class BufferWriter {
  private buffer: Buffer
  private offset = 0
  private messageStart = -1

  constructor(private readonly initialSize = 16 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialSize)
  }

  /** Bytes written and not taken yet. */
  get length(): number {
    return this.offset
  }

  /** Makes room for `count` more bytes. */
  ensure(count: number): void {
    const needed = this.offset + count
    if (needed <= this.buffer.length) return
    let size = this.buffer.length * 2
    while (size < needed) size *= 2
    const grown = Buffer.allocUnsafe(size)
    this.buffer.copy(grown, 0, 0, this.offset)
    this.buffer = grown
  }

  /** Starts a message: its type byte and a length placeholder that `endMessage` fills in. */
  startMessage(code: number): this {
    this.ensure(5)
    this.buffer[this.offset] = code
    this.messageStart = this.offset + 1
    this.offset += 5
    return this
  }

  /** Writes the length of the message started last (it counts itself but not the type byte). */
  endMessage(): this {
    this.buffer.writeInt32BE(this.offset - this.messageStart, this.messageStart)
    this.messageStart = -1
    return this
  }

  /** A whole message without a body. */
  emptyMessage(code: number): this {
    return this.startMessage(code).endMessage()
  }

  int8(value: number): this {
    this.ensure(1)
    this.buffer[this.offset++] = value
    return this
  }

  int16(value: number): this {
    this.ensure(2)
    this.buffer.writeInt16BE(value, this.offset)
    this.offset += 2
    return this
  }

  int32(value: number): this {
    this.ensure(4)
    this.buffer.writeInt32BE(value, this.offset)
    this.offset += 4
    return this
  }

  /** A UTF-8 string followed by NUL. */
  cstring(value: string): this {
    this.string(value)
    return this.int8(0)
  }

  /** A UTF-8 string without terminator. */
  string(value: string): this {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    this.ensure(value.length * 3)
    this.offset += this.buffer.write(value, this.offset, 'utf8')
    return this
  }

  /**
   * One message laid out as DataRow: `int16 count`, then per value an int32 byte length (-1 for
   * null) and its UTF-8 bytes. The value of row `row` of each column-major array. This is the hot
   * path of every result, so it checks capacity once per row and copies short ASCII strings byte by
   * byte, which is cheaper than a native call per value.
   */
  textRowMessage(
    code: number,
    columns: readonly (readonly (string | null)[])[],
    row: number,
  ): this {
    const count = columns.length
    let bound = 7 + 4 * count
    for (let column = 0; column < count; column++) {
      const value = columns[column]![row]
      if (value != null) bound += value.length * 3
    }
    this.ensure(bound)
    const buffer = this.buffer
    let offset = this.offset
    buffer[offset] = code
    const lengthAt = offset + 1
    offset += 5
    buffer[offset++] = count >>> 8
    buffer[offset++] = count & 0xff
    for (let column = 0; column < count; column++) {
      const value = columns[column]![row]
      if (value == null) {
        buffer[offset++] = 0xff
        buffer[offset++] = 0xff
        buffer[offset++] = 0xff
        buffer[offset++] = 0xff
        continue
      }
      const length = value.length
      let written = 0
      if (length <= SHORT_STRING) {
        let at = offset + 4
        for (; written < length; written++) {
          const unit = value.charCodeAt(written)
          if (unit >= 0x80) break
          buffer[at++] = unit
        }
      }
      if (written !== length) written = buffer.write(value, offset + 4, 'utf8')
      buffer[offset++] = written >>> 24
      buffer[offset++] = (written >>> 16) & 0xff
      buffer[offset++] = (written >>> 8) & 0xff
      buffer[offset++] = written & 0xff
      offset += written
    }
    buffer.writeInt32BE(offset - lengthAt, lengthAt)
    this.offset = offset
    return this
  }

  /**
   * Messages laid out as DataRow, one per row `start … start + count - 1` of already encoded columns
   * (see EncodedColumn): per row `int16 count`, then per value an int32 byte length (-1 for null) and
   * the bytes, copied from the column's buffer.
   */
  encodedRowMessages(
    code: number,
    columns: readonly EncodedColumn[],
    start: number,
    count: number,
  ): this {
    const columnCount = columns.length
    const end = start + count
    for (let row = start; row < end; row++) {
      let size = 6 + 4 * columnCount
      for (let column = 0; column < columnCount; column++) {
        const length = columns[column]!.lengths[row]!
        if (length > 0) size += length
      }
      this.ensure(size + 1)
      const buffer = this.buffer
      let offset = this.offset
      buffer[offset] = code
      buffer[offset + 1] = size >>> 24
      buffer[offset + 2] = (size >>> 16) & 0xff
      buffer[offset + 3] = (size >>> 8) & 0xff
      buffer[offset + 4] = size & 0xff
      buffer[offset + 5] = columnCount >>> 8
      buffer[offset + 6] = columnCount & 0xff
      offset += 7
      for (let column = 0; column < columnCount; column++) {
        const encoded = columns[column]!
        const length = encoded.lengths[row]!
        buffer[offset] = length >>> 24
        buffer[offset + 1] = (length >>> 16) & 0xff
        buffer[offset + 2] = (length >>> 8) & 0xff
        buffer[offset + 3] = length & 0xff
        offset += 4
        if (length <= 0) continue
        const from = encoded.starts[row]!
        if (length <= 32) {
          const source = encoded.bytes
          for (let i = 0; i < length; i++) buffer[offset + i] = source[from + i]!
        } else {
          encoded.bytes.copy(buffer, offset, from, from + length)
        }
        offset += length
      }
      this.offset = offset
    }
    return this
  }

  bytes(value: Uint8Array): this {
    this.ensure(value.length)
    this.buffer.set(value, this.offset)
    this.offset += value.length
    return this
  }

  /** Hands over everything written so far and starts a new buffer. */
  take(): Buffer {
    const taken = this.buffer.subarray(0, this.offset)
    this.buffer = Buffer.allocUnsafe(Math.max(this.initialSize, Math.min(this.offset, 1 << 20)))
    this.offset = 0
    return taken
  }
}
