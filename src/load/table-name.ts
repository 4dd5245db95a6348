import { MotherDuckError } from '../errors/motherduck-error.js'
import { assertRepresentable } from '../sql/sql-string-literal.js'

/**
 * Thrown by `createTableAs`, `createTableAsQuery` and `insertRows`, before anything is sent, for a table
 * name that is not `'table'`, `'schema.table'`, `'database.schema.table'` or `'database:schema.table'`
 * (more than three parts, an empty part, or a `:` form without a schema). Parts are identifiers, quoted by
 * the library: write `'my db.main.t'`, not `'"my db".main.t'`.
 */
export class InvalidTableNameError extends MotherDuckError {
  override readonly name = 'InvalidTableNameError'
  constructor(readonly table: string) {
    super(
      `${JSON.stringify(table)} is not a table name: write 'table', 'schema.table', 'database.schema.table' ` +
        "or 'database:schema.table' (unquoted, non-empty parts).",
    )
  }
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
  ? D extends `${string}:${string}`
    ? N
    : `${D}:${S}.${T}`
  : N

/**
 * Splits a table name: `'table'`, `'schema.table'`, `'database.schema.table'`, or the MotherDuck
 * dialect's `'database:schema.table'`. Each part is trimmed.
 */
export function parseTableName(name: string): TableName {
  assertRepresentable(
    name,
    'table name',
    'Remove it from the table name: each part is written into the SQL as a quoted identifier.',
  )
  const colon = name.indexOf(':')
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
