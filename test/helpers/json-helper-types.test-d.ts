import type { NonDehydrateable } from 'kysely'
import { describe, expectTypeOf, it } from 'vitest'
import type { JsonHelperValue } from '../../src/helpers/json-helper-types.js'
import { jsonArrayFrom, jsonBuildObject, jsonObjectFrom } from '../../src/index.js'
import type { Interval, JsonValue } from '../../src/types/duckdb-types.js'
import { compileOnlyDb } from '../sources/compile-only-db.js'
import type { ExpectedJson, ValuesDB } from './json-helper-cases.js'

/*
 * The helpers' row types, for every DuckDB type as codegen types its column (json-helper-cases.ts), must
 * be `ExpectedJson`: what the runtime tests see arriving (json-helper-values.ts).
 */

const db = compileOnlyDb<ValuesDB>()

describe('JSON helper row types', () => {
  it('jsonArrayFrom: each row is ExpectedJson', () => {
    const query = db
      .selectNoFrom((eb) => [jsonArrayFrom(eb.selectFrom('json_values').selectAll()).as('rows')])
      .executeTakeFirstOrThrow()
    expectTypeOf<Awaited<typeof query>['rows']>().toEqualTypeOf<ExpectedJson[]>()
  })

  it('jsonObjectFrom: the row is ExpectedJson or null', () => {
    const query = db
      .selectNoFrom((eb) => [jsonObjectFrom(eb.selectFrom('json_values').selectAll()).as('row')])
      .executeTakeFirstOrThrow()
    expectTypeOf<Awaited<typeof query>['row']>().toEqualTypeOf<ExpectedJson | null>()
  })

  it('jsonBuildObject: each value as in ExpectedJson', () => {
    const query = db
      .selectFrom('json_values')
      .select((eb) =>
        jsonBuildObject({
          big: eb.ref('bigint_big'),
          decimal: eb.ref('decimal_large'),
          at: eb.ref('timestamptz'),
          bytes: eb.ref('blob'),
          span: eb.ref('interval'),
          stamps: eb.ref('list_timestamp'),
          ratio: eb.ref('double_nan'),
          nested: jsonArrayFrom(eb.selectFrom('json_values').select('bigint_small')),
        }).as('obj'),
      )
      .executeTakeFirstOrThrow()
    expectTypeOf<Awaited<typeof query>['obj']>().toEqualTypeOf<{
      big: ExpectedJson['bigint_big']
      decimal: ExpectedJson['decimal_large']
      at: ExpectedJson['timestamptz']
      bytes: ExpectedJson['blob']
      span: ExpectedJson['interval']
      stamps: ExpectedJson['list_timestamp']
      ratio: ExpectedJson['double_nan']
      nested: { bigint_small: string | null }[]
    }>()
  })

  it('a nested helper keeps its JSON type (composes)', () => {
    const query = db
      .selectNoFrom((eb) => [
        jsonObjectFrom(
          eb
            .selectFrom('json_values')
            .select((inner) => [
              'timestamp',
              jsonArrayFrom(inner.selectFrom('json_values').select('bigint_big')).as('bigs'),
            ]),
        ).as('row'),
      ])
      .executeTakeFirstOrThrow()
    expectTypeOf<Awaited<typeof query>['row']>().toEqualTypeOf<{
      timestamp: string | null
      bigs: { bigint_big: string | null }[]
    } | null>()
  })

  it('JsonHelperValue maps the types that JSON cannot carry, element-wise in lists', () => {
    expectTypeOf<JsonHelperValue<Date>>().toEqualTypeOf<string>()
    expectTypeOf<JsonHelperValue<bigint | null>>().toEqualTypeOf<string | null>()
    expectTypeOf<JsonHelperValue<Buffer>>().toEqualTypeOf<string>()
    expectTypeOf<JsonHelperValue<Interval>>().toEqualTypeOf<string>()
    expectTypeOf<JsonHelperValue<Date[]>>().toEqualTypeOf<string[]>()
    expectTypeOf<JsonHelperValue<(bigint | null)[]>>().toEqualTypeOf<(string | null)[]>()
    // Lists of lists and objects already are JSON at top level.
    expectTypeOf<JsonHelperValue<(number | bigint)[][]>>().toEqualTypeOf<(number | bigint)[][]>()
    expectTypeOf<JsonHelperValue<JsonValue>>().toEqualTypeOf<JsonValue>()
    expectTypeOf<JsonHelperValue<{ days: number }>>().toEqualTypeOf<{ days: number }>()
    expectTypeOf<JsonHelperValue<string>>().toEqualTypeOf<string>()
    expectTypeOf<JsonHelperValue<number>>().toEqualTypeOf<number>()
  })

  it("Kysely's NonDehydrateable opts a column out, as in Kysely", () => {
    expectTypeOf<JsonHelperValue<NonDehydrateable<'1' | '2'>>>().toEqualTypeOf<
      NonDehydrateable<'1' | '2'>
    >()
  })
})
