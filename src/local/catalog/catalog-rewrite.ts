import { type SqlToken, tokenizeSql } from '../../sql/sql-tokenizer.js'
import { DUCKDB_OID_TYPE } from './oid-types.js'
import {
  CAST_FUNCTIONS,
  EXPAND_ARRAY,
  SHADOWED_FUNCTIONS,
  SHADOWED_VIEWS,
} from './session-catalog.js'

/**
 * The two things a session's catalog objects cannot do by themselves, done on the query's tokens (never
 * on its raw text, so nothing inside a string, a quoted name or a comment changes):
 *
 * - `pg_catalog.version()`, `pg_catalog.pg_attribute`, `information_schema._pg_expandarray(…)`: DuckDB
 *   resolves `pg_catalog.` and `information_schema.` only in its system catalog, where a session cannot
 *   define anything, so the qualifier is dropped before the names the session shadows (its temporary
 *   objects come first on every search path).
 * - `x::regclass`, `x::regtype` (DuckDB has no such types): `__pg_regclass(x)` (the oid), and
 *   `x::regclass::text` → `__pg_regclass_text(x)` (the name), as Postgres reads and prints them.
 * - `x::oid`, `$1::oid[]`: DuckDB reads `oid` as BIGINT; Postgres' oid is an unsigned 32-bit integer,
 *   DuckDB's UINTEGER, which a statement that reads the catalog announces as `oid` (see oid-types.ts).
 */

/** The catalog views whose type columns are oids. */
const SHADOWED_VIEW_NAMES = new Set<string>(SHADOWED_VIEWS)

/** Names whose `pg_catalog.` qualifier is dropped. */
const UNQUALIFIED_IN_PG_CATALOG = new Set<string>([...SHADOWED_VIEWS, ...SHADOWED_FUNCTIONS])

/** Casts after a reg type that read it as text (its name) rather than as an oid. */
const TEXT_TYPES = new Set(['text', 'varchar', 'name', 'string'])

/** Keywords: never an operand, nor a function's name before `(`. */
const NOT_FUNCTION_NAMES = new Set([
  'and',
  'or',
  'not',
  'in',
  'select',
  'where',
  'on',
  'when',
  'then',
  'else',
  'as',
  'by',
  'from',
  'exists',
  'any',
  'all',
  'values',
  'is',
  'like',
  'between',
  'case',
  'return',
  'using',
  'having',
  'join',
])

/** A query as DuckDB is to read it. */
export interface CatalogStatement {
  readonly sql: string
  /**
   * Whether the query reads the session's catalog types (a shadowed catalog view, or a cast to oid):
   * its UINTEGER values are then Postgres oids, and announced as such.
   */
  readonly oidTyped: boolean
}

/** A piece of the output, from the token at `from` on. */
interface Piece {
  readonly from: number
  readonly text: string
}

/**
 * The query with catalog qualifiers dropped and reg casts replaced (see above); the same string when
 * there is nothing to do. A query the lexer cannot read is returned as it is, for DuckDB to report.
 *
 * ### Examples
 *
 * ```ts
 * rewriteCatalogQuery("select pg_catalog.version()") // 'select version()'
 * rewriteCatalogQuery("select a.attrelid::regclass::text") // 'select __pg_regclass_text(a.attrelid)'
 * rewriteCatalogQuery("select '::regclass'") // unchanged
 * ```
 */
export function rewriteCatalogQuery(sql: string): string {
  return rewriteCatalogStatement(sql).sql
}

/**
 * {@link rewriteCatalogQuery}, and whether the query reads the catalog's oid-typed columns.
 *
 * ### Examples
 *
 * ```ts
 * rewriteCatalogStatement('select oid from pg_type where oid = any($1::oid[])')
 * // { sql: 'select oid from pg_type where oid = any($1::UINTEGER[])', oidTyped: true }
 * rewriteCatalogStatement('select 1') // { sql: 'select 1', oidTyped: false }
 * ```
 */
export function rewriteCatalogStatement(sql: string): CatalogStatement {
  if (!/pg_|information_schema|regclass|regtype|oid/i.test(sql)) return { sql, oidTyped: false }
  let tokens: SqlToken[]
  try {
    tokens = tokenizeSql(sql)
  } catch {
    return { sql, oidTyped: false }
  }
  const pieces: Piece[] = []
  let changed = false
  let oidTyped = false
  let i = 0
  while (i < tokens.length) {
    if (isOidCast(tokens, i)) {
      pieces.push({ from: i, text: DUCKDB_OID_TYPE })
      i++
      changed = true
      oidTyped = true
      continue
    }
    if (SHADOWED_VIEW_NAMES.has(nameOf(tokens[i]) ?? '')) oidTyped = true
    const dropped = droppedQualifier(tokens, i)
    if (dropped !== undefined) {
      i = dropped
      changed = true
      continue
    }
    const cast = regCast(tokens, i)
    if (cast !== undefined) {
      const start = operandStart(tokens, i)
      if (start !== undefined) {
        let operand = ''
        while (pieces.length > 0 && pieces[pieces.length - 1]!.from >= start)
          operand = pieces.pop()!.text + operand
        const helper = CAST_FUNCTIONS[cast.type]
        pieces.push({
          from: start,
          text: `${cast.asText ? helper.text : helper.oid}(${operand.trim()})`,
        })
        i = cast.end
        changed = true
        continue
      }
    }
    pieces.push({ from: i, text: tokens[i]!.text })
    i++
  }
  return { sql: changed ? pieces.map((piece) => piece.text).join('') : sql, oidTyped }
}

/** At the `oid` of `:: [pg_catalog.] oid`? */
function isOidCast(tokens: readonly SqlToken[], i: number): boolean {
  if (nameOf(tokens[i]) !== 'oid') return false
  let before = previousSignificant(tokens, i)
  if (isOperator(tokens[before], '.')) {
    const schema = previousSignificant(tokens, before)
    if (nameOf(tokens[schema]) !== 'pg_catalog') return false
    before = previousSignificant(tokens, schema)
  }
  return isOperator(tokens[before], '::')
}

/** The lower-cased name of a word or quoted identifier. */
function nameOf(token: SqlToken | undefined): string | undefined {
  if (token === undefined) return undefined
  if (token.kind === 'word') return token.text.toLowerCase()
  if (token.kind === 'identifier') return token.value
  return undefined
}

function isOperator(token: SqlToken | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'operator' && token.text === text
}

/** Index of the next significant token at or after `i` (tokens.length if none). */
function nextSignificant(tokens: readonly SqlToken[], i: number): number {
  let j = i
  while (j < tokens.length && (tokens[j]!.kind === 'space' || tokens[j]!.kind === 'comment')) j++
  return j
}

/** Index of the significant token before `i` (-1 if none). */
function previousSignificant(tokens: readonly SqlToken[], i: number): number {
  let j = i - 1
  while (j >= 0 && (tokens[j]!.kind === 'space' || tokens[j]!.kind === 'comment')) j--
  return j
}

/**
 * At `pg_catalog . <shadowed>` or `information_schema . _pg_expandarray` (not itself after a `.`, as in
 * `db.pg_catalog.x`): the index of the name, whose qualifier is to be dropped.
 */
function droppedQualifier(tokens: readonly SqlToken[], i: number): number | undefined {
  const schema = nameOf(tokens[i])
  if (schema !== 'pg_catalog' && schema !== 'information_schema') return undefined
  if (isOperator(tokens[previousSignificant(tokens, i)], '.')) return undefined
  const dot = nextSignificant(tokens, i + 1)
  if (!isOperator(tokens[dot], '.')) return undefined
  const nameIndex = nextSignificant(tokens, dot + 1)
  const name = nameOf(tokens[nameIndex])
  if (name === undefined) return undefined
  if (name === 'oid' && isOidCast(tokens, nameIndex)) return nameIndex
  const shadowed =
    schema === 'pg_catalog' ? UNQUALIFIED_IN_PG_CATALOG.has(name) : name === EXPAND_ARRAY
  return shadowed ? nameIndex : undefined
}

/**
 * At `:: [pg_catalog.] regclass|regtype [:: text]`: the type, whether a text cast follows, and the
 * index after the cast(s).
 */
function regCast(
  tokens: readonly SqlToken[],
  i: number,
): { type: keyof typeof CAST_FUNCTIONS; asText: boolean; end: number } | undefined {
  if (!isOperator(tokens[i], '::')) return undefined
  let j = nextSignificant(tokens, i + 1)
  if (
    nameOf(tokens[j]) === 'pg_catalog' &&
    isOperator(tokens[nextSignificant(tokens, j + 1)], '.')
  ) {
    j = nextSignificant(tokens, nextSignificant(tokens, j + 1) + 1)
  }
  const type = nameOf(tokens[j])
  if (type !== 'regclass' && type !== 'regtype') return undefined
  const after = nextSignificant(tokens, j + 1)
  if (isOperator(tokens[after], '::')) {
    const target = nextSignificant(tokens, after + 1)
    if (TEXT_TYPES.has(nameOf(tokens[target]) ?? '')) {
      return { type, asText: true, end: target + 1 }
    }
  }
  return { type, asText: false, end: j + 1 }
}

/**
 * The index of the first token of the operand a `::` at `cast` applies to: a literal, a parameter, a
 * dotted name, a parenthesised expression or a function call (itself possibly cast: `x::text::regclass`).
 */
function operandStart(tokens: readonly SqlToken[], cast: number): number | undefined {
  let j = previousSignificant(tokens, cast)
  const token = tokens[j]
  if (token === undefined) return undefined
  let start: number
  if (isOperator(token, ')') || isOperator(token, ']')) {
    const open = matchingOpen(tokens, j)
    if (open === undefined) return undefined
    start = open
    const before = previousSignificant(tokens, open)
    const name = nameOf(tokens[before])
    if (isOperator(token, ']') || (name !== undefined && !NOT_FUNCTION_NAMES.has(name))) {
      // A function call (or a subscript): take its (dotted) name, or the subscripted operand.
      if (isOperator(token, ']')) {
        const base = operandEnd(tokens, before)
        if (base === undefined) return undefined
        start = base
      } else {
        start = dottedNameStart(tokens, before)
      }
    }
  } else if (token.kind === 'string' || token.kind === 'number' || token.kind === 'parameter') {
    start = j
  } else if (nameOf(token) !== undefined) {
    if (token.kind === 'word' && NOT_FUNCTION_NAMES.has(token.text.toLowerCase())) return undefined
    start = dottedNameStart(tokens, j)
  } else {
    return undefined
  }
  j = previousSignificant(tokens, start)
  // `x::text::regclass`: the operand is `x::text`.
  if (isOperator(tokens[j], '::')) return operandStart(tokens, j)
  return start
}

/** The start of the operand ending at `end` (a subscript's base), or undefined. */
function operandEnd(tokens: readonly SqlToken[], end: number): number | undefined {
  const token = tokens[end]
  if (token === undefined) return undefined
  if (isOperator(token, ')') || isOperator(token, ']')) {
    const open = matchingOpen(tokens, end)
    if (open === undefined) return undefined
    const before = previousSignificant(tokens, open)
    if (nameOf(tokens[before]) !== undefined) return dottedNameStart(tokens, before)
    return open
  }
  if (nameOf(token) !== undefined) return dottedNameStart(tokens, end)
  return undefined
}

/** `a.b.c` ending at `j`: the index of `a`. */
function dottedNameStart(tokens: readonly SqlToken[], j: number): number {
  let start = j
  for (;;) {
    const dot = previousSignificant(tokens, start)
    if (!isOperator(tokens[dot], '.')) return start
    const part = previousSignificant(tokens, dot)
    if (nameOf(tokens[part]) === undefined) return start
    start = part
  }
}

/** The `(` or `[` matching the closing bracket at `close`. */
function matchingOpen(tokens: readonly SqlToken[], close: number): number | undefined {
  let depth = 0
  for (let j = close; j >= 0; j--) {
    const token = tokens[j]!
    if (token.kind !== 'operator') continue
    if (token.text === ')' || token.text === ']') depth++
    else if (token.text === '(' || token.text === '[') {
      depth--
      if (depth === 0) return j
    }
  }
  return undefined
}
