import { MotherDuckError } from '../src/errors/motherduck-error.js'
/**
 * Thrown by codegen (`--database`, or the `databases` option of `generateTypes` / `runCodegen`) for a
 * database that is not attached to the connection; `available` lists the attached ones. Fix the name,
 * attach the database, or read them all with `--all-databases` (`allDatabases: true`).
 */
export class UnknownDatabaseError extends MotherDuckError {
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

/**
 * Thrown by `generateTypes({ verify: true })` (and `kysely-motherduck codegen --verify` exits non-zero)
 * when the file on disk differs from what the database's schema generates now. Regenerate the file
 * without `verify`; `diff` shows what changed.
 *
 * ### Examples
 *
 * ```ts
 * try {
 *   await generateTypes({ outFile: 'src/db.ts', verify: true })
 * } catch (error) {
 *   if (error instanceof GeneratedTypesOutOfDateError) console.error(error.diff)
 *   throw error
 * }
 * ```
 */
export class GeneratedTypesOutOfDateError extends MotherDuckError {
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

/**
 * Thrown by codegen, before connecting, when options contradict each other: `verify` without
 * `outFile`, or `allDatabases` together with `databases`. `option` names the option to change.
 */
export class CodegenOptionError extends MotherDuckError {
  override readonly name = 'CodegenOptionError'
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Thrown by codegen when no table or view matched and `failOnEmpty` or `verify` is set (otherwise its
 * message is a warning): the file would type nothing (`export interface DB {}`). The message names the
 * databases read and the patterns, which are what to check.
 */
export class NoTablesMatchedError extends MotherDuckError {
  override readonly name = 'NoTablesMatchedError'
  constructor(
    readonly databases: readonly string[],
    patterns: {
      readonly includePattern?: string | undefined
      readonly excludePattern?: string | undefined
    },
  ) {
    const filters = [
      ...(patterns.includePattern
        ? [`include pattern ${JSON.stringify(patterns.includePattern)}`]
        : []),
      ...(patterns.excludePattern
        ? [`exclude pattern ${JSON.stringify(patterns.excludePattern)}`]
        : []),
    ]
    super(
      `No table or view matched in ${databases.join(', ') || 'no database'}` +
        `${filters.length ? ` with ${filters.join(' and ')}` : ''}: the types would be empty. ` +
        "Check --database (or --all-databases) and the patterns; Kysely's migration tables are left out " +
        'unless --include-kysely-tables.',
    )
  }
}
