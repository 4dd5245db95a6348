import { type SessionCommand, sessionCommand } from './session-command.js'
import { type SetCommand, setCommand } from './set-command.js'
import {
  isKeyword,
  type SqlToken,
  splitStatements as splitTokens,
  tokenizeSql,
} from './sql-tokenizer.js'

/**
 * What the session needs to know about each statement of a query string before DuckDB runs it:
 * whether the string is empty, which statements end or start a transaction, and the leading keywords
 * that name a command tag (`CREATE TABLE`, `DROP VIEW`…). DuckDB parses the SQL; this only reads
 * the tokens of the endpoint's SQL lexer, so literals, quoted names and comments never count.
 */

/** How a statement affects the transaction, as Postgres classifies it. */
export type TransactionControl = 'begin' | 'commit' | 'rollback'

export interface StatementInfo {
  /** The first words of the statement, upper-case (at most eight). */
  readonly keywords: readonly string[]
  /** Whether a RETURNING keyword appears outside parentheses (DML that returns rows). */
  readonly returning: boolean
  /** Set for BEGIN/START TRANSACTION, COMMIT/END, ROLLBACK/ABORT. */
  readonly transaction?: TransactionControl
  /** Set for `SET name = value` and `RESET name`: the setting, its scope and value. */
  readonly setting?: SetCommand
  /** Set for the Postgres session commands the endpoint answers itself (SHOW, BEGIN modes, DEALLOCATE…). */
  readonly command?: SessionCommand
}

const MAX_KEYWORDS = 8

/**
 * The one statement of a query string the lexer cannot finish (an unterminated literal): DuckDB will
 * say what is wrong.
 */
export const UNREADABLE_STATEMENT: StatementInfo = { keywords: [], returning: false }

/**
 * Splits a query string into its non-empty statements. An empty result means the string holds only
 * whitespace, comments and semicolons (Postgres answers it with EmptyQueryResponse).
 *
 * ### Examples
 * ```ts
 * splitStatements("BEGIN; INSERT INTO t VALUES (';') RETURNING id; -- done")
 * // [{ keywords: ['BEGIN'], transaction: 'begin', … }, { keywords: ['INSERT', 'INTO', 'T', 'VALUES', 'RETURNING', 'ID'], returning: true }]
 * ```
 */
export function splitStatements(sql: string): StatementInfo[] {
  let tokens: SqlToken[]
  try {
    tokens = tokenizeSql(sql)
  } catch {
    return [UNREADABLE_STATEMENT]
  }
  return splitTokens(tokens).map(describeStatement)
}

/**
 * The info of one statement given as its significant tokens (one entry of the tokenizer's
 * `splitStatements`), for callers that already lexed the query string and must not lex it again.
 *
 * ### Examples
 * ```ts
 * describeStatement(splitTokens(tokenizeSql('COMMIT'))[0]!) // { keywords: ['COMMIT'], returning: false, transaction: 'commit' }
 * ```
 */
export function describeStatement(tokens: readonly SqlToken[]): StatementInfo {
  const keywords: string[] = []
  let returning = false
  let depth = 0
  for (const token of tokens) {
    if (token.kind === 'operator') {
      if (token.text === '(') depth++
      else if (token.text === ')' && depth > 0) depth--
    } else if (token.kind === 'word') {
      if (keywords.length < MAX_KEYWORDS) keywords.push(token.text.toUpperCase())
      if (depth === 0 && isKeyword(token, 'RETURNING')) returning = true
    }
  }
  const command = sessionCommand(tokens)
  // A BEGIN that breaks the grammar is a syntax error, not a BEGIN.
  const transaction = command?.kind === 'syntax-error' ? undefined : transactionControlOf(keywords)
  if (transaction !== undefined) {
    return command === undefined
      ? { keywords, returning, transaction }
      : { keywords, returning, transaction, command }
  }
  if (command !== undefined) return { keywords, returning, command }
  const setting = keywords[0] === 'SET' || keywords[0] === 'RESET' ? setCommand(tokens) : undefined
  return setting === undefined ? { keywords, returning } : { keywords, returning, setting }
}

/**
 * The text of each non-empty statement of a query string, from its first significant token to its
 * last (the `;` left out), in the order `splitStatements` lists them; undefined when the lexer cannot
 * read the string.
 *
 * ### Examples
 * ```ts
 * statementTexts("SHOW TimeZone; SELECT ';' -- x") // ['SHOW TimeZone', "SELECT ';'"]
 * ```
 */
export function statementTexts(sql: string): string[] | undefined {
  let tokens: SqlToken[]
  try {
    tokens = tokenizeSql(sql)
  } catch {
    return undefined
  }
  return splitTokens(tokens).map((statement) =>
    sql.slice(statement[0]!.start, statement[statement.length - 1]!.end),
  )
}

function transactionControlOf(keywords: readonly string[]): TransactionControl | undefined {
  switch (keywords[0]) {
    case 'BEGIN':
      return 'begin'
    case 'START':
      return keywords[1] === 'TRANSACTION' ? 'begin' : undefined
    case 'COMMIT':
    case 'END':
      return 'commit'
    case 'ROLLBACK':
    case 'ABORT': {
      // ROLLBACK TO SAVEPOINT does not end the transaction (DuckDB has no savepoints anyway).
      const to = keywords[1] === 'WORK' || keywords[1] === 'TRANSACTION' ? 2 : 1
      return keywords[to] === 'TO' ? undefined : 'rollback'
    }
    default:
      return undefined
  }
}
