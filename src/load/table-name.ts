import { assertRepresentable } from '../sources/sql-string-literal.js'

/** Thrown for a table name that is not `table`, `schema.table` or `database.schema.table`. */
export class InvalidTableNameError extends TypeError {
  override readonly name = 'InvalidTableNameError'
  constructor(readonly table: string) {
    super(
      `${JSON.stringify(table)} is not a table name: write 'table', 'schema.table' or 'database.schema.table' ` +
        '(unquoted, one to three non-empty parts separated by dots).',
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

/** Splits `'database.schema.table'`, `'schema.table'` or `'table'` (each part trimmed). */
export function parseTableName(name: string): TableName {
  assertRepresentable(name, 'table name')
  const parts = name.split('.').map((part) => part.trim())
  if (parts.length > 3 || parts.some((part) => part === '')) throw new InvalidTableNameError(name)
  const [first, second, third] = parts as [string, string?, string?]
  if (third !== undefined)
    return { database: first, schema: second!, table: third, parts: [first, second!, third] }
  if (second !== undefined) return { schema: first, table: second, parts: [first, second] }
  return { table: first, parts: [first] }
}
