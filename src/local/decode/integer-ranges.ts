import { DuckDBTypeId } from '@duckdb/node-api'

/** An integer type's range, and whether @duckdb/node-api binds it from a `number` or a `bigint`. */
export type IntegerRange = readonly [min: bigint, max: bigint, binds: 'number' | 'bigint']

/** DuckDB's integer types: the ranges a parameter text is checked against before it binds. */
export const INTEGER_RANGES: ReadonlyMap<DuckDBTypeId, IntegerRange> = new Map<
  DuckDBTypeId,
  IntegerRange
>([
  [DuckDBTypeId.TINYINT, [-128n, 127n, 'number']],
  [DuckDBTypeId.SMALLINT, [-(2n ** 15n), 2n ** 15n - 1n, 'number']],
  [DuckDBTypeId.INTEGER, [-(2n ** 31n), 2n ** 31n - 1n, 'number']],
  [DuckDBTypeId.BIGINT, [-(2n ** 63n), 2n ** 63n - 1n, 'bigint']],
  [DuckDBTypeId.HUGEINT, [-(2n ** 127n), 2n ** 127n - 1n, 'bigint']],
  [DuckDBTypeId.UTINYINT, [0n, 255n, 'number']],
  [DuckDBTypeId.USMALLINT, [0n, 2n ** 16n - 1n, 'number']],
  [DuckDBTypeId.UINTEGER, [0n, 2n ** 32n - 1n, 'number']],
  [DuckDBTypeId.UBIGINT, [0n, 2n ** 64n - 1n, 'bigint']],
  [DuckDBTypeId.UHUGEINT, [0n, 2n ** 128n - 1n, 'bigint']],
])
