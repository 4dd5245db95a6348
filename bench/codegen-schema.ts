/**
 * The schema the codegen benchmarks generate types for: `tables` tables of 20 columns cycling through 20
 * column types, in DuckDB and, for the comparison with kysely-codegen's own CLI, the nearest PostgreSQL
 * equivalents (STRUCT and MAP as jsonb, HUGEINT as numeric).
 */

export const COLUMNS = 20

const DUCKDB_COLUMN_TYPES = [
  'INTEGER',
  'BIGINT',
  'VARCHAR',
  'DECIMAL(12,2)',
  'TIMESTAMP',
  'BOOLEAN',
  'DOUBLE',
  'DATE',
  'VARCHAR[]',
  'STRUCT(a INTEGER, b VARCHAR)',
  'JSON',
  'UUID',
  'TIMESTAMPTZ',
  'BLOB',
  "ENUM('a', 'b', 'c')",
  'MAP(VARCHAR, INTEGER)',
  'HUGEINT',
  'INTERVAL',
  'SMALLINT',
  'BIGINT[]',
] as const

const POSTGRES_COLUMN_TYPES = [
  'integer',
  'bigint',
  'text',
  'numeric(12,2)',
  'timestamp',
  'boolean',
  'double precision',
  'date',
  'text[]',
  'jsonb',
  'json',
  'uuid',
  'timestamptz',
  'bytea',
  'abc',
  'jsonb',
  'numeric',
  'interval',
  'smallint',
  'bigint[]',
] as const

function tables(count: number, types: readonly string[]): string[] {
  const statements: string[] = []
  for (let t = 0; t < count; t++) {
    const columns = Array.from({ length: COLUMNS }, (_, c) =>
      c === 0 ? 'id INTEGER PRIMARY KEY' : `col_${c} ${types[(t + c) % types.length]}`,
    )
    statements.push(`CREATE TABLE table_${t} (${columns.join(', ')});`)
  }
  return statements
}

/** The DuckDB schema: `count` tables. */
export function duckdbSchemaSql(count: number): string {
  return tables(count, DUCKDB_COLUMN_TYPES).join('\n')
}

/** The PostgreSQL schema of the same shape (its ENUM is the named type `abc`). */
export function postgresSchemaSql(count: number): string {
  return ["CREATE TYPE abc AS ENUM ('a', 'b', 'c');", ...tables(count, POSTGRES_COLUMN_TYPES)].join(
    '\n',
  )
}
