import { sqlStringLiteral } from '../sql/sql-string-literal.js'
import { RefusedValueError } from '../types/value-policy.js'
import type { ColumnEncoding } from './json-column-encoding.js'
import { InvalidRowValueError } from './load-errors.js'

/** A row key bound to a table column and the encoding of the column's type. */
export interface BoundColumn {
  /** The key in the rows. */
  readonly key: string
  /** The column's name in the table. */
  readonly name: string
  /** The column's DuckDB type, as `duckdb_columns()` spells it. */
  readonly dataType: string
  readonly encoding: ColumnEncoding
}

/** Consecutive rows serialized for one statement. */
export interface JsonBatch {
  /** The index (in `rows`) of the batch's first row. */
  readonly firstRow: number
  readonly rowCount: number
  /** `{"c0":[…],"c1":[…]}`: column `i`'s values under `c<i>`. */
  readonly json: string
}

/**
 * The rows of an INSERT, as `head` + `$1` + `tail` around the JSON parameter:
 * `select unnest(j.c0), unnest(j.c1) from (select from_json_strict(cast($1 as varchar),
 * '{"c0":["BIGINT"],"c1":["VARCHAR"]}') as j)`. The unnests of one select list run side by side, so row
 * `n` takes element `n` of every column; `from_json_strict` fails on a value that does not fit its
 * column's type instead of reading it as NULL. `insertRows` puts it after `insert into <table> (<columns>)`.
 */
export function unnestSelectSql(columns: readonly BoundColumn[]): { head: string; tail: string } {
  const selectList = columns
    .map((column, i) => column.encoding.selectSql(`unnest(j.c${i})`))
    .join(', ')
  const structure: Record<string, [string]> = {}
  columns.forEach((column, i) => {
    structure[`c${i}`] = [column.encoding.jsonType]
  })
  const structureSql = sqlStringLiteral(JSON.stringify(structure), 'column types')
  return {
    head: `select ${selectList} from (select from_json_strict(cast(`,
    tail: ` as varchar), ${structureSql}) as j)`,
  }
}

/** Rows serialized per step at most: large enough to amortize the per-column loop, small enough to stop near the size bound. */
const MAX_CHUNK_ROWS = 4096

/**
 * Serializes rows from `start` into one batch, `{"c0":[…],"c1":[…]}`, holding at most `batchSize` rows
 * and closing once it reaches about `maxBatchBytes` characters (always at least one row). Rows are
 * written in chunks, column by column, which keeps each column's loop monomorphic (about 3× faster than
 * row by row); chunk sizes follow the average row size so far, so a batch ends close to the bound
 * (at most about twice it, when the first rows are much smaller than the rest).
 */
export function buildBatch(
  table: string,
  rows: readonly Readonly<Record<string, unknown>>[],
  columns: readonly BoundColumn[],
  start: number,
  batchSize: number,
  maxBatchBytes: number,
): JsonBatch {
  const texts = columns.map(() => '')
  const end = Math.min(rows.length, start + batchSize)
  let size = 0
  let next = start
  let row = start
  let column = 0
  try {
    while (next < end && (next === start || size < maxBatchBytes)) {
      const written = next - start
      // As many rows as the average so far says still fit, but at most doubling the batch per step,
      // so a few small rows at the start cannot make one chunk overshoot the bound by much.
      const rowsFit = written === 0 ? 1 : Math.floor(((maxBatchBytes - size) * written) / size)
      const chunk = Math.max(1, Math.min(MAX_CHUNK_ROWS, written, rowsFit))
      const chunkEnd = Math.min(end, next + chunk)
      for (column = 0; column < columns.length; column++) {
        const { key, encoding } = columns[column]!
        let text = texts[column]!
        for (row = next; row < chunkEnd; row++) {
          const value = encoding.valueText(rows[row]![key])
          text = row === start ? value : `${text},${value}`
          size += value.length + 1
        }
        texts[column] = text
      }
      next = chunkEnd
    }
  } catch (error) {
    const failed = columns[column]!
    throw new InvalidRowValueError(
      table,
      failed.key,
      row,
      error instanceof Error ? error.message : String(error),
      error instanceof RefusedValueError
        ? { valueType: error.valueType, dataType: failed.dataType }
        : { dataType: failed.dataType },
    )
  }
  const json = `{${texts.map((text, c) => `"c${c}":[${text}]`).join(',')}}`
  return { firstRow: start, rowCount: next - start, json }
}
