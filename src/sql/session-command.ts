import { type CursorCommand, cursorCommand } from './cursor-command.js'
import { isKeyword, type SqlToken } from './sql-tokenizer.js'

/** A transaction isolation level as Postgres spells it in SHOW transaction_isolation. */
export type IsolationLevel =
  | 'serializable'
  | 'repeatable read'
  | 'read committed'
  | 'read uncommitted'

/** The modes of `BEGIN …` / `SET TRANSACTION …`; a mode left out is undefined. */
export interface TransactionModes {
  readonly isolation?: IsolationLevel
  readonly readOnly?: boolean
  readonly deferrable?: boolean
}

/**
 * A Postgres session command the local endpoint answers itself, read from a statement's tokens:
 * DuckDB's parser refuses every one of these (or, for SHOW, reads it as DESCRIBE).
 *
 * - `show`: `SHOW name`, `SHOW TIME ZONE`, `SHOW TRANSACTION ISOLATION LEVEL`
 * - `begin`: `BEGIN [WORK | TRANSACTION] modes`, `START TRANSACTION modes` (`tag` is Postgres' command tag)
 * - `transaction-modes`: `SET TRANSACTION modes` (`session: false`) and
 *   `SET SESSION CHARACTERISTICS AS TRANSACTION modes` (`session: true`)
 * - `savepoint`: `SAVEPOINT`, `RELEASE [SAVEPOINT]`, `ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT]`
 * - `deallocate`: `DEALLOCATE [PREPARE] name | ALL` (`name` null for ALL)
 * - `declare`, `fetch` (FETCH and MOVE), `close`: SQL-level cursors (see CursorCommand)
 * - `notification`: `LISTEN`, `UNLISTEN`, `NOTIFY` (asyncpg's pool sends `UNLISTEN *` on release)
 * - `set-config`: `SELECT [pg_catalog.]set_config('name', 'value', true | false) [[AS] alias]`, literals
 *   only (`column` is the alias, or `set_config`); any other use of set_config stays a query
 *
 * A statement that starts like one of these but breaks its grammar is `syntax-error`, with the token
 * Postgres would name in "syntax error at or near …" (null: "at end of input").
 */
export type SessionCommand =
  | { readonly kind: 'show'; readonly name: string }
  | {
      readonly kind: 'begin'
      readonly tag: 'BEGIN' | 'START TRANSACTION'
      readonly modes: TransactionModes
    }
  | {
      readonly kind: 'transaction-modes'
      readonly session: boolean
      readonly modes: TransactionModes
    }
  | { readonly kind: 'savepoint'; readonly verb: 'SAVEPOINT' | 'RELEASE' | 'ROLLBACK TO' }
  | { readonly kind: 'deallocate'; readonly name: string | null }
  | { readonly kind: 'notification'; readonly verb: 'LISTEN' | 'UNLISTEN' | 'NOTIFY' }
  | {
      readonly kind: 'set-config'
      readonly name: string
      readonly value: string
      readonly local: boolean
      readonly column: string
    }
  | CursorCommand

/**
 * The session command the significant tokens of one statement spell, or undefined for any other
 * statement (SET and RESET are read by `setCommand`; `SHOW ALL` and DuckDB's `SHOW TABLES` are DuckDB's).
 *
 * ### Examples
 * ```ts
 * sessionCommand(significant('SHOW TRANSACTION ISOLATION LEVEL')) // { kind: 'show', name: 'transaction_isolation' }
 * sessionCommand(significant('BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY'))
 * // { kind: 'begin', tag: 'BEGIN', modes: { isolation: 'serializable', readOnly: true } }
 * ```
 */
export function sessionCommand(tokens: readonly SqlToken[]): SessionCommand | undefined {
  const word = (index: number): string | undefined =>
    tokens[index]?.kind === 'word' ? tokens[index]!.text.toUpperCase() : undefined
  switch (word(0)) {
    case 'SHOW':
      return showCommand(tokens)
    case 'BEGIN': {
      const skip = word(1) === 'WORK' || word(1) === 'TRANSACTION' ? 2 : 1
      return withModes(tokens, skip, (modes) => ({ kind: 'begin', tag: 'BEGIN', modes }))
    }
    case 'START':
      if (word(1) !== 'TRANSACTION') return undefined
      return withModes(tokens, 2, (modes) => ({ kind: 'begin', tag: 'START TRANSACTION', modes }))
    case 'SET':
      if (word(1) === 'TRANSACTION' && tokens.length > 2) {
        return withModes(tokens, 2, (modes) => ({
          kind: 'transaction-modes',
          session: false,
          modes,
        }))
      }
      if (word(1) === 'SESSION' && word(2) === 'CHARACTERISTICS') {
        if (word(3) !== 'AS' || word(4) !== 'TRANSACTION') return syntaxError(tokens, 3)
        return withModes(tokens, 5, (modes) => ({
          kind: 'transaction-modes',
          session: true,
          modes,
        }))
      }
      return undefined
    case 'SAVEPOINT':
      return { kind: 'savepoint', verb: 'SAVEPOINT' }
    case 'RELEASE':
      return { kind: 'savepoint', verb: 'RELEASE' }
    case 'ROLLBACK':
    case 'ABORT': {
      const to = word(1) === 'WORK' || word(1) === 'TRANSACTION' ? 2 : 1
      return word(to) === 'TO' ? { kind: 'savepoint', verb: 'ROLLBACK TO' } : undefined
    }
    case 'DEALLOCATE':
      return deallocateCommand(tokens)
    case 'LISTEN':
    case 'UNLISTEN':
    case 'NOTIFY':
      return tokens.length > 1 ? { kind: 'notification', verb: word(0)! as 'LISTEN' } : undefined
    case 'SELECT':
      return setConfigCommand(tokens)
    case 'DECLARE':
    // DuckDB's DECLARE is not a statement at all; Postgres' is always a cursor.
    case 'FETCH':
    case 'MOVE':
    case 'CLOSE':
      return cursorCommand(tokens)
    default:
      return undefined
  }
}

/** Settings SHOW names with words of their own, as Postgres' grammar spells them. */
const SHOW_PHRASES: readonly [readonly string[], string][] = [
  [['TIME', 'ZONE'], 'TimeZone'],
  [['TRANSACTION', 'ISOLATION', 'LEVEL'], 'transaction_isolation'],
  [['SESSION', 'AUTHORIZATION'], 'session_authorization'],
]

function showCommand(tokens: readonly SqlToken[]): SessionCommand | undefined {
  const rest = tokens.slice(1)
  for (const [words, name] of SHOW_PHRASES) {
    if (rest.length === words.length && words.every((w, i) => isKeyword(rest[i], w))) {
      return { kind: 'show', name }
    }
  }
  if (rest.length !== 1) return undefined
  const [only] = rest
  if (isKeyword(only, 'ALL')) return undefined
  if (only?.kind === 'word') return { kind: 'show', name: only.text }
  if (only?.kind === 'identifier') return { kind: 'show', name: only.value! }
  return undefined
}

/**
 * `SELECT [pg_catalog.]set_config('name', 'value', true | false) [[AS] alias]`, and nothing else: a
 * set_config among other expressions, or with other arguments, is no session command.
 */
function setConfigCommand(tokens: readonly SqlToken[]): SessionCommand | undefined {
  const at = isKeyword(tokens[1], 'PG_CATALOG') && tokens[2]?.text === '.' ? 3 : 1
  const call = tokens.slice(at, at + 8)
  const [fn, open, name, comma1, value, comma2, local, close] = call
  if (call.length !== 8 || !isKeyword(fn, 'SET_CONFIG') || open?.text !== '(') return undefined
  if (name?.kind !== 'string' || value?.kind !== 'string') return undefined
  if (comma1?.text !== ',' || comma2?.text !== ',' || close?.text !== ')') return undefined
  if (!isKeyword(local, 'TRUE') && !isKeyword(local, 'FALSE')) return undefined
  const rest = tokens.slice(at + 8)
  const alias = isKeyword(rest[0], 'AS') ? rest.slice(1) : rest
  if (alias.length > 1 || (rest.length > 0 && alias.length === 0)) return undefined
  const [label] = alias
  const column =
    label === undefined
      ? 'set_config'
      : label.kind === 'word'
        ? label.text.toLowerCase()
        : label.kind === 'identifier'
          ? label.value!
          : undefined
  if (column === undefined) return undefined
  return {
    kind: 'set-config',
    name: name.value!,
    value: value.value!,
    local: isKeyword(local, 'TRUE'),
    column,
  }
}

function deallocateCommand(tokens: readonly SqlToken[]): SessionCommand {
  const at = isKeyword(tokens[1], 'PREPARE') ? 2 : 1
  const target = tokens[at]
  if (tokens.length !== at + 1 || target === undefined) return syntaxError(tokens, at + 1)
  if (isKeyword(target, 'ALL')) return { kind: 'deallocate', name: null }
  if (target.kind === 'word') return { kind: 'deallocate', name: target.text.toLowerCase() }
  if (target.kind === 'identifier') return { kind: 'deallocate', name: target.value! }
  return syntaxError(tokens, at)
}

const ISOLATION_LEVELS: readonly [readonly string[], IsolationLevel][] = [
  [['SERIALIZABLE'], 'serializable'],
  [['REPEATABLE', 'READ'], 'repeatable read'],
  [['READ', 'COMMITTED'], 'read committed'],
  [['READ', 'UNCOMMITTED'], 'read uncommitted'],
]

/**
 * Reads Postgres' `transaction_mode_list` from `start` to the end of the statement: modes separated
 * by commas or spaces, a later mode overriding an earlier one (as Postgres does).
 */
function withModes(
  tokens: readonly SqlToken[],
  start: number,
  build: (modes: TransactionModes) => SessionCommand,
): SessionCommand {
  const modes: { isolation?: IsolationLevel; readOnly?: boolean; deferrable?: boolean } = {}
  const at = (index: number, ...words: string[]): boolean =>
    words.every((word, offset) => isKeyword(tokens[index + offset], word))
  let i = start
  while (i < tokens.length) {
    if (i > start && tokens[i]?.kind === 'operator' && tokens[i]!.text === ',') i++
    if (at(i, 'ISOLATION', 'LEVEL')) {
      const level = ISOLATION_LEVELS.find(([words]) => at(i + 2, ...words))
      if (level === undefined) return syntaxError(tokens, i + 2)
      modes.isolation = level[1]
      i += 2 + level[0].length
    } else if (at(i, 'READ', 'ONLY') || at(i, 'READ', 'WRITE')) {
      modes.readOnly = at(i, 'READ', 'ONLY')
      i += 2
    } else if (at(i, 'DEFERRABLE')) {
      modes.deferrable = true
      i += 1
    } else if (at(i, 'NOT', 'DEFERRABLE')) {
      modes.deferrable = false
      i += 2
    } else {
      return syntaxError(tokens, i)
    }
  }
  return build(modes)
}

function syntaxError(tokens: readonly SqlToken[], index: number): SessionCommand {
  const token = tokens[index]
  return { kind: 'syntax-error', near: token === undefined ? null : token.text }
}
