import { type RawBuilder, sql } from 'kysely'

/*
 * Which attached databases and schemas are DuckDB's or MotherDuck's own rather than the user's. DuckDB
 * marks its own databases `internal` in `duckdb_databases()` (`system`, `temp`); MotherDuck adds
 * `md_information_schema`, and every database has the catalog schemas `information_schema` and
 * `pg_catalog`. The names are listed as well as the flag, so that a server marking one differently still
 * hides it.
 */

/** Databases that hold DuckDB's or MotherDuck's own catalog, never user tables. */
const SYSTEM_DATABASES = ['system', 'temp', 'md_information_schema']

/** Schemas that hold catalog views, never user tables. */
const SYSTEM_SCHEMAS = ['information_schema', 'pg_catalog']

/**
 * The condition on a `duckdb_*()` row's `database_name` and `schema_name` that keeps the user's objects:
 * those of `databases` when given (none for an empty list), else those of every attached database that is
 * not DuckDB's or MotherDuck's own; in either case outside the catalog schemas.
 *
 * ### Examples
 *
 * ```ts
 * sql`select schema_name from duckdb_schemas() where ${userObjectCondition(['my_db'])}`
 * ```
 *
 * The generated SQL, without and with `databases`:
 *
 * ```sql
 * database_name not in ($1, $2, $3)
 * and database_name in (select database_name from duckdb_databases() where not internal) and schema_name not in ($4, $5)
 *
 * database_name in ($1) and schema_name not in ($2, $3)
 * ```
 */
export function userObjectCondition(databases?: readonly string[]): RawBuilder<unknown> {
  return sql`${databaseCondition(databases)} and schema_name not in (${sql.join(SYSTEM_SCHEMAS)})`
}

function databaseCondition(databases: readonly string[] | undefined): RawBuilder<unknown> {
  if (databases !== undefined) {
    if (databases.length === 0) return sql`false`
    return sql`database_name in (${sql.join(databases)})`
  }
  return sql`database_name not in (${sql.join(SYSTEM_DATABASES)})
    and database_name in (select database_name from duckdb_databases() where not internal)`
}
