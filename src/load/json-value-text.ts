import { isWellFormed } from '../sql/unicode.js'
/**
 * JSON text for a value sent to DuckDB's `from_json_strict`: like `JSON.stringify`, but exact for
 * `bigint` (all digits, as a JSON number), `Date` as an ISO 8601 UTC string, non-finite numbers as the
 * strings DuckDB reads back (`"NaN"`, `"Infinity"`, `"-Infinity"`), and `Map` as an object (a DuckDB MAP).
 * Throws a `TypeError` (with the reason) for what has no JSON form: strings with a lone surrogate,
 * invalid dates, functions, symbols, binary data nested inside a list or struct, and SQL expressions.
 * NUL characters are fine: JSON escapes them and DuckDB strings hold them.
 */
export function jsonValueText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) {
        throw new TypeError(
          'the string contains a lone UTF-16 surrogate, which has no UTF-8 form; repair or drop the string',
        )
      }
      return JSON.stringify(value)
    case 'number':
      return numberText(value)
    case 'bigint':
      return value.toString()
    case 'boolean':
      return value ? 'true' : 'false'
    case 'undefined':
      return 'null'
    case 'object':
      return value === null ? 'null' : objectText(value)
    default:
      throw new TypeError(
        `a ${typeof value} has no SQL value; pass data (strings, numbers, bigints, Dates, …)`,
      )
  }
}

/** JSON text of a number: digits when finite, else the string DuckDB casts back to the same DOUBLE. */
export function numberText(value: number): string {
  // JSON `-0` is read as the integer 0; `-0.0` keeps the sign.
  if (Number.isFinite(value)) return Object.is(value, -0) ? '-0.0' : String(value)
  return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"'
}

/** JSON text of a Date: its instant as an ISO 8601 UTC string. */
export function dateText(value: Date): string {
  const time = value.getTime()
  if (Number.isNaN(time)) throw new TypeError('the Date is invalid (its time is NaN)')
  return `"${value.toISOString()}"`
}

function objectText(value: object): string {
  if (value instanceof Date) return dateText(value)
  if (Array.isArray(value)) return `[${value.map(jsonValueText).join(',')}]`
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    throw new TypeError(
      'binary data inside a LIST, STRUCT or MAP value cannot be sent as JSON; put it in a BLOB column of its own',
    )
  }
  if ('toOperationNode' in value && typeof value.toOperationNode === 'function') {
    throw new TypeError(
      'insertRows takes values, not SQL expressions; use db.insertInto(…).values(…) for rows with expressions',
    )
  }
  const entries: Iterable<[unknown, unknown]> =
    value instanceof Map ? value.entries() : Object.entries(value)
  const fields: string[] = []
  for (const [key, item] of entries) {
    if (item === undefined) continue
    fields.push(`${JSON.stringify(String(key))}:${jsonValueText(item)}`)
  }
  return `{${fields.join(',')}}`
}
