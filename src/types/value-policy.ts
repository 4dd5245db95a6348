import { MotherDuckError } from '../errors/motherduck-error.js'
import { dateText, jsonValueText, numberText } from '../sql/json-value-text.js'
import { isWellFormed } from '../sql/unicode.js'
import { type DuckDBType, parseDuckDBType } from './duckdb-type-parser.js'
import { type DuckDBScalarTypeName, INTERVAL_FIELDS } from './duckdb-types.js'
import { parsePostgresFloat, parsePostgresNumeric } from './postgres-number-text.js'

/*
 * The one value policy: what a JavaScript value written to a column of a DuckDB type becomes. Every write
 * path follows it — `insertRows`, `insertInto().values()` and `update().set()` parameters — so the same value
 * is stored the same way, or refused the same way, whichever path writes it. A value is either stored
 * exactly (read back, it equals what was written) or refused on the client, before anything is sent, with
 * a {@link RefusedValueError} that names the value's type and the reason. The README's "Value policy"
 * section is the table of this file.
 *
 * The encoder writes the value as JSON text of the column type's shape (what `from_json_strict` and
 * DuckDB's JSON casts read): numbers as digits (never rounded: a number that is not exact for the column is
 * refused), NaN/±Infinity as the strings DuckDB casts back, −0 as `-0.0`, a `Date` in a DATE column as its
 * local calendar date (as `pg` does for Postgres), a `Date` in a TIMESTAMP column as its UTC wall time
 * (TIMESTAMP values are read back as UTC), strings in temporal, UUID, BIT and INTERVAL columns as the
 * type's text (DuckDB reads them; a UUID without 32 hex digits, or a date or time without a digit, is
 * refused first), a string in a JSON column as the JSON text it holds.
 */

/** Thrown by {@link encodeColumnValue} for a value the column's type does not take exactly. */
export class RefusedValueError extends MotherDuckError {
  override readonly name = 'RefusedValueError'
  constructor(
    /** The value's type as the message names it: `number`, `string`, `Date`, `object`, `Map`, … */
    readonly valueType: string,
    /** Why, and what to do instead. */
    readonly reason: string,
    /** Where inside the value (`.address.zip`, `[2]`); empty for the value itself. */
    readonly path: string = '',
  ) {
    super(`${path === '' ? '' : `at ${path}: `}a ${valueType} ${reason}`)
  }

  /** The same refusal one level further out: `[2]` inside the field `tags` becomes `.tags[2]`. */
  within(step: string): RefusedValueError {
    return new RefusedValueError(this.valueType, this.reason, `${step}${this.path}`)
  }
}

/** The JSON text of one non-null value for a column type; throws {@link RefusedValueError}. */
export type ValueEncoder = (value: unknown) => string

/** The name the policy's messages use for a value's type. */
export function valueTypeName(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  if (Array.isArray(value)) return 'array'
  if (value instanceof Date) return 'Date'
  if (Buffer.isBuffer(value)) return 'Buffer'
  if (value instanceof Map) return 'Map'
  const constructorName = (value as { constructor?: { name?: unknown } }).constructor?.name
  return typeof constructorName === 'string' && constructorName !== 'Object'
    ? constructorName
    : 'object'
}

const cache = new Map<string, ValueEncoder>()

/**
 * The encoder of values for a column of the DuckDB type spelled `dataType` (as `duckdb_columns().data_type`
 * spells it: `INTEGER`, `DECIMAL(10,2)`, `STRUCT(a DOUBLE, b DATE[])`…). Encoders are cached by spelling.
 *
 * ### Examples
 *
 * ```ts
 * encoderFor('DOUBLE')(-0) // '-0.0'
 * encoderFor('DATE')(new Date(2024, 2, 10)) // '"2024-03-10"' (the local calendar date)
 * encoderFor('INTEGER')(2.5) // throws RefusedValueError: a number 2.5 is not an integer; …
 * ```
 */
export function encoderFor(dataType: string): ValueEncoder {
  let encoder = cache.get(dataType)
  if (encoder === undefined) {
    encoder = encoderOf(safeParse(dataType))
    if (cache.size > 1000) cache.clear()
    cache.set(dataType, encoder)
  }
  return encoder
}

/** {@link encoderFor}, applied to one value; `null` and `undefined` give `null`. */
export function encodeColumnValue(dataType: string, value: unknown): string {
  return value === null || value === undefined ? 'null' : encoderFor(dataType)(value)
}

function safeParse(dataType: string): DuckDBType {
  try {
    return parseDuckDBType(dataType)
  } catch {
    return { kind: 'unknown', spelling: dataType }
  }
}

const refuse = (value: unknown, reason: string): never => {
  throw new RefusedValueError(valueTypeName(value), reason)
}

/** A refused number in the message; a string never (it may be a secret or personal data). */
const describe = (value: unknown): string =>
  typeof value === 'number' || typeof value === 'bigint'
    ? `${Object.is(value, -0) ? '-0' : String(value)} `
    : ''

/**
 * Objects that serialise themselves (Decimal.js, Luxon, Temporal polyfills: a `toJSON()` method) are
 * encoded as what `toJSON()` returns, as `JSON.stringify` and `pg` would use it.
 */
function honouringToJson(encoder: ValueEncoder): ValueEncoder {
  return (value) => {
    if (
      typeof value === 'object' &&
      value !== null &&
      !(value instanceof Date) &&
      !(value instanceof Map) &&
      !(value instanceof Uint8Array) &&
      typeof (value as { toJSON?: unknown }).toJSON === 'function'
    ) {
      const json = (value as { toJSON(): unknown }).toJSON()
      return json === null || json === undefined ? 'null' : encoder(json)
    }
    return encoder(value)
  }
}

function encoderOf(type: DuckDBType): ValueEncoder {
  return honouringToJson(encoderOfKind(type))
}

function encoderOfKind(type: DuckDBType): ValueEncoder {
  switch (type.kind) {
    case 'scalar':
      return scalarEncoder(type.name, type.spelling)
    case 'enum': {
      const labels = new Set(type.labels)
      return (value) => {
        if (typeof value !== 'string')
          refuse(value, 'cannot be an ENUM label; pass the label string')
        if (!labels.has(value as string)) {
          refuse(
            value,
            `is not one of the ENUM's labels (${type.labels.map((l) => JSON.stringify(l)).join(', ')})`,
          )
        }
        return JSON.stringify(value)
      }
    }
    case 'list':
      return listEncoder(encoderOf(type.element), type.size)
    case 'struct':
      return structEncoder(type.fields.map((field) => [field.name, encoderOf(field.type)] as const))
    case 'map':
      return mapEncoder(encoderOf(type.key), encoderOf(type.value))
    default:
      // UNION and types this library does not know: DuckDB reads the JSON and decides.
      return anyJson
  }
}

const anyJson: ValueEncoder = (value) => jsonOf(value)

function jsonOf(value: unknown): string {
  try {
    return jsonValueText(value)
  } catch (error) {
    throw new RefusedValueError(valueTypeName(value), (error as Error).message)
  }
}

function listEncoder(element: ValueEncoder, size: number | undefined): ValueEncoder {
  return (value) => {
    if (!Array.isArray(value)) refuse(value, 'cannot be a LIST; pass an array')
    const items = value as unknown[]
    if (size !== undefined && items.length !== size) {
      refuse(value, `of ${items.length} elements cannot be an ARRAY of ${size}`)
    }
    let text = '['
    for (let i = 0; i < items.length; i++) {
      if (i > 0) text += ','
      const item = items[i]
      if (item === null || item === undefined) {
        text += 'null'
        continue
      }
      try {
        text += element(item)
      } catch (error) {
        throw error instanceof RefusedValueError ? error.within(`[${i}]`) : error
      }
    }
    return `${text}]`
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function structEncoder(fields: readonly (readonly [string, ValueEncoder])[]): ValueEncoder {
  const names = new Set(fields.map(([name]) => name))
  const list = fields.map(([name]) => JSON.stringify(name)).join(', ')
  return (value) => {
    if (!isPlainObject(value)) {
      refuse(value, `cannot be a STRUCT; pass a plain object with the fields ${list}`)
    }
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) {
      if (!names.has(key) && record[key] !== undefined) {
        refuse(
          value,
          `has the key ${JSON.stringify(key)}, which is not a field of the STRUCT (${list}); remove it`,
        )
      }
    }
    // Every field, a missing one as null: DuckDB's strict JSON reader requires them all.
    const parts: string[] = []
    for (const [name, encoder] of fields) {
      const item = Object.hasOwn(record, name) ? record[name] : undefined
      try {
        parts.push(
          `${JSON.stringify(name)}:${item === null || item === undefined ? 'null' : encoder(item)}`,
        )
      } catch (error) {
        throw error instanceof RefusedValueError ? error.within(`.${name}`) : error
      }
    }
    return `{${parts.join(',')}}`
  }
}

function mapEncoder(key: ValueEncoder, item: ValueEncoder): ValueEncoder {
  return (value) => {
    let entries: Iterable<[unknown, unknown]>
    if (value instanceof Map) entries = value.entries()
    else if (isPlainObject(value)) entries = Object.entries(value)
    else return refuse(value, 'cannot be a MAP; pass a Map or a plain object')
    const parts: string[] = []
    for (const [k, v] of entries) {
      if (v === undefined) continue
      let keyText: string
      try {
        if (k === null || k === undefined) refuse(k, 'cannot be a MAP key')
        keyText = key(k)
      } catch (error) {
        throw error instanceof RefusedValueError ? error.within(`[key ${String(k)}]`) : error
      }
      // MAP keys travel as JSON object keys: their text, read back as the key type.
      const keyString = keyText.startsWith('"') ? keyText : JSON.stringify(keyText)
      try {
        parts.push(`${keyString}:${v === null ? 'null' : item(v)}`)
      } catch (error) {
        throw error instanceof RefusedValueError ? error.within(`[${String(k)}]`) : error
      }
    }
    return `{${parts.join(',')}}`
  }
}

/** Inclusive integer ranges of DuckDB's integer types. */
const INTEGER_RANGES: Partial<Record<DuckDBScalarTypeName, readonly [bigint, bigint]>> = {
  TINYINT: [-(2n ** 7n), 2n ** 7n - 1n],
  SMALLINT: [-(2n ** 15n), 2n ** 15n - 1n],
  INTEGER: [-(2n ** 31n), 2n ** 31n - 1n],
  BIGINT: [-(2n ** 63n), 2n ** 63n - 1n],
  HUGEINT: [-(2n ** 127n), 2n ** 127n - 1n],
  UTINYINT: [0n, 2n ** 8n - 1n],
  USMALLINT: [0n, 2n ** 16n - 1n],
  UINTEGER: [0n, 2n ** 32n - 1n],
  UBIGINT: [0n, 2n ** 64n - 1n],
  UHUGEINT: [0n, 2n ** 128n - 1n],
}

const INTEGER_STRING = /^-?\d+$/
const DECIMAL_STRING = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

function scalarEncoder(name: DuckDBScalarTypeName, spelling: string): ValueEncoder {
  const range = INTEGER_RANGES[name]
  if (range !== undefined) return integerEncoder(name, range)
  switch (name) {
    case 'BIGNUM':
      return integerEncoder(name, undefined)
    case 'DECIMAL':
      return decimalEncoder(spelling)
    case 'FLOAT':
    case 'DOUBLE':
      return floatEncoder(name)
    case 'BOOLEAN':
      return (value) => {
        if (typeof value === 'boolean') return value ? 'true' : 'false'
        if (value === 'true' || value === 'false') return value
        return refuse(value, `${describe(value)}is not a BOOLEAN; pass true or false`)
      }
    case 'VARCHAR':
      return (value) => {
        if (typeof value !== 'string') {
          refuse(
            value,
            `${describe(value)}is not text; pass a string (String(value) if that text is meant)`,
          )
        }
        return stringText(value as string)
      }
    case 'JSON':
      return jsonColumnEncoder
    case 'VARIANT':
      return anyJson
    case 'BLOB':
      return (value) => {
        if (value instanceof Uint8Array)
          return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`
        return refuse(value, 'cannot be a BLOB; pass a Buffer or Uint8Array')
      }
    case 'DATE':
      return (value) => {
        if (value instanceof Date) return `"${localDate(value)}"`
        return temporalText(value, name, 'a Date (its local calendar date) or a string YYYY-MM-DD')
      }
    case 'TIMESTAMP':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
    case 'TIMESTAMP_TZ':
      return (value) => {
        if (value instanceof Date) return jsonDate(value)
        return temporalText(value, name, 'a Date or a string')
      }
    case 'TIMESTAMP_S':
      return (value) => {
        if (value instanceof Date) {
          if (value.getTime() % 1000 !== 0) {
            refuse(
              value,
              'has milliseconds, which TIMESTAMP_S (whole seconds) cannot hold; round it first',
            )
          }
          return jsonDate(value)
        }
        return temporalText(value, name, 'a Date or a string')
      }
    case 'INTERVAL':
      return intervalText
    case 'GEOMETRY':
      return (value) => textOnly(value, name, 'a string (WKT)')
    case 'TIME':
    case 'TIME_NS':
    case 'TIME_TZ':
      return (value) => temporalText(value, name, 'a string')
    case 'UUID':
      return uuidText
    default:
      // BIT, ENUM (without labels): their text.
      return (value) => textOnly(value, name, 'a string')
  }
}

function stringText(value: string): string {
  if (!isWellFormed(value)) {
    throw new RefusedValueError(
      'string',
      'holds a lone UTF-16 surrogate, which has no UTF-8 form; repair or drop the string',
    )
  }
  return JSON.stringify(value)
}

function textOnly(value: unknown, type: string, accepted: string): string {
  if (typeof value !== 'string')
    refuse(value, `${describe(value)}cannot be a ${type}; pass ${accepted}`)
  return stringText(value as string)
}

/**
 * A string for a date or time column: DuckDB parses it, but a string it surely refuses — one without a
 * digit that is not one of the special values — is refused here, naming the column (DuckDB's own error
 * names neither the column nor, in a batch, the row). Anything with a digit is left to DuckDB.
 */
function temporalText(value: unknown, type: string, accepted: string): string {
  if (typeof value === 'string' && !/\d/.test(value)) {
    if (!TEMPORAL_WORDS.has(value.trim().toLowerCase())) {
      refuse(value, `has no digits, so it is not a ${type}; pass ${accepted}`)
    }
  }
  return textOnly(value, type, accepted)
}

/** The special date and time inputs (Postgres' and DuckDB's), which have no digits. */
const TEMPORAL_WORDS = new Set([
  'infinity',
  '+infinity',
  '-infinity',
  'epoch',
  'now',
  'today',
  'tomorrow',
  'yesterday',
  'allballs',
])

/** A UUID string: 32 hex digits once braces and hyphens are left out (DuckDB checks the layout). */
function uuidText(value: unknown): string {
  if (typeof value === 'string') {
    const digits = value
      .trim()
      .replace(/^\{(.*)\}$/, '$1')
      .replaceAll('-', '')
    if (!/^[0-9a-fA-F]{32}$/.test(digits)) {
      refuse(value, 'is not a UUID (32 hex digits, e.g. 6b1a5c3e-2f4d-4c8e-9a7b-1d2e3f405162)')
    }
  }
  return textOnly(value, 'UUID', 'a string')
}

function jsonDate(value: Date): string {
  if (Number.isNaN(value.getTime())) refuse(value, 'is invalid (its time is NaN)')
  return dateText(value)
}

/** `YYYY-MM-DD` of a Date in the process's time zone: the calendar date its user sees (as pg sends it). */
export function localDate(value: Date): string {
  if (Number.isNaN(value.getTime())) refuse(value, 'is invalid (its time is NaN)')
  const year = value.getFullYear()
  const yearText = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0')
  return `${yearText}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`
}

function jsonColumnEncoder(value: unknown): string {
  if (typeof value !== 'string') return jsonOf(value)
  // A string for a JSON column is JSON text (as Postgres reads a text parameter for a json column).
  try {
    JSON.parse(value)
  } catch {
    refuse(
      value,
      'is not valid JSON text; a string for a JSON column is JSON text (pass JSON.stringify(value) for a JSON string)',
    )
  }
  return value
}

function intervalText(value: unknown): string {
  if (typeof value === 'string') return stringText(value)
  if (!isPlainObject(value))
    return refuse(value, 'cannot be an INTERVAL; pass { days: 1, … } or a string')
  const parts: string[] = []
  for (const key of Object.keys(value)) {
    const amount = value[key]
    if (amount === undefined) continue
    if (!(INTERVAL_FIELDS as readonly string[]).includes(key)) {
      refuse(
        value,
        `has the key ${JSON.stringify(key)}, which is not an INTERVAL field (${INTERVAL_FIELDS.join(', ')})`,
      )
    }
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      refuse(
        value,
        `has the field ${key} = ${String(amount)}; INTERVAL fields must be finite numbers`,
      )
    }
    parts.push(`${amount} ${key}`)
  }
  return JSON.stringify(parts.length === 0 ? '0 seconds' : parts.join(' '))
}

function integerEncoder(
  name: DuckDBScalarTypeName,
  range: readonly [bigint, bigint] | undefined,
): ValueEncoder {
  const inRange = (value: unknown, integer: bigint) => {
    if (range !== undefined && (integer < range[0] || integer > range[1])) {
      refuse(value, `${describe(value)}is out of ${name}'s range (${range[0]} to ${range[1]})`)
    }
  }
  return (value) => {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) {
        refuse(
          value,
          `${describe(value)}is not an integer; ${name} would not store it exactly (round it first)`,
        )
      }
      inRange(value, BigInt(value))
      return BigInt(value).toString()
    }
    if (typeof value === 'bigint') {
      inRange(value, value)
      return value.toString()
    }
    if (typeof value === 'string' && INTEGER_STRING.test(value)) {
      inRange(value, BigInt(value))
      return JSON.stringify(value)
    }
    return refuse(
      value,
      `${describe(value)}is not an integer; pass a number, bigint or string of digits`,
    )
  }
}

function decimalEncoder(spelling: string): ValueEncoder {
  const match = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(spelling)
  const width = match ? Number(match[1]) : 18
  const scale = match ? Number(match[2] ?? 0) : 3
  const type = `DECIMAL(${width},${scale})`
  const check = (value: unknown, text: string): string => {
    const digits = parsePostgresNumeric(text)
    if (digits === undefined || typeof digits === 'number') {
      return refuse(
        value,
        `${describe(value)}is not a finite decimal; ${type} holds no NaN or infinity`,
      )
    }
    const fraction = digits.fraction.replace(/0+$/, '')
    const integer = digits.integer.replace(/^0+/, '')
    if (fraction.length > scale) {
      refuse(
        value,
        `${describe(value)}has more than ${scale} decimal places; ${type} would round it (round it first)`,
      )
    }
    if (integer.length > width - scale) refuse(value, `${describe(value)}is out of ${type}'s range`)
    const plain = `${digits.negative && (integer !== '' || fraction !== '') ? '-' : ''}${integer || '0'}${fraction ? `.${fraction}` : ''}`
    return plain
  }
  return (value) => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) check(value, 'NaN')
      return JSON.stringify(check(value, String(value)))
    }
    // As strings: DuckDB's JSON reader would read a JSON number through a DOUBLE.
    if (typeof value === 'bigint') return JSON.stringify(check(value, value.toString()))
    if (typeof value === 'string' && DECIMAL_STRING.test(value))
      return JSON.stringify(check(value, value))
    return refuse(
      value,
      `${describe(value)}is not a decimal number; pass a number, bigint or decimal string`,
    )
  }
}

const FLOAT_MAX = 3.4028234663852886e38

function floatEncoder(name: 'FLOAT' | 'DOUBLE'): ValueEncoder {
  const inRange = (value: unknown, number: number) => {
    if (name === 'FLOAT' && Number.isFinite(number) && !Number.isFinite(Math.fround(number))) {
      refuse(
        value,
        `${describe(value)}is out of FLOAT's range (±${FLOAT_MAX}); use a DOUBLE column`,
      )
    }
  }
  return (value) => {
    if (typeof value === 'number') {
      inRange(value, value)
      return numberText(value)
    }
    if (typeof value === 'bigint') {
      const number = Number(value)
      if (BigInt(number) !== value)
        refuse(value, `${describe(value)}has more digits than a ${name} holds`)
      inRange(value, number)
      return numberText(number)
    }
    if (typeof value === 'string') {
      const number = parsePostgresFloat(value)
      if (number === undefined) refuse(value, 'is not a number')
      inRange(value, number!)
      return numberText(number!)
    }
    return refuse(value, `cannot be a ${name}; pass a number`)
  }
}
