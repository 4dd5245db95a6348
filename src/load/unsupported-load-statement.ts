import { MotherDuckError } from '../errors/motherduck-error.js'
import { hasRemoteScheme } from '../motherduck/remote-path.js'
import { isKeyword, type SqlToken, splitStatements, tokenizeSql } from '../sql/sql-tokenizer.js'

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
  let statements: SqlToken[][]
  try {
    statements = splitStatements(tokenizeSql(sql))
  } catch {
    return undefined // not lexable: let the server report the syntax error
  }
  for (const tokens of statements) {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      if (isKeyword(token, 'MD_RUN')) {
        const operator = tokens[i + 1]
        if (
          operator?.kind === 'operator' &&
          ['=', ':=', '=>'].includes(operator.text) &&
          isKeyword(tokens[i + 2], 'LOCAL')
        ) {
          return new UnsupportedLoadStatementError('MD_RUN = LOCAL')
        }
      }
    }
    if (!isKeyword(tokens[0], 'COPY')) continue
    // COPY <table> [(columns)] FROM <source>: a FROM directly inside COPY, not in a subquery.
    let depth = 0
    for (let i = 1; i < tokens.length; i++) {
      const token = tokens[i]!
      if (token.kind === 'operator' && token.text === '(') depth++
      else if (token.kind === 'operator' && token.text === ')') depth--
      else if (depth === 0 && isKeyword(token, 'FROM')) {
        const source = tokens[i + 1]
        if (isKeyword(source, 'STDIN')) return new UnsupportedLoadStatementError('COPY FROM STDIN')
        if (source?.kind === 'string' && !hasRemoteScheme(source.value ?? '')) {
          return new UnsupportedLoadStatementError('COPY FROM a local file')
        }
        break
      }
    }
  }
  return undefined
}
