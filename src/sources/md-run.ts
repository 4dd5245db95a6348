import { MotherDuckError } from '../errors/motherduck-error.js'
import { InvalidReaderOptionError } from './invalid-reader-option-error.js'

/**
 * Where MotherDuck runs a reader, the `mdRun` option of every reader: `'REMOTE'` (this library's
 * default) on MotherDuck's servers, or `'AUTO'` (MotherDuck's default) letting it decide from the path.
 * `'LOCAL'` is deliberately absent: through the Postgres endpoint there is no local DuckDB to run on.
 *
 * ### Examples
 *
 * ```ts
 * readCsv('s3://bucket/x.csv', { mdRun: 'AUTO' }) // read_csv('s3://bucket/x.csv', MD_RUN = AUTO)
 * ```
 */
export type MdRun = 'REMOTE' | 'AUTO'

/**
 * Thrown by a reader, before anything is sent, when `mdRun: 'LOCAL'` reaches it at run time (the type
 * already forbids it): through the Postgres endpoint every query runs on MotherDuck's servers. Read a
 * file in object storage with the default `MD_RUN = REMOTE`, or load in-memory rows with `insertRows`.
 */
export class MdRunLocalError extends MotherDuckError {
  override readonly name = 'MdRunLocalError'
  constructor(
    /** The reader that was asked to run locally, e.g. `read_csv`. */
    readonly reader: string,
    /** The value that was given. */
    readonly mdRun: string,
  ) {
    super(
      `${reader} cannot use MD_RUN = ${mdRun}: through the Postgres endpoint every query runs on the MotherDuck ` +
        'server, which cannot read files on this machine. Use the default (MD_RUN = REMOTE) with a file in object ' +
        "storage (s3://, gcs://, r2://, azure://, hf://, https://), mdRun: 'AUTO', or insertRows(db, table, rows) " +
        'for rows that are already in memory.',
    )
  }
}

/** The `MD_RUN` keyword for `mdRun`, rejecting anything but `REMOTE` and `AUTO`. */
export function mdRunKeyword(mdRun: unknown, reader: string): MdRun {
  if (mdRun === undefined) return 'REMOTE'
  if (mdRun === 'REMOTE' || mdRun === 'AUTO') return mdRun
  if (typeof mdRun === 'string' && mdRun.toUpperCase() === 'LOCAL') {
    throw new MdRunLocalError(reader, mdRun)
  }
  throw new InvalidReaderOptionError(reader, 'mdRun', "'REMOTE' or 'AUTO'")
}
