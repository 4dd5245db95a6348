import { CompiledQuery, type QueryResult } from 'kysely'

/**
 * The catalog queries codegen sends: three in all, whatever the number of databases, schemas and tables
 * (no query per table). They read DuckDB's `duckdb_*()` table functions, which carry `database_name` and
 * work across databases, and never `pg_catalog` (absent on MotherDuck's endpoint).
 */

/** One attached database, a row of the first catalog query; `is_current` marks the connected one. */
export interface DatabaseRow {
  readonly database_name: string
  readonly is_current: boolean
}

/**
 * One column of a table or view, a row of the columns query: `duckdb_columns()` plus whether the
 * object is a view. `data_type` is DuckDB's spelling (`DECIMAL(10,2)`, `STRUCT(a INTEGER)[]`…), which
 * `parseDuckDBType` reads.
 */
export interface ColumnRow {
  readonly database_name: string
  readonly schema_name: string
  readonly table_name: string
  readonly column_name: string
  readonly column_index: number
  readonly data_type: string
  readonly column_default: string | null
  readonly is_nullable: boolean
  readonly comment: string | null
  readonly is_view: boolean
}

/**
 * One named ENUM type (`CREATE TYPE mood AS ENUM (…)`). Its labels come as JSON text rather than a
 * Postgres array: MotherDuck's endpoint does not quote array elements reliably (commas inside labels).
 */
export interface EnumTypeRow {
  readonly database_name: string
  readonly schema_name: string
  readonly type_name: string
  readonly labels_json: string
}

export const DATABASES_SQL =
  'SELECT database_name, database_name = current_database() AS is_current ' +
  'FROM duckdb_databases() WHERE NOT internal ORDER BY database_name'

const placeholders = (count: number) =>
  Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ')

/** Every column of every table and view of the given databases, with whether it belongs to a view. */
export function columnsSql(databaseCount: number): string {
  return (
    'SELECT c.database_name, c.schema_name, c.table_name, c.column_name, c.column_index, ' +
    'c.data_type, c.column_default, c.is_nullable, c.comment, v.view_name IS NOT NULL AS is_view ' +
    'FROM duckdb_columns() AS c LEFT JOIN duckdb_views() AS v ' +
    'ON v.database_name = c.database_name AND v.schema_name = c.schema_name AND v.view_name = c.table_name ' +
    `WHERE NOT c.internal AND c.database_name IN (${placeholders(databaseCount)})`
  )
}

/**
 * Named ENUM types of the given databases. DuckDB stores an enum column's labels, not its type's name,
 * so codegen finds the name by matching labels (see `buildMetadata`).
 */
export function enumTypesSql(databaseCount: number): string {
  return (
    'SELECT database_name, schema_name, type_name, CAST(to_json(labels) AS VARCHAR) AS labels_json ' +
    "FROM duckdb_types() WHERE logical_type = 'ENUM' AND NOT internal " +
    `AND database_name IN (${placeholders(databaseCount)})`
  )
}

/** What the catalog queries need of a `Kysely` instance (any `Kysely<DB>` fits). */
export interface CatalogConnection {
  executeQuery<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>>
}

async function query<Row>(db: CatalogConnection, sql: string, parameters: readonly string[] = []) {
  const result = await db.executeQuery<Row>(CompiledQuery.raw(sql, [...parameters]))
  return result.rows
}

/** The attached databases (query 1 of 3). */
export function readDatabases(db: CatalogConnection): Promise<DatabaseRow[]> {
  return query<DatabaseRow>(db, DATABASES_SQL)
}

/** The columns and named enum types of `databases` (queries 2 and 3 of 3, sent concurrently). */
export async function readCatalog(
  db: CatalogConnection,
  databases: readonly string[],
): Promise<{ columns: ColumnRow[]; enumTypes: EnumTypeRow[] }> {
  if (databases.length === 0) return { columns: [], enumTypes: [] }
  const [columns, enumTypes] = await Promise.all([
    query<ColumnRow>(db, columnsSql(databases.length), databases),
    query<EnumTypeRow>(db, enumTypesSql(databases.length), databases),
  ])
  return { columns, enumTypes }
}
