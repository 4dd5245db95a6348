import { MotherDuckError } from '../errors/motherduck-error.js'
/**
 * Thrown by `readParquet`, `readCsv` and `readJson`, before anything is sent, when an option is not one
 * DuckDB documents for the reader or its value has the wrong kind (the option types prevent both;
 * untyped or cast options can still get here). Check the name and value against DuckDB's documentation
 * of the reader; `expected` says what the option takes.
 *
 * ### Examples
 *
 * ```ts
 * readCsv('s3://bucket/x.csv', { header: 'yes' } as never)
 * // InvalidReaderOptionError: read_csv option "header" expects a boolean. …
 * ```
 */
export class InvalidReaderOptionError extends MotherDuckError {
  override readonly name = 'InvalidReaderOptionError'
  constructor(
    /** The reader, e.g. `read_json`. */
    readonly reader: string,
    /** The option name as given. */
    readonly option: string,
    /** What the option accepts, e.g. `a boolean`. */
    readonly expected: string,
  ) {
    super(
      `${reader} option ${JSON.stringify(option)} ${expected === 'unknown' ? 'is not a parameter DuckDB documents for it' : `expects ${expected}`}. ` +
        'Check the option name and value against the DuckDB documentation of the reader.',
    )
  }
}
