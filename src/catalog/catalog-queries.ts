import { sql } from 'kysely'
import { type CatalogConnection, readRows } from './catalog-connection.js'
import { userObjectCondition } from './system-catalog.js'
import type { TableName } from './table-key.js'

/*
 * Every question the package asks of DuckDB's catalog, one function each: the introspector
 * (`db.introspection`, the Migrator), `insertRows`' column lookup and codegen. They read DuckDB's
 * `duckdb_*()` table functions, which carry `database_name` and span every attached database, and never
 * `pg_catalog` or `information_schema` (these see one database, and MotherDuck's endpoint lacks parts of
 * them). Names of databases, schemas and tables are always parameters; which databases are DuckDB's or
 * MotherDuck's own is decided in `system-catalog.ts`.
 */

/** The connected database and the current schema, with what to assume if the server sends no row. */
export async function readConnectedLocation(
  db: CatalogConnection,
): Promise<{ database: string; schema: string }> {
  const [row] = await readRows<{ database: string; schema: string }>(
    db,
    sql`select current_database() as database, current_schema() as schema`,
  )
  return row ?? { database: '', schema: 'main' }
}

/** A schema of a user database, a row of {@link readUserSchemas}. */
export interface UserSchemaRow {
  readonly database_name: string
  readonly schema_name: string
}

/** The schemas of `databases`, or of every user database (see `userObjectCondition`), sorted. */
export function readUserSchemas(
  db: CatalogConnection,
  databases?: readonly string[],
): Promise<UserSchemaRow[]> {
  return readRows<UserSchemaRow>(
    db,
    sql`
      select database_name, schema_name from duckdb_schemas()
      where ${userObjectCondition(databases)}
      order by database_name, schema_name`,
  )
}

/** A table or view of a user database, a row of {@link readUserTables}. */
export interface UserTableRow {
  readonly database_name: string
  readonly schema_name: string
  readonly table_name: string
  readonly is_view: boolean
}

/**
 * The tables and views (not DuckDB's internal ones, not temporary ones) of `databases`, or of every user
 * database, sorted by database, schema and name.
 */
export function readUserTables(
  db: CatalogConnection,
  databases?: readonly string[],
): Promise<UserTableRow[]> {
  const condition = userObjectCondition(databases)
  return readRows<UserTableRow>(
    db,
    sql`
      select database_name, schema_name, table_name, false as is_view from duckdb_tables()
      where not internal and not temporary and ${condition}
      union all
      select database_name, schema_name, view_name, true from duckdb_views()
      where not internal and not temporary and ${condition}
      order by database_name, schema_name, table_name`,
  )
}

/** A column of a table or view of a user database, a row of {@link readUserColumns}. */
export interface UserColumnRow {
  readonly database_name: string
  readonly schema_name: string
  readonly table_name: string
  readonly column_name: string
  readonly column_default: string | null
  readonly is_nullable: boolean
  /** DuckDB's spelling: `INTEGER`, `DECIMAL(10,2)`, `VARCHAR[]`, `STRUCT(a INTEGER)`. */
  readonly data_type: string
  readonly comment: string | null
}

/** The columns of every table and view of `databases`, or of every user database, in table order. */
export function readUserColumns(
  db: CatalogConnection,
  databases?: readonly string[],
): Promise<UserColumnRow[]> {
  return readRows<UserColumnRow>(
    db,
    sql`
      select database_name, schema_name, table_name, column_name, column_default, is_nullable,
        data_type, comment
      from duckdb_columns()
      where not internal and ${userObjectCondition(databases)}
      order by database_name, schema_name, table_name, column_index`,
  )
}

/** A column of a table, as {@link readTableColumns} describes it. */
export interface TableColumn {
  readonly name: string
  /** DuckDB's spelling of the type, e.g. `BIGINT`, `VARCHAR[]`, `DECIMAL(18,3)`, `STRUCT(a INTEGER)`. */
  readonly dataType: string
}

/**
 * The columns of one table, in table order; none when there is no such table. Names compare
 * case-insensitively, as DuckDB's identifiers do; an unnamed database or schema means the connection's
 * current one.
 */
export async function readTableColumns(
  db: CatalogConnection,
  name: Pick<TableName, 'database' | 'schema' | 'table'>,
): Promise<TableColumn[]> {
  const database =
    name.database === undefined ? sql`lower(current_database())` : sql`lower(${name.database})`
  const schema =
    name.schema === undefined ? sql`lower(current_schema())` : sql`lower(${name.schema})`
  const rows = await readRows<{ column_name: string; data_type: string }>(
    db,
    sql`
      select column_name, data_type from duckdb_columns()
      where lower(database_name) = ${database} and lower(schema_name) = ${schema}
        and lower(table_name) = lower(${name.table})
      order by column_index`,
  )
  return rows.map((row) => ({ name: row.column_name, dataType: row.data_type }))
}

/** One attached database, a row of {@link readAttachedDatabases}; `is_current` marks the connected one. */
export interface DatabaseRow {
  readonly database_name: string
  readonly is_current: boolean
}

/** Every attached database except DuckDB's internal ones, sorted by name. */
export function readAttachedDatabases(db: CatalogConnection): Promise<DatabaseRow[]> {
  return readRows<DatabaseRow>(
    db,
    sql`
      SELECT database_name, database_name = current_database() AS is_current
      FROM duckdb_databases() WHERE NOT internal ORDER BY database_name`,
  )
}

/**
 * One column of a table or view, a row of {@link readDatabaseColumns}: `duckdb_columns()` plus whether the
 * object is a view. `data_type` is DuckDB's spelling (`DECIMAL(10,2)`, `STRUCT(a INTEGER)[]`…), which
 * codegen's `parseDuckDBType` reads.
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

/** Every column of every table and view of `databases`, with whether it belongs to a view. */
export async function readDatabaseColumns(
  db: CatalogConnection,
  databases: readonly string[],
): Promise<ColumnRow[]> {
  if (databases.length === 0) return []
  return readRows<ColumnRow>(
    db,
    sql`
      SELECT c.database_name, c.schema_name, c.table_name, c.column_name, c.column_index,
        c.data_type, c.column_default, c.is_nullable, c.comment, v.view_name IS NOT NULL AS is_view
      FROM duckdb_columns() AS c LEFT JOIN duckdb_views() AS v
      ON v.database_name = c.database_name AND v.schema_name = c.schema_name AND v.view_name = c.table_name
      WHERE NOT c.internal AND c.database_name IN (${sql.join(databases)})`,
  )
}

/**
 * One named ENUM type (`CREATE TYPE mood AS ENUM (…)`), a row of {@link readEnumTypes}. Its labels come as
 * JSON text rather than a Postgres array: MotherDuck's endpoint does not quote array elements reliably
 * (commas inside labels).
 */
export interface EnumTypeRow {
  readonly database_name: string
  readonly schema_name: string
  readonly type_name: string
  readonly labels_json: string
}

/**
 * The named ENUM types of `databases`. DuckDB stores an enum column's labels, not its type's name, so
 * codegen finds the name by matching labels.
 */
export async function readEnumTypes(
  db: CatalogConnection,
  databases: readonly string[],
): Promise<EnumTypeRow[]> {
  if (databases.length === 0) return []
  return readRows<EnumTypeRow>(
    db,
    sql`
      SELECT database_name, schema_name, type_name, CAST(to_json(labels) AS VARCHAR) AS labels_json
      FROM duckdb_types() WHERE logical_type = 'ENUM' AND NOT internal
      AND database_name IN (${sql.join(databases)})`,
  )
}
