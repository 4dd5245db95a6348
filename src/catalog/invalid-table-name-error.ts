import { MotherDuckError } from '../errors/motherduck-error.js'

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
