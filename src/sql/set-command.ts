import { isKeyword, type SqlToken } from './sql-tokenizer.js'

/** The scope a `SET`/`RESET` names: none (`'default'`), `SESSION`, `LOCAL`, `GLOBAL` or DuckDB's `VARIABLE`. */
export type SetScope = 'default' | 'session' | 'local' | 'global' | 'variable'

/**
 * A `SET name = value` / `SET name TO value` / `SET TIME ZONE value` / `RESET name` statement, read from
 * its tokens: what the local endpoint needs to apply a session setting itself.
 */
export interface SetCommand {
  readonly action: 'set' | 'reset'
  readonly scope: SetScope
  /** The setting's name as written (`TIME ZONE` reads as `TimeZone`); quoted names unquoted. */
  readonly name: string
  /**
   * The value: a string literal's content, a word's or a number's text (`-3` with its sign); `null` for
   * `DEFAULT` and for RESET; `undefined` when it is anything else (an expression, a list).
   */
  readonly value: string | null | undefined
  /** `RESET ALL` (and `SET … ALL` never): every setting back to its default. */
  readonly all?: boolean
}

const SCOPES: Readonly<Record<string, SetScope>> = {
  SESSION: 'session',
  LOCAL: 'local',
  GLOBAL: 'global',
  VARIABLE: 'variable',
}

/**
 * The SET or RESET command the significant tokens of one statement spell, or undefined for any other
 * statement (and for forms that set no named setting, like `SET SESSION CHARACTERISTICS …`).
 *
 * ### Examples
 * ```ts
 * setCommand(significant("SET TimeZone TO 'Europe/Paris'"))
 * // { action: 'set', scope: 'default', name: 'TimeZone', value: 'Europe/Paris' }
 * setCommand(significant('RESET GLOBAL threads')) // { action: 'reset', scope: 'global', name: 'threads', value: null }
 * ```
 */
export function setCommand(tokens: readonly SqlToken[]): SetCommand | undefined {
  const first = tokens[0]
  const action = isKeyword(first, 'SET') ? 'set' : isKeyword(first, 'RESET') ? 'reset' : undefined
  if (action === undefined) return undefined
  let i = 1
  const scopeWord = tokens[i]?.kind === 'word' ? SCOPES[tokens[i]!.text.toUpperCase()] : undefined
  // `SET session = 1` names a setting called session: a scope is followed by the name.
  if (scopeWord !== undefined && isName(tokens[i + 1])) i++
  const scope = scopeWord !== undefined && i === 2 ? scopeWord : 'default'
  let name: string | undefined
  if (isKeyword(tokens[i], 'TIME') && isKeyword(tokens[i + 1], 'ZONE')) {
    name = 'TimeZone'
    i += 2
  } else {
    name = nameOf(tokens[i])
    i++
    // Dotted names (an extension's `s3.region`-style setting): joined as written.
    while (tokens[i]?.kind === 'operator' && tokens[i]!.text === '.' && isName(tokens[i + 1])) {
      name = `${name}.${nameOf(tokens[i + 1])}`
      i += 2
    }
  }
  if (name === undefined) return undefined
  if (action === 'reset' && isKeyword(tokens[i - 1], 'ALL') && i === tokens.length) {
    return { action, scope, name: 'ALL', value: null, all: true }
  }
  if (action === 'reset')
    return i === tokens.length ? { action, scope, name, value: null } : undefined
  const operator = tokens[i]
  const assigns =
    (operator?.kind === 'operator' && operator.text === '=') || isKeyword(operator, 'TO')
  // SET TIME ZONE takes its value directly.
  if (assigns) i++
  else if (name !== 'TimeZone') return undefined
  return { action, scope, name, value: settingValue(tokens.slice(i)) }
}

function isName(token: SqlToken | undefined): boolean {
  return token?.kind === 'word' || token?.kind === 'identifier'
}

function nameOf(token: SqlToken | undefined): string | undefined {
  if (token?.kind === 'word') return token.text
  if (token?.kind === 'identifier') return token.value
  return undefined
}

/**
 * The value of a SET: one item, or a comma-separated list of them (`SET search_path TO a, "B"`) joined
 * as Postgres shows it (`a, "B"`: quoted identifiers keep their quotes).
 */
function settingValue(tokens: readonly SqlToken[]): string | null | undefined {
  const items: SqlToken[][] = [[]]
  for (const token of tokens) {
    if (token.kind === 'operator' && token.text === ',') items.push([])
    else items[items.length - 1]!.push(token)
  }
  if (items.length === 1) return itemValue(tokens)
  const values = items.map((item) =>
    item.length === 1 && item[0]!.kind === 'identifier' ? item[0]!.text : itemValue(item),
  )
  return values.every((value) => typeof value === 'string') ? values.join(', ') : undefined
}

function itemValue(tokens: readonly SqlToken[]): string | null | undefined {
  const [first, second] = tokens
  if (tokens.length === 2 && first?.kind === 'operator' && first.text === '-') {
    return second?.kind === 'number' ? `-${second.text}` : undefined
  }
  if (tokens.length !== 1 || first === undefined) return undefined
  if (isKeyword(first, 'DEFAULT')) return null
  if (first.kind === 'string' || first.kind === 'identifier') return first.value
  if (first.kind === 'word' || first.kind === 'number') return first.text
  return undefined
}
