/*
 * DuckDB values as JSON text, for the values the endpoint sends as `json` (STRUCT, MAP, UNION, VARIANT,
 * lists of non-scalars): the shape of DuckDB's `to_json`. Not to be confused with
 * src/sql/json-value-text.ts, which writes JavaScript values (the client's parameters) as JSON.
 */
import {
  DuckDBDecimalValue as DecimalValueClass,
  type DuckDBArrayType,
  DuckDBArrayValue,
  DuckDBBitValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  type DuckDBDecimalValue,
  DuckDBGeometryValue,
  DuckDBIntervalValue,
  type DuckDBListType,
  DuckDBListValue,
  type DuckDBMapType,
  DuckDBMapValue,
  type DuckDBStructType,
  DuckDBStructValue,
  DuckDBTimeNSValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeTZValue,
  DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBUnionType,
  DuckDBUnionValue,
  DuckDBUUIDValue,
  type DuckDBValue,
  DuckDBVariantValue,
} from '@duckdb/node-api'
import {
  duckdbDate,
  duckdbInterval,
  duckdbTime,
  duckdbTimestamp,
  duckdbTimeTz,
} from './duckdb-text-format.js'
import { formatDecimal, formatFloat } from './postgres-text-format.js'
import { wkbToWkt } from './wkb-to-wkt.js'

/** Writes one non-null value as JSON text. */
export type JsonWriter = (value: DuckDBValue) => string

const quote = JSON.stringify as (text: string) => string

/**
 * A DOUBLE as DuckDB's `to_json` writes it: digits, `-0.0` for −0, and the bare words `NaN`, `Infinity`,
 * `-Infinity`, which standard JSON lacks; the dialect's JSON parser reads them back as the same numbers
 * (strings would come back as strings, and `0` as +0).
 */
function jsonNumber(value: number): string {
  if (Number.isFinite(value)) return Object.is(value, -0) ? '-0.0' : String(value)
  return String(value)
}

/** Whether a DuckDB type is the JSON type (VARCHAR with the alias `JSON`). */
export function isJsonType(type: DuckDBType): boolean {
  return type.typeId === DuckDBTypeId.VARCHAR && type.alias === 'JSON'
}

/**
 * The JSON writer for values of `type`, giving DuckDB's `to_json` shape: STRUCT → object,
 * MAP → object keyed by the keys' text, UNION → `{"tag": value}`, LIST/ARRAY → array, numbers
 * (HUGEINT, DECIMAL… with every digit) → JSON numbers, JSON → embedded as is, and temporal values,
 * UUID, BLOB, BIT and INTERVAL → strings in DuckDB's own text form.
 */
export function jsonWriterFor(type: DuckDBType): JsonWriter {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (value) => (value ? 'true' : 'false')
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return (value) => String(value)
    case DuckDBTypeId.FLOAT:
      return (value) => formatFloat(value as number)
    case DuckDBTypeId.DOUBLE:
      return (value) => jsonNumber(value as number)
    case DuckDBTypeId.DECIMAL:
      return (value) => {
        const decimal = value as DuckDBDecimalValue
        return formatDecimal(decimal.value, decimal.scale)
      }
    case DuckDBTypeId.VARCHAR:
      if (isJsonType(type)) return (value) => value as string
      return (value) => quote(value as string)
    case DuckDBTypeId.ENUM:
      return (value) => quote(value as string)
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const element = jsonWriterFor((type as DuckDBListType | DuckDBArrayType).valueType)
      return (value) => {
        const items = (value as DuckDBListValue | DuckDBArrayValue).items
        let text = '['
        for (let i = 0; i < items.length; i++) {
          if (i > 0) text += ','
          const item = items[i]
          text += item === null || item === undefined ? 'null' : element(item)
        }
        return `${text}]`
      }
    }
    case DuckDBTypeId.STRUCT: {
      const struct = type as DuckDBStructType
      const names = struct.entryNames
      const keys = names.map((name) => quote(name))
      const writers = struct.entryTypes.map((entry) => jsonWriterFor(entry))
      return (value) => {
        const entries = (value as DuckDBStructValue).entries
        let text = '{'
        for (let i = 0; i < names.length; i++) {
          if (i > 0) text += ','
          const entry = entries[names[i]!]
          text += `${keys[i]}:${entry === null || entry === undefined ? 'null' : writers[i]!(entry)}`
        }
        return `${text}}`
      }
    }
    case DuckDBTypeId.MAP: {
      const map = type as DuckDBMapType
      const keyText = mapKeyTextFor(map.keyType)
      const writer = jsonWriterFor(map.valueType)
      return (value) => {
        const entries = (value as DuckDBMapValue).entries
        let text = '{'
        for (let i = 0; i < entries.length; i++) {
          if (i > 0) text += ','
          const entry = entries[i]!
          const key = entry.key === null ? 'NULL' : keyText(entry.key)
          text += `${quote(key)}:${entry.value === null ? 'null' : writer(entry.value)}`
        }
        return `${text}}`
      }
    }
    case DuckDBTypeId.UNION: {
      const union = type as DuckDBUnionType
      const writers = new Map(
        union.memberTags.map((tag, i) => [tag, jsonWriterFor(union.memberTypes[i]!)] as const),
      )
      return (value) => {
        const { tag, value: member } = value as DuckDBUnionValue
        const writer = writers.get(tag) ?? writeUntypedJson
        return `{${quote(tag)}:${member === null ? 'null' : writer(member)}}`
      }
    }
    case DuckDBTypeId.VARIANT:
      return writeUntypedJson
    default: {
      const text = duckdbTextFor(type)
      return (value) => quote(text(value))
    }
  }
}

/** DuckDB's `CAST(x AS VARCHAR)` text of a non-null value of a scalar type (used for JSON strings). */
function duckdbTextFor(type: DuckDBType): (value: DuckDBValue) => string {
  switch (type.typeId) {
    case DuckDBTypeId.DATE:
      return (value) => duckdbDate((value as DuckDBDateValue).days)
    case DuckDBTypeId.TIME:
      return (value) => duckdbTime((value as DuckDBTimeValue).micros)
    case DuckDBTypeId.TIME_NS:
      return (value) => duckdbTime((value as DuckDBTimeNSValue).nanos, true)
    case DuckDBTypeId.TIME_TZ:
      return (value) => {
        const time = value as DuckDBTimeTZValue
        return duckdbTimeTz(time.micros, time.offset)
      }
    case DuckDBTypeId.TIMESTAMP:
      return (value) => duckdbTimestamp((value as DuckDBTimestampValue).micros, 'us')
    case DuckDBTypeId.TIMESTAMP_S:
      return (value) => duckdbTimestamp((value as DuckDBTimestampSecondsValue).seconds, 's')
    case DuckDBTypeId.TIMESTAMP_MS:
      return (value) => duckdbTimestamp((value as DuckDBTimestampMillisecondsValue).millis, 'ms')
    case DuckDBTypeId.TIMESTAMP_NS:
      return (value) => duckdbTimestamp((value as DuckDBTimestampNanosecondsValue).nanos, 'ns')
    case DuckDBTypeId.TIMESTAMP_TZ:
      // The endpoint's sessions run with TimeZone UTC.
      return (value) => duckdbTimestamp((value as DuckDBTimestampTZValue).micros, 'us', '+00')
    case DuckDBTypeId.INTERVAL:
      return (value) => {
        const interval = value as DuckDBIntervalValue
        return duckdbInterval(interval.months, interval.days, interval.micros)
      }
    case DuckDBTypeId.GEOMETRY:
      return (value) => wkbToWkt((value as DuckDBGeometryValue).bytes)
    case DuckDBTypeId.FLOAT:
      return (value) => formatFloat(value as number)
    case DuckDBTypeId.DECIMAL:
      return (value) => {
        const decimal = value as DuckDBDecimalValue
        return formatDecimal(decimal.value, decimal.scale)
      }
    default:
      return (value) => String(value)
  }
}

/** MAP keys become JSON object keys: DuckDB's text of the key (`1`, `2024-01-01`, `[1, 2]`). */
function mapKeyTextFor(type: DuckDBType): (value: DuckDBValue) => string {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
      return (value) => value as string
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
      return (value) => String(value)
    default:
      return duckdbTextFor(type)
  }
}

/** A value whose type is only known at run time (a VARIANT's content without a recorded type). */
export function writeUntypedJson(value: DuckDBValue): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      return jsonNumber(value)
    case 'bigint':
      return String(value)
    case 'string':
      return quote(value)
  }
  if (value instanceof DuckDBVariantValue) {
    if (value.value === null) return 'null'
    return value.type === undefined
      ? writeUntypedJson(value.value)
      : jsonWriterFor(value.type)(value.value)
  }
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue)
    return `[${value.items.map(writeUntypedJson).join(',')}]`
  if (value instanceof DuckDBStructValue)
    return `{${Object.entries(value.entries)
      .map(([key, entry]) => `${quote(key)}:${writeUntypedJson(entry)}`)
      .join(',')}}`
  if (value instanceof DuckDBMapValue)
    return `{${value.entries
      .map(({ key, value: entry }) => `${quote(String(key))}:${writeUntypedJson(entry)}`)
      .join(',')}}`
  if (value instanceof DuckDBUnionValue)
    return `{${quote(value.tag)}:${writeUntypedJson(value.value)}}`
  if (value instanceof DecimalValueClass) return formatDecimal(value.value, value.scale)
  if (value instanceof DuckDBDateValue) return quote(duckdbDate(value.days))
  if (value instanceof DuckDBTimestampTZValue)
    return quote(duckdbTimestamp(value.micros, 'us', '+00'))
  if (value instanceof DuckDBTimestampValue) return quote(duckdbTimestamp(value.micros, 'us'))
  if (value instanceof DuckDBTimestampSecondsValue)
    return quote(duckdbTimestamp(value.seconds, 's'))
  if (value instanceof DuckDBTimestampMillisecondsValue)
    return quote(duckdbTimestamp(value.millis, 'ms'))
  if (value instanceof DuckDBTimestampNanosecondsValue)
    return quote(duckdbTimestamp(value.nanos, 'ns'))
  if (value instanceof DuckDBTimeValue) return quote(duckdbTime(value.micros))
  if (value instanceof DuckDBTimeNSValue) return quote(duckdbTime(value.nanos, true))
  if (value instanceof DuckDBTimeTZValue) return quote(duckdbTimeTz(value.micros, value.offset))
  if (value instanceof DuckDBIntervalValue)
    return quote(duckdbInterval(value.months, value.days, value.micros))
  if (value instanceof DuckDBGeometryValue) return quote(wkbToWkt(value.bytes))
  if (
    value instanceof DuckDBBlobValue ||
    value instanceof DuckDBUUIDValue ||
    value instanceof DuckDBBitValue
  )
    return quote(value.toString())
  return quote(String(value))
}
