import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WIRE_TYPES } from '../../src/types/duckdb-types.js'
import {
  createTypeParsers,
  PrecisionLossError,
  parseJson,
  parseTimestamp,
} from '../../src/types/type-parsers.js'

const parse = (oid: number, text: string, options = {}) =>
  createTypeParsers(options).getTypeParser(oid)(text)

describe('type parsers', () => {
  it('keeps 64-bit integers exact by default', () => {
    expect(parse(WIRE_TYPES.int8.oid, '9007199254740993')).toBe(9007199254740993n)
    expect(parse(WIRE_TYPES.int8.oid, '42', { int64: 'number' })).toBe(42)
    expect(parse(WIRE_TYPES.int8.oid, '42', { int64: 'string' })).toBe('42')
    expect(() => parse(WIRE_TYPES.int8.oid, '9007199254740993', { int64: 'number' })).toThrow(
      PrecisionLossError,
    )
  })

  it('returns numerics as strings, or as numbers only when exact', () => {
    expect(parse(WIRE_TYPES.numeric.oid, '12345678901234567890.12')).toBe('12345678901234567890.12')
    expect(parse(WIRE_TYPES.numeric.oid, '1.50', { numeric: 'number' })).toBe(1.5)
    expect(() =>
      parse(WIRE_TYPES.numeric.oid, '12345678901234567890.12', { numeric: 'number' }),
    ).toThrow(PrecisionLossError)
  })

  it('parses arrays, including unquoted elements with spaces', () => {
    expect(parse(WIRE_TYPES.text.arrayOid, '{Chez Jay,Musso & Frank,"a,b",NULL}')).toEqual([
      'Chez Jay',
      'Musso & Frank',
      'a,b',
      null,
    ])
    expect(parse(WIRE_TYPES.int8.arrayOid, '{1,2,NULL}')).toEqual([1n, 2n, null])
  })

  it('reads TIMESTAMP as UTC and TIMESTAMPTZ with its offset', () => {
    expect(parseTimestamp('2024-03-01 12:34:56.789123').toISOString()).toBe(
      '2024-03-01T12:34:56.789Z',
    )
    expect(parseTimestamp('2024-03-01 12:34:56+02').toISOString()).toBe('2024-03-01T10:34:56.000Z')
    expect(parseTimestamp('2024-03-01 12:34:56-05:30').toISOString()).toBe(
      '2024-03-01T18:04:56.000Z',
    )
  })

  it('keeps big integers inside JSON exact', () => {
    expect(parseJson('{"a":9007199254740993,"b":1.5,"c":[1]}')).toEqual({
      a: 9007199254740993n,
      b: 1.5,
      c: [1],
    })
  })

  it('decodes bytea hex and leaves DATE as text', () => {
    expect(parse(WIRE_TYPES.bytea.oid, '\\x00ff41')).toEqual(Buffer.from([0, 255, 65]))
    expect(parse(WIRE_TYPES.date.oid, '2024-02-29')).toBe('2024-02-29')
  })

  it('parses any timestamp text like an independent reference (fast path and general path agree)', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0')
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.option(fc.stringMatching(/^[0-9]{1,9}$/)),
        fc.option(
          fc.tuple(
            fc.constantFrom('+', '-'),
            fc.integer({ min: 0, max: 15 }),
            fc.option(fc.integer({ min: 0, max: 59 })),
          ),
        ),
        fc.constantFrom(' ', 'T'),
        (year, month, day, hours, minutes, seconds, fraction, zone, separator) => {
          const zoneText =
            zone === null
              ? ''
              : `${zone[0]}${pad(zone[1])}${zone[2] === null ? '' : `:${pad(zone[2])}`}`
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}${separator}${pad(hours)}:${pad(minutes)}:${pad(seconds)}${fraction === null ? '' : `.${fraction}`}${zoneText}`
          const expected = new Date(0)
          expected.setUTCFullYear(year, month - 1, day)
          expected.setUTCHours(
            hours,
            minutes,
            seconds,
            fraction === null ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0')),
          )
          const offsetMinutes =
            zone === null ? 0 : (zone[1] * 60 + (zone[2] ?? 0)) * (zone[0] === '+' ? 1 : -1)
          expect(parseTimestamp(text).getTime(), text).toBe(
            expected.getTime() - offsetMinutes * 60_000,
          )
        },
      ),
      { numRuns: 5000 },
    )
    expect(parseTimestamp('0044-03-15 05:00:00 BC').getUTCFullYear()).toBe(-43)
    expect(parseTimestamp('infinity').getTime()).toBe(8.64e15)
    expect(Number.isNaN(parseTimestamp('2024-0x-01 00:00:00').getTime())).toBe(true)
  })
})
