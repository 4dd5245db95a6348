import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeTZValue,
  DuckDBTimeValue,
  type DuckDBType,
  DuckDBUUIDValue,
  type DuckDBValue,
  FLOAT,
  INTEGER,
  INTERVAL,
  LIST,
  listValue,
  SMALLINT,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
  TIMETZ,
  UUID,
  VARCHAR,
} from '@duckdb/node-api'
import { CLIENT_PARAMETER_TYPES, WIRE_TYPES, type WireTypeName } from '../../types/duckdb-types.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { type ArrayLiteral, parseArrayLiteral } from './postgres-array-literal.js'

/** A parameter value ready to bind, with the DuckDB type to bind it as. */
export interface TypedValue {
  readonly value: DuckDBValue
  readonly type: DuckDBType
}

/** How a declared parameter OID is read: as a wire type, or an array of one. */
export interface DeclaredType {
  readonly wire: WireTypeName
  readonly array: boolean
  readonly jsonb: boolean
}

const DECLARED_TYPES: ReadonlyMap<number, DeclaredType> = new Map<number, DeclaredType>([
  ...Object.entries(WIRE_TYPES).flatMap(([name, wire]) => [
    [wire.oid, { wire: name as WireTypeName, array: false, jsonb: false }] as const,
    [wire.arrayOid, { wire: name as WireTypeName, array: true, jsonb: false }] as const,
  ]),
  ...Object.entries(CLIENT_PARAMETER_TYPES).flatMap(([name, client]) => [
    [client.oid, { wire: client.as, array: false, jsonb: name === 'jsonb' }] as const,
    ...(client.arrayOid === 0
      ? []
      : [[client.arrayOid, { wire: client.as, array: true, jsonb: name === 'jsonb' }] as const]),
  ]),
])

/** The wire type a declared parameter OID is read as, if the endpoint knows it. */
export function declaredTypeOf(oid: number): DeclaredType | undefined {
  return DECLARED_TYPES.get(oid)
}

const TEXT_OIDS = new Set<number>([
  WIRE_TYPES.text.oid,
  ...Object.values(CLIENT_PARAMETER_TYPES)
    .filter((client) => client.as === 'text')
    .map((client) => client.oid),
])

/** Whether a declared OID carries plain text (text, varchar, bpchar, name, char, unknown). */
export function isTextOid(oid: number): boolean {
  return TEXT_OIDS.has(oid)
}

const TYPE_LABEL: Readonly<Record<WireTypeName, string>> = {
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

function invalid(wire: WireTypeName, text: string): EndpointError {
  return new EndpointError('22P02', `invalid input syntax for type ${TYPE_LABEL[wire]}: "${text}"`)
}

function outOfRange(wire: WireTypeName, text: string): EndpointError {
  return new EndpointError('22003', `value "${text}" is out of range for type ${TYPE_LABEL[wire]}`)
}

// ---------------------------------------------------------------------------------------------------
// Text formats

const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1'])
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0'])

/** Postgres' boolean spellings (`t`, `true`, `yes`, `on`, `1`…), or undefined. */
export function parseBooleanText(text: string): boolean | undefined {
  const word = text.trim().toLowerCase()
  if (TRUE_WORDS.has(word)) return true
  if (FALSE_WORDS.has(word)) return false
  return undefined
}

const INTEGER_LIMITS = {
  int2: [-32768n, 32767n],
  int4: [-2147483648n, 2147483647n],
  int8: [-9223372036854775808n, 9223372036854775807n],
} as const

function parseIntegerText(text: string, wire: 'int2' | 'int4' | 'int8'): bigint {
  const trimmed = text.trim()
  if (!/^[+-]?\d+$/.test(trimmed)) throw invalid(wire, text)
  const value = BigInt(trimmed)
  const [min, max] = INTEGER_LIMITS[wire]
  if (value < min || value > max) throw outOfRange(wire, text)
  return value
}

function parseFloatText(text: string, wire: 'float4' | 'float8'): number {
  const trimmed = text.trim().toLowerCase()
  if (trimmed === 'nan') return Number.NaN
  if (trimmed === 'infinity' || trimmed === '+infinity' || trimmed === 'inf' || trimmed === '+inf')
    return Number.POSITIVE_INFINITY
  if (trimmed === '-infinity' || trimmed === '-inf') return Number.NEGATIVE_INFINITY
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(trimmed)) throw invalid(wire, text)
  return Number(trimmed)
}

/** DuckDB's widest DECIMAL. */
const MAX_DECIMAL_WIDTH = 38

/** A decimal digit string (sign, integer digits, fraction digits) as the value to bind. */
function decimalValue(
  negative: boolean,
  integer: string,
  fraction: string,
  text: string,
): TypedValue {
  const digits = `${integer}${fraction}`.replace(/^0+(?=\d)/, '')
  const scale = fraction.length
  // One integer digit at least: DuckDB prints DECIMAL(4,4) 0.0001 as `.0001`.
  const width = Math.min(Math.max(digits.length, scale + 1), MAX_DECIMAL_WIDTH)
  if (digits.length > MAX_DECIMAL_WIDTH || scale > MAX_DECIMAL_WIDTH)
    return { value: text.trim(), type: VARCHAR }
  const scaled = BigInt(digits === '' ? '0' : digits)
  return {
    value: new DuckDBDecimalValue(negative ? -scaled : scaled, width, scale),
    type: DECIMAL(width, scale),
  }
}

function parseNumericText(text: string): TypedValue {
  const trimmed = text.trim()
  const special = trimmed.toLowerCase()
  if (special === 'nan') return { value: Number.NaN, type: DOUBLE }
  if (special === 'infinity' || special === '+infinity' || special === 'inf')
    return { value: Number.POSITIVE_INFINITY, type: DOUBLE }
  if (special === '-infinity' || special === '-inf')
    return { value: Number.NEGATIVE_INFINITY, type: DOUBLE }
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(trimmed)
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw invalid('numeric', text)
  let integer = match[2]!
  let fraction = match[3] ?? ''
  const exponent = Number(match[4] ?? 0)
  if (exponent > 0) {
    const moved = fraction.padEnd(exponent, '0')
    integer += moved.slice(0, exponent)
    fraction = moved.slice(exponent)
  } else if (exponent < 0) {
    const padded = integer.padStart(-exponent + 1, '0')
    fraction = padded.slice(padded.length + exponent) + fraction
    integer = padded.slice(0, padded.length + exponent)
  }
  return decimalValue(match[1] === '-', integer, fraction, text)
}

/** Days from 1970-01-01 of a proleptic Gregorian date (astronomical year: 0 = 1 BC). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return day <= lengths[month - 1]!
}

const DATE_TIME =
  /^(\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?(\s+BC)?$/i

interface ParsedDateTime {
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
): ParsedDateTime | 'infinity' | '-infinity' | undefined {
  const trimmed = text.trim()
  const lower = trimmed.toLowerCase()
  if (lower === 'infinity' || lower === '+infinity') return 'infinity'
  if (lower === '-infinity') return '-infinity'
  const match = DATE_TIME.exec(trimmed)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s, frac, zone, bc] = match
  let year = Number(y)
  if (bc) year = 1 - year
  const month = Number(mo)
  const day = Number(d)
  if (!validDate(year, month, day) || (bc && Number(y) === 0)) return undefined
  const hours = Number(h ?? 0)
  const minutes = Number(mi ?? 0)
  const seconds = Number(s ?? 0)
  if (hours > 24 || minutes > 59 || seconds > 60) return undefined
  const micros =
    (hours * 3600 + minutes * 60 + seconds) * 1_000_000 +
    Number((frac ?? '').padEnd(9, '0').slice(0, 6))
  return {
    days: daysFromCivil(year, month, day),
    micros,
    hasTime: h !== undefined,
    ...(zone === undefined ? {} : { offset: parseOffset(zone) }),
  }
}

const INT64_MAX = 9_223_372_036_854_775_807n
const MICROS_PER_DAY = 86_400_000_000n

function timestampMicros(parsed: ParsedDateTime, applyOffset: boolean): bigint {
  const local = BigInt(parsed.days) * MICROS_PER_DAY + BigInt(parsed.micros)
  return applyOffset && parsed.offset !== undefined
    ? local - BigInt(parsed.offset) * 1_000_000n
    : local
}

/** A date or timestamp text as a typed value, or undefined when DuckDB should parse it itself. */
function dateTimeValue(
  text: string,
  wire: 'date' | 'timestamp' | 'timestamptz',
): TypedValue | undefined {
  const parsed = parseDateTimeText(text)
  if (parsed === undefined) return undefined
  if (wire === 'date') {
    if (parsed === 'infinity') return { value: DuckDBDateValue.PosInf, type: DATE }
    if (parsed === '-infinity') return { value: DuckDBDateValue.NegInf, type: DATE }
    if (parsed.hasTime) return undefined
    return { value: new DuckDBDateValue(parsed.days), type: DATE }
  }
  const type = wire === 'timestamp' ? TIMESTAMP : TIMESTAMPTZ
  if (parsed === 'infinity' || parsed === '-infinity') {
    const micros = parsed === 'infinity' ? INT64_MAX : -INT64_MAX
    return {
      value:
        wire === 'timestamp'
          ? new DuckDBTimestampValue(micros)
          : new DuckDBTimestampTZValue(micros),
      type,
    }
  }
  // Like Postgres, a timestamp without time zone ignores an offset; a timestamptz without one is UTC
  // (the session TimeZone).
  const micros = timestampMicros(parsed, wire === 'timestamptz')
  return {
    value:
      wire === 'timestamp' ? new DuckDBTimestampValue(micros) : new DuckDBTimestampTZValue(micros),
    type,
  }
}

function parseTimeText(text: string): bigint | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim())
  if (!match) return undefined
  const [, h, m, s, frac] = match
  const micros =
    (Number(h) * 3600 + Number(m) * 60 + Number(s ?? 0)) * 1_000_000 +
    Number((frac ?? '').padEnd(9, '0').slice(0, 6))
  return micros <= 86_400_000_000 ? BigInt(micros) : undefined
}

function parseUuidText(text: string): bigint {
  const hex = text
    .trim()
    .replace(/^\{|\}$/g, '')
    .replaceAll('-', '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw invalid('uuid', text)
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
  hour: [0, 0, 3_600_000_000],
  hours: [0, 0, 3_600_000_000],
  h: [0, 0, 3_600_000_000],
  minute: [0, 0, 60_000_000],
  minutes: [0, 0, 60_000_000],
  min: [0, 0, 60_000_000],
  mins: [0, 0, 60_000_000],
  m: [0, 0, 60_000_000],
  second: [0, 0, 1_000_000],
  seconds: [0, 0, 1_000_000],
  sec: [0, 0, 1_000_000],
  secs: [0, 0, 1_000_000],
  s: [0, 0, 1_000_000],
  millisecond: [0, 0, 1000],
  milliseconds: [0, 0, 1000],
  ms: [0, 0, 1000],
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
      micros += BigInt(Math.round(fractionDays * 86_400_000_000 + amount * unit[2]))
    } else {
      const sign = match[3] === '-' ? -1n : 1n
      const time =
        BigInt(match[4]!) * 3_600_000_000n +
        BigInt(match[5]!) * 60_000_000n +
        BigInt(match[6] ?? 0) * 1_000_000n +
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
      throw invalid('bytea', bytes.toString('utf8'))
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
      if (!/^[0-3][0-7]{2}$/.test(octal)) throw invalid('bytea', bytes.toString('utf8'))
      out.push(Number.parseInt(octal, 8))
      i += 3
    }
  }
  return Uint8Array.from(out)
}

/**
 * A text-format value of a declared wire type as the DuckDB value to bind. Types DuckDB parses at least
 * as well as Postgres (timetz, varbit, json) bind as VARCHAR and DuckDB casts them.
 */
export function decodeText(wire: WireTypeName, bytes: Buffer): TypedValue {
  if (wire === 'bytea') return { value: new DuckDBBlobValue(decodeByteaText(bytes)), type: BLOB }
  const text = bytes.toString('utf8')
  switch (wire) {
    case 'bool': {
      const value = parseBooleanText(text)
      if (value === undefined) throw invalid(wire, text)
      return { value, type: BOOLEAN }
    }
    case 'int2':
      return { value: Number(parseIntegerText(text, wire)), type: SMALLINT }
    case 'int4':
      return { value: Number(parseIntegerText(text, wire)), type: INTEGER }
    case 'int8':
      return { value: parseIntegerText(text, wire), type: BIGINT }
    case 'float4':
      return { value: parseFloatText(text, wire), type: FLOAT }
    case 'float8':
      return { value: parseFloatText(text, wire), type: DOUBLE }
    case 'numeric':
      return parseNumericText(text)
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return dateTimeValue(text, wire) ?? { value: text, type: VARCHAR }
    case 'time': {
      const micros = parseTimeText(text)
      return micros === undefined
        ? { value: text, type: VARCHAR }
        : { value: new DuckDBTimeValue(micros), type: TIME }
    }
    case 'interval': {
      const interval = parseIntervalText(text)
      return interval === undefined
        ? { value: text, type: VARCHAR }
        : { value: interval, type: INTERVAL }
    }
    case 'uuid':
      return { value: DuckDBUUIDValue.fromUint128(parseUuidText(text)), type: UUID }
    default:
      return { value: text, type: VARCHAR }
  }
}

// ---------------------------------------------------------------------------------------------------
// Binary formats

/** Postgres' epoch (2000-01-01) in days and microseconds after DuckDB's (1970-01-01). */
const PG_EPOCH_DAYS = 10_957
const PG_EPOCH_MICROS = 946_684_800_000_000n
const INT64_MIN = -9_223_372_036_854_775_808n
const INT32_MAX = 2_147_483_647
const INT32_MIN = -2_147_483_648

function expectLength(wire: WireTypeName, bytes: Buffer, length: number): void {
  if (bytes.length !== length) {
    throw new EndpointError(
      '22P03',
      `incorrect binary data format in bind parameter: ${TYPE_LABEL[wire]} takes ${length} bytes, got ${bytes.length}`,
    )
  }
}

function binaryTimestamp(bytes: Buffer): bigint {
  const value = bytes.readBigInt64BE(0)
  if (value === INT64_MAX) return INT64_MAX
  if (value === INT64_MIN) return -INT64_MAX
  return value + PG_EPOCH_MICROS
}

/** numeric's binary form: ndigits, weight, sign, dscale, then base-10000 digits. */
function binaryNumeric(bytes: Buffer): TypedValue {
  const count = bytes.readUInt16BE(0)
  const weight = bytes.readInt16BE(2)
  const sign = bytes.readUInt16BE(4)
  const scale = bytes.readUInt16BE(6)
  if (sign === 0xc000) return { value: Number.NaN, type: DOUBLE }
  if (sign === 0xd000) return { value: Number.POSITIVE_INFINITY, type: DOUBLE }
  if (sign === 0xf000) return { value: Number.NEGATIVE_INFINITY, type: DOUBLE }
  const groups: string[] = []
  for (let i = 0; i < count; i++)
    groups.push(String(bytes.readUInt16BE(8 + 2 * i)).padStart(4, '0'))
  let integer = ''
  for (let g = 0; g <= weight; g++) integer += groups[g] ?? '0000'
  let fraction = weight < -1 ? '0000'.repeat(-weight - 1) : ''
  for (let g = Math.max(weight + 1, 0); g < count; g++) fraction += groups[g]
  fraction = fraction.padEnd(scale, '0').slice(0, scale)
  integer = integer.replace(/^0+(?=\d)/, '') || '0'
  const text = `${sign === 0x4000 ? '-' : ''}${integer}${scale > 0 ? `.${fraction}` : ''}`
  return decimalValue(sign === 0x4000, integer, fraction, text)
}

/** A binary-format value of a declared wire type; throws 0A000 for a type without binary support. */
export function decodeBinary(wire: WireTypeName, bytes: Buffer, jsonb = false): TypedValue {
  switch (wire) {
    case 'bool':
      expectLength(wire, bytes, 1)
      return { value: bytes[0] !== 0, type: BOOLEAN }
    case 'int2':
      expectLength(wire, bytes, 2)
      return { value: bytes.readInt16BE(0), type: SMALLINT }
    case 'int4':
      expectLength(wire, bytes, 4)
      return { value: bytes.readInt32BE(0), type: INTEGER }
    case 'int8':
      // oid (uint32) is read as int8 too.
      if (bytes.length === 4) return { value: BigInt(bytes.readUInt32BE(0)), type: BIGINT }
      expectLength(wire, bytes, 8)
      return { value: bytes.readBigInt64BE(0), type: BIGINT }
    case 'float4':
      expectLength(wire, bytes, 4)
      return { value: bytes.readFloatBE(0), type: FLOAT }
    case 'float8':
      expectLength(wire, bytes, 8)
      return { value: bytes.readDoubleBE(0), type: DOUBLE }
    case 'numeric':
      return binaryNumeric(bytes)
    case 'text':
      return { value: bytes.toString('utf8'), type: VARCHAR }
    case 'json':
      // jsonb's binary form is a version byte (1) and the JSON text.
      return { value: bytes.subarray(jsonb ? 1 : 0).toString('utf8'), type: VARCHAR }
    case 'bytea':
      return { value: new DuckDBBlobValue(Uint8Array.from(bytes)), type: BLOB }
    case 'date': {
      expectLength(wire, bytes, 4)
      const days = bytes.readInt32BE(0)
      if (days === INT32_MAX) return { value: DuckDBDateValue.PosInf, type: DATE }
      if (days === INT32_MIN) return { value: DuckDBDateValue.NegInf, type: DATE }
      return { value: new DuckDBDateValue(days + PG_EPOCH_DAYS), type: DATE }
    }
    case 'time':
      expectLength(wire, bytes, 8)
      return { value: new DuckDBTimeValue(bytes.readBigInt64BE(0)), type: TIME }
    case 'timetz':
      expectLength(wire, bytes, 12)
      // Postgres stores the zone as seconds west of UTC; DuckDB's offset is east of UTC.
      return {
        value: DuckDBTimeTZValue.fromMicrosAndOffset(
          bytes.readBigInt64BE(0),
          -bytes.readInt32BE(8),
        ),
        type: TIMETZ,
      }
    case 'timestamp':
      expectLength(wire, bytes, 8)
      return { value: new DuckDBTimestampValue(binaryTimestamp(bytes)), type: TIMESTAMP }
    case 'timestamptz':
      expectLength(wire, bytes, 8)
      return { value: new DuckDBTimestampTZValue(binaryTimestamp(bytes)), type: TIMESTAMPTZ }
    case 'interval':
      expectLength(wire, bytes, 16)
      return {
        value: new DuckDBIntervalValue(
          bytes.readInt32BE(12),
          bytes.readInt32BE(8),
          bytes.readBigInt64BE(0),
        ),
        type: INTERVAL,
      }
    case 'uuid':
      expectLength(wire, bytes, 16)
      return {
        value: DuckDBUUIDValue.fromUint128(
          (bytes.readBigUInt64BE(0) << 64n) | bytes.readBigUInt64BE(8),
        ),
        type: UUID,
      }
    default:
      throw new EndpointError(
        '0A000',
        `The local endpoint does not read ${TYPE_LABEL[wire]} parameters in binary format.`,
        { hint: 'Send this parameter in text format.' },
      )
  }
}

/** The DuckDB type a declared wire type's values bind as (for empty and all-NULL arrays). */
const ELEMENT_TYPES: Readonly<Record<WireTypeName, DuckDBType>> = {
  bool: BOOLEAN,
  int2: SMALLINT,
  int4: INTEGER,
  int8: BIGINT,
  numeric: DOUBLE,
  float4: FLOAT,
  float8: DOUBLE,
  text: VARCHAR,
  json: VARCHAR,
  bytea: BLOB,
  date: DATE,
  time: TIME,
  timetz: TIMETZ,
  timestamp: TIMESTAMP,
  timestamptz: TIMESTAMPTZ,
  interval: INTERVAL,
  uuid: UUID,
  varbit: VARCHAR,
}

/**
 * A list of element values as one typed list. Elements of a declared type decode to one DuckDB type,
 * except numerics (a DECIMAL's width varies) and texts DuckDB must parse: those bind as VARCHAR.
 */
export function typedList(
  elements: readonly (TypedValue | null)[],
  fallback: DuckDBType,
): TypedValue {
  const types = new Set(
    elements.flatMap((element) => (element === null ? [] : [element.type.toString()])),
  )
  if (types.size <= 1) {
    const first = elements.find((element) => element !== null)
    return {
      value: listValue(elements.map((element) => (element === null ? null : element.value))),
      type: LIST(first?.type ?? fallback),
    }
  }
  return {
    value: listValue(elements.map((element) => (element === null ? null : String(element.value)))),
    type: LIST(VARCHAR),
  }
}

/** A text-format array of a declared element type (`{1,2,NULL}`), multi-dimensional included. */
export function decodeTextArray(wire: WireTypeName, text: string): TypedValue {
  const build = (literal: ArrayLiteral): TypedValue => {
    if (literal.some((element) => Array.isArray(element))) {
      const nested = literal.map((element) =>
        element === null ? null : build(Array.isArray(element) ? element : [element]),
      )
      return typedList(nested, LIST(ELEMENT_TYPES[wire]))
    }
    return typedList(
      literal.map((element) =>
        element === null ? null : decodeText(wire, Buffer.from(element as string, 'utf8')),
      ),
      ELEMENT_TYPES[wire],
    )
  }
  return build(parseArrayLiteral(text))
}

/** A binary-format array: ndim, has-null flag, element OID, (size, lower bound) per dimension, elements. */
export function decodeBinaryArray(wire: WireTypeName, bytes: Buffer, jsonb = false): TypedValue {
  const dimensions = bytes.readInt32BE(0)
  if (dimensions === 0) return { value: listValue([]), type: LIST(ELEMENT_TYPES[wire]) }
  const sizes: number[] = []
  for (let d = 0; d < dimensions; d++) sizes.push(bytes.readInt32BE(12 + 8 * d))
  let offset = 12 + 8 * dimensions
  const element = (): TypedValue | null => {
    const length = bytes.readInt32BE(offset)
    offset += 4
    if (length === -1) return null
    const value = decodeBinary(wire, bytes.subarray(offset, offset + length), jsonb)
    offset += length
    return value
  }
  const level = (d: number): TypedValue => {
    const items: (TypedValue | null)[] = []
    for (let i = 0; i < sizes[d]!; i++) items.push(d === dimensions - 1 ? element() : level(d + 1))
    return typedList(items, d === dimensions - 1 ? ELEMENT_TYPES[wire] : LIST(ELEMENT_TYPES[wire]))
  }
  return level(0)
}
