import { parse as parseArray } from 'postgres-array'
import parseInterval from 'postgres-interval'
import { MotherDuckError } from '../errors/motherduck-error.js'
import {
  astronomicalYear,
  daysFromCivil,
  INFINITY_TEXT,
  JS_DATE_MAX_MS,
  MS_PER_DAY,
  NEG_INFINITY_TEXT,
} from './calendar.js'
import {
  DEFAULT_TYPE_PARSING,
  INTERVAL_FIELDS,
  type Interval,
  type JsonValue,
  type TypeParsingOptions,
  WIRE_TYPES,
  type WireTypeName,
} from './duckdb-types.js'
import { parsePostgresFloat } from './postgres-number-text.js'

/** A text-format value parser, as `pg` calls it. */
export type TextParser = (value: string) => unknown

/** The subset of `pg`'s `CustomTypesConfig` this library installs on each pool. */
export interface TypeParsers {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown
}

/**
 * Thrown while a result is read, when `typeParsing` asks for `int64: 'number'` or `numeric: 'number'` and
 * a value does not fit a JavaScript number exactly (e.g. a BIGINT beyond ±2^53 − 1). Use the default
 * mode for that type (`bigint` / `string`), or cast the value in SQL (e.g. `CAST(x AS DOUBLE)`).
 */
export class PrecisionLossError extends MotherDuckError {
  override readonly name = 'PrecisionLossError'
  constructor(
    readonly value: string,
    readonly mode: string,
  ) {
    super(
      `The value ${value} does not fit a JavaScript number without losing precision. ` +
        `Use the default type parsing (${mode === 'int64' ? "int64: 'bigint'" : "numeric: 'string'"}) or cast it in SQL.`,
    )
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function parseInt64(value: string, mode: TypeParsingOptions['int64']): bigint | number | string {
  if (mode === 'string') return value
  const big = BigInt(value)
  if (mode === 'number') {
    if (big > MAX_SAFE || big < -MAX_SAFE) throw new PrecisionLossError(value, 'int64')
    return Number(big)
  }
  return big
}

function parseNumeric(value: string, mode: TypeParsingOptions['numeric']): number | string {
  if (mode !== 'number') return value
  const n = parsePostgresFloat(value)
  if (n === undefined) throw new PrecisionLossError(value, 'numeric')
  if (significantDigits(value) > 15 && normalizeDecimal(String(n)) !== normalizeDecimal(value)) {
    throw new PrecisionLossError(value, 'numeric')
  }
  return n
}

// A decimal with at most 15 significant digits survives the round trip through a double.
function significantDigits(decimal: string): number {
  return decimal
    .replace(/[^0-9]/g, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '').length
}

function normalizeDecimal(decimal: string): string {
  let text = decimal.startsWith('+') ? decimal.slice(1) : decimal
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '')
  return text.replace(/^(-?)0+(?=\d)/, '$1')
}

function parseFloatText(value: string): number {
  return parsePostgresFloat(value) ?? Number.NaN
}

function parseBool(value: string): boolean {
  return value === 't' || value === 'true' || value === 'TRUE'
}

function parseBytea(value: string): Buffer {
  if (value.startsWith('\\x')) return Buffer.from(value.slice(2), 'hex')
  // Postgres' escape format: \\ and \ooo octal escapes.
  const bytes: number[] = []
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') {
      if (value[i + 1] === '\\') {
        bytes.push(0x5c)
        i++
      } else {
        bytes.push(Number.parseInt(value.slice(i + 1, i + 4), 8))
        i += 3
      }
    } else {
      bytes.push(value.charCodeAt(i))
    }
  }
  return Buffer.from(bytes)
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]` (optionally ` BC`) → Date; no offset means UTC. */
export function parseTimestamp(value: string): Date {
  return new Date(canonicalTimestampMs(value) ?? parseTimestampText(value))
}

function digits2(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48
  const ones = text.charCodeAt(at + 1) - 48
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : Number.NaN
}

/**
 * The fast path for what the endpoint sends for nearly every value — `YYYY-MM-DD HH:MM:SS[.f…][±HH[:MM]]`
 * with a four-digit year — read by character codes without a regular expression or intermediate strings
 * (timestamp parsing was a fifth of a client's CPU reading a million rows). Anything else: undefined.
 */
function canonicalTimestampMs(value: string): number | undefined {
  const length = value.length
  if (length < 19 || value.charCodeAt(4) !== 45 || value.charCodeAt(10) !== 32) return undefined
  const year = digits2(value, 0) * 100 + digits2(value, 2)
  const month = digits2(value, 5)
  const day = digits2(value, 8)
  const hours = digits2(value, 11)
  const minutes = digits2(value, 14)
  const seconds = digits2(value, 17)
  if (
    !(
      year >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      hours <= 24 &&
      minutes <= 59 &&
      seconds <= 60
    )
  ) {
    return undefined // NaN fails every comparison too
  }
  let ms =
    daysFromCivil(year, month, day) * MS_PER_DAY + (hours * 3600 + minutes * 60 + seconds) * 1000
  let i = 19
  if (i < length && value.charCodeAt(i) === 46) {
    let fraction = 0
    let count = 0
    for (i++; i < length; i++, count++) {
      const digit = value.charCodeAt(i) - 48
      if (digit < 0 || digit > 9) break
      if (count < 3) fraction = fraction * 10 + digit
    }
    if (count === 0) return undefined
    ms += count === 1 ? fraction * 100 : count === 2 ? fraction * 10 : fraction
  }
  if (i === length) return ms
  const sign = value.charCodeAt(i)
  const zoneLength = length - i
  if (
    (sign !== 43 && sign !== 45) ||
    (zoneLength !== 3 && !(zoneLength === 6 && value.charCodeAt(i + 3) === 58))
  ) {
    return undefined
  }
  const offset =
    (digits2(value, i + 1) * 60 + (zoneLength === 6 ? digits2(value, i + 4) : 0)) * 60_000
  if (Number.isNaN(offset)) return undefined
  return sign === 43 ? ms - offset : ms + offset
}

/** The general parser: any year, `T` or space, `Z`, seconds in the offset, ` BC`, ±infinity. */
function parseTimestampText(value: string): number {
  if (value === INFINITY_TEXT) return JS_DATE_MAX_MS
  if (value === NEG_INFINITY_TEXT) return -JS_DATE_MAX_MS
  const match =
    /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?|Z)?( BC)?$/.exec(
      value,
    )
  if (!match) return Number.NaN
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os, bc] = match
  const year = astronomicalYear(Number(y), bc !== undefined)
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0
  const date = new Date(0)
  date.setUTCFullYear(year, Number(mo) - 1, Number(d))
  date.setUTCHours(Number(h), Number(mi), Number(s), ms)
  if (!sign) return date.getTime()
  const offset = (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * 1000
  return date.getTime() - (sign === '-' ? -offset : offset)
}

/**
 * `JSON.parse` that keeps integers beyond ±2^53 − 1 exact, as `bigint`, and reads the words DuckDB's
 * `to_json` writes for non-finite doubles (`NaN`, `Infinity`, `-Infinity`, outside strings) as those
 * numbers. Relies on the reviver's `context.source` (Node ≥ 21).
 */
export function parseJson(text: string): JsonValue {
  try {
    return JSON.parse(text, reviveJson) as JsonValue
  } catch (error) {
    const standard = nonFiniteAsJson(text)
    if (standard === undefined) throw error
    return JSON.parse(standard, reviveJson) as JsonValue
  }
}

/** How a NaN is spelled for `JSON.parse`: a string no JSON writer produces (its `N` escaped). */
const NAN_SOURCE = '"\\u004EaN"'

function reviveJson(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number') {
    if (
      !Number.isSafeInteger(value) &&
      context?.source !== undefined &&
      /^-?\d+$/.test(context.source)
    ) {
      return BigInt(context.source)
    }
    return value
  }
  if (value === 'NaN' && context?.source === NAN_SOURCE) return Number.NaN
  return value
}

/**
 * The text with DuckDB's bare `NaN` / `Infinity` / `-Infinity` outside strings replaced by forms
 * `JSON.parse` reads (`1e999` is Infinity; NaN becomes {@link NAN_SOURCE}); undefined when there is none.
 */
function nonFiniteAsJson(text: string): string | undefined {
  let result = ''
  let from = 0
  let found = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 34) {
      // Skip the string, escapes included.
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++)
        if (text.charCodeAt(i) === 92) i++
      continue
    }
    for (const [word, replacement] of NON_FINITE_WORDS) {
      if (text.startsWith(word, i)) {
        result += text.slice(from, i) + replacement
        i += word.length - 1
        from = i + 1
        found = true
        break
      }
    }
  }
  return found ? result + text.slice(from) : undefined
}

const NON_FINITE_WORDS: readonly (readonly [string, string])[] = [
  ['NaN', NAN_SOURCE],
  ['-Infinity', '-1e999'],
  ['Infinity', '1e999'],
]

function parseIntervalText(value: string): Interval {
  const parsed = parseInterval(value) as Interval
  const result: Interval = {}
  for (const key of INTERVAL_FIELDS) {
    const field = parsed[key]
    if (field) result[key] = field
  }
  return result
}

const identity: TextParser = (value) => value

/** The text parser for each wire type under the given modes. */
function scalarParsers(options: TypeParsingOptions = {}): Record<WireTypeName, TextParser> {
  const int64 = options.int64 ?? DEFAULT_TYPE_PARSING.int64
  const numeric = options.numeric ?? DEFAULT_TYPE_PARSING.numeric
  const timestamp =
    (options.timestamp ?? DEFAULT_TYPE_PARSING.timestamp) === 'string' ? identity : parseTimestamp
  return {
    bool: parseBool,
    int2: Number,
    int4: Number,
    int8: (v) => parseInt64(v, int64),
    numeric: (v) => parseNumeric(v, numeric),
    float4: parseFloatText,
    float8: parseFloatText,
    text: identity,
    json: parseJson,
    bytea: parseBytea,
    date: identity,
    time: identity,
    timetz: identity,
    timestamp,
    timestamptz: timestamp,
    interval: parseIntervalText,
    uuid: identity,
    varbit: identity,
  }
}

/**
 * Type parsers for one `pg` pool (`new pg.Pool({ types: createTypeParsers() })`), built from the type
 * table: every wire type the endpoint announces, and its array type. pg's global `types` is never touched.
 * Unknown OIDs come back as the text the server sent. The dialect installs them on its pool (and
 * `motherDuckPoolConfig` includes them); use this for a pool or client you build yourself.
 *
 * ### Examples
 *
 * ```ts
 * const client = new pg.Client({ ...options, types: createTypeParsers({ numeric: 'string' }) })
 * createTypeParsers().getTypeParser(20)('9007199254740993') // 9007199254740993n (BIGINT)
 * createTypeParsers().getTypeParser(1114)('2024-01-02 03:04:05.5') // Date 2024-01-02T03:04:05.500Z (TIMESTAMP, UTC)
 * ```
 */
export function createTypeParsers(options: TypeParsingOptions = {}): TypeParsers {
  const byOid = new Map<number, TextParser>()
  for (const [name, parser] of Object.entries(scalarParsers(options)) as [
    WireTypeName,
    TextParser,
  ][]) {
    const wire = WIRE_TYPES[name]
    byOid.set(wire.oid, parser)
    byOid.set(wire.arrayOid, (value) => parseArray(value, (element) => parser(element)))
  }
  return {
    getTypeParser(oid: number, format: 'text' | 'binary' = 'text') {
      if (format === 'binary') return identity
      return byOid.get(oid) ?? identity
    },
  }
}
