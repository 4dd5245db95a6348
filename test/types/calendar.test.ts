import {
  DuckDBDateValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
} from '@duckdb/node-api'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  astronomicalYear,
  civilFromDays,
  DATE_INFINITY_DAYS,
  DATE_NEG_INFINITY_DAYS,
  daysFromCivil,
  isValidCivilDate,
  JS_DATE_MAX_MS,
  MICROS_PER_DAY,
  MICROS_PER_DAY_BIGINT,
  MS_PER_DAY,
  POSTGRES_EPOCH_DAYS,
  POSTGRES_EPOCH_MICROS,
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
  timestampMicros,
} from '../../src/types/calendar.js'

/** Days from 1970-01-01 as JavaScript's own proleptic Gregorian calendar counts them. */
function jsDays(year: number, month: number, day: number): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return Math.round(date.getTime() / MS_PER_DAY)
}

describe('calendar', () => {
  it('days ⇄ civil dates agree with JavaScript Dates, negative years included', () => {
    // JavaScript Dates reach ±100,000,000 days from 1970.
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000, max: 100_000_000 }), (days) => {
        const { year, month, day } = civilFromDays(days)
        expect(isValidCivilDate(year, month, day)).toBe(true)
        expect(daysFromCivil(year, month, day)).toBe(days)
        expect(jsDays(year, month, day)).toBe(days)
      }),
    )
  })

  it('known dates: the epoch, a leap day, 1 AD and 1 BC (astronomical year 0)', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0)
    expect(civilFromDays(19_782)).toEqual({ year: 2024, month: 2, day: 29 })
    expect(civilFromDays(daysFromCivil(1, 1, 1) - 1)).toEqual({ year: 0, month: 12, day: 31 })
    expect(daysFromCivil(2000, 1, 1)).toBe(POSTGRES_EPOCH_DAYS)
    expect(BigInt(POSTGRES_EPOCH_DAYS) * MICROS_PER_DAY_BIGINT).toBe(POSTGRES_EPOCH_MICROS)
    expect(BigInt(MICROS_PER_DAY)).toBe(MICROS_PER_DAY_BIGINT)
  })

  it('years BC: no year 0', () => {
    expect(astronomicalYear(1, true)).toBe(0)
    expect(astronomicalYear(44, true)).toBe(-43)
    expect(astronomicalYear(-43, true)).toBe(44)
    expect(astronomicalYear(2024, false)).toBe(2024)
  })

  it('validates civil dates', () => {
    expect(isValidCivilDate(2024, 2, 29)).toBe(true)
    expect(isValidCivilDate(2023, 2, 29)).toBe(false)
    expect(isValidCivilDate(1900, 2, 29)).toBe(false)
    expect(isValidCivilDate(2000, 2, 29)).toBe(true)
    expect(isValidCivilDate(0, 2, 29)).toBe(true) // 1 BC was a leap year
    expect(isValidCivilDate(2024, 13, 1)).toBe(false)
    expect(isValidCivilDate(2024, 4, 31)).toBe(false)
    expect(isValidCivilDate(2024, 4, 0)).toBe(false)
  })

  it("the infinity sentinels are DuckDB's", () => {
    expect(DuckDBDateValue.PosInf.days).toBe(DATE_INFINITY_DAYS)
    expect(DuckDBDateValue.NegInf.days).toBe(DATE_NEG_INFINITY_DAYS)
    for (const [positive, negative] of [
      [DuckDBTimestampValue.PosInf.micros, DuckDBTimestampValue.NegInf.micros],
      [DuckDBTimestampTZValue.PosInf.micros, DuckDBTimestampTZValue.NegInf.micros],
      [DuckDBTimestampSecondsValue.PosInf.seconds, DuckDBTimestampSecondsValue.NegInf.seconds],
      [
        DuckDBTimestampMillisecondsValue.PosInf.millis,
        DuckDBTimestampMillisecondsValue.NegInf.millis,
      ],
      [DuckDBTimestampNanosecondsValue.PosInf.nanos, DuckDBTimestampNanosecondsValue.NegInf.nanos],
    ] as const) {
      expect(positive).toBe(TIMESTAMP_INFINITY)
      expect(negative).toBe(TIMESTAMP_NEG_INFINITY)
    }
    expect(new Date(JS_DATE_MAX_MS).getTime()).toBe(JS_DATE_MAX_MS)
    expect(new Date(JS_DATE_MAX_MS + 1).getTime()).toBeNaN()
  })

  it('timestamp units as microseconds, keeping the infinities', () => {
    expect(timestampMicros(2n, 's')).toBe(2_000_000n)
    expect(timestampMicros(2n, 'ms')).toBe(2_000n)
    expect(timestampMicros(2n, 'us')).toBe(2n)
    expect(timestampMicros(1_999n, 'ns')).toBe(1n)
    expect(timestampMicros(-1n, 'ns')).toBe(-1n) // toward the earlier instant
    expect(timestampMicros(-1_000n, 'ns')).toBe(-1n)
    for (const unit of ['s', 'ms', 'us', 'ns'] as const) {
      expect(timestampMicros(TIMESTAMP_INFINITY, unit)).toBe(TIMESTAMP_INFINITY)
      expect(timestampMicros(TIMESTAMP_NEG_INFINITY, unit)).toBe(TIMESTAMP_NEG_INFINITY)
    }
  })
})
