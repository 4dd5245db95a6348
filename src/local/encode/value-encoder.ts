import {
  type DuckDBArrayType,
  type DuckDBArrayValue,
  type DuckDBBitValue,
  type DuckDBBlobValue,
  type DuckDBDataChunk,
  type DuckDBDateValue,
  type DuckDBDecimalType,
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
  type DuckDBVector,
} from '@duckdb/node-api'
import { timestampMicros } from '../../types/calendar.js'
import {
  DUCKDB_SCALAR_TYPES,
  type DuckDBScalarTypeName,
  WIRE_TYPES,
  wireTypeOfList,
  wireTypeOfScalar,
} from '../../types/duckdb-types.js'
import { isJsonType, jsonWriterFor, writeUntypedJson } from './duckdb-json-writer.js'
import './keep-byte-order-marks.js'
import { EncodedColumn } from '../protocol/encoded-column.js'
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
  TimestampFormatter,
} from './postgres-text-format.js'
import { TimestampBytesWriter } from './timestamp-bytes.js'
import {
  inlineAsciiString,
  isValid,
  rawItems,
  rawStrings,
  rawValidity,
} from './vector-internals.js'
import { wkbToWkt } from './wkb-to-wkt.js'

/** One RowDescription field. */
export interface WireColumn {
  readonly name: string
  /** The wire type's OID, from the type table. */
  readonly oid: number
  /** Postgres' typlen: bytes of the binary form, -1 for variable length. */
  readonly typeSize: number
  /** numeric(p, s) carries `((p << 16) | s) + 4`; -1 otherwise. */
  readonly typeModifier: number
}

/** Encodes the chunks of one result in Postgres' text format; see {@link createResultEncoder}. */
export interface ResultEncoder {
  readonly columns: readonly WireColumn[]
  /** Text-format values of one chunk, column-major: result[column][row]; null = SQL NULL. */
  encodeChunk(chunk: DuckDBDataChunk): (string | null)[][]
  /**
   * The same values as UTF-8 bytes ready for DataRow, one EncodedColumn per column. The columns are
   * reused: the next call overwrites them.
   */
  encodeChunkBytes(chunk: DuckDBDataChunk): readonly EncodedColumn[]
  /** `encodeChunkBytes` of rows `start … start + count - 1` only (a window of a large chunk). */
  encodeRowsBytes(chunk: DuckDBDataChunk, start: number, count: number): readonly EncodedColumn[]
}

/** Encodes one column of a chunk into wire bytes. */
type ColumnBytesEncoder = (vector: DuckDBVector, rowCount: number, out: EncodedColumn) => void

/** Encodes one column of a chunk. */
type ColumnEncoder = (vector: DuckDBVector, rowCount: number) => (string | null)[]

/** Postgres text of one non-null value. */
type TextOf = (value: DuckDBValue) => string

/** The table's scalar type for a DuckDB type (the JSON alias included), if it is a scalar. */
export function scalarTypeNameOf(type: DuckDBType): DuckDBScalarTypeName | undefined {
  if (isJsonType(type)) return 'JSON'
  const name = DuckDBTypeId[type.typeId]
  return name !== undefined && Object.hasOwn(DUCKDB_SCALAR_TYPES, name)
    ? (name as DuckDBScalarTypeName)
    : undefined
}

function isList(type: DuckDBType): type is DuckDBListType | DuckDBArrayType {
  return type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY
}

/** How a DuckDB type is announced on the wire: OID, typlen and type modifier, from the type table. */
export function wireColumnOf(name: string, type: DuckDBType): WireColumn {
  const scalar = scalarTypeNameOf(type)
  if (scalar !== undefined) {
    const wire = wireTypeOfScalar(scalar)
    return {
      name,
      oid: wire.oid,
      typeSize: WIRE_TYPES[wire.name].size,
      typeModifier: typeModifierOf(type),
    }
  }
  if (isList(type)) {
    const element = scalarTypeNameOf(type.valueType)
    return {
      name,
      oid: wireTypeOfList(element).oid,
      typeSize: -1,
      typeModifier: element === undefined ? -1 : typeModifierOf(type.valueType),
    }
  }
  if (
    type.typeId === DuckDBTypeId.STRUCT ||
    type.typeId === DuckDBTypeId.MAP ||
    type.typeId === DuckDBTypeId.UNION
  ) {
    return { name, oid: WIRE_TYPES.json.oid, typeSize: -1, typeModifier: -1 }
  }
  // SQLNULL and anything DuckDB may add later travel as text.
  return { name, oid: WIRE_TYPES.text.oid, typeSize: -1, typeModifier: -1 }
}

/** numeric(p, s) announces `((p << 16) | s) + 4`, as Postgres does. */
function typeModifierOf(type: DuckDBType): number {
  if (type.typeId !== DuckDBTypeId.DECIMAL) return -1
  const decimal = type as DuckDBDecimalType
  return ((decimal.width << 16) | decimal.scale) + 4
}

/**
 * The Postgres text of one non-null value of `type` (a scalar or a LIST/ARRAY of scalars), as the
 * type's wire type announces it. Nested types that travel as json use {@link jsonWriterFor}.
 */
export function postgresTextFor(type: DuckDBType): TextOf {
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
      return (value) => formatTimeOfDay(Number((value as DuckDBTimeNSValue).nanos / 1_000n))
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
    case DuckDBTypeId.TIMESTAMP_NS: {
      const formatter = new TimestampFormatter('')
      return (value) =>
        formatter.format(timestampMicros((value as DuckDBTimestampNanosecondsValue).nanos, 'ns'))
    }
    case DuckDBTypeId.TIMESTAMP_TZ: {
      // Every timestamptz is written as the same instant at offset +00, whatever the session's TimeZone.
      const formatter = new TimestampFormatter('+00')
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
      const element = postgresTextFor(listType.valueType)
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

function genericColumn(text: TextOf): ColumnEncoder {
  return (vector, rowCount) => {
    const out: (string | null)[] = new Array(rowCount)
    for (let row = 0; row < rowCount; row++) {
      const value = vector.getItem(row)
      out[row] = value === null ? null : text(value)
    }
    return out
  }
}

function stringColumn(vector: DuckDBVector, rowCount: number): (string | null)[] {
  const out: (string | null)[] = new Array(rowCount)
  const view = rawStrings(vector, rowCount)
  const validity = view === undefined ? undefined : rawValidity(vector)
  if (view === undefined || validity === undefined) {
    for (let row = 0; row < rowCount; row++) out[row] = vector.getItem(row) as string | null
    return out
  }
  for (let row = 0; row < rowCount; row++) {
    if (!isValid(validity, row)) out[row] = null
    else out[row] = inlineAsciiString(view, row * 16) ?? (vector.getItem(row) as string)
  }
  return out
}

/**
 * Integers, floats and dates from the vector's typed array, `text` formatting each value; on the
 * getItem path, `fromItem` turns the item into the raw value (a DATE item into its days).
 */
function fixedWidthColumn(
  text: (value: number | bigint) => string,
  fromItem: (item: DuckDBValue) => number | bigint = (item) => item as number | bigint,
): ColumnEncoder {
  return (vector, rowCount) => {
    const out: (string | null)[] = new Array(rowCount)
    const items = rawItems(vector, rowCount)
    const validity = items === undefined ? undefined : rawValidity(vector)
    if (items === undefined || validity === undefined) {
      for (let row = 0; row < rowCount; row++) {
        const item = vector.getItem(row)
        out[row] = item === null ? null : text(fromItem(item))
      }
      return out
    }
    for (let row = 0; row < rowCount; row++) {
      out[row] = isValid(validity, row) ? text(items[row]!) : null
    }
    return out
  }
}

const TWO_POW_32 = 4_294_967_296

/**
 * 64-bit values (BIGINT, TIMESTAMP…) read as two 32-bit halves, so that values within ±2^53 become
 * doubles without allocating a BigInt; `text` gets the value as a number when exact, else as a bigint.
 */
function int64Column(text: (value: number | bigint) => string): ColumnEncoder {
  return (vector, rowCount) => {
    const out: (string | null)[] = new Array(rowCount)
    const items = rawItems(vector, rowCount)
    const validity = items === undefined ? undefined : rawValidity(vector)
    if (!(items instanceof BigInt64Array) || validity === undefined) {
      for (let row = 0; row < rowCount; row++) {
        const value = vector.getItem(row) as bigint | { micros: bigint } | null
        out[row] = value === null ? null : text(typeof value === 'bigint' ? value : value.micros)
      }
      return out
    }
    const low = new Uint32Array(items.buffer, items.byteOffset, rowCount * 2)
    const high = new Int32Array(items.buffer, items.byteOffset, rowCount * 2)
    for (let row = 0; row < rowCount; row++) {
      if (!isValid(validity, row)) {
        out[row] = null
        continue
      }
      const hi = high[row * 2 + 1]!
      out[row] =
        hi < 2_097_152 && hi >= -2_097_152
          ? text(hi * TWO_POW_32 + low[row * 2]!)
          : text(items[row]!)
    }
    return out
  }
}

function booleanColumn(vector: DuckDBVector, rowCount: number): (string | null)[] {
  const out: (string | null)[] = new Array(rowCount)
  for (let row = 0; row < rowCount; row++) {
    const value = vector.getItem(row) as boolean | null
    out[row] = value === null ? null : value ? 't' : 'f'
  }
  return out
}

function timestampColumn(suffix: string): ColumnEncoder {
  const formatter = new TimestampFormatter(suffix)
  return int64Column((micros) => formatter.format(micros))
}

function dateColumn(): ColumnEncoder {
  let lastDays = Number.NaN
  let lastText = ''
  return fixedWidthColumn(
    (value) => {
      const days = value as number
      if (days !== lastDays) {
        lastDays = days
        lastText = formatDate(days)
      }
      return lastText
    },
    (item) => (item as DuckDBDateValue).days,
  )
}

const numberText = (value: number | bigint): string => String(value)
const doubleText = (value: number | bigint): string => formatDouble(value as number)
const floatText = (value: number | bigint): string => formatFloat(value as number)

function columnEncoderFor(type: DuckDBType): ColumnEncoder {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return stringColumn
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
      return fixedWidthColumn(numberText)
    case DuckDBTypeId.BIGINT:
      return int64Column(numberText)
    case DuckDBTypeId.DOUBLE:
      return fixedWidthColumn(doubleText)
    case DuckDBTypeId.FLOAT:
      return fixedWidthColumn(floatText)
    case DuckDBTypeId.BOOLEAN:
      return booleanColumn
    case DuckDBTypeId.DATE:
      return dateColumn()
    case DuckDBTypeId.TIMESTAMP:
      return timestampColumn('')
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampColumn('+00')
    case DuckDBTypeId.SQLNULL:
      return (_vector, rowCount) => new Array<string | null>(rowCount).fill(null)
    default:
      return genericColumn(postgresTextFor(type))
  }
}

/** Any column encoder's strings, as UTF-8 bytes. */
function bytesFromText(encode: ColumnEncoder): ColumnBytesEncoder {
  return (vector, rowCount, out) => {
    const texts = encode(vector, rowCount)
    for (let row = 0; row < rowCount; row++) {
      const text = texts[row]
      if (text === null || text === undefined) out.null()
      else out.text(text)
    }
  }
}

/** VARCHAR: the bytes DuckDB holds (inline strings straight from the vector's headers). */
function stringBytesColumn(vector: DuckDBVector, rowCount: number, out: EncodedColumn): void {
  const view = rawStrings(vector, rowCount)
  const validity = view === undefined ? undefined : rawValidity(vector)
  if (view === undefined || validity === undefined) {
    bytesFromText(stringColumn)(vector, rowCount, out)
    return
  }
  const headers = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
  for (let row = 0; row < rowCount; row++) {
    if (!isValid(validity, row)) {
      out.null()
      continue
    }
    const offset = row * 16
    const length = view.getUint32(offset, true)
    if (length <= 12) out.utf8(headers, offset + 4, length)
    else out.text(vector.getItem(row) as string)
  }
}

/** Integers of up to 32 bits from the vector's typed array, digit by digit. */
function integerBytesColumn(vector: DuckDBVector, rowCount: number, out: EncodedColumn): void {
  const items = rawItems(vector, rowCount)
  const validity = items === undefined ? undefined : rawValidity(vector)
  if (
    items === undefined ||
    validity === undefined ||
    items instanceof BigInt64Array ||
    items instanceof BigUint64Array
  ) {
    bytesFromText(fixedWidthColumn(numberText))(vector, rowCount, out)
    return
  }
  for (let row = 0; row < rowCount; row++) {
    if (isValid(validity, row)) out.integer(items[row]!)
    else out.null()
  }
}

/**
 * 64-bit values read as two 32-bit halves (see int64Column): `exact` writes a value within ±2^53,
 * `other` any value (as a bigint, or a number when exact).
 */
function int64BytesColumn(
  exact: (out: EncodedColumn, value: number) => void,
  other: (out: EncodedColumn, value: number | bigint) => void,
): ColumnBytesEncoder {
  return (vector, rowCount, out) => {
    const items = rawItems(vector, rowCount)
    const validity = items === undefined ? undefined : rawValidity(vector)
    if (!(items instanceof BigInt64Array) || validity === undefined) {
      for (let row = 0; row < rowCount; row++) {
        const value = vector.getItem(row) as bigint | { micros: bigint } | null
        if (value === null) out.null()
        else other(out, typeof value === 'bigint' ? value : value.micros)
      }
      return
    }
    const low = new Uint32Array(items.buffer, items.byteOffset, rowCount * 2)
    const high = new Int32Array(items.buffer, items.byteOffset, rowCount * 2)
    for (let row = 0; row < rowCount; row++) {
      if (!isValid(validity, row)) {
        out.null()
        continue
      }
      const hi = high[row * 2 + 1]!
      if (hi < 2_097_152 && hi >= -2_097_152) exact(out, hi * TWO_POW_32 + low[row * 2]!)
      else other(out, items[row]!)
    }
  }
}

const bigintBytesColumn = int64BytesColumn(
  (out, value) => out.integer(value),
  (out, value) => out.ascii(String(value)),
)

function timestampBytesColumn(suffix: string): ColumnBytesEncoder {
  const writer = new TimestampBytesWriter(suffix)
  const write = (out: EncodedColumn, micros: number | bigint): void => writer.write(out, micros)
  return int64BytesColumn(write, write)
}

/**
 * Doubles and floats from the typed array, as their (ASCII) shortest text. `wholeAsDigits` writes
 * whole values digit by digit, which is what the shortest text of a whole double within ±2^53 is
 * (not so for float4, whose shortest text of 50331648 is 50331650).
 */
function floatBytesColumn(
  text: (value: number | bigint) => string,
  wholeAsDigits: boolean,
): ColumnBytesEncoder {
  return (vector, rowCount, out) => {
    const items = rawItems(vector, rowCount)
    const validity = items === undefined ? undefined : rawValidity(vector)
    if (
      !(items instanceof Float64Array || items instanceof Float32Array) ||
      validity === undefined
    ) {
      bytesFromText(fixedWidthColumn(text))(vector, rowCount, out)
      return
    }
    for (let row = 0; row < rowCount; row++) {
      if (!isValid(validity, row)) {
        out.null()
        continue
      }
      const value = items[row]!
      // A whole double within ±2^53 prints as its digits; -0 keeps its sign.
      if (wholeAsDigits && Number.isSafeInteger(value) && (value !== 0 || 1 / value > 0))
        out.integer(value)
      else out.ascii(text(value))
    }
  }
}

function columnBytesEncoderFor(type: DuckDBType): ColumnBytesEncoder {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return stringBytesColumn
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
      return integerBytesColumn
    case DuckDBTypeId.BIGINT:
      return bigintBytesColumn
    case DuckDBTypeId.DOUBLE:
      return floatBytesColumn(doubleText, true)
    case DuckDBTypeId.FLOAT:
      return floatBytesColumn(floatText, false)
    case DuckDBTypeId.TIMESTAMP:
      return timestampBytesColumn('')
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampBytesColumn('+00')
    default:
      return bytesFromText(columnEncoderFor(type))
  }
}

/**
 * Builds the encoder for a result's columns: each column's wire type comes from the type table
 * (src/types/duckdb-types.ts) and each value is written in the Postgres text format that pg's
 * parsers and `createTypeParsers()` read back. Chunks are encoded column by column.
 *
 * ### Examples
 * ```ts
 * const result = await connection.stream('SELECT 1 AS n, now() AS at')
 * const encoder = createResultEncoder(result.columnNames(), result.columnTypes())
 * encoder.columns // [{ name: 'n', oid: 23, … }, { name: 'at', oid: 1184, … }]
 * const chunk = await result.fetchChunk()
 * encoder.encodeChunk(chunk!) // [['1'], ['2024-03-01 12:34:56.789+00']]
 * ```
 */
export function createResultEncoder(
  names: readonly string[],
  types: readonly DuckDBType[],
): ResultEncoder {
  const columns = types.map((type, i) => wireColumnOf(names[i] ?? `column${i}`, type))
  const encoders = types.map(columnEncoderFor)
  let byteEncoders: ColumnBytesEncoder[] | undefined
  let encoded: EncodedColumn[] | undefined
  return {
    columns,
    encodeChunk(chunk) {
      const rowCount = chunk.rowCount
      const result: (string | null)[][] = new Array(encoders.length)
      for (let column = 0; column < encoders.length; column++) {
        result[column] = encoders[column]!(chunk.getColumnVector(column), rowCount)
      }
      return result
    },
    encodeChunkBytes(chunk) {
      return this.encodeRowsBytes(chunk, 0, chunk.rowCount)
    },
    encodeRowsBytes(chunk, start, count) {
      byteEncoders ??= types.map(columnBytesEncoderFor)
      encoded ??= types.map(() => new EncodedColumn())
      const whole = start === 0 && count === chunk.rowCount
      for (let column = 0; column < byteEncoders.length; column++) {
        const out = encoded[column]!
        out.reset(count)
        const vector = chunk.getColumnVector(column)
        byteEncoders[column]!(whole ? vector : vector.slice(start, count), count, out)
      }
      return encoded
    },
  }
}
