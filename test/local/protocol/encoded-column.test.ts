import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TimestampFormatter } from '../../../src/local/encode/postgres-text-format.js'
import { TimestampBytesWriter } from '../../../src/local/encode/timestamp-bytes.js'
import { BackendSerializer } from '../../../src/local/protocol/backend-serializer.js'
import { EncodedColumn } from '../../../src/local/protocol/encoded-column.js'

/** The texts of a column's rows (null for NULL), read back from its bytes. */
function texts(column: EncodedColumn): (string | null)[] {
  return Array.from({ length: column.row }, (_, row) => {
    const length = column.lengths[row]!
    if (length < 0) return null
    const start = column.starts[row]!
    return column.bytes.toString('utf8', start, start + length)
  })
}

describe('EncodedColumn', () => {
  it('writes integers within ±2^53 as String() prints them', () => {
    const edges = [0, 1, -1, 9, 10, -10, 99, 100, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, 1e15]
    const values = [
      ...edges,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      ...fc.sample(fc.maxSafeInteger(), 2000),
      ...fc.sample(fc.integer(), 2000),
    ]
    const column = new EncodedColumn()
    column.reset(values.length)
    for (const value of values) column.integer(value)
    expect(texts(column)).toEqual(values.map(String))
  })

  it('keeps NULLs, ASCII, UTF-8 text and raw bytes apart, growing its buffers', () => {
    const column = new EncodedColumn()
    column.reset(6)
    column.ascii('2024-01-01')
    column.null()
    column.text('ünïcödé and a longer text beyond the short-string loop: ✓')
    column.text('')
    column.utf8(Buffer.from('xxhéllo'), 2, 6)
    column.utf8(Buffer.from('y'.repeat(100)), 0, 100)
    expect(texts(column)).toEqual([
      '2024-01-01',
      null,
      'ünïcödé and a longer text beyond the short-string loop: ✓',
      '',
      'héllo',
      'y'.repeat(100),
    ])
  })

  it('DataRows from encoded columns equal DataRows from the same texts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.option(fc.string({ unit: 'grapheme', maxLength: 40 })), {
            minLength: 3,
            maxLength: 3,
          }),
          { minLength: 1, maxLength: 20 },
        ),
        fc.nat(),
        (rows, seed) => {
          const columnCount = 3
          const values = Array.from({ length: columnCount }, (_, c) =>
            rows.map((row) => row[c] ?? null),
          )
          const columns = values.map((texts) => {
            const column = new EncodedColumn()
            column.reset(texts.length)
            for (const text of texts) {
              if (text === null) column.null()
              else column.text(text)
            }
            return column
          })
          const start = seed % rows.length
          const count = rows.length - start
          const expected = new BackendSerializer().dataRows(values, start, count).take()
          const actual = new BackendSerializer().encodedDataRows(columns, start, count).take()
          expect(actual.equals(expected)).toBe(true)
        },
      ),
    )
  })
})

describe('TimestampBytesWriter', () => {
  it('writes what TimestampFormatter formats, for any microsecond value and both suffixes', () => {
    const micros = fc.oneof(
      fc.maxSafeInteger(),
      // Years 1 to 9999, and the first days after the epoch.
      fc.bigInt({ min: -62_135_596_800_000_000n, max: 253_402_300_799_999_999n }).map(Number),
      fc.bigInt({ min: 0n, max: 259_200_000_000n }).map(Number),
      fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }),
      fc.constantFrom(9_223_372_036_854_775_807n, -9_223_372_036_854_775_807n),
    )
    fc.assert(
      fc.property(fc.array(micros, { minLength: 1, maxLength: 50 }), fc.boolean(), (values, tz) => {
        const suffix = tz ? '+00' : ''
        const formatter = new TimestampFormatter(suffix)
        const writer = new TimestampBytesWriter(suffix)
        const column = new EncodedColumn()
        column.reset(values.length)
        for (const value of values) writer.write(column, value)
        expect(texts(column)).toEqual(values.map((value) => formatter.format(value)))
      }),
      { numRuns: 500 },
    )
  })
})
