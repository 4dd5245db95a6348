import type { DuckDBScalarTypeName } from '../src/types/duckdb-types.js'

/**
 * The shared aliases a generated file declares for column types, by DuckDB scalar type, so that a
 * column reads `Int8 | null` and a type change is a one-line diff. kysely-codegen's names where the
 * meaning matches (its PostgreSQL adapter's `Int8`, `Numeric`, `Timestamp`, `Interval`, `Json`),
 * DuckDB's names where kysely-codegen has none. Each alias holds the whole select/insert/update triple
 * (its body follows the `int64` / `numeric` modes). Types read and written alike (`number`, `string`,
 * `boolean`, `Buffer`) are one word already and get none, as in kysely-codegen.
 */
export const COLUMN_TYPE_ALIASES = {
  BIGINT: 'Int8',
  UINTEGER: 'UInteger',
  UBIGINT: 'UBigInt',
  HUGEINT: 'HugeInt',
  UHUGEINT: 'UHugeInt',
  BIGNUM: 'BigNum',
  DECIMAL: 'Numeric',
  // `Date` is the JavaScript class: the alias says what a DATE reads as.
  DATE: 'DateString',
  TIMESTAMP: 'Timestamp',
  TIMESTAMP_S: 'Timestamp',
  TIMESTAMP_MS: 'Timestamp',
  TIMESTAMP_NS: 'Timestamp',
  TIMESTAMP_TZ: 'Timestamp',
  INTERVAL: 'Interval',
  JSON: 'Json',
  VARIANT: 'Variant',
} as const satisfies Partial<Record<DuckDBScalarTypeName, string>>

/** The name of a shared column-type alias: `'Int8'`, `'Timestamp'`, `'Json'`, … */
export type ColumnTypeAliasName = (typeof COLUMN_TYPE_ALIASES)[keyof typeof COLUMN_TYPE_ALIASES]

/**
 * The value types a generated file declares (or, with `selfContained: false`, imports from
 * `kysely-motherduck`): what INTERVAL and JSON values are at run time. `IntervalValue` is the package's
 * `Interval`, renamed because `Interval` names the column type, as in kysely-codegen; `JsonValue` is
 * split into `JsonArray`, `JsonObject` and `JsonPrimitive` as kysely-codegen writes it.
 */
const VALUE_TYPE_NAMES = [
  'IntervalValue',
  'JsonArray',
  'JsonObject',
  'JsonPrimitive',
  'JsonValue',
] as const

/** Every type name a generated file may declare besides kysely-codegen's own (`Generated`, `ArrayType`). */
export const GENERATED_TYPE_NAMES: readonly string[] = [
  ...new Set(Object.values(COLUMN_TYPE_ALIASES)),
  ...VALUE_TYPE_NAMES,
]

const aliases: Partial<Record<DuckDBScalarTypeName, ColumnTypeAliasName>> = COLUMN_TYPE_ALIASES

/**
 * The alias that stands for columns of a DuckDB scalar type, if it has one.
 *
 * ### Examples
 *
 * ```ts
 * columnTypeAliasOf('BIGINT') // 'Int8'
 * columnTypeAliasOf('TIMESTAMP_TZ') // 'Timestamp'
 * columnTypeAliasOf('INTEGER') // undefined: `number` already
 * ```
 */
export function columnTypeAliasOf(name: DuckDBScalarTypeName): ColumnTypeAliasName | undefined {
  return aliases[name]
}

/** The DuckDB scalar types an alias stands for (`Timestamp`: every TIMESTAMP flavour). */
export function scalarTypesOfAlias(alias: ColumnTypeAliasName): DuckDBScalarTypeName[] {
  return (Object.keys(aliases) as DuckDBScalarTypeName[]).filter((name) => aliases[name] === alias)
}
