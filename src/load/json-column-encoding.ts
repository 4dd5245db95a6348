import { scalarTypeOf } from '../types/duckdb-types.js'
import { encodeColumnValue, encoderFor } from '../types/value-policy.js'

/**
 * How one column's values travel in the JSON batch `insertRows` sends: the type `from_json_strict`
 * reads them as, the SQL around `unnest(…)` that turns them into the column's type, and the JSON
 * text of one value. The text is the value policy's (`src/types/value-policy.ts`), which refuses what the
 * column would not store exactly, as `insertInto().values()` does. Most types are read directly as the
 * column's own type; the few that DuckDB's JSON reader cannot produce go through VARCHAR or JSON and a
 * conversion in SQL.
 */
export interface ColumnEncoding {
  /** The DuckDB type `from_json_strict` reads each value as. */
  readonly jsonType: string
  /** The select expression for the column, given `unnest(j.cN)`. */
  selectSql(unnested: string): string
  /** The JSON text of one value; throws the policy's `RefusedValueError`. */
  valueText(value: unknown): string
}

const direct = (dataType: string): ColumnEncoding => {
  const encoder = encoderFor(dataType)
  return {
    jsonType: dataType,
    selectSql: (unnested) => unnested,
    valueText: (value) => (value === null || value === undefined ? 'null' : encoder(value)),
  }
}

// DuckDB's JSON reader has no BLOB (the policy writes base64), BIT, BIGNUM or VARIANT: read text (or
// JSON) and convert in SQL. Numbers read as VARCHAR are quoted, so no digit goes through a DOUBLE.
const viaSql = (
  dataType: string,
  jsonType: 'VARCHAR' | 'JSON',
  selectSql: (unnested: string) => string,
): ColumnEncoding => ({
  jsonType,
  selectSql,
  valueText(value) {
    const text = encodeColumnValue(dataType, value)
    return jsonType === 'VARCHAR' && text !== 'null' && !text.startsWith('"')
      ? JSON.stringify(text)
      : text
  },
})

/** The encoding of a column of the DuckDB type `dataType` (as `duckdb_columns().data_type` spells it). */
export function columnEncoding(dataType: string): ColumnEncoding {
  const scalar = scalarTypeOf(dataType)
  switch (scalar) {
    case 'BLOB':
      return viaSql(dataType, 'VARCHAR', (unnested) => `from_base64(${unnested})`)
    case 'BIT':
    case 'BIGNUM':
      return viaSql(dataType, 'VARCHAR', (unnested) => `cast(${unnested} as ${scalar})`)
    case 'VARIANT':
      return viaSql(dataType, 'JSON', (unnested) => `cast(${unnested} as VARIANT)`)
    default:
      return direct(dataType)
  }
}
