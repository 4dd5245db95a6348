/**
 * What the session needs to know about each statement of a query string before DuckDB runs it:
 * whether the string is empty, which statements end or start a transaction, and the leading keywords
 * that name a command tag (`CREATE TABLE`, `DROP VIEW`…). DuckDB parses the SQL; this only tokenises
 * it, enough to skip string literals, quoted identifiers, comments and dollar-quoted bodies.
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
}

const MAX_KEYWORDS = 8

/**
 * Splits a query string into its non-empty statements. An empty result means the string holds only
 * whitespace, comments and semicolons (Postgres answers it with EmptyQueryResponse).
 *
 * ### Examples
 * ```ts
 * splitStatements("BEGIN; INSERT INTO t VALUES (';') RETURNING id; -- done")
 * // [{ keywords: ['BEGIN'], transaction: 'begin', … }, { keywords: ['INSERT', 'INTO', 'T', 'VALUES'], returning: true }]
 * ```
 */
export function splitStatements(sql: string): StatementInfo[] {
  const statements: StatementInfo[] = []
  let keywords: string[] = []
  let returning = false
  let tokens = 0
  let depth = 0
  const finish = (): void => {
    if (tokens > 0) statements.push(describe(keywords, returning))
    keywords = []
    returning = false
    tokens = 0
    depth = 0
  }
  const length = sql.length
  let i = 0
  while (i < length) {
    const ch = sql.charCodeAt(i)
    if (isSpace(ch)) {
      i++
    } else if (ch === 0x2d /* - */ && sql.charCodeAt(i + 1) === 0x2d) {
      const end = sql.indexOf('\n', i + 2)
      i = end === -1 ? length : end + 1
    } else if (ch === 0x2f /* / */ && sql.charCodeAt(i + 1) === 0x2a /* * */) {
      i = skipBlockComment(sql, i)
    } else if (ch === 0x3b /* ; */) {
      finish()
      i++
    } else if (ch === 0x27 /* ' */) {
      tokens++
      i = skipQuoted(sql, i, 0x27, false)
    } else if (ch === 0x22 /* " */) {
      tokens++
      i = skipQuoted(sql, i, 0x22, false)
    } else if (ch === 0x24 /* $ */) {
      tokens++
      i = skipDollar(sql, i)
    } else if (isWordStart(ch)) {
      let end = i + 1
      while (end < length && isWordPart(sql.charCodeAt(end))) end++
      const word = sql.slice(i, end)
      tokens++
      // E'…' is a string with backslash escapes.
      if ((word === 'E' || word === 'e') && sql.charCodeAt(end) === 0x27) {
        i = skipQuoted(sql, end, 0x27, true)
        continue
      }
      const upper = word.toUpperCase()
      if (keywords.length < MAX_KEYWORDS) keywords.push(upper)
      if (depth === 0 && upper === 'RETURNING') returning = true
      i = end
    } else {
      tokens++
      if (ch === 0x28 /* ( */) depth++
      else if (ch === 0x29 /* ) */ && depth > 0) depth--
      i++
    }
  }
  finish()
  return statements
}

function describe(keywords: readonly string[], returning: boolean): StatementInfo {
  const transaction = transactionControlOf(keywords)
  return transaction === undefined ? { keywords, returning } : { keywords, returning, transaction }
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
    case 'ABORT':
      // ROLLBACK TO SAVEPOINT does not end the transaction (DuckDB has no savepoints anyway).
      return keywords[1] === 'TO' ? undefined : 'rollback'
    default:
      return undefined
  }
}

function isSpace(ch: number): boolean {
  return ch === 0x20 || (ch >= 0x09 && ch <= 0x0d)
}

function isWordStart(ch: number): boolean {
  return (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x61 && ch <= 0x7a) || ch === 0x5f || ch > 0x7f
}

function isWordPart(ch: number): boolean {
  return isWordStart(ch) || (ch >= 0x30 && ch <= 0x39) || ch === 0x24
}

/** Index after a quoted token starting at `start`; a doubled quote is an escaped quote. */
function skipQuoted(sql: string, start: number, quote: number, backslashEscapes: boolean): number {
  let i = start + 1
  while (i < sql.length) {
    const ch = sql.charCodeAt(i)
    if (backslashEscapes && ch === 0x5c /* \ */) {
      i += 2
    } else if (ch === quote) {
      if (sql.charCodeAt(i + 1) === quote) i += 2
      else return i + 1
    } else {
      i++
    }
  }
  return sql.length
}

/** Block comments nest in Postgres and DuckDB. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0
  let i = start
  while (i < sql.length) {
    if (sql.charCodeAt(i) === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
      depth++
      i += 2
    } else if (sql.charCodeAt(i) === 0x2a && sql.charCodeAt(i + 1) === 0x2f) {
      depth--
      i += 2
      if (depth === 0) return i
    } else {
      i++
    }
  }
  return sql.length
}

/** `$1` is a parameter; `$tag$ … $tag$` (tag possibly empty) is a dollar-quoted string. */
function skipDollar(sql: string, start: number): number {
  let i = start + 1
  if (i < sql.length && sql.charCodeAt(i) >= 0x30 && sql.charCodeAt(i) <= 0x39) {
    while (i < sql.length && sql.charCodeAt(i) >= 0x30 && sql.charCodeAt(i) <= 0x39) i++
    return i
  }
  while (i < sql.length && isWordPart(sql.charCodeAt(i)) && sql.charCodeAt(i) !== 0x24) i++
  if (sql.charCodeAt(i) !== 0x24) return start + 1
  const tag = sql.slice(start, i + 1)
  const end = sql.indexOf(tag, i + 1)
  return end === -1 ? sql.length : end + tag.length
}
