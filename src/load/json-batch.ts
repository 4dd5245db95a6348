import { sqlStringLiteral } from '../sources/sql-string-literal.js'
import type { ColumnEncoding } from './json-column-encoding.js'
import { InvalidRowValueError } from './load-errors.js'

/** A row key bound to a table column and the encoding of the column's type. */
export interface BoundColumn {
  /** The key in the rows. */
  readonly key: string
  /** The column's name in the table. */
  readonly name: string
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
 * The INSERT around the JSON parameter, as `head` + `$1` + `tail`:
 * `insert into "t" ("a", "b") select unnest(j.c0), unnest(j.c1) from (select from_json_strict(cast($1 as
 * varchar), '{"c0":["BIGINT"],"c1":["VARCHAR"]}') as j)`. The unnests of one select list run side by
 * side, so row `n` takes element `n` of every column; `from_json_strict` fails on a value that does not
 * fit its column's type instead of reading it as NULL.
 */
export function insertStatementSql(
  parts: readonly string[],
  columns: readonly BoundColumn[],
): { head: string; tail: string } {
  const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`
  const target = parts.map(quote).join('.')
  const columnList = columns.map((column) => quote(column.name)).join(', ')
  const selectList = columns
    .map((column, i) => column.encoding.selectSql(`unnest(j.c${i})`))
    .join(', ')
  const structure: Record<string, [string]> = {}
  columns.forEach((column, i) => {
    structure[`c${i}`] = [column.encoding.jsonType]
  })
  const structureSql = sqlStringLiteral(JSON.stringify(structure), 'column types')
  return {
    head: `insert into ${target} (${columnList}) select ${selectList} from (select from_json_strict(cast(`,
    tail: ` as varchar), ${structureSql}) as j)`,
  }
}

/** Serializes rows from `start` into one batch: `{"c0":[…],"c1":[…]}`, bounded by rows and size. */
export function buildBatch(
  table: string,
  rows: readonly Readonly<Record<string, unknown>>[],
  columns: readonly BoundColumn[],
  start: number,
  batchSize: number,
  maxBatchBytes: number,
): JsonBatch {
  const cells: string[][] = columns.map(() => [])
  let size = 0
  let index = start
  while (
    index < rows.length &&
    index - start < batchSize &&
    (index === start || size < maxBatchBytes)
  ) {
    const row = rows[index]!
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!
      let text: string
      try {
        text = column.encoding.valueText(row[column.key])
      } catch (error) {
        throw new InvalidRowValueError(
          table,
          column.key,
          index,
          error instanceof Error ? error.message : String(error),
        )
      }
      cells[c]!.push(text)
      size += text.length + 1
    }
    index++
  }
  const json = `{${cells.map((column, c) => `"c${c}":[${column.join(',')}]`).join(',')}}`
  return { firstRow: start, rowCount: index - start, json }
}
