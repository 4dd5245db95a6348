import { isKeyword, type SqlToken } from './sql-tokenizer.js'

/**
 * Postgres' SQL-level cursor commands, read from a statement's significant tokens:
 *
 * - `declare`: `DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE] [[NO] SCROLL] CURSOR
 *   [WITH HOLD | WITHOUT HOLD] FOR query` (the query is what follows FOR).
 * - `fetch`: `FETCH` or `MOVE` (`move: true`) `[direction] [FROM | IN] name`, where the direction
 *   reads forward (`count`: a row count, null for ALL) or, for the directions a forward-only cursor
 *   cannot take (PRIOR, BACKWARD, FIRST, LAST, ABSOLUTE, RELATIVE, a count of 0 or below), names
 *   them in `backward`.
 * - `close`: `CLOSE name | ALL` (`name` null for ALL).
 * - `syntax-error`: the token Postgres would name in "syntax error at or near …" (null: at end).
 */
export type CursorCommand =
  | {
      readonly kind: 'declare'
      readonly name: string
      readonly binary: boolean
      /** SCROLL was asked for (NO SCROLL is the default and reads false). */
      readonly scroll: boolean
      readonly hold: boolean
    }
  | {
      readonly kind: 'fetch'
      readonly move: boolean
      readonly name: string
      readonly count: number | null
      readonly backward?: string
    }
  | { readonly kind: 'close'; readonly name: string | null }
  | { readonly kind: 'syntax-error'; readonly near: string | null }

/**
 * The cursor command of a statement that starts with DECLARE, FETCH, MOVE or CLOSE.
 *
 * ### Examples
 * ```ts
 * cursorCommand(significant('DECLARE "x" CURSOR WITHOUT HOLD FOR SELECT 1'))
 * // { kind: 'declare', name: 'x', binary: false, scroll: false, hold: false }
 * cursorCommand(significant('FETCH FORWARD 100 FROM "x"')) // { kind: 'fetch', move: false, name: 'x', count: 100 }
 * ```
 */
export function cursorCommand(tokens: readonly SqlToken[]): CursorCommand {
  switch (tokens[0]?.text.toUpperCase()) {
    case 'DECLARE':
      return declareCommand(tokens)
    case 'CLOSE': {
      if (tokens.length !== 2) return syntaxError(tokens, 2)
      if (isKeyword(tokens[1], 'ALL')) return { kind: 'close', name: null }
      const name = cursorName(tokens[1])
      return name === undefined ? syntaxError(tokens, 1) : { kind: 'close', name }
    }
    default:
      return fetchCommand(tokens)
  }
}

const DECLARE_OPTIONS = new Set(['BINARY', 'ASENSITIVE', 'INSENSITIVE', 'SCROLL', 'NO'])

function declareCommand(tokens: readonly SqlToken[]): CursorCommand {
  const name = cursorName(tokens[1])
  if (name === undefined) return syntaxError(tokens, 1)
  let binary = false
  let scroll = false
  let i = 2
  while (tokens[i]?.kind === 'word' && DECLARE_OPTIONS.has(tokens[i]!.text.toUpperCase())) {
    const option = tokens[i]!.text.toUpperCase()
    if (option === 'NO') {
      if (!isKeyword(tokens[i + 1], 'SCROLL')) return syntaxError(tokens, i + 1)
      scroll = false
      i += 2
      continue
    }
    if (option === 'BINARY') binary = true
    if (option === 'SCROLL') scroll = true
    i++
  }
  if (!isKeyword(tokens[i], 'CURSOR')) return syntaxError(tokens, i)
  i++
  let hold = false
  if (isKeyword(tokens[i], 'WITH') || isKeyword(tokens[i], 'WITHOUT')) {
    if (!isKeyword(tokens[i + 1], 'HOLD')) return syntaxError(tokens, i + 1)
    hold = isKeyword(tokens[i], 'WITH')
    i += 2
  }
  if (!isKeyword(tokens[i], 'FOR')) return syntaxError(tokens, i)
  if (tokens[i + 1] === undefined) return syntaxError(tokens, i + 1)
  return { kind: 'declare', name, binary, scroll, hold }
}

/** Directions a forward-only cursor refuses, by the number of tokens they take. */
const BACKWARD_DIRECTIONS: Readonly<Record<string, number>> = {
  PRIOR: 1,
  FIRST: 1,
  LAST: 1,
  ABSOLUTE: 2,
  RELATIVE: 2,
}

function fetchCommand(tokens: readonly SqlToken[]): CursorCommand {
  const move = isKeyword(tokens[0], 'MOVE')
  let i = 1
  let count: number | null = 1
  let backward: string | undefined
  const word = tokens[i]?.kind === 'word' ? tokens[i]!.text.toUpperCase() : undefined
  if (word === 'NEXT') {
    i++
  } else if (word === 'ALL') {
    count = null
    i++
  } else if (word === 'FORWARD' || word === 'BACKWARD') {
    i++
    const amount = signedCount(tokens, i)
    if (isKeyword(tokens[i], 'ALL')) {
      count = null
      i++
    } else if (amount !== undefined) {
      count = amount.value
      i = amount.next
    }
    if (word === 'BACKWARD') backward = 'BACKWARD'
  } else if (word !== undefined && BACKWARD_DIRECTIONS[word] !== undefined) {
    backward = word
    i += BACKWARD_DIRECTIONS[word]!
  } else {
    const amount = signedCount(tokens, i)
    if (amount !== undefined) {
      count = amount.value
      i = amount.next
    }
  }
  if (isKeyword(tokens[i], 'FROM') || isKeyword(tokens[i], 'IN')) i++
  const name = cursorName(tokens[i])
  if (name === undefined) return syntaxError(tokens, i)
  if (tokens.length !== i + 1) return syntaxError(tokens, i + 1)
  if (backward === undefined && count !== null && count <= 0) backward = String(count)
  return backward === undefined
    ? { kind: 'fetch', move, name, count }
    : { kind: 'fetch', move, name, count, backward }
}

/** An integer count at `index`, with an optional sign before it. */
function signedCount(
  tokens: readonly SqlToken[],
  index: number,
): { value: number; next: number } | undefined {
  const sign = tokens[index]?.kind === 'operator' ? tokens[index]!.text : undefined
  const at = sign === '-' || sign === '+' ? index + 1 : index
  const token = tokens[at]
  if (token?.kind !== 'number' || !/^\d+$/.test(token.text)) return undefined
  const value = Number(token.text)
  return { value: sign === '-' ? -value : value, next: at + 1 }
}

/** A cursor's name as Postgres folds it: unquoted lower-cased, quoted as written. */
function cursorName(token: SqlToken | undefined): string | undefined {
  if (token?.kind === 'word') return token.text.toLowerCase()
  if (token?.kind === 'identifier') return token.value!
  return undefined
}

function syntaxError(tokens: readonly SqlToken[], index: number): CursorCommand {
  const token = tokens[index]
  return { kind: 'syntax-error', near: token === undefined ? null : token.text }
}
