import { MotherDuckError } from '../errors/motherduck-error.js'
/**
 * A small lexer for the SQL the local endpoint inspects before DuckDB sees it (MotherDuck's rules):
 * just enough of DuckDB's (Postgres-derived) lexical grammar that a keyword inside a string literal,
 * a quoted identifier, a comment or a dollar-quoted body is never mistaken for SQL.
 */

export type SqlTokenKind =
  /** Unquoted identifier or keyword. */
  | 'word'
  /** `"double-quoted"` identifier; `value` is the name with `""` unescaped. */
  | 'identifier'
  /** `'string'`, `E'escaped'`, `$tag$dollar$tag$` (also `B''`/`X''`/`N''`); `value` is the content. */
  | 'string'
  | 'number'
  /** `$1`, `?`: `parameter` is the 1-based number (`?` counts in order of appearance). */
  | 'parameter'
  /** Punctuation and operators: `(`, `)`, `,`, `;`, `=`, `::`, `:=`, `=>`, `[`… */
  | 'operator'
  | 'comment'
  | 'space'

export interface SqlToken {
  readonly kind: SqlTokenKind
  /** The exact source text. */
  readonly text: string
  /** Offsets into the source: `sql.slice(start, end) === text`. */
  readonly start: number
  readonly end: number
  /** Unescaped content of strings and quoted identifiers. */
  readonly value?: string
  readonly parameter?: number
}

/** Thrown for input the lexer cannot finish (an unterminated string, identifier or comment). */
export class SqlTokenizeError extends MotherDuckError {
  override readonly name = 'SqlTokenizeError'
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message)
  }
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/
const DIGIT = /[0-9]/
const TWO_CHAR_OPERATORS = new Set([
  '::',
  ':=',
  '=>',
  '->',
  '<=',
  '>=',
  '<>',
  '!=',
  '||',
  '**',
  '//',
])

function unescapeE(body: string): string {
  return body.replace(
    /\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{1,3}|.)/gs,
    (_, sequence: string) => {
      const head = sequence[0]!
      if (head === 'x') return String.fromCharCode(Number.parseInt(sequence.slice(1), 16))
      if (head === 'u' || head === 'U')
        return String.fromCodePoint(Number.parseInt(sequence.slice(1), 16))
      if (/[0-7]/.test(head)) return String.fromCharCode(Number.parseInt(sequence, 8))
      const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
      return simple[head] ?? head
    },
  )
}

/** Splits `sql` into tokens covering every character, in order. */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let questionMarks = 0
  let i = 0
  const push = (kind: SqlTokenKind, start: number, end: number, extra: Partial<SqlToken> = {}) => {
    tokens.push({ kind, text: sql.slice(start, end), start, end, ...extra })
  }

  /**
   * A single-quoted body starting at the opening quote; returns [end, value]. The body is taken in
   * slices between quotes and escapes, not character by character: appending one character at a time
   * builds a chain of string pieces tens of bytes each per character of a long literal.
   */
  const quoted = (open: number, escapes: boolean): [number, string] => {
    let j = open + 1
    const pieces: string[] = []
    let from = j
    // Each search starts where the last one found something, so a long body is scanned once.
    let quote = -1
    let backslash = -1
    for (;;) {
      if (quote < j) quote = sql.indexOf("'", j)
      if (escapes && backslash !== -2 && backslash < j) {
        backslash = sql.indexOf('\\', j)
        if (backslash === -1) backslash = -2
      }
      if (quote === -1) throw new SqlTokenizeError('unterminated quoted string', open)
      if (backslash >= 0 && backslash < quote) {
        j = backslash + 2
        continue
      }
      if (sql[quote + 1] === "'") {
        pieces.push(sql.slice(from, quote), escapes ? "\\'" : "'")
        j = quote + 2
        from = j
        continue
      }
      pieces.push(sql.slice(from, quote))
      const body = pieces.join('')
      return [quote + 1, escapes ? unescapeE(body) : body]
    }
  }

  while (i < sql.length) {
    const c = sql[i]!
    const next = sql[i + 1]
    const start = i

    if (/\s/.test(c)) {
      while (i < sql.length && /\s/.test(sql[i]!)) i++
      push('space', start, i)
    } else if (c === '-' && next === '-') {
      // DuckDB's lexer ends a `--` comment at \n or \r (Postgres' too); a lexer stopping only at \n
      // would read `SELECT 1; -- x\r SELECT 2` as one statement where DuckDB runs two.
      i = commentEnd(sql, i + 2)
      push('comment', start, i)
    } else if (c === '/' && next === '*') {
      // Block comments nest, as in Postgres.
      let depth = 0
      while (i < sql.length) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++
          i += 2
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--
          i += 2
          if (depth === 0) break
        } else {
          i++
        }
      }
      if (depth !== 0) throw new SqlTokenizeError('unterminated /* comment', start)
      push('comment', start, i)
    } else if (c === "'") {
      const [end, value] = quoted(i, false)
      i = end
      push('string', start, i, { value })
    } else if (/[EeBbXxNn]/.test(c) && next === "'") {
      const [end, value] = quoted(i + 1, c === 'E' || c === 'e')
      i = end
      push('string', start, i, { value })
    } else if (c === '"') {
      let j = i + 1
      const pieces: string[] = []
      for (;;) {
        const quote = sql.indexOf('"', j)
        if (quote === -1) throw new SqlTokenizeError('unterminated quoted identifier', start)
        pieces.push(sql.slice(j, quote))
        j = quote + 1
        if (sql[j] !== '"') break
        pieces.push('"')
        j++
      }
      i = j
      push('identifier', start, i, { value: pieces.join('') })
    } else if (c === '$' && next !== undefined && DIGIT.test(next)) {
      let j = i + 1
      while (j < sql.length && DIGIT.test(sql[j]!)) j++
      i = j
      push('parameter', start, i, { parameter: Number(sql.slice(start + 1, i)) })
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i))
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length)
        if (close === -1) throw new SqlTokenizeError('unterminated dollar-quoted string', start)
        i = close + tag[0].length
        push('string', start, i, { value: sql.slice(start + tag[0].length, close) })
      } else {
        i++
        push('operator', start, i)
      }
    } else if (c === '?') {
      i++
      questionMarks++
      push('parameter', start, i, { parameter: questionMarks })
    } else if (WORD_START.test(c)) {
      while (i < sql.length && WORD_PART.test(sql[i]!)) i++
      push('word', start, i)
    } else if (DIGIT.test(c) || (c === '.' && next !== undefined && DIGIT.test(next))) {
      const number = /^(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?/.exec(sql.slice(i))
      i += number![0].length
      push('number', start, i)
    } else {
      i += TWO_CHAR_OPERATORS.has(sql.slice(i, i + 2)) ? 2 : 1
      push('operator', start, i)
    }
  }
  return tokens
}

/** Where a `--` comment whose text starts at `from` ends: at the next \n or \r, or the end of `sql`. */
function commentEnd(sql: string, from: number): number {
  for (let i = from; i < sql.length; i++) {
    const c = sql.charCodeAt(i)
    if (c === 10 || c === 13) return i
  }
  return sql.length
}

/** Tokens that carry meaning (no whitespace, no comments). */
export function significantTokens(tokens: readonly SqlToken[]): SqlToken[] {
  return tokens.filter((token) => token.kind !== 'space' && token.kind !== 'comment')
}

/** Significant tokens split into statements at top-level `;` (the `;` itself is dropped). */
export function splitStatements(tokens: readonly SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [[]]
  for (const token of significantTokens(tokens)) {
    if (token.kind === 'operator' && token.text === ';') statements.push([])
    else statements[statements.length - 1]!.push(token)
  }
  return statements.filter((statement) => statement.length > 0)
}

/** Whether `token` is the unquoted keyword `keyword` (any case). */
export function isKeyword(token: SqlToken | undefined, keyword: string): boolean {
  return token !== undefined && token.kind === 'word' && token.text.toUpperCase() === keyword
}
