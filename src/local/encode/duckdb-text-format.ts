import {
  DATE_INFINITY_DAYS,
  DATE_NEG_INFINITY_DAYS,
  INFINITY_TEXT,
  MICROS_PER_HOUR_BIGINT,
  MICROS_PER_SECOND_BIGINT,
  NEG_INFINITY_TEXT,
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
} from '../../types/calendar.js'
import { civilDate, formatOffset, fraction, pad2 } from './postgres-text-format.js'

/**
 * DuckDB's own text forms of temporal values (what `CAST(x AS VARCHAR)` and `to_json` print), used
 * inside JSON-encoded STRUCT/MAP/UNION/nested-list values so they read exactly as DuckDB's `to_json`.
 * They differ from Postgres' forms: `0044-03-15 (BC)` instead of `0044-03-15 BC`, `2 months` instead of
 * `2 mons`, and nanosecond fractions are kept.
 */

/** A DATE (days since 1970-01-01): `2024-02-29`, `0044-03-15 (BC)`, `infinity`. */
export function duckdbDate(days: number): string {
  if (days === DATE_INFINITY_DAYS) return INFINITY_TEXT
  if (days === DATE_NEG_INFINITY_DAYS) return NEG_INFINITY_TEXT
  return civilDate(days, ' (BC)')
}

/** `HH:MM:SS[.fff…]` of a count of `unitsPerSecond` units within a day. */
function timeOfDay(units: bigint, unitsPerSecond: bigint, digits: number): string {
  const seconds = units / unitsPerSecond
  const subsecond = Number(units - seconds * unitsPerSecond)
  const s = Number(seconds)
  const hours = Math.floor(s / 3600)
  const minutes = Math.floor((s - hours * 3600) / 60)
  return `${pad2(hours)}:${pad2(minutes)}:${pad2(s % 60)}${fraction(subsecond, digits)}`
}

/** A TIME of microseconds (`12:34:56.5`) or, with `nanos`, a TIME_NS of nanoseconds. */
export function duckdbTime(value: bigint, nanos = false): string {
  return nanos ? timeOfDay(value, 1_000_000_000n, 9) : timeOfDay(value, MICROS_PER_SECOND_BIGINT, 6)
}

/** A TIMETZ: `12:34:56+02`, `12:00:00-05:30:15`. */
export function duckdbTimeTz(micros: bigint, offsetSeconds: number): string {
  return `${duckdbTime(micros)}${formatOffset(offsetSeconds)}`
}

const UNITS_PER_SECOND: Readonly<Record<'s' | 'ms' | 'us' | 'ns', bigint>> = {
  s: 1n,
  ms: 1_000n,
  us: MICROS_PER_SECOND_BIGINT,
  ns: 1_000_000_000n,
}
const DIGITS: Readonly<Record<'s' | 'ms' | 'us' | 'ns', number>> = { s: 0, ms: 3, us: 6, ns: 9 }

/**
 * A TIMESTAMP in `unit` since the epoch: `2024-01-01 10:00:00.123456789`, `0044-03-15 (BC) 05:00:00`,
 * `infinity`; `suffix` is the zone (`+00`) of a TIMESTAMPTZ.
 */
export function duckdbTimestamp(
  value: bigint,
  unit: 's' | 'ms' | 'us' | 'ns',
  suffix = '',
): string {
  if (value === TIMESTAMP_INFINITY) return INFINITY_TEXT
  if (value === TIMESTAMP_NEG_INFINITY) return NEG_INFINITY_TEXT
  const perDay = UNITS_PER_SECOND[unit] * 86_400n
  let days = value / perDay
  let rest = value - days * perDay
  if (rest < 0n) {
    days -= 1n
    rest += perDay
  }
  return `${civilDate(Number(days), ' (BC)')} ${timeOfDay(rest, UNITS_PER_SECOND[unit], DIGITS[unit])}${suffix}`
}

function plural(value: number, unit: string): string {
  return `${value} ${unit}${value === 1 || value === -1 ? '' : 's'}`
}

/** An INTERVAL as DuckDB prints it: `1 year 2 months 3 days 04:05:06.789`, `-10 months`, `00:00:00`. */
export function duckdbInterval(months: number, days: number, micros: bigint): string {
  const parts: string[] = []
  const years = Math.trunc(months / 12)
  const restMonths = months % 12
  if (years !== 0) parts.push(plural(years, 'year'))
  if (restMonths !== 0) parts.push(plural(restMonths, 'month'))
  if (days !== 0) parts.push(plural(days, 'day'))
  if (micros !== 0n || parts.length === 0) {
    const negative = micros < 0n
    const abs = negative ? -micros : micros
    const hours = abs / MICROS_PER_HOUR_BIGINT
    const rest = abs - hours * MICROS_PER_HOUR_BIGINT
    const hourText = hours < 10n ? `0${hours}` : String(hours)
    parts.push(
      `${negative ? '-' : ''}${hourText}:${timeOfDay(rest, MICROS_PER_SECOND_BIGINT, 6).slice(3)}`,
    )
  }
  return parts.join(' ')
}
