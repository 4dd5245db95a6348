/** Thrown when `--database` names a database that is not attached to the connection. */
export class UnknownDatabaseError extends Error {
  override readonly name = 'UnknownDatabaseError'
  constructor(
    readonly database: string,
    readonly available: readonly string[],
  ) {
    super(
      `The database "${database}" is not attached. Attached databases: ${available.join(', ') || '(none)'}. ` +
        'Check --database, or use --all-databases.',
    )
  }
}

/** Thrown by `generateTypes({ verify: true })` when the file on disk differs from what would be generated. */
export class GeneratedTypesOutOfDateError extends Error {
  override readonly name = 'GeneratedTypesOutOfDateError'
  constructor(
    readonly outFile: string,
    /** A unified diff from the file on disk (`-`) to the types the database has now (`+`). */
    readonly diff: string,
  ) {
    super(
      `Generated types are not up-to-date! ${outFile} differs from the database schema. ` +
        'Run `kysely-motherduck codegen` without --verify to update it.',
    )
  }
}

/** Thrown when options contradict each other or name something that does not exist. */
export class CodegenOptionError extends Error {
  override readonly name = 'CodegenOptionError'
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message)
  }
}
