/** Thrown when `insertRows` targets a table that the database does not have. */
export class TableNotFoundError extends Error {
  override readonly name = 'TableNotFoundError'
  constructor(readonly table: string) {
    super(
      `insertRows: table ${JSON.stringify(table)} does not exist (looked up in duckdb_columns()). ` +
        "Create it first (db.schema.createTable(…) or createTableAs(…)), or name it fully: 'database.schema.table'.",
    )
  }
}

/** Thrown when a row has a key that is not a column of the target table. */
export class UnknownColumnError extends Error {
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

/** Thrown when two keys of the rows name the same column (DuckDB's names ignore case: `id` and `ID`). */
export class DuplicateColumnError extends Error {
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

/** Thrown when a value cannot be sent for its column (checked on the client before sending). */
export class InvalidRowValueError extends TypeError {
  override readonly name = 'InvalidRowValueError'
  constructor(
    readonly table: string,
    readonly column: string,
    /** The index of the row in the `rows` argument. */
    readonly rowIndex: number,
    readonly reason: string,
  ) {
    super(
      `insertRows into ${JSON.stringify(table)}: row ${rowIndex}, column ${JSON.stringify(column)}: ${reason}`,
    )
  }
}

/**
 * Thrown when the database rejects a batch. `cause` is the database error; `firstRow`/`lastRow` are the
 * indexes (in `rows`) of the batch that failed; `committedRows` is how many rows stay committed.
 */
export class InsertRowsError extends Error {
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
