import { describe, expect, it } from 'vitest'
import { SqlState } from '../../../src/local/errors/sql-state.js'

describe('SqlState', () => {
  it('names each code once, five characters of digits and capitals', () => {
    const codes = Object.values(SqlState)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^[0-9A-Z]{5}$/)
  })

  it("spells Postgres' names for the codes clients branch on", () => {
    expect(SqlState.FeatureNotSupported).toBe('0A000')
    expect(SqlState.ProtocolViolation).toBe('08P01')
    expect(SqlState.QueryCanceled).toBe('57014')
    expect(SqlState.InvalidPassword).toBe('28P01')
    expect(SqlState.SerializationFailure).toBe('40001')
    expect(SqlState.InFailedSqlTransaction).toBe('25P02')
  })
})
