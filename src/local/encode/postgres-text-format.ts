/**
 * Postgres' text output format for the scalar values the local endpoint sends, written from DuckDB's
 * physical representation (days, microseconds, months/days/micros) without intermediate objects:
 * this runs once per value of every result, so it avoids allocation and BigInt arithmetic where the
 * values fit a double exactly.
 */
import {
  astronomicalYear,
  civilFromDays,
  DATE_INFINITY_DAYS,
  DATE_NEG_INFINITY_DAYS,
  INFINITY_TEXT,
  MICROS_PER_DAY,
  MICROS_PER_DAY_BIGINT,
  MICROS_PER_HOUR_BIGINT,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  MICROS_PER_SECOND_BIGINT,
  NEG_INFINITY_TEXT,
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
} from '../../types/calendar.js'
import type { TimeZoneOffsets } from './time-zone-offsets.js'

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'))

const MAX_EXACT = Number.MAX_SAFE_INTEGER
const NANOS_PER_DAY = 86_400_000_000_000n

export function pad2(n: number): string {
  return PAD2[n] ?? String(n)
}

function padYear(year: number): string {
  return year >= 1000 ? String(year) : String(year).padStart(4, '0')
}

/**
 * `YYYY-MM-DD` of a day number counted from 1970-01-01 (proleptic Gregorian); years before 1 AD get
 * `bc` appended (`' BC'` in Postgres, `' (BC)'` in DuckDB), as neither has a year 0.
 */
export function civilDate(days: number, bc = ' BC'): string {
  const { year, month, day } = civilFromDays(days)
  if (year <= 0) return `${padYear(astronomicalYear(year, true))}-${pad2(month)}-${pad2(day)}${bc}`
  return `${padYear(year)}-${pad2(month)}-${pad2(day)}`
}

/** A DATE (days since 1970-01-01) as Postgres prints it: `2024-02-29`, `0044-03-15 BC`, `infinity`. */
export function formatDate(days: number): string {
  if (days === DATE_INFINITY_DAYS) return INFINITY_TEXT
  if (days === DATE_NEG_INFINITY_DAYS) return NEG_INFINITY_TEXT
  return civilDate(days)
}

/** `.ffffff` (`digits` = 6) or `.fffffffff` (9) without trailing zeros, or '' for a whole second. */
export function fraction(subsecond: number, digits = 6): string {
  if (subsecond === 0) return ''
  let text = String(subsecond).padStart(digits, '0')
  while (text.endsWith('0')) text = text.slice(0, -1)
  return `.${text}`
}

/** `HH:MM:SS[.ffffff]` of microseconds within a day (0 … 86,400,000,000 inclusive: 24:00:00). */
export function formatTimeOfDay(micros: number): string {
  const seconds = Math.floor(micros / MICROS_PER_SECOND)
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds - hours * 3600) / 60)
  return `${pad2(hours)}:${pad2(minutes)}:${pad2(seconds % 60)}${fraction(micros - seconds * MICROS_PER_SECOND)}`
}

/**
 * A TIMESTAMP (microseconds since the epoch) as Postgres prints it: `2024-03-01 12:34:56.789`,
 * `0044-03-15 12:00:00 BC`, `infinity`. `suffix` ('+00' for TIMESTAMPTZ) goes before ` BC`.
 */
function formatTimestampMicros(micros: bigint, suffix = ''): string {
  if (micros === TIMESTAMP_INFINITY) return INFINITY_TEXT
  if (micros === TIMESTAMP_NEG_INFINITY) return NEG_INFINITY_TEXT
  let days: number
  let timeOfDay: number
  const asNumber = Number(micros)
  if (asNumber <= MAX_EXACT && asNumber >= -MAX_EXACT) {
    days = Math.floor(asNumber / MICROS_PER_DAY)
    timeOfDay = asNumber - days * MICROS_PER_DAY
  } else {
    let bigDays = micros / MICROS_PER_DAY_BIGINT
    let rest = micros - bigDays * MICROS_PER_DAY_BIGINT
    if (rest < 0n) {
      bigDays -= 1n
      rest += MICROS_PER_DAY_BIGINT
    }
    days = Number(bigDays)
    timeOfDay = Number(rest)
  }
  const date = civilDate(days)
  const time = formatTimeOfDay(timeOfDay)
  if (date.endsWith(' BC')) return `${date.slice(0, -3)} ${time}${suffix} BC`
  return `${date} ${time}${suffix}`
}

/**
 * Formats timestamps of one column, reusing the date text while consecutive values share a day
 * (the common case of sorted or clustered timestamps).
 */
export class TimestampFormatter {
  private lastDay = Number.NaN
  private lastDate = ''
  private bc = false

  constructor(private readonly suffix: string) {}

  /** `micros` since the epoch, as a number when it is exact (|micros| <= 2^53) or as a bigint. */
  format(micros: number | bigint): string {
    const asNumber = typeof micros === 'number' ? micros : Number(micros)
    if (asNumber > MAX_EXACT || asNumber < -MAX_EXACT) {
      return formatTimestampMicros(BigInt(micros), this.suffix)
    }
    const days = Math.floor(asNumber / MICROS_PER_DAY)
    if (days !== this.lastDay) {
      this.lastDay = days
      const date = civilDate(days)
      this.bc = date.endsWith(' BC')
      this.lastDate = this.bc ? `${date.slice(0, -3)} ` : `${date} `
    }
    const time = formatTimeOfDay(asNumber - days * MICROS_PER_DAY)
    return this.bc
      ? `${this.lastDate}${time}${this.suffix} BC`
      : `${this.lastDate}${time}${this.suffix}`
  }
}

/**
 * timestamptz text in a session's time zone: each instant at the zone's offset then, with that
 * offset as its suffix (`2024-03-10 03:00:00-04`), as Postgres prints it. Infinities print as such.
 */
export class ZonedTimestampFormatter {
  private readonly byOffset = new Map<number, TimestampFormatter>()

  constructor(private readonly zone: TimeZoneOffsets) {}

  /** `micros` since the epoch (UTC), as a number when it is exact (|micros| <= 2^53) or as a bigint. */
  format(micros: number | bigint): string {
    if (micros === TIMESTAMP_INFINITY) return INFINITY_TEXT
    if (micros === TIMESTAMP_NEG_INFINITY) return NEG_INFINITY_TEXT
    const offset = this.zone.offsetSecondsAt(micros)
    let formatter = this.byOffset.get(offset)
    if (formatter === undefined) {
      formatter = new TimestampFormatter(formatOffset(offset))
      this.byOffset.set(offset, formatter)
    }
    return formatter.format(shiftMicros(micros, offset))
  }
}

/**
 * `micros` moved by `offsetSeconds`: as a number while the sum stays exact, else as a bigint (what
 * TimestampFormatter and TimestampBytesWriter take).
 */
export function shiftMicros(micros: number | bigint, offsetSeconds: number): number | bigint {
  if (typeof micros === 'number' && micros < 2 ** 52 && micros > -(2 ** 52)) {
    return micros + offsetSeconds * MICROS_PER_SECOND
  }
  return BigInt(micros) + BigInt(offsetSeconds) * MICROS_PER_SECOND_BIGINT
}

/**
 * A TIMESTAMP_NS (nanoseconds since the epoch) with all nine fraction digits Postgres' microsecond
 * timestamps lack (`2024-03-01 12:34:56.123456789`), trailing zeros dropped as Postgres drops them.
 */
export function formatTimestampNanos(nanos: bigint): string {
  if (nanos === TIMESTAMP_INFINITY) return INFINITY_TEXT
  if (nanos === TIMESTAMP_NEG_INFINITY) return NEG_INFINITY_TEXT
  let days = nanos / NANOS_PER_DAY
  let rest = nanos - days * NANOS_PER_DAY
  if (rest < 0n) {
    days -= 1n
    rest += NANOS_PER_DAY
  }
  const date = civilDate(Number(days))
  const time = formatTimeOfDayNanos(Number(rest))
  if (date.endsWith(' BC')) return `${date.slice(0, -3)} ${time} BC`
  return `${date} ${time}`
}

/** `HH:MM:SS[.fffffffff]` of nanoseconds within a day (TIME_NS). */
export function formatTimeOfDayNanos(nanos: number): string {
  const seconds = Math.floor(nanos / 1e9)
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds - hours * 3600) / 60)
  return `${pad2(hours)}:${pad2(minutes)}:${pad2(seconds % 60)}${fraction(nanos - seconds * 1e9, 9)}`
}

/** A UTC offset in seconds as Postgres prints it: `+00`, `+05:30`, `-03:00:15`. */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+'
  const abs = Math.abs(offsetSeconds)
  const hours = Math.floor(abs / 3600)
  const minutes = Math.floor((abs % 3600) / 60)
  const seconds = abs % 60
  if (seconds !== 0) return `${sign}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}`
  if (minutes !== 0) return `${sign}${pad2(hours)}:${pad2(minutes)}`
  return `${sign}${pad2(hours)}`
}

function intervalPart(
  text: string,
  value: number,
  unit: string,
  state: { zero: boolean; before: boolean },
): string {
  if (value === 0) return text
  const part = `${state.zero ? '' : ' '}${state.before && value > 0 ? '+' : ''}${value} ${unit}${value === 1 ? '' : 's'}`
  state.before = value < 0
  state.zero = false
  return text + part
}

/**
 * An INTERVAL in Postgres' default `IntervalStyle = postgres`, field by field as Postgres'
 * EncodeInterval writes it: `1 year 2 mons 3 days 04:05:06.789`, `-1 years -2 mons`,
 * `-3 days +04:00:00`, `00:00:00`. DuckDB's INTERVAL has Postgres' structure (months, days, micros).
 */
export function formatInterval(months: number, days: number, micros: bigint): string {
  const state = { zero: true, before: false }
  let text = ''
  text = intervalPart(text, Math.trunc(months / 12), 'year', state)
  text = intervalPart(text, months % 12, 'mon', state)
  text = intervalPart(text, days, 'day', state)
  if (state.zero || micros !== 0n) {
    const negative = micros < 0n
    const abs = negative ? -micros : micros
    const hours = abs / MICROS_PER_HOUR_BIGINT
    const rest = Number(abs - hours * MICROS_PER_HOUR_BIGINT)
    const minutes = Math.floor(rest / MICROS_PER_MINUTE)
    const secondsMicros = rest - minutes * MICROS_PER_MINUTE
    const seconds = Math.floor(secondsMicros / MICROS_PER_SECOND)
    const sign = negative ? '-' : state.before ? '+' : ''
    const hourText = hours < 10n ? `0${hours}` : String(hours)
    text += `${state.zero ? '' : ' '}${sign}${hourText}:${pad2(minutes)}:${pad2(seconds)}${fraction(secondsMicros - seconds * MICROS_PER_SECOND)}`
  }
  return text
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
)

/** bytea in Postgres' hex format: `\x00ff41`. */
export function formatBytea(bytes: Uint8Array): string {
  if (bytes.length > 64)
    return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`
  let text = '\\x'
  for (let i = 0; i < bytes.length; i++) text += HEX[bytes[i]!]
  return text
}

/** A double as Postgres prints float8 (shortest exact text, `NaN`, `Infinity`, `-0`). */
export function formatDouble(value: number): string {
  if (value === 0 && 1 / value < 0) return '-0'
  return String(value)
}

/**
 * A FLOAT (float32) as Postgres prints float4: the shortest decimal that reads back to the same
 * float32 (`0.1`, not the double expansion `0.10000000149011612`).
 */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (value === 0) return 1 / value < 0 ? '-0' : '0'
  for (let precision = 1; precision < 9; precision++) {
    const candidate = Number(value.toPrecision(precision))
    if (Math.fround(candidate) === value) return String(candidate)
  }
  return String(Number(value.toPrecision(9)))
}

/** A scaled DECIMAL integer with `scale` fractional digits, as Postgres prints numeric: `-12.30`. */
export function formatDecimal(scaled: bigint | number, scale: number): string {
  if (scale === 0) return String(scaled)
  const negative = scaled < 0
  let digits = String(negative ? -scaled : scaled)
  if (digits.length <= scale) digits = digits.padStart(scale + 1, '0')
  const point = digits.length - scale
  return `${negative ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`
}

const NEEDS_QUOTES = /[{}",\\\s]|^$|^null$/i

/** One element of a Postgres array literal, quoted and escaped when Postgres would quote it. */
function quoteArrayElement(text: string): string {
  if (!NEEDS_QUOTES.test(text)) return text
  return `"${text.replace(/["\\]/g, '\\$&')}"`
}

/** A Postgres array literal of already-formatted elements: `{1,NULL,"a b"}`. */
export function formatArray(elements: readonly (string | null)[]): string {
  let text = '{'
  for (let i = 0; i < elements.length; i++) {
    if (i > 0) text += ','
    const element = elements[i]
    text += element === null || element === undefined ? 'NULL' : quoteArrayElement(element)
  }
  return `${text}}`
}
