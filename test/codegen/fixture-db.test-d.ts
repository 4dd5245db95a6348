import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import { describe, expectTypeOf, it } from 'vitest'
import type { Interval, JsonValue } from '../../src/index.js'
import type {
  DB,
  JsonValue as GeneratedJsonValue,
  IntervalValue,
  Json,
  Mood,
} from '../fixtures/golden/codegen/fixture-db.generated.js'
import type {
  DB as ImportingDB,
  Mood as MoodEnum,
} from '../fixtures/golden/codegen/fixture-db-number-modes.generated.js'

/** The keys a value of `T` must have. */
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T]

// Never executed: only the types of the queries matter here.
declare const db: Kysely<DB>

describe('typed queries against the generated fixture types', () => {
  it('selects return what the dialect returns', () => {
    const query = db
      .selectFrom('orders')
      .select(['id', 'amount', 'status', 'mood', 'created_at', 'note'])
    type Row = Awaited<ReturnType<typeof query.executeTakeFirstOrThrow>>
    expectTypeOf<Row>().toEqualTypeOf<{
      id: bigint
      amount: string
      status: 'new' | 'paid' | 'shipped' | "it's complicated"
      mood: Mood | null
      created_at: Date
      note: string | null
    }>()
  })

  it('every scalar type has its run-time TypeScript type', () => {
    type Row = Selectable<DB['scalar_types']>
    expectTypeOf<Row['c_bigint']>().toEqualTypeOf<bigint | null>()
    expectTypeOf<Row['c_uinteger']>().toEqualTypeOf<bigint | null>()
    expectTypeOf<Row['c_hugeint']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['c_decimal_18_3']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['c_date']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['c_timestamp_ns']>().toEqualTypeOf<Date | null>()
    expectTypeOf<Row['c_interval']>().toEqualTypeOf<Interval | null>()
    expectTypeOf<Row['c_json']>().toEqualTypeOf<JsonValue | null>()
    expectTypeOf<Row['c_blob']>().toEqualTypeOf<Buffer | null>()
    expectTypeOf<Row['c_uuid']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['id']>().toEqualTypeOf<number>()
  })

  it('nested types are arrays, objects, records and tagged unions, whose values may be NULL', () => {
    type Row = Selectable<DB['nested_types']>
    expectTypeOf<Row['l_bigint']>().toEqualTypeOf<(bigint | null)[] | null>()
    expectTypeOf<Row['l_list']>().toEqualTypeOf<((number | null)[] | null)[] | null>()
    expectTypeOf<Row['m_map']>().toEqualTypeOf<Record<string, number | null> | null>()
    expectTypeOf<NonNullable<Row['s_struct']>['Field With Space']>().toEqualTypeOf<number | null>()
    expectTypeOf<NonNullable<Row['s_struct']>['id']>().toEqualTypeOf<bigint | number | null>()
    expectTypeOf<NonNullable<NonNullable<Row['s_struct']>['inner_s']>['deep_flag']>().toEqualTypeOf<
      boolean | null
    >()
    expectTypeOf<Row['u_union']>().toEqualTypeOf<
      { num: number | null } | { str: string | null } | null
    >()
    // An ENUM array uses the enum's name.
    expectTypeOf<Row['l_mood']>().toEqualTypeOf<(Mood | null)[] | null>()
    // Inserting a NULL inside a value needs no cast.
    db.insertInto('nested_types').values({
      id: 4,
      s_struct: {
        born: null,
        'Field With Space': null,
        id: null,
        inner_s: null,
        mood: null,
        name: null,
        tags: [null],
      },
      l_integer: [1, null],
      m_map: { a: null },
    })
  })

  it("ArrayType<Alias | null> keeps the alias's insert type for each element", () => {
    type Insert = Insertable<DB['nested_types']>
    expectTypeOf<Insert['l_bigint']>().toEqualTypeOf<
      (bigint | number | string | null)[] | null | undefined
    >()
    expectTypeOf<Insert['l_timestamp']>().toEqualTypeOf<
      (Date | string | null)[] | null | undefined
    >()
    expectTypeOf<Selectable<DB['nested_types']>['l_decimal']>().toEqualTypeOf<
      (string | null)[] | null
    >()
  })

  it('with the non-default options: number modes, runtime enums, imported value types, non-null nested values', () => {
    type Row = Selectable<ImportingDB['nested_types']>
    expectTypeOf<Row['l_bigint']>().toEqualTypeOf<number[] | null>()
    expectTypeOf<Row['l_mood']>().toEqualTypeOf<MoodEnum[] | null>()
    expectTypeOf<NonNullable<Row['s_struct']>['Field With Space']>().toEqualTypeOf<number>()
    type Scalars = Selectable<ImportingDB['scalar_types']>
    expectTypeOf<Scalars['c_interval']>().toEqualTypeOf<Interval | null>()
    expectTypeOf<Scalars['c_json']>().toEqualTypeOf<JsonValue | null>()
    expectTypeOf<Scalars['c_hugeint']>().toEqualTypeOf<number | null>()
  })

  it("the file's own JsonValue and IntervalValue are the package's JsonValue and Interval", () => {
    expectTypeOf<GeneratedJsonValue>().toExtend<JsonValue>()
    expectTypeOf<JsonValue>().toExtend<GeneratedJsonValue>()
    expectTypeOf<Json>().toExtend<JsonValue>()
    expectTypeOf<JsonValue>().toExtend<Json>()
    expectTypeOf<IntervalValue>().toExtend<Interval>()
    expectTypeOf<Interval>().toExtend<IntervalValue>()
    expectTypeOf<IntervalValue>().toEqualTypeOf<Interval>()
  })

  it('inserts take what the wire accepts, and defaults make columns optional', () => {
    type Insert = Insertable<DB['orders']>
    expectTypeOf<RequiredKeys<Insert>>().toEqualTypeOf<'customer_name' | 'amount'>()
    expectTypeOf<Insert['id']>().toEqualTypeOf<bigint | number | string | undefined>()
    expectTypeOf<Insert['amount']>().toEqualTypeOf<bigint | number | string>()
    expectTypeOf<Insert['created_at']>().toEqualTypeOf<Date | string | undefined>()
    expectTypeOf<Insert['mood']>().toEqualTypeOf<Mood | null | undefined>()
    db.insertInto('orders').values({ customer_name: 'Ada', amount: 12.5 })
    // @ts-expect-error customer_name is NOT NULL without a default
    db.insertInto('orders').values({ amount: 12.5 })
    expectTypeOf<Updateable<DB['scalar_types']>['c_interval']>().toEqualTypeOf<
      string | null | undefined
    >()
  })

  it('tables of other schemas and databases are keyed schema.table and database:schema.table', () => {
    const events = db.selectFrom('analytics.events').select(['tier', 'occurred_at'])
    expectTypeOf<Awaited<ReturnType<typeof events.executeTakeFirstOrThrow>>>().toEqualTypeOf<{
      tier: 'enterprise plan' | 'free' | 'pro'
      occurred_at: Date
    }>()
    const accounts = db
      .selectFrom('fixture_other:main.accounts as a')
      .innerJoin('fixture_other:archive.orders as o', 'o.id', 'a.id')
      .select(['a.balance', 'o.archived_at'])
    expectTypeOf<Awaited<ReturnType<typeof accounts.executeTakeFirstOrThrow>>>().toEqualTypeOf<{
      balance: string | null
      archived_at: Date | null
    }>()
    const odd = db
      .selectFrom('Odd Schema.Order Items')
      .select(['select', 'quote"d', 'Naïve Column'])
    expectTypeOf<Awaited<ReturnType<typeof odd.executeTakeFirstOrThrow>>>().toEqualTypeOf<{
      select: number
      'quote"d': string | null
      'Naïve Column': string | null
    }>()
  })

  it('views are selectable and every view column is nullable', () => {
    type Row = Selectable<DB['order_totals']>
    expectTypeOf<Row>().toEqualTypeOf<{
      customer_name: string | null
      total: string | null
      order_count: bigint | null
    }>()
  })
})
