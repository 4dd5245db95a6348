import type {
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBType,
  DuckDBValue,
  DuckDBVector,
} from '@duckdb/node-api'
import { DuckDBTypeId } from '@duckdb/node-api'
import './keep-byte-order-marks.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import { EncodedColumn } from '../protocol/encoded-column.js'
import { binaryColumnEncoderFor } from './binary-value-encoder.js'
import { type ColumnBytesEncoder, int64BytesColumn } from './column-bytes-encoder.js'
import { UnencodableValueError } from './postgres-binary-format.js'
import {
  formatDate,
  formatDouble,
  formatFloat,
  TimestampFormatter,
  ZonedTimestampFormatter,
} from './postgres-text-format.js'
import { postgresTextFor, type TextOf } from './postgres-text-value.js'
import { type TimeZoneOffsets, timeZoneOffsets } from './time-zone-offsets.js'
import { TimestampBytesWriter, ZonedTimestampBytesWriter } from './timestamp-bytes.js'
import {
  inlineAsciiString,
  isValid,
  rawItems,
  rawNumbers,
  rawStrings,
  rawValidity,
} from './vector-internals.js'
import { type WireColumn, wireColumnOf } from './wire-column.js'

export { postgresTextFor } from './postgres-text-value.js'
export { scalarTypeNameOf, type WireColumn, wireColumnOf } from './wire-column.js'

/**
 * How a result's values are written: Bind's result format codes and the session's TimeZone.
 *
 * ### Examples
 * ```ts
 * createResultEncoder(names, types, { formats: [1], timeZone: 'Europe/Paris' }) // all binary
 * ```
 */
export interface ResultEncoding {
  /**
   * Bind's result format codes (0 = text, 1 = binary): none means every column in text, one applies
   * to every column, else one per column. Default: none.
   */
  readonly formats?: readonly number[]
  /** The session's TimeZone, in which timestamptz text is written. Default: `'UTC'` (`+00`). */
  readonly timeZone?: string
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

/** Encodes one column of a chunk. */
type ColumnEncoder = (vector: DuckDBVector, rowCount: number) => (string | null)[]

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

/** TIMESTAMP (`suffix` ''), or TIMESTAMPTZ at `+00` or in a session's `zone`. */
function timestampColumn(suffix: string, zone?: TimeZoneOffsets): ColumnEncoder {
  const formatter =
    zone === undefined ? new TimestampFormatter(suffix) : new ZonedTimestampFormatter(zone)
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

function columnEncoderFor(type: DuckDBType, zone?: TimeZoneOffsets): ColumnEncoder {
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
      return timestampColumn('+00', zone)
    case DuckDBTypeId.SQLNULL:
      return (_vector, rowCount) => new Array<string | null>(rowCount).fill(null)
    default:
      return genericColumn(postgresTextFor(type, zone))
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
  const raw = rawNumbers(vector, rowCount)
  if (raw === undefined) {
    bytesFromText(fixedWidthColumn(numberText))(vector, rowCount, out)
    return
  }
  const { items, validity } = raw
  for (let row = 0; row < rowCount; row++) {
    if (isValid(validity, row)) out.integer(items[row]!)
    else out.null()
  }
}

const bigintBytesColumn = int64BytesColumn(
  (out, value) => out.integer(value),
  (out, value) => out.ascii(String(value)),
)

/** TIMESTAMP (`suffix` ''), or TIMESTAMPTZ at `+00` or in a session's `zone`. */
function timestampBytesColumn(suffix: string, zone?: TimeZoneOffsets): ColumnBytesEncoder {
  const writer =
    zone === undefined ? new TimestampBytesWriter(suffix) : new ZonedTimestampBytesWriter(zone)
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

function columnBytesEncoderFor(type: DuckDBType, zone?: TimeZoneOffsets): ColumnBytesEncoder {
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
      return timestampBytesColumn('+00', zone)
    default:
      return bytesFromText(columnEncoderFor(type, zone))
  }
}

/**
 * Each column's format code from Bind's result format codes, whose count is checked as Postgres
 * checks it: other than 0, 1 or the number of columns is a protocol violation (08P01). A code other
 * than 0 or 1 is refused when the first row is written (22023), as Postgres refuses it.
 */
export function resultFormatsOf(formats: readonly number[], columnCount: number): number[] {
  if (formats.length > 1 && formats.length !== columnCount) {
    throw new EndpointError(
      SqlState.ProtocolViolation,
      `bind message has ${formats.length} result formats but query has ${columnCount} columns`,
    )
  }
  return Array.from({ length: columnCount }, (_, column) =>
    formats.length === 0 ? 0 : formats.length === 1 ? formats[0]! : formats[column]!,
  )
}

/** A format code Postgres does not know (only 0 = text and 1 = binary exist). */
export function unsupportedFormatCode(format: number): EndpointError {
  return new EndpointError(SqlState.InvalidParameterValue, `unsupported format code: ${format}`)
}

/**
 * Builds the encoder for a result's columns: each column's wire type comes from the type table
 * (src/types/duckdb-types.ts) and each value is written in the format Bind asked for: Postgres' text
 * format, which pg's parsers and `createTypeParsers()` read back (timestamptz in the session's
 * TimeZone), or Postgres' binary format (see postgres-binary-format.ts). Chunks are encoded column by
 * column.
 *
 * ### Examples
 * ```ts
 * const result = await connection.stream('SELECT 1 AS n, now() AS at')
 * const encoder = createResultEncoder(result.columnNames(), result.columnTypes())
 * encoder.columns // [{ name: 'n', oid: 23, …, format: 0 }, { name: 'at', oid: 1184, …, format: 0 }]
 * const chunk = await result.fetchChunk()
 * encoder.encodeChunk(chunk!) // [['1'], ['2024-03-01 12:34:56.789+00']]
 * ```
 */
export function createResultEncoder(
  names: readonly string[],
  types: readonly DuckDBType[],
  encoding: ResultEncoding = {},
): ResultEncoder {
  const formats = resultFormatsOf(encoding.formats ?? [], types.length)
  const zone = encoding.timeZone === undefined ? undefined : timeZoneOffsets(encoding.timeZone)
  const columns: WireColumn[] = types.map((type, i) => ({
    ...wireColumnOf(names[i] ?? `column${i}`, type),
    format: formats[i]!,
  }))
  const encoders = types.map((type) => columnEncoderFor(type, zone))
  const textFor = (type: DuckDBType): TextOf => postgresTextFor(type, zone)
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
      byteEncoders ??= types.map((type, column) => {
        const format = formats[column]!
        if (format === 0) return columnBytesEncoderFor(type, zone)
        if (format === 1) return binaryColumnEncoderFor(type, textFor)
        throw unsupportedFormatCode(format)
      })
      encoded ??= types.map(() => new EncodedColumn())
      const whole = start === 0 && count === chunk.rowCount
      for (let column = 0; column < byteEncoders.length; column++) {
        const out = encoded[column]!
        out.reset(count)
        const vector = chunk.getColumnVector(column)
        try {
          byteEncoders[column]!(whole ? vector : vector.slice(start, count), count, out)
        } catch (error) {
          throw namingColumn(error, columns[column]!.name)
        }
      }
      return encoded
    },
  }
}

/** A value the binary format cannot carry, as the EndpointError that names its column. */
function namingColumn(error: unknown, name: string): unknown {
  if (!(error instanceof UnencodableValueError)) return error
  return new EndpointError(error.code, `column "${name}": ${error.message}`, { hint: error.hint })
}
