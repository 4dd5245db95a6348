import { describe, expectTypeOf, it } from 'vitest'
import type { DuckDBTypeToTs, Interval, JsonValue } from '../../src/types/duckdb-types.js'

describe('DuckDBTypeToTs', () => {
  it('maps scalars, aliases, parameterized types and any case', () => {
    expectTypeOf<DuckDBTypeToTs<'BIGINT'>>().toEqualTypeOf<bigint>()
    expectTypeOf<DuckDBTypeToTs<'int8'>>().toEqualTypeOf<bigint>()
    expectTypeOf<DuckDBTypeToTs<' Timestamp With Time Zone '>>().toEqualTypeOf<Date>()
    expectTypeOf<DuckDBTypeToTs<'DECIMAL(10,2)'>>().toEqualTypeOf<string>()
    expectTypeOf<DuckDBTypeToTs<"ENUM('a', 'b')">>().toEqualTypeOf<string>()
    expectTypeOf<DuckDBTypeToTs<'BLOB'>>().toEqualTypeOf<Buffer>()
    expectTypeOf<DuckDBTypeToTs<'INTERVAL'>>().toEqualTypeOf<Interval>()
    expectTypeOf<DuckDBTypeToTs<'BIGINT', { int64: 'number' }>>().toEqualTypeOf<number>()
    expectTypeOf<DuckDBTypeToTs<'NOT_A_TYPE'>>().toEqualTypeOf<unknown>()
  })

  it('maps lists of scalars element-wise, and lists of lists to their JSON form', () => {
    expectTypeOf<DuckDBTypeToTs<'VARCHAR[]'>>().toEqualTypeOf<string[]>()
    expectTypeOf<DuckDBTypeToTs<'TIMESTAMP[]'>>().toEqualTypeOf<Date[]>()
    expectTypeOf<DuckDBTypeToTs<'DOUBLE[3]'>>().toEqualTypeOf<number[]>()
    expectTypeOf<DuckDBTypeToTs<'BIGINT[][]'>>().toEqualTypeOf<(number | bigint)[][]>()
    expectTypeOf<DuckDBTypeToTs<'TIMESTAMP[][]'>>().toEqualTypeOf<string[][]>()
    expectTypeOf<DuckDBTypeToTs<'DECIMAL(4,1)[2][]'>>().toEqualTypeOf<(number | bigint)[][]>()
    expectTypeOf<DuckDBTypeToTs<'BOOLEAN[][][]'>>().toEqualTypeOf<boolean[][][]>()
    expectTypeOf<DuckDBTypeToTs<'STRUCT(a INTEGER)[]'>>().toEqualTypeOf<JsonValue[]>()
    expectTypeOf<DuckDBTypeToTs<'MAP(VARCHAR, INTEGER)'>>().toEqualTypeOf<JsonValue>()
  })
})
