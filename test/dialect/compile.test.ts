import { type Compilable, Kysely, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { toWireParameters } from '../../src/dialect/motherduck-parameters.js'
import {
  jsonArrayFrom,
  jsonBuildObject,
  jsonObjectFrom,
  MotherDuckDialect,
  MotherDuckUnsupportedError,
} from '../../src/index.js'
import { jsonValueSqlOf, objectSql, orderedArraySql } from '../helpers/json-helper-sql.js'
import type { TestDB } from './test-db.js'

// Compiling needs no connection: the pool is only created on the first execute.
const db = new Kysely<TestDB>({
  dialect: new MotherDuckDialect({ host: '127.0.0.1', token: 'unused', ssl: false }),
})

function compiled(query: Compilable) {
  const { sql, parameters } = query.compile()
  return { sql, parameters }
}

describe('three-part names', () => {
  it('selects from another database with an alias, a join and qualified columns', () => {
    expect(
      compiled(
        db
          .selectFrom('other_db:sales.orders as o')
          .innerJoin('items', 'items.id', 'o.item_id')
          .select(['o.id', 'o.amount', 'items.name'])
          .where('o.id', '>', 1),
      ),
    ).toEqual({
      sql: 'select "o"."id", "o"."amount", "items"."name" from "other_db"."sales"."orders" as "o" inner join "items" on "items"."id" = "o"."item_id" where "o"."id" > $1',
      parameters: [1],
    })
    expect(
      compiled(
        db
          .selectFrom('other_db:sales.orders')
          .select('other_db:sales.orders.amount')
          .where('other_db:sales.orders.id', '>', 1),
      ).sql,
    ).toBe(
      'select "other_db"."sales"."orders"."amount" from "other_db"."sales"."orders" where "other_db"."sales"."orders"."id" > $1',
    )
  })

  it('inserts, updates and deletes in another database', () => {
    expect(
      compiled(
        db.insertInto('other_db:sales.orders').values({ id: 1, item_id: 2, amount: '3.50' }),
      ),
    ).toEqual({
      sql: 'insert into "other_db"."sales"."orders" ("id", "item_id", "amount") values ($1, $2, $3)',
      parameters: [1, 2, '3.50'],
    })
    expect(
      compiled(
        db
          .updateTable('other_db:sales.orders')
          .set({ amount: '1' })
          .where('id', '=', 1)
          .returning('id'),
      ),
    ).toEqual({
      sql: 'update "other_db"."sales"."orders" set "amount" = $1 where "id" = $2 returning "id"',
      parameters: ['1', 1],
    })
    expect(compiled(db.deleteFrom('other_db:sales.orders as o').where('o.id', '=', 1))).toEqual({
      sql: 'delete from "other_db"."sales"."orders" as "o" where "o"."id" = $1',
      parameters: [1],
    })
  })

  it('keeps schema.table of the connected database and splits withSchema("db.schema")', () => {
    expect(compiled(db.selectFrom('audit.events').select('audit.events.id'))).toEqual({
      sql: 'select "audit"."events"."id" from "audit"."events"',
      parameters: [],
    })
    expect(compiled(db.withSchema('other_db.sales').selectFrom('items').select('id')).sql).toBe(
      'select "id" from "other_db"."sales"."items"',
    )
    expect(compiled(db.schema.createSchema('other_db:staging').ifNotExists()).sql).toBe(
      'create schema if not exists "other_db"."staging"',
    )
  })
})

/**
 * What the compiler hands to plugins and loggers (the user's values, as given) and what the connection
 * sends for them (the one conversion for the wire, in the connection).
 */
function compiledWithWire(query: Compilable) {
  const { sql, parameters } = query.compile()
  return { sql, parameters, wire: toWireParameters(parameters) }
}

describe('parameter casts', () => {
  it('casts where DuckDB cannot infer a type', () => {
    expect(
      compiledWithWire(
        db
          .selectFrom('items')
          .select((eb) => [
            eb('price', '*', 1.2).as('scaled'),
            eb.val(1).as('one'),
            eb.val(2 ** 40).as('big'),
            eb.val(10n ** 20n).as('huge'),
            eb.val(true).as('yes'),
            eb.val('text').as('text'),
            eb.fn.coalesce('qty', eb.val(0)).as('qty'),
            eb.case().when('qty', '>', 10).then(eb.val(1.5)).else(eb.val(0)).end().as('bonus'),
          ]),
      ),
    ).toEqual({
      sql: 'select "price" * CAST($1 AS DOUBLE) as "scaled", CAST($2 AS INTEGER) as "one", CAST($3 AS BIGINT) as "big", CAST($4 AS HUGEINT) as "huge", CAST($5 AS BOOLEAN) as "yes", $6 as "text", coalesce("qty", CAST($7 AS INTEGER)) as "qty", case when "qty" > $8 then CAST($9 AS DOUBLE) else CAST($10 AS INTEGER) end as "bonus" from "items"',
      parameters: [1.2, 1, 2 ** 40, 10n ** 20n, true, 'text', 0, 10, 1.5, 0],
      wire: [1.2, 1, 2 ** 40, '100000000000000000000', true, 'text', 0, 10, 1.5, 0],
    })
  })

  it('leaves parameters bare where DuckDB takes the type from the column', () => {
    const date = new Date('2024-05-06T07:08:09.010Z')
    expect(
      compiledWithWire(
        db
          .updateTable('items')
          .set((eb) => ({ qty: eb('qty', '+', 1), cost: '1.5', created_at: date }))
          .where('id', 'in', [1, 2])
          .where((eb) => eb.between('qty', 0, 100))
          .where('created_at', '<', date),
      ),
    ).toEqual({
      sql: 'update "items" set "qty" = "qty" + CAST($1 AS INTEGER), "cost" = $2, "created_at" = $3 where "id" in ($4, $5) and "qty" between $6 and $7 and "created_at" < $8',
      parameters: [1, '1.5', date, 1, 2, 0, 100, date],
      wire: [1, '1.5', '2024-05-06T07:08:09.010Z', 1, 2, 0, 100, '2024-05-06T07:08:09.010Z'],
    })
  })

  it('sends arrays as JSON read as typed lists, objects as JSON', () => {
    expect(
      compiledWithWire(
        db.insertInto('items').values({
          id: 1,
          name: 'a',
          price: 1,
          qty: 1,
          tags: ['x', 'y'],
          sizes: [1, 2.5],
          attrs: { color: 'red' },
        }),
      ),
    ).toEqual({
      sql: 'insert into "items" ("id", "name", "price", "qty", "tags", "sizes", "attrs") values ($1, $2, $3, $4, CAST(CAST($5 AS JSON) AS VARCHAR[]), CAST(CAST($6 AS JSON) AS DOUBLE[]), CAST($7 AS JSON))',
      parameters: [1, 'a', 1, 1, ['x', 'y'], [1, 2.5], { color: 'red' }],
      wire: [1, 'a', 1, 1, '["x","y"]', '[1,2.5]', '{"color":"red"}'],
    })
  })

  it('rewrites = any(list) to = any(select unnest(list))', () => {
    expect(
      compiledWithWire(
        db
          .selectFrom('items')
          .select('id')
          .where((eb) => eb('id', '=', eb.fn.any(eb.val([1, 2, 3])))),
      ),
    ).toEqual({
      sql: 'select "id" from "items" where "id" = any(select unnest(CAST(CAST($1 AS JSON) AS INTEGER[])))',
      parameters: [[1, 2, 3]],
      wire: ['[1,2,3]'],
    })
    expect(
      compiled(
        db
          .selectFrom('items')
          .select('id')
          .where((eb) => eb('id', '=', eb.fn.any(eb.selectFrom('items').select('id')))),
      ).sql,
    ).toBe('select "id" from "items" where "id" = any((select "id" from "items"))')
  })

  it('casts parameters of raw sql templates too (their position is unknown)', () => {
    const query = sql<{ x: number }>`select ${1} + ${2.5} as x, ${'s'} as s`.compile(db)
    expect(query.sql).toBe('select CAST($1 AS INTEGER) + CAST($2 AS DOUBLE) as x, $3 as s')
  })
})

describe('unsupported features', () => {
  it('refuses row locks at compile time', () => {
    for (const build of [
      () => db.selectFrom('items').selectAll().forUpdate(),
      () => db.selectFrom('items').selectAll().forShare(),
      () => db.selectFrom('items').selectAll().forNoKeyUpdate(),
      () => db.selectFrom('items').selectAll().forKeyShare(),
      () => db.selectFrom('items').selectAll().skipLocked(),
    ]) {
      expect(() => build().compile()).toThrow(MotherDuckUnsupportedError)
    }
    expect(() => db.selectFrom('items').selectAll().forUpdate().compile()).toThrow(
      'DuckDB (and so MotherDuck) has no row locks: remove .forUpdate() from the query.',
    )
  })
})

describe('JSON helpers', () => {
  it('compile to DuckDB functions', () => {
    expect(
      compiled(
        db
          .selectFrom('items')
          .select((eb) => [
            'items.id',
            jsonArrayFrom(
              eb
                .selectFrom('audit.events')
                .select(['audit.events.id as event_id'])
                .whereRef('audit.events.item_id', '=', 'items.id')
                .orderBy('audit.events.id'),
            ).as('events'),
            jsonObjectFrom(
              eb
                .selectFrom('audit.events')
                .select('audit.events.id')
                .where('audit.events.id', '=', 7),
            ).as('first_event'),
            jsonBuildObject({ name: eb.ref('items.name'), one: eb.val(1) }).as('obj'),
          ]),
      ),
    ).toEqual({
      sql:
        `select "items"."id", ${orderedArraySql('agg."__kysely_motherduck_source"."event_id"', 'select "audit"."events"."id" as "event_id" from "audit"."events" where "audit"."events"."item_id" = "items"."id"')} as "events", ` +
        `${objectSql('select "audit"."events"."id" from "audit"."events" where "audit"."events"."id" = $1')} as "first_event", ` +
        `[json_object('name', ${jsonValueSqlOf('v.f0')}, 'one', ${jsonValueSqlOf('v.f1')}) for v in [struct_pack(f0 := "items"."name", f1 := CAST($2 AS INTEGER))]][1] as "obj" from "items"`,
      parameters: [7, 1],
    })
  })
})
