import {
  DuckDBArrayVector,
  type DuckDBDataChunk,
  DuckDBListVector,
  DuckDBStructVector,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBVector,
} from '@duckdb/node-api'
import { EndpointError } from '../errors/endpoint-error.js'
import { formatBytes } from '../errors/format-bytes.js'
import { SqlState } from '../errors/sql-state.js'
import { isValid, type RawValidity, rawValidity } from './vector-internals.js'

/**
 * Rows are encoded in windows of about this many (estimated) bytes, so that a session holds a few
 * MiB of wire bytes at a time even when a chunk's 2,048 rows are large. A window holds at least one
 * row, so one value may reach `maxValueBytes`.
 */
export const ROW_WINDOW_BYTES = 8 * 1024 * 1024

/** The widest Postgres text of a fixed-width scalar (an interval, a timestamp with zone, a hugeint). */
const FIXED_VALUE_BYTES = 64

/**
 * Estimates, before anything is materialised, the Postgres text size of result values, and refuses
 * one above `maxValueBytes` with 54000 (program_limit_exceeded). Encoding a value builds it in
 * JavaScript first (a LIST becomes an array of element objects): without this check,
 * `SELECT list(i) FROM range(40000000) t(i)` would exhaust the heap and abort the process.
 *
 * The estimate reads only DuckDB's vectors: string lengths from their 16-byte headers, list lengths
 * from their entries, and a fixed width for every other scalar. It is an upper bound for scalars and
 * lists of scalars, and close to the JSON text of STRUCT, MAP and UNION values.
 *
 * ### Examples
 * ```ts
 * const sizes = new ValueSizes(result.columnNames(), result.columnTypes(), 64 * 1024 * 1024)
 * sizes.windowEnds(chunk) // [2048]: the whole chunk fits one window; throws 54000 for a too-large value
 * ```
 */
export class ValueSizes {
  /** Columns whose size varies from row to row (the others count a fixed width). */
  private readonly variable: readonly number[]
  private readonly fixedRowBytes: number

  constructor(
    private readonly names: readonly string[],
    types: readonly DuckDBType[],
    private readonly maxValueBytes: number,
  ) {
    const variable: number[] = []
    types.forEach((type, column) => {
      if (!isFixedWidth(type)) variable.push(column)
    })
    this.variable = variable
    this.fixedRowBytes = (types.length - variable.length) * FIXED_VALUE_BYTES
  }

  /**
   * Splits the chunk's rows into windows of about {@link ROW_WINDOW_BYTES}: the end (exclusive) of
   * each, the last being `chunk.rowCount`. Throws 54000 for a value above `maxValueBytes`.
   */
  windowEnds(chunk: DuckDBDataChunk): number[] {
    const rowCount = chunk.rowCount
    if (this.variable.length === 0) return windowsOfFixedRows(rowCount, this.fixedRowBytes)
    const vectors = this.variable.map((column) => chunk.getColumnVector(column))
    const ends: number[] = []
    let windowBytes = 0
    for (let row = 0; row < rowCount; row++) {
      let rowBytes = this.fixedRowBytes
      for (let index = 0; index < vectors.length; index++) {
        const bytes = estimatedBytes(vectors[index]!, row, this.maxValueBytes)
        if (bytes > this.maxValueBytes) this.refuse(this.variable[index]!)
        rowBytes += bytes
      }
      if (windowBytes > 0 && windowBytes + rowBytes > ROW_WINDOW_BYTES) {
        ends.push(row)
        windowBytes = 0
      }
      windowBytes += rowBytes
    }
    ends.push(rowCount)
    return ends
  }

  /** The estimated bytes of every row of a chunk (the memory a spilled chunk stands for). */
  chunkBytes(chunk: DuckDBDataChunk): number {
    let total = chunk.rowCount * this.fixedRowBytes
    for (const column of this.variable) {
      const vector = chunk.getColumnVector(column)
      for (let row = 0; row < chunk.rowCount; row++) {
        total += estimatedBytes(vector, row, Number.MAX_SAFE_INTEGER)
      }
    }
    return total
  }

  private refuse(column: number): never {
    throw new EndpointError(
      SqlState.ProgramLimitExceeded,
      `a value of column "${this.names[column] ?? column + 1}" is larger than the endpoint's limit of ${formatBytes(this.maxValueBytes)} for one value (maxValueBytes)`,
      {
        hint: 'Select less of it (a slice of the list, unnest it into rows, substring…), or start the endpoint with a larger maxValueBytes.',
      },
    )
  }
}

function windowsOfFixedRows(rowCount: number, rowBytes: number): number[] {
  const perWindow = Math.max(1, Math.floor(ROW_WINDOW_BYTES / Math.max(1, rowBytes)))
  const ends: number[] = []
  for (let end = perWindow; end < rowCount; end += perWindow) ends.push(end)
  ends.push(rowCount)
  return ends
}

function isFixedWidth(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.BIT:
    case DuckDBTypeId.BIGNUM:
    case DuckDBTypeId.GEOMETRY:
    case DuckDBTypeId.VARIANT:
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
      return false
    default:
      return true
  }
}

/** The fields of @duckdb/node-api's vectors read here that are not public API (checked before use). */
interface VectorFields {
  readonly dataView?: unknown
  readonly childData?: unknown
  readonly listVector?: unknown
  readonly structVector?: unknown
  readonly structVec?: unknown
}

/** Text bytes per stored byte: BLOB as `\x` hex, BIT as one character a bit, others generously. */
function bytesPerStoredByte(typeId: DuckDBTypeId): number {
  switch (typeId) {
    case DuckDBTypeId.VARCHAR:
      return 1
    case DuckDBTypeId.BLOB:
      return 2
    case DuckDBTypeId.BIT:
      return 8
    default:
      return 4
  }
}

/**
 * The estimated text bytes of the value at `row` (0 for NULL). Stops adding once past `limit`: the
 * caller only needs to know that it is too large.
 */
function estimatedBytes(vector: DuckDBVector, row: number, limit: number): number {
  const fields = vector as unknown as VectorFields
  const typeId = vector.type.typeId
  if (isFixedWidth(vector.type)) return FIXED_VALUE_BYTES
  if (!rowIsValid(vector, row)) return 0
  if (vector instanceof DuckDBListVector) {
    return elementsBytes(
      vector.childVector,
      vector.getEntryOffset(row),
      vector.getEntryLength(row),
      limit,
    )
  }
  if (vector instanceof DuckDBArrayVector && isVector(fields.childData)) {
    const length = vector.type.length
    return elementsBytes(fields.childData, row * length, length, limit)
  }
  if (vector instanceof DuckDBStructVector) {
    let total = 2
    const type = vector.type
    for (let entry = 0; entry < type.entryCount && total <= limit; entry++) {
      total += type.entryNames[entry]!.length + 4
      total += estimatedBytes(vector.entryVectorAt(entry), row, limit - total)
    }
    return total
  }
  // MAP is a list of key/value structs, UNION and VARIANT are structs underneath.
  const inner = fields.listVector ?? fields.structVector ?? fields.structVec
  if (isVector(inner)) return estimatedBytes(inner, row, limit)
  if (fields.dataView instanceof DataView && fields.dataView.byteLength >= (row + 1) * 16) {
    // A string_t header: the length (uint32, little-endian), then the bytes or a pointer to them.
    return fields.dataView.getUint32(row * 16, true) * bytesPerStoredByte(typeId) + 2
  }
  // A shape this version of @duckdb/node-api does not have: count what the value really takes.
  return JSON.stringify(vector.getItem(row), (_, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  ).length
}

/** Elements `offset … offset + length - 1` of a list's child vector, with a separator each. */
function elementsBytes(child: DuckDBVector, offset: number, length: number, limit: number): number {
  let total = 2 + length
  if (isFixedWidth(child.type)) return total + length * FIXED_VALUE_BYTES
  for (let index = 0; index < length && total <= limit; index++) {
    total += estimatedBytes(child, offset + index, limit - total)
  }
  return total
}

function rowIsValid(vector: DuckDBVector, row: number): boolean {
  const validity: RawValidity | undefined = rawValidity(vector)
  return validity === undefined || isValid(validity, row)
}

function isVector(value: unknown): value is DuckDBVector {
  return typeof value === 'object' && value !== null && 'getItem' in value && 'type' in value
}
