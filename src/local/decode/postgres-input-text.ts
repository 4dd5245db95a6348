import { DuckDBIntervalValue } from '@duckdb/node-api'
import {
  astronomicalYear,
  daysFromCivil,
  INFINITY_TEXT,
  isValidCivilDate,
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_HOUR_BIGINT,
  MICROS_PER_MILLI,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  MICROS_PER_SECOND_BIGINT,
  NEG_INFINITY_TEXT,
} from '../../types/calendar.js'
import type { WireTypeName } from '../../types/duckdb-types.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'

/*
 * Postgres' input syntax of the values a client sends as text (its `*_in` functions): booleans,
 * dates and timestamps, times, intervals, UUIDs and bytea. Numbers are in src/types/postgres-number-text.ts,
 * array literals in ./postgres-array-literal.ts. Readers return undefined for a text DuckDB should
 * parse itself, and throw 22P02 where Postgres would refuse the text and DuckDB could not do better.
 */

/** Postgres' name of each wire type, as its error messages spell it. */
export const POSTGRES_TYPE_NAMES: Readonly<Record<WireTypeName, string>> = {
  bool: 'boolean',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  numeric: 'numeric',
  float4: 'real',
  float8: 'double precision',
  text: 'text',
  json: 'json',
  bytea: 'bytea',
  date: 'date',
  time: 'time without time zone',
  timetz: 'time with time zone',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  interval: 'interval',
  uuid: 'uuid',
  varbit: 'bit varying',
}

/** 22P02: `text` is not a value of the wire type. */
export function invalidInput(wire: WireTypeName, text: string): EndpointError {
  return new EndpointError(
    SqlState.InvalidTextRepresentation,
    `invalid input syntax for type ${POSTGRES_TYPE_NAMES[wire]}: "${text}"`,
  )
}

/** 22003: `text` is a number beyond the wire type's range. */
export function outOfRange(wire: WireTypeName, text: string): EndpointError {
  return new EndpointError(
    SqlState.NumericValueOutOfRange,
    `value "${text}" is out of range for type ${POSTGRES_TYPE_NAMES[wire]}`,
  )
}

const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1'])
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0'])

/** Postgres' boolean spellings (`t`, `true`, `yes`, `on`, `1`…), or undefined. */
export function parseBooleanText(text: string): boolean | undefined {
  const word = text.trim().toLowerCase()
  if (TRUE_WORDS.has(word)) return true
  if (FALSE_WORDS.has(word)) return false
  return undefined
}

const DATE_TIME =
  /^(\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?(\s+BC)?$/i

/** A date or timestamp text's parts. */
export interface ParsedDateTime {
  readonly days: number
  readonly micros: number
  /** Seconds east of UTC, when the text has an offset. */
  readonly offset?: number
  readonly hasTime: boolean
}

function parseOffset(text: string): number {
  if (text.toUpperCase() === 'Z') return 0
  const sign = text.startsWith('-') ? -1 : 1
  const digits = text.slice(1).replaceAll(':', '')
  const hourDigits = digits.length % 2 === 1 ? 1 : 2
  const hours = Number(digits.slice(0, hourDigits))
  const minutes = Number(digits.slice(hourDigits, hourDigits + 2) || 0)
  const seconds = Number(digits.slice(hourDigits + 2, hourDigits + 4) || 0)
  return sign * (hours * 3600 + minutes * 60 + seconds)
}

/**
 * ISO dates and timestamps as Postgres clients write them (`2024-03-01`, `2024-03-01 12:34:56.789+01`,
 * `2024-03-01T12:34:56.789Z`, `0044-03-15 BC`, `infinity`); undefined for anything else.
 */
export function parseDateTimeText(
  text: string,
): ParsedDateTime | typeof INFINITY_TEXT | typeof NEG_INFINITY_TEXT | undefined {
  const trimmed = text.trim()
  const lower = trimmed.toLowerCase()
  if (lower === INFINITY_TEXT || lower === `+${INFINITY_TEXT}`) return INFINITY_TEXT
  if (lower === NEG_INFINITY_TEXT) return NEG_INFINITY_TEXT
  const match = DATE_TIME.exec(trimmed)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s, frac, zone, bc] = match
  const year = astronomicalYear(Number(y), bc !== undefined)
  const month = Number(mo)
  const day = Number(d)
  if (!isValidCivilDate(year, month, day) || (bc && Number(y) === 0)) return undefined
  const hours = Number(h ?? 0)
  const minutes = Number(mi ?? 0)
  const seconds = Number(s ?? 0)
  if (hours > 24 || minutes > 59 || seconds > 60) return undefined
  const micros =
    (hours * 3600 + minutes * 60 + seconds) * MICROS_PER_SECOND +
    Number((frac ?? '').padEnd(9, '0').slice(0, 6))
  return {
    days: daysFromCivil(year, month, day),
    micros,
    hasTime: h !== undefined,
    ...(zone === undefined ? {} : { offset: parseOffset(zone) }),
  }
}

/** `HH:MM[:SS[.fff…]]` (up to 24:00:00) as microseconds, or undefined. */
export function parseTimeText(text: string): bigint | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim())
  if (!match) return undefined
  const [, h, m, s, frac] = match
  const micros =
    (Number(h) * 3600 + Number(m) * 60 + Number(s ?? 0)) * MICROS_PER_SECOND +
    Number((frac ?? '').padEnd(9, '0').slice(0, 6))
  return micros <= MICROS_PER_DAY ? BigInt(micros) : undefined
}

/** A UUID text (with or without dashes and braces) as its 128-bit value; 22P02 otherwise. */
export function parseUuidText(text: string): bigint {
  const hex = text
    .trim()
    .replace(/^\{|\}$/g, '')
    .replaceAll('-', '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw invalidInput('uuid', text)
  return BigInt(`0x${hex}`)
}

const INTERVAL_UNITS: Readonly<
  Record<string, readonly [months: number, days: number, micros: number]>
> = {
  millennium: [12000, 0, 0],
  millennia: [12000, 0, 0],
  century: [1200, 0, 0],
  centuries: [1200, 0, 0],
  decade: [120, 0, 0],
  decades: [120, 0, 0],
  year: [12, 0, 0],
  years: [12, 0, 0],
  y: [12, 0, 0],
  mon: [1, 0, 0],
  mons: [1, 0, 0],
  month: [1, 0, 0],
  months: [1, 0, 0],
  week: [0, 7, 0],
  weeks: [0, 7, 0],
  w: [0, 7, 0],
  day: [0, 1, 0],
  days: [0, 1, 0],
  d: [0, 1, 0],
  hour: [0, 0, MICROS_PER_HOUR],
  hours: [0, 0, MICROS_PER_HOUR],
  h: [0, 0, MICROS_PER_HOUR],
  minute: [0, 0, MICROS_PER_MINUTE],
  minutes: [0, 0, MICROS_PER_MINUTE],
  min: [0, 0, MICROS_PER_MINUTE],
  mins: [0, 0, MICROS_PER_MINUTE],
  m: [0, 0, MICROS_PER_MINUTE],
  second: [0, 0, MICROS_PER_SECOND],
  seconds: [0, 0, MICROS_PER_SECOND],
  sec: [0, 0, MICROS_PER_SECOND],
  secs: [0, 0, MICROS_PER_SECOND],
  s: [0, 0, MICROS_PER_SECOND],
  millisecond: [0, 0, MICROS_PER_MILLI],
  milliseconds: [0, 0, MICROS_PER_MILLI],
  ms: [0, 0, MICROS_PER_MILLI],
  microsecond: [0, 0, 1],
  microseconds: [0, 0, 1],
  us: [0, 0, 1],
}

/**
 * Postgres' interval input (`1 year 2 mons -3 days +04:05:06.5`, `2 hours 30 minutes`, `… ago`):
 * months, days and microseconds, or undefined for a form DuckDB should parse itself (ISO 8601 …).
 */
export function parseIntervalText(text: string): DuckDBIntervalValue | undefined {
  let rest = text.trim().toLowerCase()
  let negate = false
  if (rest.startsWith('@')) rest = rest.slice(1).trim()
  if (rest.endsWith(' ago')) {
    negate = true
    rest = rest.slice(0, -4).trim()
  }
  if (rest === '') return undefined
  let months = 0
  let days = 0
  let micros = 0n
  const part =
    /^([+-]?(?:\d+\.?\d*|\.\d+))\s*([a-z]+)\s*|^([+-]?)(\d+):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*/
  while (rest !== '') {
    const match = part.exec(rest)
    if (!match) return undefined
    rest = rest.slice(match[0].length)
    if (match[2] !== undefined) {
      const unit = INTERVAL_UNITS[match[2]]
      if (unit === undefined) return undefined
      const amount = Number(match[1])
      // Fractions cascade down like Postgres: 1.5 months = 1 month 15 days.
      const wholeMonths = Math.trunc(amount * unit[0])
      let fractionDays = (amount * unit[0] - wholeMonths) * 30 + amount * unit[1]
      const wholeDays = Math.trunc(fractionDays)
      fractionDays -= wholeDays
      months += wholeMonths
      days += wholeDays
      micros += BigInt(Math.round(fractionDays * MICROS_PER_DAY + amount * unit[2]))
    } else {
      const sign = match[3] === '-' ? -1n : 1n
      const time =
        BigInt(match[4]!) * MICROS_PER_HOUR_BIGINT +
        BigInt(match[5]!) * 60n * MICROS_PER_SECOND_BIGINT +
        BigInt(match[6] ?? 0) * MICROS_PER_SECOND_BIGINT +
        BigInt((match[7] ?? '').padEnd(6, '0'))
      micros += sign * time
    }
  }
  if (negate) return new DuckDBIntervalValue(-months, -days, -micros)
  return new DuckDBIntervalValue(months, days, micros)
}

/** bytea text input: hex (`\x0102ff`) or escape format (`ab\\000\\\\`), from the raw bytes. */
export function decodeByteaText(bytes: Buffer): Uint8Array {
  if (bytes[0] === 0x5c && (bytes[1] === 0x78 || bytes[1] === 0x58)) {
    const hex = bytes.subarray(2).toString('latin1').replace(/\s+/g, '')
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
      throw invalidInput('bytea', bytes.toString('utf8'))
    return Buffer.from(hex, 'hex')
  }
  const out: number[] = []
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    if (byte !== 0x5c) {
      out.push(byte)
    } else if (bytes[i + 1] === 0x5c) {
      out.push(0x5c)
      i++
    } else {
      const octal = bytes.subarray(i + 1, i + 4).toString('latin1')
      if (!/^[0-3][0-7]{2}$/.test(octal)) throw invalidInput('bytea', bytes.toString('utf8'))
      out.push(Number.parseInt(octal, 8))
      i += 3
    }
  }
  return Uint8Array.from(out)
}
