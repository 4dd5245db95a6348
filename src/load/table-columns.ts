import { type Kysely, sql } from 'kysely'
import { TableNotFoundError } from './load-errors.js'
import type { TableName } from './table-name.js'

/** A column of a table, as `duckdb_columns()` describes it. */
export interface TableColumn {
  readonly name: string
  /** DuckDB's spelling of the type, e.g. `BIGINT`, `VARCHAR[]`, `DECIMAL(18,3)`, `STRUCT(a INTEGER)`. */
  readonly dataType: string
}

/**
 * The columns of a table, in table order, read with one query on `duckdb_columns()` (which, unlike
 * `information_schema`, spans every attached database). Names compare case-insensitively, as DuckDB's
 * identifiers do; an unnamed database or schema means the connection's current one.
 */
export async function tableColumns(
  db: Kysely<unknown>,
  name: TableName,
  display: string,
): Promise<readonly TableColumn[]> {
  const database =
    name.database === undefined ? sql`lower(current_database())` : sql`lower(${name.database})`
  const schema =
    name.schema === undefined ? sql`lower(current_schema())` : sql`lower(${name.schema})`
  const result = await sql<{ column_name: string; data_type: string }>`
    select column_name, data_type from duckdb_columns()
    where lower(database_name) = ${database} and lower(schema_name) = ${schema}
      and lower(table_name) = lower(${name.table})
    order by column_index`.execute(db)
  if (result.rows.length === 0) throw new TableNotFoundError(display)
  return result.rows.map((row) => ({ name: row.column_name, dataType: row.data_type }))
}
