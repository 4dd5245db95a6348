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
  DuckDBTypeId,
  DuckDBUUIDValue,
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
import {
  INFINITY_TEXT,
  MICROS_PER_DAY_BIGINT,
  MICROS_PER_SECOND_BIGINT,
  NEG_INFINITY_TEXT,
  POSTGRES_DATE_INFINITY_DAYS,
  POSTGRES_DATE_NEG_INFINITY_DAYS,
  POSTGRES_EPOCH_DAYS,
  POSTGRES_EPOCH_MICROS,
  POSTGRES_TIMESTAMP_INFINITY,
  POSTGRES_TIMESTAMP_NEG_INFINITY,
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
} from '../../types/calendar.js'
import { CLIENT_PARAMETER_TYPES, WIRE_TYPES, type WireTypeName } from '../../types/duckdb-types.js'
import {
  parsePostgresFloat,
  parsePostgresInteger,
  parsePostgresNumeric,
} from '../../types/postgres-number-text.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import { INTEGER_RANGES } from './integer-ranges.js'
import { type ArrayLiteral, parseArrayLiteral } from './postgres-array-literal.js'
import {
  decodeByteaText,
  invalidInput,
  outOfRange,
  type ParsedDateTime,
  POSTGRES_TYPE_NAMES,
  parseBooleanText,
  parseDateTimeText,
  parseIntervalText,
  parseTimeText,
  parseUuidText,
} from './postgres-input-text.js'
import { type TypedValue, typedList } from './typed-value.js'

/*
 * A parameter of a type the client declared in Parse (a Postgres type OID), in text or binary format,
 * as the DuckDB value to bind: the OID names a wire type of the type table (or a client-only type read
 * as one, such as varchar or jsonb), and the value is read as Postgres reads that type.
 */

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

// Text format

/** The DuckDB integer type each integer wire type binds as, for its range. */
const INTEGER_TYPE_IDS = {
  int2: DuckDBTypeId.SMALLINT,
  int4: DuckDBTypeId.INTEGER,
  int8: DuckDBTypeId.BIGINT,
} as const

function parseIntegerText(text: string, wire: 'int2' | 'int4' | 'int8'): bigint {
  const value = parsePostgresInteger(text)
  if (value === undefined) throw invalidInput(wire, text)
  const [min, max] = INTEGER_RANGES.get(INTEGER_TYPE_IDS[wire])!
  if (value < min || value > max) throw outOfRange(wire, text)
  return value
}

function parseFloatText(text: string, wire: 'float4' | 'float8'): number {
  const value = parsePostgresFloat(text)
  if (value === undefined) throw invalidInput(wire, text)
  return value
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
  const parsed = parsePostgresNumeric(text)
  if (parsed === undefined) throw invalidInput('numeric', text)
  // NaN and ±Infinity: DuckDB's DECIMAL has none, DOUBLE has them.
  if (typeof parsed === 'number') return { value: parsed, type: DOUBLE }
  return decimalValue(parsed.negative, parsed.integer, parsed.fraction, text)
}

function timestampMicros(parsed: ParsedDateTime, applyOffset: boolean): bigint {
  const local = BigInt(parsed.days) * MICROS_PER_DAY_BIGINT + BigInt(parsed.micros)
  return applyOffset && parsed.offset !== undefined
    ? local - BigInt(parsed.offset) * MICROS_PER_SECOND_BIGINT
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
    if (parsed === INFINITY_TEXT) return { value: DuckDBDateValue.PosInf, type: DATE }
    if (parsed === NEG_INFINITY_TEXT) return { value: DuckDBDateValue.NegInf, type: DATE }
    if (parsed.hasTime) return undefined
    return { value: new DuckDBDateValue(parsed.days), type: DATE }
  }
  const type = wire === 'timestamp' ? TIMESTAMP : TIMESTAMPTZ
  if (parsed === INFINITY_TEXT || parsed === NEG_INFINITY_TEXT) {
    const micros = parsed === INFINITY_TEXT ? TIMESTAMP_INFINITY : TIMESTAMP_NEG_INFINITY
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
      if (value === undefined) throw invalidInput(wire, text)
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

// Binary format

function expectLength(wire: WireTypeName, bytes: Buffer, length: number): void {
  if (bytes.length !== length) {
    throw new EndpointError(
      SqlState.InvalidBinaryRepresentation,
      `incorrect binary data format in bind parameter: ${POSTGRES_TYPE_NAMES[wire]} takes ${length} bytes, got ${bytes.length}`,
    )
  }
}

function binaryTimestamp(bytes: Buffer): bigint {
  const value = bytes.readBigInt64BE(0)
  if (value === POSTGRES_TIMESTAMP_INFINITY) return TIMESTAMP_INFINITY
  if (value === POSTGRES_TIMESTAMP_NEG_INFINITY) return TIMESTAMP_NEG_INFINITY
  return value + POSTGRES_EPOCH_MICROS
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
      if (days === POSTGRES_DATE_INFINITY_DAYS) return { value: DuckDBDateValue.PosInf, type: DATE }
      if (days === POSTGRES_DATE_NEG_INFINITY_DAYS)
        return { value: DuckDBDateValue.NegInf, type: DATE }
      return { value: new DuckDBDateValue(days + POSTGRES_EPOCH_DAYS), type: DATE }
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
        SqlState.FeatureNotSupported,
        `The local endpoint does not read ${POSTGRES_TYPE_NAMES[wire]} parameters in binary format.`,
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
