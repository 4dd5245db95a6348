import { assertRepresentable } from '../sql/sql-string-literal.js'
import { InvalidTableNameError } from './invalid-table-name-error.js'

/*
 * The one home of the table-key rule: how a table is named in the Kysely `DB` interface (and so in
 * `selectFrom(…)`, codegen's output, `createTableAs`'s result type and `insertRows`' argument), how such a
 * name is read back, and its type-level form. The runtime library, the query compiler and codegen all
 * import it.
 */

/** Separates the database from the schema in a key: `'database:schema.table'`. */
type DatabaseSeparator = ':'
const DATABASE_SEPARATOR: DatabaseSeparator = ':'

/** Where a schema name given to the compiler is split: `'database:schema'` or `'database.schema'`. */
const SCHEMA_SEPARATORS = new RegExp(`[${DATABASE_SEPARATOR}.]`)

/** The schema whose tables are keyed by their bare name when the connection names none. */
const DEFAULT_SCHEMA = 'main'

/** The parts a table key names: `[table]`, `[schema, table]` or `[database, schema, table]`. */
export type TableKeyParts =
  | readonly [table: string]
  | readonly [schema: string, table: string]
  | readonly [database: string, schema: string, table: string]

/**
 * The parts {@link motherDuckTableKey} writes for a table: only the table in the connected database's
 * default schema (`connected.schema`, `main` when absent), the schema too elsewhere in that database,
 * all three in another database. Codegen checks that the key compiles back to exactly these parts.
 *
 * ### Examples
 *
 * ```ts
 * motherDuckTableKeyParts({ database: 'my_db', schema: 'main', table: 'orders' }, { database: 'my_db' })
 * // ['orders']
 * motherDuckTableKeyParts({ database: 'sample_data', schema: 'hn', table: 'hacker_news' }, { database: 'my_db' })
 * // ['sample_data', 'hn', 'hacker_news']
 * ```
 */
export function motherDuckTableKeyParts(
  table: { readonly database: string; readonly schema: string; readonly table: string },
  connected: { readonly database: string; readonly schema?: string },
): TableKeyParts {
  if (table.database !== connected.database) return [table.database, table.schema, table.table]
  return table.schema === (connected.schema ?? DEFAULT_SCHEMA)
    ? [table.table]
    : [table.schema, table.table]
}

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
  const parts = motherDuckTableKeyParts(table, connected)
  if (parts.length !== 3) return parts.join('.')
  const [database, schema, name] = parts
  return `${database}${DATABASE_SEPARATOR}${schema}.${name}`
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
    : `${schema.database}${DATABASE_SEPARATOR}${schema.schema}`
}

/** A table name split into its parts; `database` and `schema` are absent when not written. */
export interface TableName {
  readonly database?: string
  readonly schema?: string
  readonly table: string
  /** The parts in order, as `sql.id(...parts)` takes them. */
  readonly parts: readonly [string, ...string[]]
}

/**
 * The key a table has in a Kysely database type: `'database.schema.table'` becomes
 * `'database:schema.table'`, the spelling the MotherDuck dialect compiles to three parts (Kysely itself
 * keeps only two parts of a dotted name).
 */
export type TableKey<N extends string> = N extends `${infer D}.${infer S}.${infer T}`
  ? D extends `${string}${DatabaseSeparator}${string}`
    ? N
    : `${D}${DatabaseSeparator}${S}.${T}`
  : N

/**
 * Splits a table name as `createTableAs` and `insertRows` take it: `'table'`, `'schema.table'`,
 * `'database.schema.table'`, or the key spelling `'database:schema.table'`. Each part is trimmed; any
 * other form throws {@link InvalidTableNameError}.
 *
 * ### Examples
 *
 * ```ts
 * parseTableName('staging.orders') // { schema: 'staging', table: 'orders', parts: ['staging', 'orders'] }
 * parseTableName('my_db:main.events').parts // ['my_db', 'main', 'events']
 * ```
 */
export function parseTableName(name: string): TableName {
  assertRepresentable(
    name,
    'table name',
    'Remove it from the table name: each part is written into the SQL as a quoted identifier.',
  )
  const colon = name.indexOf(DATABASE_SEPARATOR)
  const parts = (
    colon === -1 ? name.split('.') : [name.slice(0, colon), ...name.slice(colon + 1).split('.')]
  ).map((part) => part.trim())
  if (
    parts.length > 3 ||
    parts.some((part) => part === '') ||
    (colon !== -1 && parts.length !== 3)
  ) {
    throw new InvalidTableNameError(name)
  }
  const [first, second, third] = parts as [string, string?, string?]
  if (second === undefined) return { table: first, parts: [first] }
  if (third === undefined) return { schema: first, table: second, parts: [first, second] }
  return { database: first, schema: second, table: third, parts: [first, second, third] }
}

/**
 * The parts of a schema name that names its database, as Kysely hands it to the query compiler: the
 * schema of a `'database:schema.table'` key is `'database:schema'`, and `withSchema('database.schema')`
 * works too. Splits at every `:` and `.` and trims each part; `undefined` for a plain schema name.
 *
 * ### Examples
 *
 * ```ts
 * qualifiedSchemaParts('sample_data:hn') // ['sample_data', 'hn']
 * qualifiedSchemaParts('staging') // undefined
 * ```
 */
export function qualifiedSchemaParts(name: string): string[] | undefined {
  if (!SCHEMA_SEPARATORS.test(name)) return undefined
  return name.split(SCHEMA_SEPARATORS).map((part) => part.trim())
}
