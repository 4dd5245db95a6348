import {
  copyTarget,
  LOAD_ADVICE,
  type MotherDuckRefusal,
  mdRunArgument,
  statementRefusals,
} from '../../motherduck/motherduck-refusals.js'
import { hasRemoteScheme } from '../../motherduck/remote-path.js'
import { quoteString } from '../../sql/quote.js'
import {
  describeStatement,
  type StatementInfo,
  UNREADABLE_STATEMENT,
} from '../../sql/sql-statements.js'
import {
  isKeyword,
  type SqlToken,
  SqlTokenizeError,
  splitStatements,
  tokenizeSql,
} from '../../sql/sql-tokenizer.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import { OTHER_SESSIONS_WORDS, refuseOtherSessionsAccess } from './other-sessions.js'

export interface MotherDuckRulesOptions {
  /** Refuse what MotherDuck's Postgres endpoint refuses (default in the endpoint: true). */
  readonly strict: boolean
  /** Remote URL prefix → local directory, e.g. `{ 's3://bucket': '/data/bucket' }`. */
  readonly objectStore: Readonly<Record<string, string>>
}

export interface RewrittenSql {
  readonly sql: string
  /** 1-based numbers of $n parameters used as reader paths */
  readonly pathParameters: readonly number[]
  /**
   * The statements of `sql` (the rewritten text DuckDB runs), exactly as `splitStatements(sql)` reads
   * them, but from the one lexing pass of the original: the session does not lex the query again.
   */
  readonly statements: readonly StatementInfo[]
}

/** Reader functions MotherDuck documents `MD_RUN` for. */
const MD_RUN_READERS = new Set([
  'read_parquet',
  'parquet_scan',
  'read_csv',
  'read_csv_auto',
  'read_json',
  'read_json_auto',
])

/** Table functions whose first argument is a path, a glob or a list of them. */
const PATH_READERS = new Set([
  ...MD_RUN_READERS,
  'read_ndjson',
  'read_ndjson_auto',
  'read_json_objects',
  'read_json_objects_auto',
  'read_ndjson_objects',
  'read_text',
  'read_blob',
  'read_xlsx',
  'parquet_metadata',
  'parquet_schema',
  'parquet_file_metadata',
  'parquet_kv_metadata',
  'sniff_csv',
  'glob',
  'delta_scan',
  'iceberg_scan',
])

function refuse(message: string, hint?: string): never {
  throw new EndpointError(SqlState.FeatureNotSupported, message, hint === undefined ? {} : { hint })
}

/** What the local endpoint adds to a refusal's advice: where its emulation differs from MotherDuck. */
const LOCAL_ADVICE: Partial<Record<MotherDuckRefusal['kind'], string>> = {
  attach: 'Locally, list them in the databases option of startLocalEndpoint.',
}

/** Strict mode answers a MotherDuck refusal as MotherDuck does: SQLSTATE 0A000 and what to do instead. */
function refuseAsMotherDuck(refusal: MotherDuckRefusal, options: MotherDuckRulesOptions): void {
  // A COPY under a mapped prefix reads the local stand-in for object storage (mapped below).
  if (refusal.kind === 'copy-local-file' && isMapped(refusal.path, options.objectStore)) return
  const local = LOCAL_ADVICE[refusal.kind]
  refuse(refusal.message, local === undefined ? refusal.advice : `${refusal.advice} ${local}`)
}

function normalizePrefix(prefix: string): string {
  return prefix.replace(/\/+$/, '')
}

/**
 * The local path for a remote URL under a mapped object-store prefix (longest prefix wins, matched at a
 * path boundary), or the path unchanged when no prefix maps it. Globs pass through; `.` and `..` are
 * resolved, and a path whose `..` leaves its prefix throws EndpointError('42501').
 *
 * ### Examples
 * ```ts
 * mapObjectStorePath('s3://bucket/2024/*.parquet', { 's3://bucket': '/data/bucket' })
 * // '/data/bucket/2024/*.parquet'
 * ```
 */
export function mapObjectStorePath(
  path: string,
  objectStore: Readonly<Record<string, string>>,
): string {
  let best: { prefix: string; dir: string } | undefined
  for (const [rawPrefix, dir] of Object.entries(objectStore)) {
    const prefix = normalizePrefix(rawPrefix)
    if (path !== prefix && !path.startsWith(`${prefix}/`)) continue
    if (best === undefined || prefix.length > best.prefix.length) best = { prefix, dir }
  }
  if (best === undefined) return path
  return `${normalizePrefix(best.dir)}${pathUnderPrefix(path, best.prefix)}`
}

/**
 * The part of `path` after its mapped `prefix`, with `.` and `..` segments resolved, so that it names a
 * file under the prefix's folder; a path that climbs out of it (`s3://bucket/../x`) is refused (42501).
 */
function pathUnderPrefix(path: string, prefix: string): string {
  const segments: string[] = []
  for (const segment of path.slice(prefix.length).split('/')) {
    if (segment === '.') continue
    if (segment !== '..') segments.push(segment)
    else if (segments.length > 1) segments.pop()
    else {
      throw new EndpointError(
        SqlState.InsufficientPrivilege,
        `${path} leaves the object-store prefix ${prefix}: '..' may not climb above it.`,
        { hint: `Name a file under ${prefix}/ without '..' segments that leave it.` },
      )
    }
  }
  return segments.join('/')
}

function isMapped(path: string, objectStore: Readonly<Record<string, string>>): boolean {
  return mapObjectStorePath(path, objectStore) !== path
}

/**
 * A path a reader (or COPY) would open: its local replacement when mapped; otherwise the path itself,
 * unless strict mode refuses it (a local file, or a remote URL httpfs cannot fetch offline).
 */
export function resolveReaderPath(path: string, options: MotherDuckRulesOptions): string {
  const mapped = mapObjectStorePath(path, options.objectStore)
  if (mapped !== path || !options.strict) return mapped
  if (hasRemoteScheme(path)) {
    const prefix = /^[a-z0-9]+:\/\/[^/]*/i.exec(path)?.[0] ?? path
    refuse(
      `The local endpoint cannot read ${path}: httpfs is not available offline, and no objectStore prefix maps it.`,
      `Map the prefix to a local directory with the objectStore option, e.g. objectStore: { '${prefix}': './data' }.`,
    )
  }
  refuse(
    `MotherDuck's Postgres endpoint cannot read files on your machine ('${path}'): the query runs on MotherDuck's servers.`,
    `Put the file in object storage and read it from there (read_parquet('s3://…'); locally, map that prefix with the objectStore option), or ${LOAD_ADVICE.charAt(0).toLowerCase()}${LOAD_ADVICE.slice(1)}`,
  )
}

interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

/** Index of the `)` matching the `(` at `open`, or the statement's end. */
function closingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    const text = tokens[i]!.kind === 'operator' ? tokens[i]!.text : ''
    if (text === '(' || text === '[' || text === '{') depth++
    else if (text === ')' || text === ']' || text === '}') {
      depth--
      if (depth === 0) return i
    }
  }
  return tokens.length
}

/** Argument token ranges [from, to) of the call whose `(` is at `open` and `)` at `close`. */
function callArguments(
  tokens: readonly SqlToken[],
  open: number,
  close: number,
): [number, number][] {
  const args: [number, number][] = []
  let depth = 0
  let from = open + 1
  for (let i = open + 1; i < close; i++) {
    const text = tokens[i]!.kind === 'operator' ? tokens[i]!.text : ''
    if (text === '(' || text === '[' || text === '{') depth++
    else if (text === ')' || text === ']' || text === '}') depth--
    else if (text === ',' && depth === 0) {
      args.push([from, i])
      from = i + 1
    }
  }
  if (from < close) args.push([from, close])
  return args
}

class StatementRules {
  readonly edits: Edit[] = []
  /** Start offsets of the tokens an edit removes, so the statement's info leaves them out too. */
  readonly removed = new Set<number>()
  readonly pathParameters = new Set<number>()
  /** Start offsets of string tokens already treated as paths. */
  private readonly seen = new Set<number>()

  constructor(private readonly options: MotherDuckRulesOptions) {}

  /** A string token that is a reader path: map it, or refuse it in strict mode. */
  private path(token: SqlToken): void {
    if (this.seen.has(token.start)) return
    this.seen.add(token.start)
    const path = token.value ?? ''
    const resolved = resolveReaderPath(path, this.options)
    if (resolved !== path)
      this.edits.push({ start: token.start, end: token.end, text: quoteString(resolved) })
  }

  /** The first argument of a reader: a path, a list of paths, or a parameter. */
  private pathArgument(tokens: readonly SqlToken[], from: number, to: number): void {
    const first = tokens[from]
    if (first === undefined) return
    if (to - from === 1 && first.kind === 'string') this.path(first)
    else if (to - from === 1 && first.kind === 'parameter')
      this.pathParameters.add(first.parameter!)
    else if (first.kind === 'operator' && first.text === '[') {
      for (let i = from + 1; i < to; i++) {
        const token = tokens[i]!
        if (token.kind === 'string') this.path(token)
        else if (token.kind === 'parameter') this.pathParameters.add(token.parameter!)
      }
    }
  }

  private readerCall(tokens: readonly SqlToken[], nameIndex: number): void {
    const name = tokens[nameIndex]!.text.toLowerCase()
    const open = nameIndex + 1
    const close = closingParen(tokens, open)
    const args = callArguments(tokens, open, close)
    const [firstFrom, firstTo] = args[0] ?? [open + 1, open + 1]
    this.pathArgument(tokens, firstFrom, firstTo)
    if (!MD_RUN_READERS.has(name)) return
    for (let a = 1; a < args.length; a++) {
      const [from, to] = args[a]!
      const argument = mdRunArgument(tokens, from, to)
      if (argument === undefined) continue
      // Strict mode has refused MD_RUN = LOCAL already (a MotherDuck refusal); lenient mode runs it here.
      const { mode, value } = argument
      if (mode !== 'LOCAL' && mode !== 'REMOTE' && mode !== 'AUTO') {
        throw new EndpointError(
          SqlState.InvalidParameterValue,
          `MD_RUN must be REMOTE, AUTO or LOCAL, not ${value.text}.`,
        )
      }
      // Drop `, MD_RUN = …` (the comma before it included) so DuckDB never sees the argument.
      const comma = tokens[from - 1]!
      this.edits.push({ start: comma.start, end: tokens[to - 1]!.end, text: '' })
      for (let i = from - 1; i < to; i++) this.removed.add(tokens[i]!.start)
    }
  }

  /** COPY's file: mapped like a reader path (strict mode has refused STDIN/STDOUT and local files). */
  private copy(tokens: readonly SqlToken[]): void {
    const copy = copyTarget(tokens)
    if (copy === undefined) return
    const target = tokens[copy.index]
    if (target?.kind === 'string') this.path(target)
    else if (target?.kind === 'parameter') this.pathParameters.add(target.parameter!)
  }

  apply(tokens: readonly SqlToken[]): void {
    if (this.options.strict) {
      for (const refusal of statementRefusals(tokens)) refuseAsMotherDuck(refusal, this.options)
      refuseOtherSessionsAccess(tokens)
    }
    this.copy(tokens)
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      const next = tokens[i + 1]
      if (
        token.kind === 'word' &&
        PATH_READERS.has(token.text.toLowerCase()) &&
        next?.kind === 'operator' &&
        next.text === '(' &&
        !(tokens[i - 1]?.kind === 'operator' && tokens[i - 1]!.text === '.')
      ) {
        this.readerCall(tokens, i)
      } else if (
        (isKeyword(token, 'FROM') || isKeyword(token, 'JOIN')) &&
        next?.kind === 'string'
      ) {
        // DuckDB reads a quoted file name in FROM as a table: SELECT * FROM 'data.parquet'.
        this.path(next)
      }
    }
  }
}

/** A string literal, or a word one of the rules acts on (a superset: comments and identifiers match too). */
const MIGHT_APPLY = new RegExp(
  `'|\\b(?:copy|attach|detach|install|load|secret|temp|temporary|md_run|${[...PATH_READERS, ...OTHER_SESSIONS_WORDS].join('|')})\\b`,
  'i',
)

/**
 * Applies MotherDuck's documented rules to one query string (which may hold several statements):
 * `MD_RUN = REMOTE | AUTO` is removed from reader calls, reader paths under a mapped object-store prefix
 * are replaced by the local directory, and in strict mode what MotherDuck's Postgres endpoint refuses
 * (MD_RUN = LOCAL, COPY FROM STDIN / TO STDOUT and local files, local-file reads, ATTACH/DETACH,
 * INSTALL/LOAD, CREATE SECRET, temporary tables) throws EndpointError('0A000') saying what to do instead.
 *
 * ### Examples
 * ```ts
 * applyMotherDuckRules("SELECT * FROM read_parquet('s3://bucket/x.parquet', MD_RUN = REMOTE)", {
 *   strict: true,
 *   objectStore: { 's3://bucket': '/data' },
 * })
 * // { sql: "SELECT * FROM read_parquet('/data/x.parquet')", pathParameters: [],
 * //   statements: [{ keywords: ['SELECT', 'FROM', 'READ_PARQUET'], returning: false }] }
 * ```
 */
export function applyMotherDuckRules(sql: string, options: MotherDuckRulesOptions): RewrittenSql {
  // The only lexing pass of a query: the rules and the statements' infos both read these tokens.
  let statements: SqlToken[][]
  try {
    statements = splitStatements(tokenizeSql(sql))
  } catch (error) {
    // Let DuckDB report the syntax error in its own words.
    if (error instanceof SqlTokenizeError) {
      return { sql, pathParameters: [], statements: [UNREADABLE_STATEMENT] }
    }
    throw error
  }
  // Most statements (every parameterised Kysely query) hold no string literal and none of the words
  // the rules look at: skip walking their tokens.
  if (!MIGHT_APPLY.test(sql)) {
    return { sql, pathParameters: [], statements: statements.map(describeStatement) }
  }
  const edits: Edit[] = []
  const pathParameters = new Set<number>()
  const infos: StatementInfo[] = []
  for (const statement of statements) {
    const rules = new StatementRules(options)
    rules.apply(statement)
    edits.push(...rules.edits)
    for (const parameter of rules.pathParameters) pathParameters.add(parameter)
    // Replaced paths stay one string token each; removed MD_RUN arguments leave the statement.
    infos.push(describeStatement(statement.filter((token) => !rules.removed.has(token.start))))
  }
  let rewritten = sql
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    rewritten = rewritten.slice(0, edit.start) + edit.text + rewritten.slice(edit.end)
  }
  return {
    sql: rewritten,
    pathParameters: [...pathParameters].sort((a, b) => a - b),
    statements: infos,
  }
}
