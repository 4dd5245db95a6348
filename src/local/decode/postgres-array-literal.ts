import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'

/** A parsed Postgres array literal: elements are the element texts, `null` for NULL, or sub-arrays. */
export type ArrayLiteral = (string | null | ArrayLiteral)[]

function malformed(text: string, detail: string): EndpointError {
  return new EndpointError(
    SqlState.InvalidTextRepresentation,
    `malformed array literal: "${text}"`,
    { detail },
  )
}

/**
 * Parses a Postgres array literal as `pg` and psql write it: `{1,2,NULL}`, `{"a b","q\"uote"}`,
 * `{{1,2},{3,4}}`, with an optional dimension decoration (`[0:1]={7,8}`). Unquoted elements are trimmed
 * and an unquoted `NULL` (any case) is SQL NULL. Throws EndpointError 22P02 when it is not an array literal.
 *
 * ### Examples
 * ```ts
 * parseArrayLiteral('{1,NULL,"a,b"}') // ['1', null, 'a,b']
 * ```
 */
export function parseArrayLiteral(text: string): ArrayLiteral {
  let i = 0
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++
  }
  skipSpace()
  if (text[i] === '[') {
    const equals = text.indexOf('=', i)
    if (equals === -1) throw malformed(text, 'Missing "=" after array dimensions.')
    i = equals + 1
    skipSpace()
  }

  const parseArray = (): ArrayLiteral => {
    if (text[i] !== '{')
      throw malformed(text, 'Array value must start with "{" or dimension information.')
    i++
    const elements: ArrayLiteral = []
    skipSpace()
    if (text[i] === '}') {
      i++
      return elements
    }
    for (;;) {
      skipSpace()
      const c = text[i]
      if (c === undefined) throw malformed(text, 'Unexpected end of input.')
      if (c === '{') {
        elements.push(parseArray())
      } else if (c === '"') {
        i++
        let value = ''
        for (;;) {
          const d = text[i]
          if (d === undefined) throw malformed(text, 'Unterminated quoted element.')
          i++
          if (d === '\\') {
            const escaped = text[i]
            if (escaped === undefined) throw malformed(text, 'Unexpected end of input.')
            value += escaped
            i++
          } else if (d === '"') {
            break
          } else {
            value += d
          }
        }
        elements.push(value)
      } else {
        let value = ''
        let sawBackslash = false
        while (i < text.length && text[i] !== ',' && text[i] !== '}') {
          const d = text[i]!
          if (d === '{' || d === '"') throw malformed(text, `Unexpected "${d}" character.`)
          if (d === '\\') {
            sawBackslash = true
            value += text[i + 1] ?? ''
            i += 2
          } else {
            value += d
            i++
          }
        }
        const trimmed = value.trim()
        if (trimmed === '') throw malformed(text, 'Unexpected "," or "}" character.')
        elements.push(!sawBackslash && trimmed.toUpperCase() === 'NULL' ? null : trimmed)
      }
      skipSpace()
      const separator = text[i]
      i++
      if (separator === '}') return elements
      if (separator !== ',') throw malformed(text, 'Expected "," or "}".')
    }
  }

  const result = parseArray()
  skipSpace()
  if (i < text.length) throw malformed(text, 'Junk after closing right brace.')
  return result
}

/** Whether a text parameter looks like a Postgres array literal rather than, say, DuckDB's `[1, 2]`. */
export function isArrayLiteral(text: string): boolean {
  return /^\s*(\[[^\]]*\]\s*=\s*)?\{/.test(text)
}
