import { jsonValueText, numberText } from '../sql/json-value-text.js'
import { INTERVAL_FIELDS, scalarTypeOf } from '../types/duckdb-types.js'

/**
 * How one column's values travel in the JSON batch `insertRows` sends: the type `from_json_strict`
 * reads them as, the SQL around `unnest(…)` that turns them into the column's type, and the JSON
 * text of one value. Most types are read directly as the column's own type; the few that DuckDB's
 * JSON reader cannot produce go through VARCHAR or JSON and a conversion in SQL.
 */
export interface ColumnEncoding {
  /** The DuckDB type `from_json_strict` reads each value as. */
  readonly jsonType: string
  /** The select expression for the column, given `unnest(j.cN)`. */
  selectSql(unnested: string): string
  /** The JSON text of one value; throws a `TypeError` whose message is the reason. */
  valueText(value: unknown): string
}

const direct = (jsonType: string): ColumnEncoding => ({
  jsonType,
  selectSql: (unnested) => unnested,
  valueText: jsonValueText,
})

// BLOB travels as base64: JSON strings cannot hold arbitrary bytes, and base64 is the compact choice.
const BLOB: ColumnEncoding = {
  jsonType: 'VARCHAR',
  selectSql: (unnested) => `from_base64(${unnested})`,
  valueText(value) {
    if (value === null || value === undefined) return 'null'
    if (value instanceof Uint8Array) {
      const buffer = Buffer.isBuffer(value)
        ? value
        : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      return `"${buffer.toString('base64')}"`
    }
    throw new TypeError('a BLOB column takes a Buffer or Uint8Array')
  },
}

// DuckDB's JSON reader has no BIT, BIGNUM or VARIANT: read text (or JSON) and cast in SQL.
const viaCast = (jsonType: string, targetType: string): ColumnEncoding => ({
  jsonType,
  selectSql: (unnested) => `cast(${unnested} as ${targetType})`,
  valueText(value) {
    if (jsonType === 'VARCHAR' && typeof value === 'bigint') return `"${value}"`
    if (jsonType === 'VARCHAR' && typeof value === 'number') return `"${numberText(value)}"`
    return jsonValueText(value)
  },
})

// An Interval object ({ years, months, … }, as the library returns INTERVAL values) → DuckDB's text.
const INTERVAL: ColumnEncoding = {
  jsonType: 'INTERVAL',
  selectSql: (unnested) => unnested,
  valueText(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return jsonValueText(value)
    }
    const record = value as Record<string, unknown>
    const parts = INTERVAL_FIELDS.filter((field) => record[field] !== undefined).map((field) => {
      const amount = record[field]
      if (typeof amount !== 'number' || !Number.isFinite(amount)) {
        throw new TypeError(`the interval field ${field} must be a finite number`)
      }
      return `${amount} ${field}`
    })
    return JSON.stringify(parts.length === 0 ? '0 seconds' : parts.join(' '))
  },
}

/** The encoding of a column of the DuckDB type `dataType` (as `duckdb_columns().data_type` spells it). */
export function columnEncoding(dataType: string): ColumnEncoding {
  switch (scalarTypeOf(dataType)) {
    case 'BLOB':
      return BLOB
    case 'BIT':
      return viaCast('VARCHAR', 'BIT')
    case 'BIGNUM':
      return viaCast('VARCHAR', 'BIGNUM')
    case 'VARIANT':
      return viaCast('JSON', 'VARIANT')
    case 'INTERVAL':
      return INTERVAL
    default:
      return direct(dataType)
  }
}
