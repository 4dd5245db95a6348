import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  UnencodableValueError,
  writeArray,
  writeDate,
  writeFloat4,
  writeFloat8,
  writeInt16,
  writeInt32,
  writeInterval,
  writeNumeric,
  writeTimestamp,
  writeTimeTz,
  writeUuid,
  writeVarbit,
} from '../../../src/local/encode/postgres-binary-format.js'
import { ZonedTimestampFormatter } from '../../../src/local/encode/postgres-text-format.js'
import { timeZoneOffsets } from '../../../src/local/encode/time-zone-offsets.js'
import { ZonedTimestampBytesWriter } from '../../../src/local/encode/timestamp-bytes.js'
import { EncodedColumn } from '../../../src/local/protocol/encoded-column.js'

/*
 * Byte fixtures of Postgres' binary formats as the writers produce them (the same bytes a PostgreSQL
 * server sends: test/local/binary-results.test.ts compares them with one).
 */

/** The hex of one value written by `write` at offset 0. */
function hexOf(write: (out: EncodedColumn, at: number) => number): string {
  const out = new EncodedColumn()
  out.reset(1)
  out.finish(write(out, out.end))
  return out.bytes.subarray(out.starts[0]!, out.starts[0]! + out.lengths[0]!).toString('hex')
}

describe('Postgres binary formats', () => {
  it('numeric: ndigits, weight, sign, dscale, then base-10000 digits without leading or trailing zeros', () => {
    // 12.30 (scale 2): digits 12 | 3000, weight 0.
    expect(hexOf((out, at) => writeNumeric(out, at, 1230n, 2))).toBe('0002000000000002000c0bb8')
    // -0.0001 (scale 4): digit 1 at weight -1, negative.
    expect(hexOf((out, at) => writeNumeric(out, at, -1, 4))).toBe('0001ffff400000040001')
    // 10000 (scale 0): digit 1 at weight 1, the zero digit dropped.
    expect(hexOf((out, at) => writeNumeric(out, at, 10_000, 0))).toBe('00010001000000000001')
    // 0.00001 (scale 5): digit 1000 at weight -2.
    expect(hexOf((out, at) => writeNumeric(out, at, 1, 5))).toBe('0001fffe0000000503e8')
    // 0 keeps its scale, with no digits, weight 0 and a positive sign.
    expect(hexOf((out, at) => writeNumeric(out, at, 0n, 2))).toBe('0000000000000002')
  })

  it('floats: Postgres’ NaN whatever the input bits, -0 kept, infinities', () => {
    const otherNaN = new Float64Array(new BigUint64Array([0xfff8_0000_0000_0001n]).buffer)[0]!
    expect(hexOf((out, at) => writeFloat8(out, at, otherNaN))).toBe('7ff8000000000000')
    expect(hexOf((out, at) => writeFloat8(out, at, -0))).toBe('8000000000000000')
    expect(hexOf((out, at) => writeFloat8(out, at, -Infinity))).toBe('fff0000000000000')
    expect(hexOf((out, at) => writeFloat4(out, at, Number.NaN))).toBe('7fc00000')
    expect(hexOf((out, at) => writeFloat4(out, at, -0))).toBe('80000000')
    expect(hexOf((out, at) => writeInt16(out, at, -2))).toBe('fffe')
    expect(hexOf((out, at) => writeInt32(out, at, -2_147_483_648))).toBe('80000000')
  })

  it('dates and timestamps count from 2000-01-01; DuckDB’s infinities become Postgres’', () => {
    expect(hexOf((out, at) => writeDate(out, at, 10_957))).toBe('00000000')
    expect(hexOf((out, at) => writeDate(out, at, 10_956))).toBe('ffffffff')
    expect(hexOf((out, at) => writeDate(out, at, 2_147_483_647))).toBe('7fffffff')
    expect(hexOf((out, at) => writeDate(out, at, -2_147_483_647))).toBe('80000000')
    expect(() => hexOf((out, at) => writeDate(out, at, -2_147_483_646))).toThrow(
      UnencodableValueError,
    )
    expect(hexOf((out, at) => writeTimestamp(out, at, 946_684_800_000_001))).toBe(
      '0000000000000001',
    )
    expect(hexOf((out, at) => writeTimestamp(out, at, 0))).toBe('fffca2fec4c82000')
    expect(hexOf((out, at) => writeTimestamp(out, at, 9_223_372_036_854_775_807n))).toBe(
      '7fffffffffffffff',
    )
    expect(hexOf((out, at) => writeTimestamp(out, at, -9_223_372_036_854_775_807n))).toBe(
      '8000000000000000',
    )
    expect(() => hexOf((out, at) => writeTimestamp(out, at, -9_223_372_036_854_775_000n))).toThrow(
      /timestamp out of range/,
    )
  })

  it('timetz writes its zone in seconds west of UTC; interval is micros, days, months', () => {
    // 12:00:00+05:30 → 43,200,000,000 µs, zone -19800.
    expect(hexOf((out, at) => writeTimeTz(out, at, 43_200_000_000n, 19_800))).toBe(
      '0000000a0eebb000ffffb2a8',
    )
    expect(hexOf((out, at) => writeInterval(out, at, -14, 3, -1n))).toBe(
      'ffffffffffffffff00000003fffffff2',
    )
  })

  it('uuid, varbit', () => {
    expect(hexOf((out, at) => writeUuid(out, at, (1n << 127n) | 1n))).toBe(
      '80000000000000000000000000000001',
    )
    expect(
      hexOf((out, at) =>
        writeVarbit(out, at, [true, false, true, true, true, true, true, true, true]),
      ),
    ).toBe('00000009bf80')
  })

  it('arrays: one dimension from 1, NULL elements flagged; empty has no dimension', () => {
    const int4 = (out: EncodedColumn, at: number, value: number) => writeInt32(out, at, value)
    expect(hexOf((out, at) => writeArray(out, at, 23, [7, null], int4))).toBe(
      // ndim 1, has nulls, int4, length 2, lower bound 1, [4: 7], [-1]
      '00000001' +
        '00000001' +
        '00000017' +
        '00000002' +
        '00000001' +
        '00000004' +
        '00000007' +
        'ffffffff',
    )
    expect(hexOf((out, at) => writeArray(out, at, 25, [], int4))).toBe('000000000000000000000019')
  })

  it('arrays larger than the column’s buffer grow it without losing the header', () => {
    const items = Array.from({ length: 1000 }, (_, i) => i)
    const hex = hexOf((out, at) =>
      writeArray(out, at, 23, items, (o, a, v: number) => writeInt32(o, a, v)),
    )
    expect(hex.length).toBe((20 + 8 * 1000) * 2)
    expect(hex.slice(-16)).toBe('00000004000003e7')
  })
})

describe('timestamptz text in a time zone', () => {
  it('New York around its 2024 DST start, and its local mean time before 1883', () => {
    const formatter = new ZonedTimestampFormatter(timeZoneOffsets('America/New_York')!)
    expect(formatter.format(1_710_053_999_999_999)).toBe('2024-03-10 01:59:59.999999-05')
    expect(formatter.format(1_710_054_000_000_000)).toBe('2024-03-10 03:00:00-04')
    expect(formatter.format(-3_786_825_600_000_000)).toBe('1849-12-31 19:03:58-04:56:02')
    expect(formatter.format(9_223_372_036_854_775_807n)).toBe('infinity')
    expect(timeZoneOffsets('UTC')).toBeUndefined()
    expect(timeZoneOffsets('Etc/UTC')).toBeUndefined()
  })

  it('the byte writer writes what the formatter formats, in any zone', () => {
    const zones = ['America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Africa/Monrovia']
    const micros = fc.oneof(
      fc.bigInt({ min: -62_135_596_800_000_000n, max: 253_402_300_799_999_999n }).map(Number),
      fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }),
    )
    fc.assert(
      fc.property(
        fc.array(micros, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(...zones),
        (values, name) => {
          const zone = timeZoneOffsets(name)!
          const formatter = new ZonedTimestampFormatter(zone)
          const writer = new ZonedTimestampBytesWriter(zone)
          const column = new EncodedColumn()
          column.reset(values.length)
          for (const value of values) writer.write(column, value)
          const written = values.map((_, row) =>
            column.bytes.toString(
              'utf8',
              column.starts[row]!,
              column.starts[row]! + column.lengths[row]!,
            ),
          )
          expect(written).toEqual(values.map((value) => formatter.format(value)))
        },
      ),
      { numRuns: 200 },
    )
  })
})
