/**
 * The calendar facts that the type parsers, the local endpoint's encoder and its decoder share: day
 * numbers ⇄ civil dates, the time-unit constants, and DuckDB's and Postgres' ±infinity sentinels.
 *
 * Dates are proleptic Gregorian, counted in days from 1970-01-01 (DuckDB's epoch). Years are
 * astronomical here (year 0 is 1 BC, year -1 is 2 BC): neither Postgres nor DuckDB has a year 0, so
 * their texts write astronomical year `y <= 0` as year `1 - y` with an era mark (` BC`, ` (BC)`).
 *
 * Plain numbers and functions only: the runtime library imports this, so it must not import DuckDB.
 */

/** Microseconds in a millisecond. */
export const MICROS_PER_MILLI = 1_000
/** Microseconds in a second. */
export const MICROS_PER_SECOND = 1_000_000
/** Microseconds in a minute. */
export const MICROS_PER_MINUTE = 60_000_000
/** Microseconds in an hour. */
export const MICROS_PER_HOUR = 3_600_000_000
/** Microseconds in a day (86,400 seconds: neither DuckDB nor Postgres counts leap seconds). */
export const MICROS_PER_DAY = 86_400_000_000
/** {@link MICROS_PER_SECOND} as a bigint, for int64 microsecond counts beyond ±2^53. */
export const MICROS_PER_SECOND_BIGINT = 1_000_000n
/** {@link MICROS_PER_HOUR} as a bigint. */
export const MICROS_PER_HOUR_BIGINT = 3_600_000_000n
/** {@link MICROS_PER_DAY} as a bigint. */
export const MICROS_PER_DAY_BIGINT = 86_400_000_000n
/** Milliseconds in a day (a JavaScript Date counts milliseconds). */
export const MS_PER_DAY = 86_400_000

/** DuckDB's DATE `infinity`: days = 2^31 − 1. */
export const DATE_INFINITY_DAYS = 2_147_483_647
/** DuckDB's DATE `-infinity`: days = −(2^31 − 1). */
export const DATE_NEG_INFINITY_DAYS = -2_147_483_647
/** DuckDB's TIMESTAMP `infinity`, in every unit (s, ms, µs, ns) and for TIMESTAMPTZ: 2^63 − 1. */
export const TIMESTAMP_INFINITY = 9_223_372_036_854_775_807n
/** DuckDB's TIMESTAMP `-infinity`, in every unit and for TIMESTAMPTZ: −(2^63 − 1). */
export const TIMESTAMP_NEG_INFINITY = -9_223_372_036_854_775_807n

/** Postgres' binary DATE `infinity` (int32 max) and `-infinity` (int32 min, unlike DuckDB). */
export const POSTGRES_DATE_INFINITY_DAYS = 2_147_483_647
export const POSTGRES_DATE_NEG_INFINITY_DAYS = -2_147_483_648
/** Postgres' binary TIMESTAMP `infinity` (int64 max) and `-infinity` (int64 min, unlike DuckDB). */
export const POSTGRES_TIMESTAMP_INFINITY = 9_223_372_036_854_775_807n
export const POSTGRES_TIMESTAMP_NEG_INFINITY = -9_223_372_036_854_775_808n
/** Postgres' epoch (2000-01-01), which its binary dates and timestamps count from, in days after 1970-01-01. */
export const POSTGRES_EPOCH_DAYS = 10_957
/** Postgres' epoch in microseconds after 1970-01-01. */
export const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n

/** The text of the infinities, in Postgres and DuckDB alike (input also accepts `+infinity`). */
export const INFINITY_TEXT = 'infinity'
export const NEG_INFINITY_TEXT = '-infinity'

/**
 * Where a timestamp `infinity` lands as a JavaScript Date: the latest (and earliest) instant a Date
 * can hold, ±8.64e15 ms (±100,000,000 days from 1970-01-01).
 */
export const JS_DATE_MAX_MS = 8.64e15

/** A proleptic Gregorian date with an astronomical year (0 = 1 BC). */
export interface CivilDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date with an astronomical year (Howard Hinnant's
 * `days_from_civil`). Days past the month's end carry into the next month.
 *
 * ### Examples
 * ```ts
 * daysFromCivil(2024, 2, 29) // 19782
 * daysFromCivil(-43, 3, 15) // 15 March 44 BC
 * ```
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/**
 * The proleptic Gregorian date (astronomical year) of a day number counted from 1970-01-01: the
 * inverse of {@link daysFromCivil} (Hinnant's `civil_from_days`).
 *
 * ### Examples
 * ```ts
 * civilFromDays(19782) // { year: 2024, month: 2, day: 29 }
 * ```
 */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  )
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** Whether an astronomical year is a Gregorian leap year. */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

/** Whether `year-month-day` (astronomical year) names a real day: no 30 February, no month 13. */
export function isValidCivilDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(month) || month < 1 || month > 12 || day < 1) return false
  const length = month === 2 && isLeapYear(year) ? 29 : MONTH_LENGTHS[month - 1]!
  return day <= length
}

/**
 * The astronomical year of a year written with an era: `(44, true)` (44 BC) → -43. Also its own
 * inverse for years <= 0: `astronomicalYear(-43, true)` → 44, the year to print before ` BC`.
 */
export function astronomicalYear(year: number, bc: boolean): number {
  return bc ? 1 - year : year
}

/**
 * An int64 count of `unit` since the epoch (DuckDB's TIMESTAMP_S / _MS / TIMESTAMP / _NS) as
 * microseconds, keeping the infinities. Nanoseconds truncate toward the earlier instant, as Postgres'
 * timestamps have microseconds.
 */
export function timestampMicros(value: bigint, unit: 's' | 'ms' | 'us' | 'ns'): bigint {
  if (value === TIMESTAMP_INFINITY || value === TIMESTAMP_NEG_INFINITY) return value
  switch (unit) {
    case 's':
      return value * MICROS_PER_SECOND_BIGINT
    case 'ms':
      return value * 1_000n
    case 'us':
      return value
    case 'ns': {
      const micros = value / 1_000n
      return value < 0n && micros * 1_000n !== value ? micros - 1n : micros
    }
  }
}
