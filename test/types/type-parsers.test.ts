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
})
