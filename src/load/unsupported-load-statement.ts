import { MotherDuckError } from '../errors/motherduck-error.js'
import { type MotherDuckRefusal, motherDuckRefusals } from '../motherduck/motherduck-refusals.js'

/** Which loading statement MotherDuck's Postgres endpoint refuses: the `kind` of an {@link UnsupportedLoadStatementError}. */
export type UnsupportedLoadKind = 'COPY FROM STDIN' | 'COPY FROM a local file' | 'MD_RUN = LOCAL'

/**
 * Thrown by the dialect, before sending, for a statement MotherDuck's Postgres endpoint refuses as a way
 * to load data: `COPY … FROM STDIN`, `COPY … FROM '<local file>'` or `MD_RUN = LOCAL` (every statement
 * runs on MotherDuck's servers, which cannot read the client machine). Load rows that are in memory
 * with `insertRows`; put files in object storage and read them with `readParquet` / `readCsv` /
 * `readJson`, e.g. in `createTableAs`. `kind` says which statement it was.
 *
 * ### Examples
 *
 * ```ts
 * await sql`copy events from '/tmp/events.csv'`.execute(db)
 * // UnsupportedLoadStatementError: MotherDuck's Postgres endpoint does not support COPY FROM a local file: …
 * ```
 */
export class UnsupportedLoadStatementError extends MotherDuckError {
  override readonly name = 'UnsupportedLoadStatementError'
  constructor(readonly kind: UnsupportedLoadKind) {
    super(
      `MotherDuck's Postgres endpoint does not support ${kind}: every statement runs on MotherDuck's servers, ` +
        'which cannot read this machine. Load rows that are in memory with insertRows(db, table, rows); load a ' +
        "file by putting it in object storage and reading it there: createTableAs(db, 'my_db.main.t', " +
        "db.selectFrom(readCsv('s3://bucket/file.csv').as('f')).selectAll()).",
    )
  }
}

// Cheap pre-filter: most statements mention none of these words and skip tokenizing.
const MENTIONS = /copy|md_run/i

/**
 * The error for a statement MotherDuck's endpoint refuses as a way to load data — `COPY … FROM STDIN`,
 * `COPY … FROM '<local file>'`, `MD_RUN = LOCAL` — or undefined. The dialect checks every statement with
 * it; call it yourself to check SQL that reaches MotherDuck some other way. Keywords inside strings,
 * quoted identifiers and comments are not mistaken for SQL; `COPY … FROM 's3://…'` (a remote file) is
 * allowed.
 *
 * ### Examples
 *
 * ```ts
 * unsupportedLoadStatement("COPY events FROM '/tmp/events.csv'")?.kind // 'COPY FROM a local file'
 * unsupportedLoadStatement("COPY events FROM 's3://bucket/events.csv'") // undefined
 * unsupportedLoadStatement("SELECT * FROM read_csv('x.csv', MD_RUN = LOCAL)")?.kind // 'MD_RUN = LOCAL'
 * ```
 */
export function unsupportedLoadStatement(sql: string): UnsupportedLoadStatementError | undefined {
  if (!MENTIONS.test(sql)) return undefined
  for (const refusal of motherDuckRefusals(sql)) {
    const kind = unsupportedLoadKind(refusal)
    if (kind !== undefined) return new UnsupportedLoadStatementError(kind)
  }
  return undefined
}

/**
 * The loading statement a refusal names, or undefined for refusals the dialect leaves to the server
 * (ATTACH, INSTALL, COPY … TO, temporary tables…): MotherDuck answers those itself.
 */
function unsupportedLoadKind(refusal: MotherDuckRefusal): UnsupportedLoadKind | undefined {
  switch (refusal.kind) {
    case 'copy-standard-stream':
      return refusal.direction === 'FROM' && refusal.stream === 'STDIN'
        ? 'COPY FROM STDIN'
        : undefined
    case 'copy-local-file':
      return refusal.direction === 'FROM' ? 'COPY FROM a local file' : undefined
    case 'md-run-local':
      return 'MD_RUN = LOCAL'
    default:
      return undefined
  }
}
