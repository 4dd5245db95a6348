import type { SqlToken } from '../../sql/sql-tokenizer.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'

/**
 * DuckDB's log functions. `enable_logging` turns on the instance's query log, which records every
 * session's SQL, literals included, and `duckdb_logs` reads it back; DuckDB lets a client call them
 * even with `lock_configuration` set (measured on DuckDB 1.5), so strict mode refuses them here.
 */
const LOG_FUNCTIONS = [
  'enable_logging',
  'disable_logging',
  'truncate_duckdb_logs',
  'duckdb_logs',
  'duckdb_log_contexts',
] as const

/** Table functions that run SQL given as a value, which could name a log function out of sight. */
const DYNAMIC_SQL = new Set(['query', 'query_table'])

/** Runs serialized statements (JSON, where names may be escaped): refused outright. */
const SERIALIZED_SQL = 'json_execute_serialized_sql'

/** The words this refusal looks for, for the rules' quick test of whether a query needs a closer look. */
export const OTHER_SESSIONS_WORDS = [...LOG_FUNCTIONS, ...DYNAMIC_SQL, SERIALIZED_SQL]

function refuse(message: string, hint: string): never {
  throw new EndpointError(SqlState.InsufficientPrivilege, message, { hint })
}

function nameOf(token: SqlToken): string | undefined {
  if (token.kind === 'word') return token.text.toLowerCase()
  if (token.kind === 'identifier') return token.value?.toLowerCase()
  return undefined
}

const HINT =
  "Sessions of the local endpoint share one DuckDB instance; strict mode keeps each one's SQL out of the others' reach. Start it with strict: false to use DuckDB's logging."

/**
 * Strict mode's refusal (42501) of what would expose other sessions' SQL: DuckDB's log functions in any
 * spelling (bare, quoted, schema-qualified, inside a string that `query()` would run), `query()` and
 * `query_table()` with a text that is not one string literal, and `json_execute_serialized_sql`.
 *
 * ### Examples
 * ```ts
 * refuseOtherSessionsAccess(significant("CALL enable_logging('QueryLog')"))
 * // EndpointError 42501: DuckDB's enable_logging would expose other sessions' SQL …
 * ```
 */
export function refuseOtherSessionsAccess(tokens: readonly SqlToken[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    if (token.kind === 'string') {
      const text = token.value?.toLowerCase() ?? ''
      const named = LOG_FUNCTIONS.find((name) => text.includes(name))
      if (named !== undefined) {
        refuse(
          `DuckDB's ${named} would expose other sessions' SQL: the local endpoint refuses it.`,
          HINT,
        )
      }
      continue
    }
    const name = nameOf(token)
    if (name === undefined) continue
    const logFunction = LOG_FUNCTIONS.find((candidate) => candidate === name)
    if (logFunction !== undefined) {
      refuse(
        `DuckDB's ${logFunction} would expose other sessions' SQL: the local endpoint refuses it.`,
        HINT,
      )
    }
    const open = tokens[i + 1]
    if (open?.kind !== 'operator' || open.text !== '(') continue
    if (name === SERIALIZED_SQL) {
      refuse(`${SERIALIZED_SQL} is not allowed by the local endpoint in strict mode.`, HINT)
    }
    if (DYNAMIC_SQL.has(name) && !isOneStringArgument(tokens, i + 2)) {
      refuse(
        `${name}() takes its SQL as one string literal in strict mode, not a computed text.`,
        `Write the SQL as a string literal: ${name}('SELECT …').`,
      )
    }
  }
}

/** Whether the call's arguments from `from` are exactly one string literal and `)`. */
function isOneStringArgument(tokens: readonly SqlToken[], from: number): boolean {
  const close = tokens[from + 1]
  return tokens[from]?.kind === 'string' && close?.kind === 'operator' && close.text === ')'
}
