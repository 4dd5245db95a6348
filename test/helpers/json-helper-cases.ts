import type { DuckDBTypeToTs, JsonValue } from '../../src/types/duckdb-types.js'

/*
 * One column per DuckDB type, with a value, and what that value must arrive as inside the JSON helpers:
 * the type tests (json-helper-types.test-d.ts) check that the helpers' row type of `ValuesTable` is
 * `ExpectedJson`; the runtime tests (json-helper-values.ts) check that each value arrives as `json`, which
 * the compiler checks against `ExpectedJson`. The column types are what codegen prints (DuckDBTypeToTs).
 */

/** The DuckDB type of each column. */
export const COLUMN_TYPES = {
  bool: 'BOOLEAN',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  integer: 'INTEGER',
  utinyint: 'UTINYINT',
  usmallint: 'USMALLINT',
  uinteger: 'UINTEGER',
  bigint_small: 'BIGINT',
  bigint_big: 'BIGINT',
  ubigint: 'UBIGINT',
  hugeint: 'HUGEINT',
  uhugeint: 'UHUGEINT',
  decimal_small: 'DECIMAL(4,1)',
  decimal_scaled: 'DECIMAL(10,2)',
  decimal_large: 'DECIMAL(38,10)',
  float: 'FLOAT',
  float_nan: 'FLOAT',
  float_inf: 'FLOAT',
  double: 'DOUBLE',
  double_nan: 'DOUBLE',
  double_inf: 'DOUBLE',
  double_neg_zero: 'DOUBLE',
  varchar: 'VARCHAR',
  enum: "ENUM('sad', 'happy')",
  uuid: 'UUID',
  blob: 'BLOB',
  date: 'DATE',
  time: 'TIME',
  timetz: 'TIMETZ',
  timestamp: 'TIMESTAMP',
  timestamp_s: 'TIMESTAMP_S',
  timestamp_ms: 'TIMESTAMP_MS',
  timestamp_ns: 'TIMESTAMP_NS',
  timestamp_before_epoch: 'TIMESTAMP',
  timestamp_year_10000: 'TIMESTAMP',
  timestamp_infinity: 'TIMESTAMP',
  timestamptz: 'TIMESTAMPTZ',
  interval: 'INTERVAL',
  json: 'JSON',
  bit: 'BIT',
  list_integer: 'INTEGER[]',
  list_bigint: 'BIGINT[]',
  list_decimal: 'DECIMAL(10,2)[]',
  list_timestamp: 'TIMESTAMP[]',
  list_timestamptz: 'TIMESTAMPTZ[]',
  list_float: 'FLOAT[]',
  list_blob: 'BLOB[]',
  array_bigint: 'BIGINT[2]',
  list_of_lists: 'INTEGER[][]',
  struct: 'STRUCT(i INTEGER, d DECIMAL(10,2), t TIMESTAMP)',
  map: 'MAP(VARCHAR, INTEGER)',
} as const

type Columns = typeof COLUMN_TYPES

/** The table, typed as codegen types it (every column nullable). */
export type ValuesTable = { [K in keyof Columns]: DuckDBTypeToTs<Columns[K]> | null }

export interface ValuesDB {
  json_values: ValuesTable
}

/** What each column's value must arrive as inside the JSON helpers (written out, not computed). */
export interface ExpectedJson {
  bool: boolean | null
  tinyint: number | null
  smallint: number | null
  integer: number | null
  utinyint: number | null
  usmallint: number | null
  uinteger: string | null
  bigint_small: string | null
  bigint_big: string | null
  ubigint: string | null
  hugeint: string | null
  uhugeint: string | null
  decimal_small: string | null
  decimal_scaled: string | null
  decimal_large: string | null
  float: number | null
  float_nan: number | null
  float_inf: number | null
  double: number | null
  double_nan: number | null
  double_inf: number | null
  double_neg_zero: number | null
  varchar: string | null
  enum: string | null
  uuid: string | null
  blob: string | null
  date: string | null
  time: string | null
  timetz: string | null
  timestamp: string | null
  timestamp_s: string | null
  timestamp_ms: string | null
  timestamp_ns: string | null
  timestamp_before_epoch: string | null
  timestamp_year_10000: string | null
  timestamp_infinity: string | null
  timestamptz: string | null
  interval: string | null
  json: JsonValue | null
  bit: string | null
  list_integer: number[] | null
  list_bigint: string[] | null
  list_decimal: string[] | null
  list_timestamp: string[] | null
  list_timestamptz: string[] | null
  list_float: number[] | null
  list_blob: string[] | null
  array_bigint: string[] | null
  list_of_lists: number[][] | null
  struct: JsonValue | null
  map: JsonValue | null
}

/** A column's value (a DuckDB literal) and what it arrives as. */
export interface ValueCase<J> {
  readonly literal: string
  readonly json: J
}

/** Every column's value; `json` is checked against `ExpectedJson` by the compiler. */
export const VALUE_CASES: { readonly [K in keyof Columns]: ValueCase<ExpectedJson[K]> } = {
  bool: { literal: 'true', json: true },
  tinyint: { literal: '-128', json: -128 },
  smallint: { literal: '32767', json: 32767 },
  integer: { literal: '-2147483648', json: -2147483648 },
  utinyint: { literal: '255', json: 255 },
  usmallint: { literal: '65535', json: 65535 },
  uinteger: { literal: '4294967295', json: '4294967295' },
  bigint_small: { literal: '42', json: '42' },
  bigint_big: { literal: '9223372036854775807', json: '9223372036854775807' },
  ubigint: { literal: '18446744073709551615', json: '18446744073709551615' },
  hugeint: {
    literal: '-170141183460469231731687303715884105728',
    json: '-170141183460469231731687303715884105728',
  },
  uhugeint: {
    literal: '340282366920938463463374607431768211455',
    json: '340282366920938463463374607431768211455',
  },
  decimal_small: { literal: '123.4', json: '123.4' },
  decimal_scaled: { literal: '1.5', json: '1.50' },
  decimal_large: {
    literal: "'1234567890123456789012345678.0123456789'",
    json: '1234567890123456789012345678.0123456789',
  },
  float: { literal: '0.1', json: 0.1 },
  float_nan: { literal: "'NaN'", json: Number.NaN },
  float_inf: { literal: "'-Infinity'", json: Number.NEGATIVE_INFINITY },
  double: { literal: '0.1', json: 0.1 },
  double_nan: { literal: "'NaN'", json: Number.NaN },
  double_inf: { literal: "'Infinity'", json: Number.POSITIVE_INFINITY },
  double_neg_zero: { literal: "'-0.0'", json: -0 },
  varchar: { literal: `'héllo "q" \\ 😀'`, json: 'héllo "q" \\ 😀' },
  enum: { literal: "'happy'", json: 'happy' },
  uuid: {
    literal: "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
    json: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  },
  blob: { literal: "'\\xAA\\x00ab'", json: '\\xaa006162' },
  date: { literal: "'2024-03-10'", json: '2024-03-10' },
  time: { literal: "'12:34:56.789012'", json: '12:34:56.789012' },
  timetz: { literal: "'12:00:00+05:30'", json: '12:00:00+05:30' },
  timestamp: { literal: "'2024-03-10 12:00:00.123456'", json: '2024-03-10T12:00:00.123Z' },
  timestamp_s: { literal: "'2024-03-10 12:00:00'", json: '2024-03-10T12:00:00.000Z' },
  timestamp_ms: { literal: "'2024-03-10 12:00:00.123'", json: '2024-03-10T12:00:00.123Z' },
  timestamp_ns: {
    literal: "'1969-12-31 23:59:59.999999999'",
    json: '1969-12-31T23:59:59.999Z',
  },
  timestamp_before_epoch: {
    literal: "'1969-12-31 23:59:59.9995'",
    json: '1969-12-31T23:59:59.999Z',
  },
  timestamp_year_10000: {
    literal: "'10000-01-01 00:00:00.5'",
    json: '+010000-01-01T00:00:00.500Z',
  },
  timestamp_infinity: { literal: "'infinity'", json: '+275760-09-13T00:00:00.000Z' },
  timestamptz: { literal: "'2024-03-10 12:00:00.5+05:30'", json: '2024-03-10T06:30:00.500Z' },
  interval: {
    literal: "'1 year 2 months 3 days 04:05:06.789'",
    json: '1 year 2 months 3 days 04:05:06.789',
  },
  json: { literal: `'{"a":[1,2.5,null],"b":"x"}'`, json: { a: [1, 2.5, null], b: 'x' } },
  bit: { literal: "'0101'", json: '0101' },
  list_integer: { literal: '[1, 3]', json: [1, 3] },
  list_bigint: { literal: '[1, 9223372036854775807]', json: ['1', '9223372036854775807'] },
  list_decimal: { literal: '[1.5, 2]', json: ['1.50', '2.00'] },
  list_timestamp: {
    literal: "['2024-03-10 12:00:00', '1970-01-01 00:00:00.001']",
    json: ['2024-03-10T12:00:00.000Z', '1970-01-01T00:00:00.001Z'],
  },
  list_timestamptz: { literal: "['2024-03-10 12:00:00-05']", json: ['2024-03-10T17:00:00.000Z'] },
  list_float: { literal: "['0.1', 'NaN', '-0.0']", json: [0.1, Number.NaN, -0] },
  list_blob: { literal: "['\\x01'::BLOB, 'z'::BLOB]", json: ['\\x01', '\\x7a'] },
  array_bigint: { literal: '[7, -7]', json: ['7', '-7'] },
  list_of_lists: { literal: '[[1], [2, 3]]', json: [[1], [2, 3]] },
  struct: {
    literal: "{'i': 1, 'd': 1.5, 't': '2024-03-10 12:00:00'}",
    json: { i: 1, d: 1.5, t: '2024-03-10 12:00:00' },
  },
  map: { literal: "MAP {'k': 1}", json: { k: 1 } },
}
