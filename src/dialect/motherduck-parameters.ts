import { MotherDuckError } from '../errors/motherduck-error.js'
import { jsonValueText } from '../sql/json-value-text.js'
import { isWellFormed } from '../sql/unicode.js'

/**
 * How JavaScript values travel as query parameters to DuckDB through the Postgres wire protocol, in two
 * steps that read the same value:
 *
 * 1. The query compiler keeps the user's values in `compile().parameters` (plugins and loggers see them)
 *    and only chooses each placeholder ({@link parameterCast}, {@link castPlaceholder}). pg sends every
 *    parameter as text with an unspecified type, and DuckDB must infer each parameter's type from where
 *    it stands. Where it cannot (`SELECT $1`, `price * $1`, `CASE … THEN $1`, function arguments), the
 *    parameter is wrapped in a cast derived from the JavaScript value.
 * 2. The connection converts the values for the wire, once, just before sending ({@link toWireParameters}),
 *    for every query, compiled or `CompiledQuery.raw`. Values whose text form DuckDB would not read are
 *    converted:
 *    - `Date` → ISO-8601 in UTC (`2024-01-01T00:00:00.000Z`): pg would send local time, and TIMESTAMP
 *      values are read back as UTC;
 *    - arrays → JSON text, which step 1 reads with `CAST(CAST($n AS JSON) AS T[])`: pg would send
 *      `{1,2,3}`, which DuckDB does not cast to a LIST; `T` is inferred from the elements;
 *    - plain objects and Maps → JSON text, read with `CAST($n AS JSON)`, which DuckDB casts on to STRUCT
 *      or MAP; arrays and objects are written by `jsonValueText`, which loses nothing (bigints, NaN, −0,
 *      Maps, dates);
 *    - `bigint` → its decimal text; typed arrays → a Buffer over the same bytes.
 */

/** How the compiler writes one parameter: the cast DuckDB needs to read it, derived from its JavaScript value. */
export interface ParameterCast {
  /** The DuckDB type of the value, e.g. `INTEGER`, `TIMESTAMPTZ`, `VARCHAR[]`; undefined for strings and null. */
  readonly type: string | undefined
  /** How the parameter is read: `plain` (`$n`), `json` (`CAST($n AS JSON)`), or `list` (`CAST(CAST($n AS JSON) AS T[])`). */
  readonly form: 'plain' | 'json' | 'list'
}

const INT32_MIN = -(2 ** 31)
const INT32_MAX = 2 ** 31 - 1
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const INT128_MIN = -(2n ** 127n)
const INT128_MAX = 2n ** 127n - 1n
const UINT128_MAX = 2n ** 128n - 1n

/** Strings, null and undefined: never cast, DuckDB reads the text as whatever the position needs. */
const UNCAST: ParameterCast = { type: undefined, form: 'plain' }

/** The cast a value needs where DuckDB cannot infer its type (see the module comment). Does not convert it. */
export function parameterCast(value: unknown): ParameterCast {
  switch (typeof value) {
    case 'string':
    case 'undefined':
      return UNCAST
    case 'number':
      return { type: numberType(value), form: 'plain' }
    case 'bigint':
      return { type: bigintType(value), form: 'plain' }
    case 'boolean':
      return { type: 'BOOLEAN', form: 'plain' }
    case 'object':
      break
    default:
      throw new TypeError(`A ${typeof value} cannot be sent as a query parameter.`)
  }
  if (value === null) return UNCAST
  if (value instanceof Date) return { type: 'TIMESTAMPTZ', form: 'plain' }
  if (ArrayBuffer.isView(value)) return { type: 'BLOB', form: 'plain' }
  if (Array.isArray(value)) {
    const element = elementType(value)
    if (element === 'JSON') return { type: 'JSON', form: 'json' }
    return { type: `${element ?? 'VARCHAR'}[]`, form: 'list' }
  }
  // Objects that know their own Postgres text form (pg's `toPostgres` protocol) are left to pg.
  if (hasPostgresTextForm(value)) return UNCAST
  return { type: 'JSON', form: 'json' }
}

/** Wraps a placeholder so DuckDB reads the parameter as the cast's type. */
export function castPlaceholder(placeholder: string, cast: ParameterCast): string {
  if (cast.form === 'list') return `CAST(CAST(${placeholder} AS JSON) AS ${cast.type})`
  if (cast.form === 'json') return `CAST(${placeholder} AS JSON)`
  return cast.type === undefined ? placeholder : `CAST(${placeholder} AS ${cast.type})`
}

/**
 * The values pg should send for a query's parameters: the one conversion of the user's values (see the
 * module comment), for compiled and raw queries alike. A string with a lone UTF-16 surrogate is refused
 * with an {@link UnrepresentableParameterError}: pg would send U+FFFD in its place, and the database
 * would store a different string than the one given.
 */
export function toWireParameters(parameters: readonly unknown[]): unknown[] {
  return parameters.map((value, index) => {
    if (typeof value === 'string' && !isWellFormed(value)) {
      throw new UnrepresentableParameterError(index + 1, value)
    }
    return toWireValue(value)
  })
}

/** Thrown before sending a query whose string parameter `$n` holds a lone UTF-16 surrogate. */
export class UnrepresentableParameterError extends MotherDuckError {
  override readonly name = 'UnrepresentableParameterError'
  /** The 0-based index of the lone surrogate in the string. */
  readonly index: number
  constructor(
    /** The parameter's number: `$1` is 1. */
    readonly parameter: number,
    value: string,
  ) {
    const index = /\p{Cs}/u.exec(value)?.index ?? -1
    super(
      `Query parameter $${parameter} holds a lone UTF-16 surrogate at index ${index}, which has no UTF-8 ` +
        'form: it would arrive as U+FFFD, a different string. Repair the string (value.toWellFormed() makes ' +
        'that replacement explicit) or send the data as a Buffer.',
    )
    this.index = index
  }
}

/** The value pg should send for one parameter: the form {@link parameterCast} chose a placeholder for. */
function toWireValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  // pg writes String(-0), which is '0'.
  if (Object.is(value, -0)) return '-0'
  // Strings, numbers and booleans: pg's text form is DuckDB's. Others are pg's to refuse.
  if (typeof value !== 'object' || value === null) return value
  if (value instanceof Date) return dateText(value)
  if (Buffer.isBuffer(value)) return value
  if (ArrayBuffer.isView(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  if (Array.isArray(value)) {
    // Refuses, as for a compiled query, the elements no list parameter can hold (binary, symbols).
    elementType(value)
    return jsonValueText(value)
  }
  if (hasPostgresTextForm(value)) return value
  return jsonValueText(value)
}

function hasPostgresTextForm(value: object): boolean {
  return typeof (value as { toPostgres?: unknown }).toPostgres === 'function'
}

function numberType(value: number): string {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
    return value >= INT32_MIN && value <= INT32_MAX ? 'INTEGER' : 'BIGINT'
  }
  return 'DOUBLE'
}

function bigintType(value: bigint): string {
  if (value >= INT64_MIN && value <= INT64_MAX) return 'BIGINT'
  if (value >= INT128_MIN && value <= INT128_MAX) return 'HUGEINT'
  if (value >= 0n && value <= UINT128_MAX) return 'UHUGEINT'
  return 'VARINT'
}

// JS Dates cover years -271821..275760; toISOString writes them all in a form DuckDB reads.
function dateText(value: Date): string {
  if (Number.isNaN(value.getTime())) {
    throw new TypeError('An invalid Date cannot be sent as a query parameter.')
  }
  return value.toISOString()
}

const NUMERIC_RANK: Record<string, number> = {
  INTEGER: 1,
  BIGINT: 2,
  HUGEINT: 3,
  UHUGEINT: 4,
  VARINT: 5,
  DOUBLE: 6,
}

/** The common DuckDB type of a list's elements; undefined when there is none (empty, all null). */
function elementType(values: readonly unknown[]): string | undefined {
  let result: string | undefined
  for (const value of values) {
    const type = valueElementType(value)
    if (type === undefined) continue
    result = result === undefined ? type : mergeTypes(result, type)
    if (result === 'JSON') return 'JSON'
  }
  return result
}

function mergeTypes(a: string, b: string): string {
  if (a === b) return a
  const rankA = NUMERIC_RANK[a]
  const rankB = NUMERIC_RANK[b]
  if (rankA !== undefined && rankB !== undefined) return rankA >= rankB ? a : b
  if (a.endsWith('[]') && b.endsWith('[]')) {
    const inner = mergeTypes(a.slice(0, -2), b.slice(0, -2))
    return inner === 'JSON' ? 'JSON' : `${inner}[]`
  }
  return 'JSON'
}

function valueElementType(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return 'VARCHAR'
    case 'number':
      return numberType(value)
    case 'bigint':
      return bigintType(value)
    case 'boolean':
      return 'BOOLEAN'
    case 'undefined':
      return undefined
    case 'object': {
      if (value === null) return undefined
      if (value instanceof Date) return 'TIMESTAMPTZ'
      if (ArrayBuffer.isView(value)) {
        throw new TypeError(
          'A list of binary values (Buffer/Uint8Array) cannot be sent as one parameter; insert them as separate BLOB values.',
        )
      }
      if (Array.isArray(value)) {
        const inner = elementType(value)
        if (inner === 'JSON') return 'JSON'
        return `${inner ?? 'VARCHAR'}[]`
      }
      return 'JSON'
    }
    default:
      throw new TypeError(`A ${typeof value} cannot be sent inside a list parameter.`)
  }
}
