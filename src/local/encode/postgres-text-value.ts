import {
  type DuckDBArrayType,
  type DuckDBArrayValue,
  type DuckDBBitValue,
  type DuckDBBlobValue,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBGeometryValue,
  type DuckDBIntervalValue,
  type DuckDBListType,
  type DuckDBListValue,
  type DuckDBTimeNSValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  type DuckDBTimeTZValue,
  type DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBUUIDValue,
  type DuckDBValue,
  type DuckDBVariantValue,
} from '@duckdb/node-api'
import { timestampMicros } from '../../types/calendar.js'
import { jsonWriterFor, writeUntypedJson } from './duckdb-json-writer.js'
import {
  formatArray,
  formatBytea,
  formatDate,
  formatDecimal,
  formatDouble,
  formatFloat,
  formatInterval,
  formatOffset,
  formatTimeOfDay,
  formatTimeOfDayNanos,
  formatTimestampNanos,
  TimestampFormatter,
  ZonedTimestampFormatter,
} from './postgres-text-format.js'
import type { TimeZoneOffsets } from './time-zone-offsets.js'
import { scalarTypeNameOf } from './wire-column.js'
import { wkbToWkt } from './wkb-to-wkt.js'

/** Postgres text of one non-null value. */
export type TextOf = (value: DuckDBValue) => string

/**
 * The Postgres text of one non-null value of `type` (a scalar or a LIST/ARRAY of scalars), as the
 * type's wire type announces it. Nested types that travel as json use {@link jsonWriterFor}.
 * TIMESTAMPTZ is written in `zone` (the session's TimeZone; UTC, `+00`, when undefined).
 */
export function postgresTextFor(type: DuckDBType, zone?: TimeZoneOffsets): TextOf {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (value) => (value ? 't' : 'f')
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
      return (value) => formatDouble(value as number)
    case DuckDBTypeId.DECIMAL:
      return (value) => {
        const decimal = value as DuckDBDecimalValue
        return formatDecimal(decimal.value, decimal.scale)
      }
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
      return (value) => value as string
    case DuckDBTypeId.BLOB:
      return (value) => formatBytea((value as DuckDBBlobValue).bytes)
    case DuckDBTypeId.BIT:
      return (value) => (value as DuckDBBitValue).toString()
    case DuckDBTypeId.UUID:
      return (value) => (value as DuckDBUUIDValue).toString()
    case DuckDBTypeId.DATE:
      return (value) => formatDate((value as DuckDBDateValue).days)
    case DuckDBTypeId.TIME:
      return (value) => formatTimeOfDay(Number((value as DuckDBTimeValue).micros))
    case DuckDBTypeId.TIME_NS:
      return (value) => formatTimeOfDayNanos(Number((value as DuckDBTimeNSValue).nanos))
    case DuckDBTypeId.TIME_TZ:
      return (value) => {
        const time = value as DuckDBTimeTZValue
        return `${formatTimeOfDay(Number(time.micros))}${formatOffset(time.offset)}`
      }
    case DuckDBTypeId.TIMESTAMP: {
      const formatter = new TimestampFormatter('')
      return (value) => formatter.format((value as DuckDBTimestampValue).micros)
    }
    case DuckDBTypeId.TIMESTAMP_S: {
      const formatter = new TimestampFormatter('')
      return (value) =>
        formatter.format(timestampMicros((value as DuckDBTimestampSecondsValue).seconds, 's'))
    }
    case DuckDBTypeId.TIMESTAMP_MS: {
      const formatter = new TimestampFormatter('')
      return (value) =>
        formatter.format(timestampMicros((value as DuckDBTimestampMillisecondsValue).millis, 'ms'))
    }
    case DuckDBTypeId.TIMESTAMP_NS:
      return (value) => formatTimestampNanos((value as DuckDBTimestampNanosecondsValue).nanos)
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const formatter =
        zone === undefined ? new TimestampFormatter('+00') : new ZonedTimestampFormatter(zone)
      return (value) => formatter.format((value as DuckDBTimestampTZValue).micros)
    }
    case DuckDBTypeId.INTERVAL:
      return (value) => {
        const interval = value as DuckDBIntervalValue
        return formatInterval(interval.months, interval.days, interval.micros)
      }
    case DuckDBTypeId.GEOMETRY:
      return (value) => wkbToWkt((value as DuckDBGeometryValue).bytes)
    case DuckDBTypeId.VARIANT:
      return (value) => writeUntypedJson(value as DuckDBVariantValue)
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const listType = type as DuckDBListType | DuckDBArrayType
      if (scalarTypeNameOf(listType.valueType) === undefined) return jsonWriterFor(type)
      const element = postgresTextFor(listType.valueType, zone)
      return (value) => {
        const items = (value as DuckDBListValue | DuckDBArrayValue).items
        const texts: (string | null)[] = new Array(items.length)
        for (let i = 0; i < items.length; i++) {
          const item = items[i]
          texts[i] = item === null || item === undefined ? null : element(item)
        }
        return formatArray(texts)
      }
    }
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
      return jsonWriterFor(type)
    default:
      return (value) => String(value)
  }
}
