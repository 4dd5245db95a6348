const EMPTY = Buffer.alloc(0)
const EMPTY_ROWS = new Int32Array(0)

/**
 * One column of a result chunk already in wire form: the UTF-8 text of every row back to back in
 * one buffer, with each row's start and byte length (-1 for SQL NULL). The result encoder fills it
 * value by value (digits and ASCII are written without building strings) and DataRow assembly
 * copies the bytes. A column is reused from chunk to chunk, so its buffers are allocated once per
 * result, not once per value.
 *
 * ### Examples
 * ```ts
 * const column = new EncodedColumn()
 * column.reset(2)
 * column.ascii('42')
 * column.null()
 * column.lengths // Int32Array [2, -1]
 * ```
 */
export class EncodedColumn {
  bytes: Buffer = EMPTY
  starts: Int32Array = EMPTY_ROWS
  lengths: Int32Array = EMPTY_ROWS
  /** Bytes written so far. */
  end = 0
  /** The row the next value belongs to. */
  row = 0

  /**
   * Starts a chunk of `rowCount` rows. Buffers are sized by the first chunk (about 8 bytes a value),
   * so that a one-row result allocates next to nothing, and grow when a chunk needs more.
   */
  reset(rowCount: number): void {
    if (this.starts.length < rowCount) {
      this.starts = new Int32Array(rowCount)
      this.lengths = new Int32Array(rowCount)
    }
    if (this.bytes.length === 0) this.bytes = Buffer.allocUnsafe(Math.max(64, rowCount * 8))
    this.end = 0
    this.row = 0
  }

  /** Makes room for `count` more bytes. */
  reserve(count: number): Buffer {
    return this.reserveAt(this.end, count)
  }

  /**
   * Makes room for `count` bytes from offset `at` (at or after `end`: inside a value being written,
   * such as an array's elements), keeping the bytes before `at`. The buffer may be replaced: read
   * `bytes` (or use the returned buffer) after every call.
   */
  reserveAt(at: number, count: number): Buffer {
    const needed = at + count
    if (needed > this.bytes.length) {
      let size = Math.max(64, this.bytes.length * 2)
      while (size < needed) size *= 2
      const grown = Buffer.allocUnsafe(size)
      this.bytes.copy(grown, 0, 0, at)
      this.bytes = grown
    }
    return this.bytes
  }

  /** Ends the current row's value at byte `end` (written with `reserve()`'s buffer). */
  finish(end: number): void {
    const row = this.row++
    this.starts[row] = this.end
    this.lengths[row] = end - this.end
    this.end = end
  }

  /** SQL NULL for the current row. */
  null(): void {
    const row = this.row++
    this.starts[row] = this.end
    this.lengths[row] = -1
  }

  /** A string known to be ASCII (digits, dates, numbers as JavaScript prints them). */
  ascii(text: string): void {
    const length = text.length
    const bytes = this.reserve(length)
    const start = this.end
    for (let i = 0; i < length; i++) bytes[start + i] = text.charCodeAt(i)
    this.finish(start + length)
  }

  /** Any string, as UTF-8. */
  text(text: string): void {
    const length = text.length
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    const bytes = this.reserve(length * 3)
    const start = this.end
    let at = start
    if (length <= 32) {
      for (; at - start < length; at++) {
        const unit = text.charCodeAt(at - start)
        if (unit >= 0x80) break
        bytes[at] = unit
      }
      if (at - start === length) {
        this.finish(at)
        return
      }
    }
    this.finish(start + bytes.write(text, start, 'utf8'))
  }

  /** An integer within ±2^53 in decimal digits, as `String(value)` prints it. */
  integer(value: number): void {
    const bytes = this.reserve(17)
    const start = this.end
    this.finish(writeInteger(bytes, start, value))
  }

  /** Raw UTF-8 bytes, e.g. straight from a DuckDB string vector. */
  utf8(source: Uint8Array, from: number, length: number): void {
    const bytes = this.reserve(length)
    const start = this.end
    if (length <= 32) {
      for (let i = 0; i < length; i++) bytes[start + i] = source[from + i]!
    } else {
      bytes.set(source.subarray(from, from + length), start)
    }
    this.finish(start + length)
  }
}

/**
 * Writes an integer within ±2^53 as decimal ASCII at `at`; returns the offset after the last digit.
 * Digits are produced from the end, so the number is never turned into a string.
 */
function writeInteger(bytes: Uint8Array, at: number, value: number): number {
  let rest = value
  let offset = at
  if (rest < 0) {
    bytes[offset++] = 45
    rest = -rest
  }
  let digits = 1
  for (let power = 10; power <= rest && digits < 16; power *= 10) digits++
  const end = offset + digits
  let index = end
  if (rest < 2_147_483_648) {
    while (rest >= 10) {
      const quotient = (rest / 10) | 0
      bytes[--index] = 48 + (rest - quotient * 10)
      rest = quotient
    }
  } else {
    while (rest >= 10) {
      const quotient = Math.floor(rest / 10)
      bytes[--index] = 48 + (rest - quotient * 10)
      rest = quotient
    }
  }
  bytes[--index] = 48 + rest
  return end
}

/** Writes `0`-padded two digits (0 … 99). */
export function writeTwoDigits(bytes: Uint8Array, at: number, value: number): void {
  const tens = (value / 10) | 0
  bytes[at] = 48 + tens
  bytes[at + 1] = 48 + value - tens * 10
}
