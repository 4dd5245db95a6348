/** Thrown when a reader option is unknown or its value has the wrong kind (the types prevent both). */
export class InvalidReaderOptionError extends TypeError {
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
