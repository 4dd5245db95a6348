import {
  BLOB,
  type DuckDBArrayType,
  DuckDBBlobValue,
  type DuckDBDecimalType,
  DuckDBDecimalValue,
  type DuckDBListType,
  type DuckDBType,
  DuckDBTypeId,
  LIST,
  listValue,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api'
import type { WireTypeName } from '../../types/duckdb-types.js'
import {
  parsePostgresFloat,
  parsePostgresInteger,
  parsePostgresNumeric,
} from '../../types/postgres-number-text.js'
import { isList } from '../encode/wire-column.js'
import {
  declaredTypeOf,
  decodeBinary,
  decodeBinaryArray,
  decodeText,
} from './declared-type-decoder.js'
import { INTEGER_RANGES } from './integer-ranges.js'
import { type ArrayLiteral, isArrayLiteral, parseArrayLiteral } from './postgres-array-literal.js'
import {
  decodeByteaText,
  parseBooleanText,
  parseDateTimeText,
  parseIntervalText,
} from './postgres-input-text.js'
import { type TypedValue, typedList, varchar } from './typed-value.js'

/*
 * A parameter the client sent without a type (OID 0: what `pg` sends), read as the type DuckDB
 * inferred for it. Binding that type spares DuckDB a rebind and covers the Postgres spellings DuckDB
 * reads differently; anything else binds as VARCHAR and DuckDB casts it.
 */

const DATE_TIME_TYPES = new Map<DuckDBTypeId, 'date' | 'timestamp' | 'timestamptz'>([
  [DuckDBTypeId.DATE, 'date'],
  [DuckDBTypeId.TIMESTAMP, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_S, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_MS, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_NS, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_TZ, 'timestamptz'],
])

/** Scaled integer of a numeric text (exponent applied) at exactly `scale` digits, if it has no more. */
function scaledDecimal(text: string, scale: number): bigint | undefined {
  const parsed = parsePostgresNumeric(text)
  if (parsed === undefined || typeof parsed === 'number' || parsed.fraction.length > scale)
    return undefined
  const scaled = BigInt(`${parsed.integer || '0'}${parsed.fraction.padEnd(scale, '0')}`)
  return parsed.negative ? -scaled : scaled
}

/**
 * Untyped text (what `pg` sends, OID 0) as a value of exactly the type DuckDB inferred for the
 * parameter, when the text is a plain spelling of one; undefined leaves the cast to DuckDB (VARCHAR).
 * Binding the inferred type spares DuckDB a rebind and covers the Postgres spellings DuckDB reads
 * differently: array literals (`{1,2}`) for lists, bytea text (`\x0102`) for BLOB, `on`/`off` for
 * BOOLEAN, ` BC` dates and timestamps, and Postgres interval output (`-3 days +04:00:00`).
 */
export function decodeAsInferredType(text: string, type: DuckDBType): TypedValue | undefined {
  const range = INTEGER_RANGES.get(type.typeId)
  if (range !== undefined) {
    const value = parsePostgresInteger(text)
    if (value === undefined || value < range[0] || value > range[1]) return undefined
    return { value: range[2] === 'number' ? Number(value) : value, type }
  }
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return varchar(text)
    case DuckDBTypeId.BOOLEAN: {
      const value = parseBooleanText(text)
      return value === undefined ? undefined : { value, type }
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE: {
      const value = parsePostgresFloat(text)
      return value === undefined ? undefined : { value, type }
    }
    case DuckDBTypeId.DECIMAL: {
      const decimal = type as DuckDBDecimalType
      const scaled = scaledDecimal(text, decimal.scale)
      if (scaled === undefined || (scaled < 0n ? -scaled : scaled) >= 10n ** BigInt(decimal.width))
        return undefined
      return { value: new DuckDBDecimalValue(scaled, decimal.width, decimal.scale), type }
    }
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const wire = DATE_TIME_TYPES.get(type.typeId)!
      if (parseDateTimeText(text) === undefined) return undefined
      const typed = decodeText(wire, Buffer.from(text, 'utf8'))
      return typed.type.typeId === type.typeId ? typed : undefined
    }
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      // DuckDB reads these itself, except BC, which it cannot read at all: bind a TIMESTAMP then.
      return /\bBC\s*$/i.test(text) ? decodeAsInferredType(text, TIMESTAMP) : undefined
    case DuckDBTypeId.TIME: {
      const typed = decodeText('time', Buffer.from(text, 'utf8'))
      return typed.type.typeId === DuckDBTypeId.TIME ? typed : undefined
    }
    case DuckDBTypeId.INTERVAL: {
      const interval = parseIntervalText(text)
      return interval === undefined ? undefined : { value: interval, type }
    }
    case DuckDBTypeId.UUID:
      return /^\s*\{?[0-9a-fA-F-]{32,36}\}?\s*$/.test(text)
        ? decodeText('uuid', Buffer.from(text, 'utf8'))
        : undefined
    case DuckDBTypeId.BLOB:
      return { value: new DuckDBBlobValue(decodeByteaText(Buffer.from(text, 'utf8'))), type }
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return isArrayLiteral(text)
        ? listValueOf(parseArrayLiteral(text), type as DuckDBListType | DuckDBArrayType)
        : undefined
    default:
      return undefined
  }
}

/**
 * An array literal for a LIST parameter: elements of the list's element type when every element reads
 * as one, else a VARCHAR list that DuckDB casts.
 */
function listValueOf(literal: ArrayLiteral, type: DuckDBListType | DuckDBArrayType): TypedValue {
  const element = type.valueType
  const nested = element.typeId === DuckDBTypeId.LIST || element.typeId === DuckDBTypeId.ARRAY
  const items = literal.map((item): TypedValue | null | undefined => {
    if (item === null) return null
    if (Array.isArray(item))
      return nested ? listValueOf(item, element as DuckDBListType | DuckDBArrayType) : undefined
    return decodeAsInferredType(item, element) ?? varchar(item)
  })
  if (items.every((item) => item !== undefined)) {
    const present = items.filter((item): item is TypedValue => item !== null)
    if (present.every((item) => item.type.typeId === element.typeId)) {
      return {
        value: listValue(items.map((item) => (item === null ? null : item!.value))),
        type: LIST(nested ? (present[0]?.type ?? element) : element),
      }
    }
  }
  return typedList(
    literal.map((item) =>
      item === null ? null : varchar(Array.isArray(item) ? JSON.stringify(item) : item),
    ),
    VARCHAR,
  )
}

/**
 * The wire type of each inferred DuckDB type, as ParameterDescription announces it (asyncpg and
 * Npgsql send the binary form of exactly that type); DuckDB casts the value to the inferred width.
 */
const BINARY_WIRE_TYPES = new Map<DuckDBTypeId, WireTypeName>([
  [DuckDBTypeId.BOOLEAN, 'bool'],
  [DuckDBTypeId.TINYINT, 'int2'],
  [DuckDBTypeId.UTINYINT, 'int2'],
  [DuckDBTypeId.SMALLINT, 'int2'],
  [DuckDBTypeId.USMALLINT, 'int4'],
  [DuckDBTypeId.INTEGER, 'int4'],
  [DuckDBTypeId.UINTEGER, 'int8'],
  [DuckDBTypeId.BIGINT, 'int8'],
  [DuckDBTypeId.UBIGINT, 'numeric'],
  [DuckDBTypeId.HUGEINT, 'numeric'],
  [DuckDBTypeId.UHUGEINT, 'numeric'],
  [DuckDBTypeId.DECIMAL, 'numeric'],
  [DuckDBTypeId.TIME_TZ, 'timetz'],
  [DuckDBTypeId.TIMESTAMP_S, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_MS, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_NS, 'timestamp'],
  [DuckDBTypeId.FLOAT, 'float4'],
  [DuckDBTypeId.DOUBLE, 'float8'],
  [DuckDBTypeId.VARCHAR, 'text'],
  [DuckDBTypeId.DATE, 'date'],
  [DuckDBTypeId.TIME, 'time'],
  [DuckDBTypeId.TIMESTAMP, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_TZ, 'timestamptz'],
  [DuckDBTypeId.INTERVAL, 'interval'],
  [DuckDBTypeId.UUID, 'uuid'],
])

/**
 * A binary parameter without a declared type: Postgres reads it as the type it infers, and so does
 * the endpoint. `pg` sends every Buffer this way, so anything else (BLOB, or no inferred type) is bytes.
 */
export function decodeUntypedBinary(type: DuckDBType | undefined, bytes: Buffer): TypedValue {
  const wire = type === undefined ? undefined : BINARY_WIRE_TYPES.get(type.typeId)
  if (wire !== undefined) return decodeBinary(wire, bytes)
  if (type !== undefined && isList(type)) {
    const element = binaryArrayElement(type, bytes)
    if (element !== undefined) return decodeBinaryArray(element.wire, bytes, element.jsonb)
  }
  return { value: new DuckDBBlobValue(Uint8Array.from(bytes)), type: BLOB }
}

/** Binary array header: dimensions, has-nulls flag, element type OID. */
const ARRAY_HEADER_BYTES = 12

/**
 * How the elements of a binary array for a LIST parameter are read: as the element type the array's
 * header names (asyncpg writes `26` in an `oid[]`, `23` in an `int4[]`), else as the list's inferred
 * element type.
 */
function binaryArrayElement(
  type: DuckDBListType | DuckDBArrayType,
  bytes: Buffer,
): { wire: WireTypeName; jsonb: boolean } | undefined {
  if (bytes.length < ARRAY_HEADER_BYTES) return undefined
  const declared = declaredTypeOf(bytes.readUInt32BE(8))
  if (declared !== undefined && !declared.array) return declared
  const wire = BINARY_WIRE_TYPES.get(type.valueType.typeId)
  return wire === undefined ? undefined : { wire, jsonb: false }
}
