import { MotherDuckError } from '../errors/motherduck-error.js'
import { quoteString } from './quote.js'
import { isWellFormed } from './unicode.js'
/**
 * Thrown, before anything is sent, when a string must travel inside SQL text and cannot do so unchanged
 * — a reader path or option, a table name, a `jsonBuildObject` key, or any name or `sql.lit()` value in a
 * query the MotherDuck dialect compiles: a NUL character (the wire protocol ends the query text at NUL,
 * and DuckDB strings in SQL text cannot hold one) or a lone UTF-16 surrogate (it has no UTF-8 encoding,
 * so the server would receive a different string). Remove the character (`index` says where it is), or
 * pass a value that holds it as a query parameter instead.
 */
export class UnrepresentableStringError extends MotherDuckError {
  override readonly name = 'UnrepresentableStringError'
  constructor(
    /** What the string was for, e.g. `read_csv path` or `read_csv option nullstr`. */
    readonly context: string,
    /** The offending character's index in the string. */
    readonly index: number,
    /** `'NUL'` or `'lone surrogate'`. */
    readonly character: 'NUL' | 'lone surrogate',
    /** What to do, the message's last sentence. */
    hint = 'Remove it from the string (file names and reader options cannot contain it).',
  ) {
    super(
      `The ${context} contains a ${character === 'NUL' ? 'NUL character (\\0)' : 'lone UTF-16 surrogate'} at index ${index}, ` +
        `which cannot be sent inside SQL text. ${hint}`,
    )
  }
}

// In `u` mode a well-formed surrogate pair is one code point, so only lone surrogates match.
const LONE_SURROGATE = /\p{Cs}/u

/** Throws `UnrepresentableStringError` when `value` cannot be written into SQL text as is. */
export function assertRepresentable(value: string, context: string, hint?: string): void {
  const nul = value.indexOf('\0')
  if (nul !== -1) throw new UnrepresentableStringError(context, nul, 'NUL', hint)
  if (isWellFormed(value)) return
  const surrogate = LONE_SURROGATE.exec(value)
  if (surrogate) {
    throw new UnrepresentableStringError(context, surrogate.index, 'lone surrogate', hint)
  }
}

/**
 * A DuckDB string literal holding exactly `value`: single quotes doubled, nothing else changed.
 * DuckDB (like Postgres with `standard_conforming_strings`) gives backslashes no meaning inside `'…'`,
 * so quotes are the only character that needs escaping.
 *
 * ```ts
 * sqlStringLiteral("it's") // 'it''s'
 * ```
 */
export function sqlStringLiteral(value: string, context: string): string {
  assertRepresentable(value, context)
  return quoteString(value)
}
