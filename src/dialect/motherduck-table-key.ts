/**
 * The name a table has as a key of the Kysely `DB` interface, and therefore in `selectFrom(…)`,
 * `insertInto(…)`, joins and table-qualified column references. Codegen emits the same keys.
 *
 * - a table in the default schema (`main`) of the connected database: `'table'`
 * - a table in another schema of the connected database: `'schema.table'`
 * - a table in another attached database: `'database:schema.table'` (always with the schema)
 *
 * The database is separated by `:` rather than `.` because Kysely splits a table reference at every `.`
 * and keeps only two parts: `'db.schema.table'` would silently become `"db"."schema"`. Kysely keeps
 * `'db:schema.table'` intact as schema `db:schema` and table `table`, and the MotherDuck query compiler
 * writes it as `"db"."schema"."table"`. Columns follow: `'db:schema.table.column'`.
 *
 * ### Examples
 *
 * ```ts
 * motherDuckTableKey({ database: 'sample_data', schema: 'hn', table: 'hacker_news' }, { database: 'my_db' })
 * // 'sample_data:hn.hacker_news'
 * motherDuckTableKey({ database: 'my_db', schema: 'main', table: 'orders' }, { database: 'my_db' }) // 'orders'
 * motherDuckTableKey({ database: 'my_db', schema: 'staging', table: 'orders' }, { database: 'my_db' })
 * // 'staging.orders'
 * ```
 *
 * A query on such a key, and the generated SQL:
 *
 * ```ts
 * db.selectFrom('sample_data:hn.hacker_news').select('sample_data:hn.hacker_news.title')
 * ```
 *
 * ```sql
 * select "sample_data"."hn"."hacker_news"."title" from "sample_data"."hn"."hacker_news"
 * ```
 */
export function motherDuckTableKey(
  table: { readonly database: string; readonly schema: string; readonly table: string },
  connected: { readonly database: string; readonly schema?: string },
): string {
  return `${motherDuckSchemaKey(table, connected)}${table.table}`
}

/** The prefix of {@link motherDuckTableKey} before the table name: `''`, `'schema.'` or `'db:schema.'`. */
function motherDuckSchemaKey(
  table: { readonly database: string; readonly schema: string },
  connected: { readonly database: string; readonly schema?: string },
): string {
  if (table.database !== connected.database) return `${table.database}:${table.schema}.`
  return table.schema === (connected.schema ?? 'main') ? '' : `${table.schema}.`
}

/**
 * The schema name in the form Kysely's metadata and `withSchema()` use for it: the schema itself in the
 * connected database, `'database:schema'` in another one.
 *
 * ### Examples
 *
 * ```ts
 * motherDuckSchemaName({ database: 'sample_data', schema: 'hn' }, { database: 'my_db' }) // 'sample_data:hn'
 * motherDuckSchemaName({ database: 'my_db', schema: 'staging' }, { database: 'my_db' }) // 'staging'
 * ```
 *
 * A query through `withSchema()`, and the generated SQL:
 *
 * ```ts
 * db.withSchema('sample_data:hn').selectFrom('hacker_news').select('title')
 * ```
 *
 * ```sql
 * select "title" from "sample_data"."hn"."hacker_news"
 * ```
 */
export function motherDuckSchemaName(
  schema: { readonly database: string; readonly schema: string },
  connected: { readonly database: string },
): string {
  return schema.database === connected.database
    ? schema.schema
    : `${schema.database}:${schema.schema}`
}
