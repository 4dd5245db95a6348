import {
  type DuckDBArrayType,
  type DuckDBArrayValue,
  type DuckDBBitValue,
  type DuckDBBlobValue,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
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
} from '@duckdb/node-api'
import {
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
  timestampMicros,
} from '../../types/calendar.js'
import { CLIENT_PARAMETER_TYPES, wireTypeOfScalar } from '../../types/duckdb-types.js'
import { isOidType } from '../catalog/oid-types.js'
import { SqlState } from '../errors/sql-state.js'
import type { EncodedColumn } from '../protocol/encoded-column.js'
import { type ColumnBytesEncoder, int64BytesColumn } from './column-bytes-encoder.js'
import {
  UnencodableValueError,
  writeArray,
  writeBytes,
  writeDate,
  writeFloat4,
  writeFloat8,
  writeInt16,
  writeInt32,
  writeInt64,
  writeInterval,
  writeNumeric,
  writeOid,
  writeTime,
  writeTimestamp,
  writeTimeTz,
  writeUtf8,
  writeUuid,
  writeVarbit,
} from './postgres-binary-format.js'
import type { TextOf } from './postgres-text-value.js'
import { isValid, rawNumbers } from './vector-internals.js'
import { scalarTypeNameOf } from './wire-column.js'

const OID_OID = CLIENT_PARAMETER_TYPES.oid.oid

/** Writes one non-null value's binary form at `at`; returns the offset after it. */
type BinaryOf = (out: EncodedColumn, at: number, value: DuckDBValue) => number

/** Nanoseconds that Postgres' microsecond binary formats cannot carry: refused, never rounded. */
function nanosecondsLost(type: string): UnencodableValueError {
  return new UnencodableValueError(
    SqlState.FeatureNotSupported,
    `a ${type} value has nanoseconds, which Postgres' binary format (microseconds) cannot carry`,
    'Request this column in text format (format code 0), which keeps all nine digits, or cast it to a microsecond type.',
  )
}

/** Microseconds of a TIMESTAMP_NS / TIME_NS value in nanoseconds, when exact (infinities pass). */
function exactMicros(nanos: bigint, type: string): bigint {
  if (nanos === TIMESTAMP_INFINITY || nanos === TIMESTAMP_NEG_INFINITY) return nanos
  if (nanos % 1_000n !== 0n) throw nanosecondsLost(type)
  return nanos / 1_000n
}

/**
 * Postgres' binary form of one non-null value of `type`, as its wire type (the type table's) sends
 * it. Types whose binary form is their text (text, varchar, json, and what travels as json or text:
 * ENUM, GEOMETRY, VARIANT, STRUCT, MAP, UNION, nested lists) write `textFor(type)`'s UTF-8.
 */
export function postgresBinaryFor(
  type: DuckDBType,
  textFor: (type: DuckDBType) => TextOf,
): BinaryOf {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (out, at, value) => {
        out.reserveAt(at, 1)[at] = value ? 1 : 0
        return at + 1
      }
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return (out, at, value) => writeInt16(out, at, value as number)
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return (out, at, value) => writeInt32(out, at, value as number)
    case DuckDBTypeId.UINTEGER:
      if (isOidType(type)) return (out, at, value) => writeOid(out, at, value as number)
      return (out, at, value) => writeInt64(out, at, value as bigint | number)
    case DuckDBTypeId.BIGINT:
      return (out, at, value) => writeInt64(out, at, value as bigint | number)
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return (out, at, value) => writeNumeric(out, at, value as bigint, 0)
    case DuckDBTypeId.DECIMAL:
      return (out, at, value) => {
        const decimal = value as DuckDBDecimalValue
        return writeNumeric(out, at, decimal.value, decimal.scale)
      }
    case DuckDBTypeId.FLOAT:
      return (out, at, value) => writeFloat4(out, at, value as number)
    case DuckDBTypeId.DOUBLE:
      return (out, at, value) => writeFloat8(out, at, value as number)
    case DuckDBTypeId.BLOB:
      return (out, at, value) => writeBytes(out, at, (value as DuckDBBlobValue).bytes)
    case DuckDBTypeId.BIT:
      return (out, at, value) => writeVarbit(out, at, (value as DuckDBBitValue).toBools())
    case DuckDBTypeId.UUID:
      return (out, at, value) => writeUuid(out, at, (value as DuckDBUUIDValue).toUint128())
    case DuckDBTypeId.DATE:
      return (out, at, value) => writeDate(out, at, (value as DuckDBDateValue).days)
    case DuckDBTypeId.TIME:
      return (out, at, value) => writeTime(out, at, (value as DuckDBTimeValue).micros)
    case DuckDBTypeId.TIME_NS:
      return (out, at, value) =>
        writeTime(out, at, exactMicros((value as DuckDBTimeNSValue).nanos, 'TIME_NS'))
    case DuckDBTypeId.TIME_TZ:
      return (out, at, value) => {
        const time = value as DuckDBTimeTZValue
        return writeTimeTz(out, at, time.micros, time.offset)
      }
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (out, at, value) =>
        writeTimestamp(out, at, (value as DuckDBTimestampValue | DuckDBTimestampTZValue).micros)
    case DuckDBTypeId.TIMESTAMP_S:
      return (out, at, value) =>
        writeTimestamp(
          out,
          at,
          timestampMicros((value as DuckDBTimestampSecondsValue).seconds, 's'),
        )
    case DuckDBTypeId.TIMESTAMP_MS:
      return (out, at, value) =>
        writeTimestamp(
          out,
          at,
          timestampMicros((value as DuckDBTimestampMillisecondsValue).millis, 'ms'),
        )
    case DuckDBTypeId.TIMESTAMP_NS:
      return (out, at, value) =>
        writeTimestamp(
          out,
          at,
          exactMicros((value as DuckDBTimestampNanosecondsValue).nanos, 'TIMESTAMP_NS'),
        )
    case DuckDBTypeId.INTERVAL:
      return (out, at, value) => {
        const interval = value as DuckDBIntervalValue
        return writeInterval(out, at, interval.months, interval.days, interval.micros)
      }
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const elementType = (type as DuckDBListType | DuckDBArrayType).valueType
      const element = scalarTypeNameOf(elementType)
      if (element === undefined) break
      const elementOid = isOidType(elementType) ? OID_OID : wireTypeOfScalar(element).oid
      const writeElement = postgresBinaryFor(elementType, textFor)
      return (out, at, value) =>
        writeArray(
          out,
          at,
          elementOid,
          (value as DuckDBListValue | DuckDBArrayValue).items,
          writeElement,
        )
    }
  }
  const text = textFor(type)
  return (out, at, value) => writeUtf8(out, at, text(value))
}

/** Every row through getItem, each non-null value written by `binary`. */
function genericBinaryColumn(binary: BinaryOf): ColumnBytesEncoder {
  return (vector, rowCount, out) => {
    for (let row = 0; row < rowCount; row++) {
      const value = vector.getItem(row)
      if (value === null) out.null()
      else out.finish(binary(out, out.end, value))
    }
  }
}

/**
 * Integers, floats and dates straight from the vector's typed array (`write` gets the raw value: a
 * DATE's days), else through getItem.
 */
function fixedWidthBinaryColumn(
  write: (out: EncodedColumn, at: number, value: number) => number,
  fallback: ColumnBytesEncoder,
): ColumnBytesEncoder {
  return (vector, rowCount, out) => {
    const raw = rawNumbers(vector, rowCount)
    if (raw === undefined) {
      fallback(vector, rowCount, out)
      return
    }
    const { items, validity } = raw
    for (let row = 0; row < rowCount; row++) {
      if (isValid(validity, row)) out.finish(write(out, out.end, items[row]!))
      else out.null()
    }
  }
}

/** A whole value of an int64 column (see int64BytesColumn) through a binary writer. */
function int64Binary(
  write: (out: EncodedColumn, at: number, value: number | bigint) => number,
): (out: EncodedColumn, value: number | bigint) => void {
  return (out, value) => out.finish(write(out, out.end, value))
}

/**
 * The binary encoder of a column of `type`: fixed-width types from the vector's memory, the others
 * value by value (see {@link postgresBinaryFor}).
 */
export function binaryColumnEncoderFor(
  type: DuckDBType,
  textFor: (type: DuckDBType) => TextOf,
): ColumnBytesEncoder {
  const generic = genericBinaryColumn(postgresBinaryFor(type, textFor))
  switch (type.typeId) {
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return fixedWidthBinaryColumn(writeInt16, generic)
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return fixedWidthBinaryColumn(writeInt32, generic)
    case DuckDBTypeId.UINTEGER:
      return fixedWidthBinaryColumn(isOidType(type) ? writeOid : writeInt64, generic)
    case DuckDBTypeId.FLOAT:
      return fixedWidthBinaryColumn(writeFloat4, generic)
    case DuckDBTypeId.DOUBLE:
      return fixedWidthBinaryColumn(writeFloat8, generic)
    case DuckDBTypeId.DATE:
      return fixedWidthBinaryColumn(writeDate, generic)
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.TIME:
      return int64BytesColumn(int64Binary(writeInt64), int64Binary(writeInt64))
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return int64BytesColumn(int64Binary(writeTimestamp), int64Binary(writeTimestamp))
    default:
      return generic
  }
}
