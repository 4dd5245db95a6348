import {
  isKeyword,
  type SqlToken,
  SqlTokenizeError,
  splitStatements,
  tokenizeSql,
} from '../sql/sql-tokenizer.js'
import { hasRemoteScheme } from './remote-path.js'

/**
 * What MotherDuck's Postgres endpoint refuses, found in the tokens of src/sql's lexer. The dialect maps
 * the load-related findings to `UnsupportedLoadStatementError` before sending; the local endpoint maps
 * every finding to SQLSTATE 0A000 in strict mode. Both read the same findings, so they cannot drift.
 */

/** Which refusal a {@link MotherDuckRefusal} is. */
export type MotherDuckRefusalKind =
  /** `COPY … FROM STDIN`, `COPY … TO STDOUT` (and the odd `FROM STDOUT` / `TO STDIN`). */
  | 'copy-standard-stream'
  /** `COPY … FROM '<file>'` / `COPY … TO '<file>'` where the file has no remote scheme. */
  | 'copy-local-file'
  /** `MD_RUN = LOCAL` as a named argument, in any spelling (`=`, `:=`, `=>`, any case, quoted). */
  | 'md-run-local'
  /** `ATTACH …` / `DETACH …`. */
  | 'attach'
  /** `INSTALL …`, `FORCE INSTALL …`, `LOAD …`. */
  | 'extension'
  /** `CREATE [OR REPLACE] [PERSISTENT | TEMPORARY] SECRET …`, `DROP … SECRET …`. */
  | 'secret'
  /** `CREATE [OR REPLACE] [LOCAL | GLOBAL] TEMP | TEMPORARY <object> …`. */
  | 'temporary-object'

interface RefusalBase<Kind extends MotherDuckRefusalKind> {
  readonly kind: Kind
  /** Where: offsets into the scanned SQL of the tokens that decide the refusal. */
  readonly start: number
  readonly end: number
  /** What MotherDuck's Postgres endpoint does not support, as it says it. */
  readonly message: string
  /** What the user should do instead. */
  readonly advice: string
}

/** A COPY to or from the client's standard streams. */
export interface CopyStandardStreamRefusal extends RefusalBase<'copy-standard-stream'> {
  readonly direction: 'FROM' | 'TO'
  readonly stream: 'STDIN' | 'STDOUT'
}

/** A COPY to or from a file without a remote scheme. */
export interface CopyLocalFileRefusal extends RefusalBase<'copy-local-file'> {
  readonly direction: 'FROM' | 'TO'
  /** The path as written in the statement. */
  readonly path: string
}

/** `ATTACH` or `DETACH`. */
export interface AttachRefusal extends RefusalBase<'attach'> {
  readonly keyword: 'ATTACH' | 'DETACH'
}

/** A temporary table, view, sequence, macro… */
export interface TemporaryObjectRefusal extends RefusalBase<'temporary-object'> {
  /** The object kind as written, lower-case (`table`, `view`…). */
  readonly object: string
}

/** One statement MotherDuck's Postgres endpoint refuses: what, where, and what to do instead. */
export type MotherDuckRefusal =
  | CopyStandardStreamRefusal
  | CopyLocalFileRefusal
  | RefusalBase<'md-run-local'>
  | AttachRefusal
  | RefusalBase<'extension'>
  | RefusalBase<'secret'>
  | TemporaryObjectRefusal

/** How to load data through MotherDuck's Postgres endpoint instead of COPY FROM or a local file. */
export const LOAD_ADVICE =
  "Load rows with multi-row INSERT … VALUES in batches (insertRows in kysely-motherduck), or put the file in object storage and use CREATE TABLE … AS SELECT * FROM read_parquet('s3://…')."

/**
 * Every refusal in a query string (which may hold several statements), in statement order. SQL the lexer
 * cannot finish yields none: the server reports the syntax error. Keywords inside strings, quoted
 * identifiers and comments are never mistaken for SQL.
 *
 * ### Examples
 * ```ts
 * motherDuckRefusals("SELECT 1; COPY t FROM '/tmp/t.csv'")[0]?.kind // 'copy-local-file'
 * motherDuckRefusals("SELECT * FROM read_csv('s3://b/x.csv', md_run => 'local')")[0]?.kind // 'md-run-local'
 * motherDuckRefusals("COPY t FROM 's3://bucket/t.csv'") // []
 * ```
 */
export function motherDuckRefusals(sql: string): MotherDuckRefusal[] {
  let tokens: SqlToken[]
  try {
    tokens = tokenizeSql(sql)
  } catch (error) {
    if (error instanceof SqlTokenizeError) return []
    throw error
  }
  return splitStatements(tokens).flatMap(statementRefusals)
}

/**
 * The refusals in one statement, given as its significant tokens (an entry of the tokenizer's
 * `splitStatements`): leading-keyword refusals first, then COPY's, then `MD_RUN = LOCAL` arguments.
 */
export function statementRefusals(tokens: readonly SqlToken[]): MotherDuckRefusal[] {
  const refusals: MotherDuckRefusal[] = []
  const leading = leadingKeywordRefusal(tokens)
  if (leading !== undefined) refusals.push(leading)
  const copy = copyRefusal(tokens)
  if (copy !== undefined) refusals.push(copy)
  refusals.push(...mdRunLocalRefusals(tokens))
  return refusals
}

function span(from: SqlToken, to: SqlToken): { start: number; end: number } {
  return { start: from.start, end: to.end }
}

function leadingKeywordRefusal(tokens: readonly SqlToken[]): MotherDuckRefusal | undefined {
  const first = tokens[0]
  if (first === undefined) return undefined
  if (isKeyword(first, 'ATTACH') || isKeyword(first, 'DETACH')) {
    const keyword = first.text.toUpperCase() as 'ATTACH' | 'DETACH'
    return {
      kind: 'attach',
      keyword,
      ...span(first, first),
      message: `MotherDuck's Postgres endpoint does not support ${keyword}: a Postgres connection has no local attachments.`,
      advice: 'Query your other MotherDuck databases with three-part names (db.schema.table).',
    }
  }
  const force = isKeyword(first, 'FORCE') && isKeyword(tokens[1], 'INSTALL')
  if (isKeyword(first, 'INSTALL') || isKeyword(first, 'LOAD') || force) {
    return {
      kind: 'extension',
      ...span(first, force ? tokens[1]! : first),
      message: "MotherDuck's Postgres endpoint does not support installing or loading extensions.",
      advice:
        'MotherDuck loads the extensions it supports (parquet, json, icu, httpfs …) itself: drop the INSTALL/LOAD statement.',
    }
  }
  if (!isKeyword(first, 'CREATE') && !isKeyword(first, 'DROP')) return undefined
  let i = 1
  if (isKeyword(tokens[i], 'OR') && isKeyword(tokens[i + 1], 'REPLACE')) i += 2
  // Postgres' OptTemp, which DuckDB inherits: TEMP | TEMPORARY, optionally after LOCAL or GLOBAL.
  const scope = isKeyword(tokens[i], 'LOCAL') || isKeyword(tokens[i], 'GLOBAL')
  const isTemp = (token: SqlToken | undefined) =>
    isKeyword(token, 'TEMP') || isKeyword(token, 'TEMPORARY')
  if (scope && isTemp(tokens[i + 1])) i++
  const temporary = isTemp(tokens[i])
  const persistent = isKeyword(tokens[i], 'PERSISTENT')
  const objectKind = temporary || persistent ? tokens[i + 1] : tokens[i]
  const verb = first.text.toUpperCase()
  if (isKeyword(objectKind, 'SECRET')) {
    return {
      kind: 'secret',
      ...span(first, objectKind!),
      message: `MotherDuck's Postgres endpoint does not support ${verb} SECRET.`,
      advice:
        'Manage secrets from a DuckDB client connected to MotherDuck (CREATE SECRET … IN MOTHERDUCK) or in the MotherDuck UI; queries over the Postgres endpoint then use them for s3:// reads.',
    }
  }
  if ((temporary || inTempCatalog(tokens, i + 1)) && verb === 'CREATE') {
    const object = objectKind?.text.toLowerCase() ?? 'object'
    return {
      kind: 'temporary-object',
      object,
      ...span(first, objectKind ?? tokens[i]!),
      message: `MotherDuck's Postgres endpoint does not support temporary ${object}s: it keeps no session state between statements.`,
      advice:
        'Use a CTE (WITH …) or create a regular table (CREATE TABLE …) and drop it when done.',
    }
  }
  return undefined
}

/**
 * Whether the object a CREATE names (its name at `index`, after `IF NOT EXISTS`) lives in DuckDB's
 * `temp` catalog: `CREATE TABLE temp.t …` or `temp.main.t` makes a temporary table without the keyword.
 */
function inTempCatalog(tokens: readonly SqlToken[], index: number): boolean {
  let i = index
  if (isKeyword(tokens[i], 'IF') && isKeyword(tokens[i + 1], 'NOT')) i += 3
  const name = tokens[i]
  const dot = tokens[i + 1]
  const catalog = name?.kind === 'identifier' ? name.value : name?.kind === 'word' ? name.text : ''
  return catalog?.toLowerCase() === 'temp' && dot?.kind === 'operator' && dot.text === '.'
}

/** Where a COPY statement reads or writes: the `FROM`/`TO` directly inside COPY and the token after it. */
export interface CopyTarget {
  readonly direction: 'FROM' | 'TO'
  /** Index of the target token (`STDIN`, a string, a parameter…) in the statement's tokens. */
  readonly index: number
}

/**
 * The target of a `COPY` statement (`COPY table|(query) FROM|TO target …`), or undefined for any other
 * statement and for `COPY FROM DATABASE a TO b`, which copies databases.
 */
export function copyTarget(tokens: readonly SqlToken[]): CopyTarget | undefined {
  if (!isKeyword(tokens[0], 'COPY')) return undefined
  if (isKeyword(tokens[1], 'FROM') && isKeyword(tokens[2], 'DATABASE')) return undefined
  let depth = 0
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!
    if (token.kind === 'operator' && token.text === '(') depth++
    else if (token.kind === 'operator' && token.text === ')') depth--
    else if (depth === 0 && (isKeyword(token, 'FROM') || isKeyword(token, 'TO'))) {
      return { direction: token.text.toUpperCase() as 'FROM' | 'TO', index: i + 1 }
    }
  }
  return undefined
}

function copyRefusal(tokens: readonly SqlToken[]): MotherDuckRefusal | undefined {
  const copy = copyTarget(tokens)
  if (copy === undefined) return undefined
  const { direction } = copy
  const target = tokens[copy.index]
  if (isKeyword(target, 'STDIN') || isKeyword(target, 'STDOUT')) {
    const stream = target!.text.toUpperCase() as 'STDIN' | 'STDOUT'
    return {
      kind: 'copy-standard-stream',
      direction,
      stream,
      ...span(tokens[copy.index - 1]!, target!),
      message: `MotherDuck's Postgres endpoint does not support COPY … ${direction} ${stream}.`,
      advice:
        direction === 'FROM'
          ? LOAD_ADVICE
          : 'Read the rows with a SELECT (a cursor streams large results).',
    }
  }
  if (target?.kind === 'string' && !hasRemoteScheme(target.value ?? '')) {
    const path = target.value ?? ''
    return {
      kind: 'copy-local-file',
      direction,
      path,
      ...span(tokens[copy.index - 1]!, target),
      message: `MotherDuck's Postgres endpoint does not support COPY ${direction} local files ('${path}'): the statement runs on MotherDuck's servers.`,
      advice:
        direction === 'FROM'
          ? LOAD_ADVICE
          : "Read the rows with a SELECT, or COPY … TO 's3://…' in object storage.",
    }
  }
  return undefined
}

/** An `MD_RUN` named argument: the mode upper-cased and the token that spells it. */
export interface MdRunArgument {
  /** `LOCAL`, `REMOTE`, `AUTO`, or whatever else was written, upper-case. */
  readonly mode: string
  readonly value: SqlToken
}

const NAMED_ARGUMENT_OPERATORS = new Set(['=', ':=', '=>'])

/**
 * The `MD_RUN` argument spelled by exactly the tokens `[from, to)` of a call's argument list, or
 * undefined. DuckDB takes every spelling of a named argument: `=`, `:=` or `=>`; the name in any case,
 * bare or double-quoted; the value bare, double-quoted or a string literal.
 *
 * ### Examples
 * ```ts
 * const tokens = significantTokens(tokenizeSql(`md_run => 'Local'`))
 * mdRunArgument(tokens, 0, 3)?.mode // 'LOCAL'
 * ```
 */
export function mdRunArgument(
  tokens: readonly SqlToken[],
  from: number,
  to: number,
): MdRunArgument | undefined {
  if (to - from !== 3) return undefined
  const [name, operator, value] = [tokens[from], tokens[from + 1], tokens[from + 2]]
  if (name === undefined || operator === undefined || value === undefined) return undefined
  if (wordOrName(name)?.toUpperCase() !== 'MD_RUN') return undefined
  if (operator.kind !== 'operator' || !NAMED_ARGUMENT_OPERATORS.has(operator.text)) return undefined
  // Strings and quoted names by their content, anything else (a bogus mode) by its text.
  return { mode: (value.value ?? value.text).toUpperCase(), value }
}

/** The name a bare word or a double-quoted identifier spells. */
function wordOrName(token: SqlToken): string | undefined {
  if (token.kind === 'word') return token.text
  if (token.kind === 'identifier') return token.value
  return undefined
}

/**
 * `MD_RUN = LOCAL` wherever it is a named argument of a call: an item of a parenthesised list after a
 * comma (a reader's first argument is its path), so a comparison `WHERE (md_run = local)` is not one.
 */
function mdRunLocalRefusals(tokens: readonly SqlToken[]): MotherDuckRefusal[] {
  const refusals: MotherDuckRefusal[] = []
  const openers: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    const text = token.kind === 'operator' ? token.text : ''
    if (text === '(' || text === '[' || text === '{') openers.push(text)
    else if (text === ')' || text === ']' || text === '}') openers.pop()
    if (
      openers.at(-1) !== '(' ||
      !(tokens[i - 1]?.kind === 'operator' && tokens[i - 1]!.text === ',')
    )
      continue
    const after = tokens[i + 3]
    if (after?.kind !== 'operator' || (after.text !== ',' && after.text !== ')')) continue
    const argument = mdRunArgument(tokens, i, i + 3)
    if (argument?.mode !== 'LOCAL') continue
    refusals.push({
      kind: 'md-run-local',
      ...span(token, argument.value),
      message:
        "MotherDuck's Postgres endpoint does not support MD_RUN = LOCAL: there is no local DuckDB on the client side of a Postgres connection.",
      advice:
        'Use MD_RUN = REMOTE (or leave MD_RUN out) and read the file from object storage (s3://…), or load rows with multi-row INSERT … VALUES (insertRows).',
    })
  }
  return refusals
}
