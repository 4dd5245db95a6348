import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  parsePostgresFloat,
  parsePostgresInteger,
  parsePostgresNumeric,
} from '../../src/types/postgres-number-text.js'

describe('Postgres number texts', () => {
  it('integers: sign, surrounding space, every digit', () => {
    expect(parsePostgresInteger(' -42 ')).toBe(-42n)
    expect(parsePostgresInteger('+0')).toBe(0n)
    expect(parsePostgresInteger('170141183460469231731687303715884105727')).toBe(2n ** 127n - 1n)
    for (const text of ['', '1.0', '1e3', '0x10', '- 1', 'NaN']) {
      expect(parsePostgresInteger(text), text).toBeUndefined()
    }
  })

  it('floats: the shortest text of every double reads back to it', () => {
    // As Postgres prints float8: shortest text, and `-0` keeps its sign.
    const text = (value: number) => (Object.is(value, -0) ? '-0' : String(value))
    fc.assert(
      fc.property(fc.double(), (value) => {
        expect(Object.is(parsePostgresFloat(text(value)), value)).toBe(true)
      }),
    )
  })

  it("floats: Postgres' special spellings, any case", () => {
    expect(parsePostgresFloat('NaN')).toBeNaN()
    expect(parsePostgresFloat(' nan ')).toBeNaN()
    for (const text of ['Infinity', '+infinity', 'inf', '+INF']) {
      expect(parsePostgresFloat(text), text).toBe(Number.POSITIVE_INFINITY)
    }
    for (const text of ['-Infinity', '-inf']) {
      expect(parsePostgresFloat(text), text).toBe(Number.NEGATIVE_INFINITY)
    }
    expect(parsePostgresFloat('.5')).toBe(0.5)
    expect(parsePostgresFloat('5.')).toBe(5)
    expect(parsePostgresFloat('-2E-3')).toBe(-0.002)
    expect(parsePostgresFloat('0e5')).toBe(0)
    expect(parsePostgresFloat(' 1.5 ')).toBe(1.5)
    for (const text of [
      '',
      ' ',
      '.',
      '0x10',
      '0X10',
      '0o7',
      '0b1',
      '-0x10',
      '1e',
      'e3',
      '1_000',
      '1 2',
      '+-1',
      'infinite',
    ]) {
      expect(parsePostgresFloat(text), text).toBeUndefined()
    }
  })

  it('floats: reads exactly the texts of the reference grammar', () => {
    const reference = (text: string): number | undefined =>
      /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : undefined
    const characters = fc.constantFrom(...'0123456789.+-eExXoObB _')
    fc.assert(
      fc.property(fc.string({ unit: characters, maxLength: 8 }), (text) => {
        expect(parsePostgresFloat(text), JSON.stringify(text)).toBe(reference(text))
      }),
      { numRuns: 5000 },
    )
  })

  it('numerics: digits with the exponent applied, trailing zeros kept', () => {
    expect(parsePostgresNumeric('12.30')).toEqual({
      negative: false,
      integer: '12',
      fraction: '30',
    })
    expect(parsePostgresNumeric('-1.5e2')).toEqual({ negative: true, integer: '150', fraction: '' })
    expect(parsePostgresNumeric('1.25e-3')).toEqual({
      negative: false,
      integer: '0',
      fraction: '00125',
    })
    expect(parsePostgresNumeric(' .5 ')).toEqual({ negative: false, integer: '', fraction: '5' })
    expect(parsePostgresNumeric('NaN')).toBeNaN()
    expect(parsePostgresNumeric('-Infinity')).toBe(Number.NEGATIVE_INFINITY)
    for (const text of ['', '.', 'abc', '1.2.3', '1e']) {
      expect(parsePostgresNumeric(text), text).toBeUndefined()
    }
  })
})
