import type { Kysely, Selectable } from 'kysely'
import type pg from 'pg'
import { describe, expectTypeOf, it } from 'vitest'
import {
  createMotherDuckPool,
  jsonArrayFrom,
  jsonBuildObject,
  jsonObjectFrom,
  MotherDuckDialect,
  type MotherDuckDialectConfig,
  MotherDuckIntrospector,
  type MotherDuckRegion,
  type MotherDuckTableMetadata,
  motherDuckPoolConfig,
  motherDuckTableKey,
} from '../../src/index.js'
import type { SalesOrders, TestDB } from './test-db.js'

declare const db: Kysely<TestDB>

describe('configuration types', () => {
  it('accepts the documented options and only the six AWS and two Azure regions', () => {
    expectTypeOf<MotherDuckRegion>().toEqualTypeOf<
      | 'us-east-1'
      | 'us-west-2'
      | 'eu-central-1'
      | 'eu-west-1'
      | 'ap-northeast-1'
      | 'ap-southeast-2'
      | 'eastus'
      | 'uksouth'
    >()
    expectTypeOf<MotherDuckDialectConfig['region']>().toEqualTypeOf<MotherDuckRegion | undefined>()
    new MotherDuckDialect({
      token: 't',
      database: 'md:',
      region: 'eu-central-1',
      ssl: 'require',
      pool: { max: 20, idleTimeoutMillis: 1000 },
      applicationName: 'app',
      typeParsing: { int64: 'number', numeric: 'string' },
      connectRetry: { retries: 5 },
      migrationLock: { timeoutMs: 1000 },
    })
    new MotherDuckDialect({ pool: async () => createMotherDuckPool() })
    new MotherDuckDialect({ ssl: false, host: '127.0.0.1', cursor: null })
    // @ts-expect-error not a MotherDuck region
    new MotherDuckDialect({ region: 'us-east-2' })
    // @ts-expect-error sslmode names are for URLs; `ssl` takes 'verify-full' | 'require' | false | object
    new MotherDuckDialect({ ssl: 'verify-ca' })
    // @ts-expect-error connection fields are not pool options
    new MotherDuckDialect({ pool: { host: 'elsewhere' } })
    // @ts-expect-error int64 modes are bigint | number | string
    new MotherDuckDialect({ typeParsing: { int64: 'double' } })
  })

  it('pool helpers return pg types', () => {
    expectTypeOf(motherDuckPoolConfig()).toEqualTypeOf<pg.PoolConfig>()
    expectTypeOf(createMotherDuckPool()).toEqualTypeOf<pg.Pool>()
  })
})

describe('three-part table keys', () => {
  it('types rows of another database under database:schema.table', () => {
    const rows = db.selectFrom('other_db:sales.orders').selectAll().execute()
    expectTypeOf(rows).resolves.toEqualTypeOf<Selectable<SalesOrders>[]>()
    expectTypeOf(rows).resolves.toEqualTypeOf<{ id: number; item_id: number; amount: string }[]>()
  })

  it('types aliases, joins and qualified column references', () => {
    const joined = db
      .selectFrom('other_db:sales.orders as o')
      .innerJoin('items as i', 'i.id', 'o.item_id')
      .innerJoin('audit.events', 'audit.events.item_id', 'i.id')
      .select(['o.amount', 'i.name', 'audit.events.note'])
      .execute()
    expectTypeOf(joined).resolves.toEqualTypeOf<
      { amount: string; name: string; note: string | null }[]
    >()
    const qualified = db
      .selectFrom('other_db:sales.orders')
      .select('other_db:sales.orders.amount')
      .where('other_db:sales.orders.id', '=', 1)
      .execute()
    expectTypeOf(qualified).resolves.toEqualTypeOf<{ amount: string }[]>()
  })

  it('refuses the dotted three-part spelling Kysely cannot compile', () => {
    // @ts-expect-error 'other_db.sales.orders' is not a key: Kysely would drop the table part
    db.selectFrom('other_db.sales.orders')
  })

  it('types inserts and updates in another database', () => {
    db.insertInto('other_db:sales.orders').values({ id: 1, item_id: 2, amount: 3.5 })
    db.updateTable('other_db:sales.orders').set({ amount: '4.00' })
    // @ts-expect-error amount is required
    db.insertInto('other_db:sales.orders').values({ id: 1, item_id: 2 })
  })

  it('computes keys as codegen does', () => {
    expectTypeOf(motherDuckTableKey).returns.toEqualTypeOf<string>()
  })
})

describe('JSON helpers', () => {
  it('have the kysely/helpers/postgres result types', () => {
    const rows = db
      .selectFrom('items')
      .select((eb) => [
        'items.id',
        jsonArrayFrom(
          eb.selectFrom('audit.events').select(['audit.events.id', 'audit.events.note']),
        ).as('events'),
        jsonObjectFrom(eb.selectFrom('other_db:sales.orders').select(['amount'])).as('order'),
        jsonBuildObject({ name: eb.ref('items.name'), qty: eb.ref('items.qty') }).as('obj'),
      ])
      .execute()
    expectTypeOf(rows).resolves.toEqualTypeOf<
      {
        id: number
        events: { id: number; note: string | null }[]
        order: { amount: string } | null
        obj: { name: string; qty: number | null }
      }[]
    >()
  })
})

describe('introspection', () => {
  it('returns MotherDuck table metadata with keys', () => {
    const introspector = new MotherDuckIntrospector(db)
    expectTypeOf(introspector.getTables()).resolves.toEqualTypeOf<MotherDuckTableMetadata[]>()
    expectTypeOf<MotherDuckTableMetadata['key']>().toEqualTypeOf<string>()
    expectTypeOf<MotherDuckTableMetadata['database']>().toEqualTypeOf<string>()
  })
})
