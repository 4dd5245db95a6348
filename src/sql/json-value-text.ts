import { isWellFormed } from './unicode.js'
/**
 * The one JSON writer for values sent to DuckDB: `insertRows` batches (read with `from_json_strict`) and
 * the dialect's array and object parameters (read with `CAST($n AS JSON)` and cast on to LIST, STRUCT or
 * MAP). Like `JSON.stringify`, including `toJSON()` of objects that have one (Decimal, Luxon, …), but
 * nothing is lost on the way: `bigint` keeps all its digits (a JSON number), a `Date` is its ISO 8601 UTC
 * instant, non-finite numbers are the strings DuckDB casts back to the same DOUBLE (`"NaN"`,
 * `"Infinity"`, `"-Infinity"`; `JSON.stringify` writes `null`), `-0` keeps its sign, and a `Map` is an
 * object (a DuckDB MAP; `JSON.stringify` writes `{}`). What has no JSON form throws a `TypeError` with
 * the reason instead of being dropped: strings with a lone surrogate, invalid dates, functions, symbols,
 * binary data nested in a list or object, and SQL expressions. NUL characters are fine: JSON escapes
 * them and DuckDB strings hold them.
 *
 * ```ts
 * jsonValueText({ id: 2n ** 63n - 1n, ratios: [0.5, NaN], at: new Date(0) })
 * // {"id":9223372036854775807,"ratios":[0.5,"NaN"],"at":"1970-01-01T00:00:00.000Z"}
 * ```
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
      'a SQL expression cannot be sent as data (an insertRows value, or inside a list or object); ' +
        'use db.insertInto(…).values(…) with the expression as a whole column value',
    )
  }
  if ('toJSON' in value && typeof value.toJSON === 'function' && !(value instanceof Map)) {
    return jsonValueText(value.toJSON())
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
