import { MotherDuckError } from '../errors/motherduck-error.js'
/**
 * Thrown by `insertRows`, before any row is sent, when the table it names has no columns in
 * `duckdb_columns()`: it does not exist, or the name lacks the database or schema it lives in. Create
 * the table first (`db.schema.createTable(…)` or `createTableAs(…)`), or name it fully
 * (`'database.schema.table'`).
 */
export class TableNotFoundError extends MotherDuckError {
  override readonly name = 'TableNotFoundError'
  constructor(readonly table: string) {
    super(
      `insertRows: table ${JSON.stringify(table)} does not exist (looked up in duckdb_columns()). ` +
        "Create it first (db.schema.createTable(…) or createTableAs(…)), or name it fully: 'database.schema.table'.",
    )
  }
}

/**
 * Thrown by `insertRows`, before any row is sent, when a row has a key that is not a column of the
 * table (names are matched as DuckDB does, ignoring case). `columns` lists the table's columns: rename
 * or drop the key.
 */
export class UnknownColumnError extends MotherDuckError {
  override readonly name = 'UnknownColumnError'
  constructor(
    readonly table: string,
    readonly column: string,
    readonly columns: readonly string[],
  ) {
    super(
      `insertRows: table ${JSON.stringify(table)} has no column ${JSON.stringify(column)}. ` +
        `Its columns are: ${columns.map((name) => JSON.stringify(name)).join(', ')}.`,
    )
  }
}

/**
 * Thrown by `insertRows`, before any row is sent, when two keys of the rows name the same column
 * (DuckDB's names ignore case: `id` and `ID`). Use one spelling per column.
 */
export class DuplicateColumnError extends MotherDuckError {
  override readonly name = 'DuplicateColumnError'
  constructor(
    readonly table: string,
    readonly column: string,
    readonly keys: readonly [string, string],
  ) {
    super(
      `insertRows: the keys ${JSON.stringify(keys[0])} and ${JSON.stringify(keys[1])} both name the column ` +
        `${JSON.stringify(column)} of ${JSON.stringify(table)} (DuckDB compares names without case); use one spelling.`,
    )
  }
}

/**
 * Thrown by `insertRows`, on the client before the batch holding the row is sent, when a value cannot be
 * stored exactly in its column (the value policy, the same that `insertInto().values()` follows): e.g.
 * 2.5 for an INTEGER, 2 for a BOOLEAN, an object with a key the STRUCT lacks, a non-Buffer for a BLOB
 * column, an invalid Date, a string with a lone UTF-16 surrogate, or a Kysely expression (use
 * `db.insertInto(…).values(…)` for those). `valueType` and `reason` say which; fix the value at `rowIndex`.
 * With the default `transaction: true` nothing is inserted; with `transaction: false` the batches
 * before the one holding the row stay committed.
 */
export class InvalidRowValueError extends MotherDuckError {
  override readonly name = 'InvalidRowValueError'
  constructor(
    readonly table: string,
    readonly column: string,
    /** The index of the row in the `rows` argument. */
    readonly rowIndex: number,
    readonly reason: string,
    /** The value's type (`number`, `Date`, `object`…) and the column's DuckDB type, when known. */
    readonly details: { readonly valueType?: string; readonly dataType?: string } = {},
  ) {
    super(
      `insertRows into ${JSON.stringify(table)}: row ${rowIndex}, column ${JSON.stringify(column)}` +
        `${details.dataType === undefined ? '' : ` (${details.dataType})`}: ${reason}`,
    )
  }

  /** The value's type, as the message names it. */
  get valueType(): string | undefined {
    return this.details.valueType
  }
}

/**
 * Thrown by `insertRows` when the database rejects a batch (a constraint, a value DuckDB cannot convert,
 * a lost connection…). `cause` is the database error; `firstRow`/`lastRow` are the indexes (in `rows`)
 * of the batch that failed; `committedRows` is how many rows stay committed: 0 with the default
 * `transaction: true` (nothing was inserted; fix the data and call again) and inside a caller's
 * transaction (which must be rolled back), the rows before `firstRow` with `transaction: false`
 * (insert the rest from `firstRow` on).
 *
 * ### Examples
 *
 * ```ts
 * try {
 *   await insertRows(db, 'events', rows, { transaction: false })
 * } catch (error) {
 *   if (!(error instanceof InsertRowsError)) throw error
 *   console.error(error.cause) // the database's error
 *   // rows 0 … error.firstRow - 1 are committed (error.committedRows of them); after fixing the
 *   // batch error.firstRow … error.lastRow, insert the rest:
 *   await insertRows(db, 'events', rows.slice(error.firstRow), { transaction: false })
 * }
 * ```
 */
export class InsertRowsError extends MotherDuckError {
  override readonly name = 'InsertRowsError'
  constructor(
    readonly table: string,
    readonly firstRow: number,
    readonly lastRow: number,
    readonly committedRows: number,
    /** What became of the rows sent before: the sentence the message ends with. */
    readonly outcome: string,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause)
    super(
      `insertRows into ${JSON.stringify(table)} failed in the batch of rows ${firstRow}–${lastRow}: ${reason}. ${outcome}`,
      options,
    )
  }
}
