/**
 * Postgres' number texts, as its input functions accept them (int2/4/8in, float4/8in, numeric_in):
 * surrounding white space, a sign, and for floats and numerics the case-insensitive words `NaN`,
 * `Infinity` and `inf`. Shared by the type parsers (what a server sends) and the local endpoint's
 * parameter decoder (what a client sends), so both read the same spellings.
 */

const INTEGER_TEXT = /^[+-]?\d+$/
const FLOAT_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/
const NUMERIC_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/** The special values' spellings, lower-cased. */
const SPECIAL_WORDS: ReadonlyMap<string, number> = new Map([
  ['nan', Number.NaN],
  ['infinity', Number.POSITIVE_INFINITY],
  ['+infinity', Number.POSITIVE_INFINITY],
  ['inf', Number.POSITIVE_INFINITY],
  ['+inf', Number.POSITIVE_INFINITY],
  ['-infinity', Number.NEGATIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
])

/** A numeric text's digits, the exponent applied: `-1.5e2` → `{ negative: true, integer: '150', fraction: '' }`. */
export interface DecimalDigits {
  readonly negative: boolean
  /** The digits before the point (possibly empty or with leading zeros). */
  readonly integer: string
  /** The digits after the point, as many as the text has (trailing zeros kept: they set the scale). */
  readonly fraction: string
}

/**
 * An integer text (`42`, ` -7 `, `+0`) as a bigint, or undefined when it is not one. The range of
 * the target type is the caller's to check.
 *
 * ### Examples
 * ```ts
 * parsePostgresInteger(' 9223372036854775807') // 9223372036854775807n
 * parsePostgresInteger('1.0') // undefined
 * ```
 */
export function parsePostgresInteger(text: string): bigint | undefined {
  const trimmed = text.trim()
  return INTEGER_TEXT.test(trimmed) ? BigInt(trimmed) : undefined
}

/**
 * A float text (`1.5`, `-2e-3`, `.5`, `NaN`, `Infinity`, `-inf`, any case) as a number, or undefined
 * when it is not one.
 *
 * ### Examples
 * ```ts
 * parsePostgresFloat('-Infinity') // -Infinity
 * parsePostgresFloat('0x10') // undefined
 * ```
 */
export function parsePostgresFloat(text: string): number | undefined {
  // The type parsers read every float of a result through here, so the usual text (`-12.5e-3`)
  // skips the regular expression: `Number` reads it, once the forms `Number` accepts and Postgres
  // does not are ruled out (white space, `0x…`/`0o…`/`0b…`, the empty string).
  if (
    isPlainDecimalEdge(text.charCodeAt(0), true) &&
    isPlainDecimalEdge(text.charCodeAt(text.length - 1), false)
  ) {
    const second = text.charCodeAt(1) | 0x20
    if (!(text.charCodeAt(0) === 48 && (second === 120 || second === 111 || second === 98))) {
      const value = Number(text)
      if (!Number.isNaN(value)) return value
    }
  }
  if (FLOAT_TEXT.test(text)) return Number(text)
  return SPECIAL_WORDS.get(text.trim().toLowerCase())
}

/** A digit or `.`, or (first character only) a sign. */
function isPlainDecimalEdge(code: number, first: boolean): boolean {
  return (code >= 48 && code <= 57) || code === 46 || (first && (code === 43 || code === 45))
}

/**
 * A numeric text as its decimal digits (exponent applied, every digit kept), or NaN / ±Infinity for
 * the special values, or undefined when it is not a number.
 *
 * ### Examples
 * ```ts
 * parsePostgresNumeric('12.30') // { negative: false, integer: '12', fraction: '30' }
 * parsePostgresNumeric('1e3') // { negative: false, integer: '1000', fraction: '' }
 * parsePostgresNumeric('nan') // NaN
 * ```
 */
export function parsePostgresNumeric(text: string): DecimalDigits | number | undefined {
  const trimmed = text.trim()
  const special = SPECIAL_WORDS.get(trimmed.toLowerCase())
  if (special !== undefined) return special
  const match = NUMERIC_TEXT.exec(trimmed)
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined
  let integer = match[2]!
  let fraction = match[3] ?? ''
  const exponent = Number(match[4] ?? 0)
  if (exponent > 0) {
    const moved = fraction.padEnd(exponent, '0')
    integer += moved.slice(0, exponent)
    fraction = moved.slice(exponent)
  } else if (exponent < 0) {
    const padded = integer.padStart(-exponent + 1, '0')
    fraction = padded.slice(padded.length + exponent) + fraction
    integer = padded.slice(0, padded.length + exponent)
  }
  return { negative: match[1] === '-', integer, fraction }
}
