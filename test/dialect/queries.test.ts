import { CompiledQuery, Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  jsonArrayFrom,
  jsonBuildObject,
  jsonObjectFrom,
  MotherDuckDialect,
  MotherDuckUnsupportedError,
} from '../../src/index.js'
import { compileAndRun } from './compile-and-run.js'
import { type TargetContext, targets } from './targets.js'
import type { TestDB } from './test-db.js'

for (const target of targets) {
  describe.skipIf(target.skip)(`queries on ${target.title}`, () => {
    let ctx: TargetContext
    let db: Kysely<TestDB>
    let orders: 'other_db:sales.orders'
    let other: string

    beforeAll(async () => {
      ctx = await target.start()
      db = ctx.db
      orders = ctx.ordersTable
      other = ctx.otherDatabase
      await ctx.createTestSchema()
      await db
        .insertInto('items')
        .values([
          { id: 1, name: 'apple', price: 1.25, cost: '1.25', qty: 10, tags: ['fruit', 'red one'] },
          { id: 2, name: 'pear', price: 2.5, cost: 2.5, qty: null, tags: [] },
          { id: 3, name: 'plum', price: 0.5, cost: '0.10', qty: 3, tags: null },
        ])
        .execute()
      await db
        .insertInto('audit.events')
        .values([
          { id: 1, item_id: 1, note: 'created' },
          { id: 2, item_id: 1, note: 'sold' },
          { id: 3, item_id: 2, note: 'created' },
        ])
        .execute()
      await db
        .insertInto(orders)
        .values([
          { id: 10, item_id: 1, amount: '12.50' },
          { id: 11, item_id: 2, amount: 5 },
        ])
        .execute()
    })

    afterAll(async () => {
      await ctx?.stop()
    })

    describe('names in other schemas and databases', () => {
      it('joins across databases in one query, with aliases', async () => {
        const result = await compileAndRun(
          db
            .selectFrom(`${orders} as o`)
            .innerJoin('items as i', 'i.id', 'o.item_id')
            .select(['o.id', 'i.name', 'o.amount'])
            .where('o.id', '>=', 10)
            .orderBy('o.id'),
        )
        expect(result.sql).toBe(
          `select "o"."id", "i"."name", "o"."amount" from "${other}"."sales"."orders" as "o" inner join "items" as "i" on "i"."id" = "o"."item_id" where "o"."id" >= $1 order by "o"."id"`,
        )
        expect(result.rows).toEqual([
          { id: 10, name: 'apple', amount: '12.50' },
          { id: 11, name: 'pear', amount: '5.00' },
        ])
      })

      it('references columns by database:schema.table.column', async () => {
        const result = await compileAndRun(
          db
            .selectFrom(orders)
            .innerJoin('items', 'items.id', `${orders}.item_id`)
            .select([`${orders}.id`, 'items.name'])
            .where(`${orders}.amount`, '<', '10'),
        )
        expect(result.sql).toBe(
          `select "${other}"."sales"."orders"."id", "items"."name" from "${other}"."sales"."orders" inner join "items" on "items"."id" = "${other}"."sales"."orders"."item_id" where "${other}"."sales"."orders"."amount" < $1`,
        )
        expect(result.rows).toEqual([{ id: 11, name: 'pear' }])
      })

      it('joins a table of another schema of the connected database', async () => {
        const result = await compileAndRun(
          db
            .selectFrom('items')
            .leftJoin('audit.events', 'audit.events.item_id', 'items.id')
            .select(['items.name', 'audit.events.note'])
            .where('items.id', '=', 1)
            .orderBy('audit.events.id'),
        )
        expect(result.sql).toBe(
          'select "items"."name", "audit"."events"."note" from "items" left join "audit"."events" on "audit"."events"."item_id" = "items"."id" where "items"."id" = $1 order by "audit"."events"."id"',
        )
        expect(result.rows).toEqual([
          { name: 'apple', note: 'created' },
          { name: 'apple', note: 'sold' },
        ])
      })

      it('inserts, updates and deletes in another database, with RETURNING', async () => {
        const inserted = await compileAndRun(
          db
            .insertInto(orders)
            .values({ id: 12, item_id: 3, amount: 0.5 })
            .returning(['id', 'amount']),
        )
        expect(inserted.sql).toBe(
          `insert into "${other}"."sales"."orders" ("id", "item_id", "amount") values ($1, $2, $3) returning "id", "amount"`,
        )
        expect(inserted.rows).toEqual([{ id: 12, amount: '0.50' }])

        const updated = await compileAndRun(
          db
            .updateTable(`${orders} as o`)
            .set((eb) => ({ item_id: eb('o.item_id', '+', 1), amount: 1 }))
            .where('o.id', '=', 12)
            .returning(['o.item_id', 'o.amount']),
        )
        expect(updated.sql).toBe(
          `update "${other}"."sales"."orders" as "o" set "item_id" = "o"."item_id" + CAST($1 AS INTEGER), "amount" = $2 where "o"."id" = $3 returning "o"."item_id", "o"."amount"`,
        )
        expect(updated.rows).toEqual([{ item_id: 4, amount: '1.00' }])

        const deleted = await db.deleteFrom(orders).where('id', '=', 12).executeTakeFirstOrThrow()
        expect(deleted.numDeletedRows).toBe(1n)
      })
    })

    describe('parameters DuckDB cannot type', () => {
      it("eb('price', '*', 1.2), eb.val(1).as('one'), coalesce and case … then $1", async () => {
        const result = await compileAndRun(
          db
            .selectFrom('items')
            .select((eb) => [
              'id',
              eb('price', '*', 1.2).as('scaled'),
              eb.val(1).as('one'),
              eb.fn.coalesce('qty', eb.val(0)).as('qty'),
              eb.case().when('qty', '>', 5).then(eb.val(1.5)).else(eb.val(0)).end().as('bonus'),
            ])
            .orderBy('id'),
        )
        expect(result.sql).toBe(
          'select "id", "price" * CAST($1 AS DOUBLE) as "scaled", CAST($2 AS INTEGER) as "one", coalesce("qty", CAST($3 AS INTEGER)) as "qty", case when "qty" > $4 then CAST($5 AS DOUBLE) else CAST($6 AS INTEGER) end as "bonus" from "items" order by "id"',
        )
        expect(result.rows).toEqual([
          { id: 1, scaled: 1.5, one: 1, qty: 10, bonus: 1.5 },
          { id: 2, scaled: 3, one: 1, qty: 0, bonus: 0 },
          { id: 3, scaled: 0.6, one: 1, qty: 3, bonus: 0 },
        ])
      })

      it("set({ qty: eb('qty', '+', 1) }) in a transaction that is rolled back", async () => {
        await db
          .transaction()
          .execute(async (trx) => {
            const result = await compileAndRun(
              trx
                .updateTable('items')
                .set((eb) => ({ qty: eb('qty', '+', 1) }))
                .where('id', '=', 1)
                .returning('qty'),
            )
            expect(result.sql).toBe(
              'update "items" set "qty" = "qty" + CAST($1 AS INTEGER) where "id" = $2 returning "qty"',
            )
            expect(result.rows).toEqual([{ qty: 11 }])
            throw new RollbackMarker()
          })
          .catch((error) => {
            if (!(error instanceof RollbackMarker)) throw error
          })
        const row = await db
          .selectFrom('items')
          .select('qty')
          .where('id', '=', 1)
          .executeTakeFirst()
        expect(row).toEqual({ qty: 10 })
      })

      it('keeps a decimal exact when inserting 1.5 and 0.1 (no DOUBLE cast in VALUES)', async () => {
        const result = await compileAndRun(
          db.insertInto('items').values({ id: 100, name: 'exact', cost: 0.1 }).returning(['cost']),
        )
        expect(result.sql).toBe(
          'insert into "items" ("id", "name", "cost") values ($1, $2, $3) returning "cost"',
        )
        expect(result.rows).toEqual([{ cost: '0.10' }])
        const big = await sql<{
          v: string
        }>`select ${'123456789012345678.123456789'}::decimal(38,10) as v`.execute(db)
        expect(big.rows).toEqual([{ v: '123456789012345678.1234567890' }])
        await db.deleteFrom('items').where('id', '=', 100).execute()
      })

      it('compares a TIMESTAMP column with a Date read as UTC', async () => {
        const date = new Date('2024-03-04T05:06:07.089Z')
        await db.updateTable('items').set({ created_at: date }).where('id', '=', 3).execute()
        const result = await compileAndRun(
          db.selectFrom('items').select(['id', 'created_at']).where('created_at', '=', date),
        )
        expect(result.sql).toBe('select "id", "created_at" from "items" where "created_at" = $1')
        expect(result.parameters).toEqual([date])
        expect(result.rows).toEqual([{ id: 3, created_at: date }])
        const selected = await db
          .selectNoFrom((eb) => eb.val(date).as('d'))
          .executeTakeFirstOrThrow()
        expect(selected.d).toEqual(date)
      })

      it('binds bigint, boolean and Buffer values in select lists', async () => {
        const row = await db
          .selectNoFrom((eb) => [
            eb.val(2n ** 62n).as('big'),
            eb.val(2n ** 100n).as('huge'),
            eb.val(false).as('no'),
            eb.val(Buffer.from([0, 1, 255])).as('bytes'),
            eb.val(2 ** 40).as('wide'),
          ])
          .executeTakeFirstOrThrow()
        expect(row).toEqual({
          big: 2n ** 62n,
          huge: (2n ** 100n).toString(),
          no: false,
          bytes: Buffer.from([0, 1, 255]),
          wide: BigInt(2 ** 40),
        })
      })
    })

    describe('raw compiled queries', () => {
      it('CompiledQuery.raw parameters get the same Date and array conversions', async () => {
        const date = new Date('2001-02-03T04:05:06.007Z')
        const result = await db.executeQuery<{ t: Date; l: number[] }>(
          CompiledQuery.raw('select $1::timestamp as t, $2::integer[] as l', [date, [1, 2]]),
        )
        expect(result.rows).toEqual([{ t: date, l: [1, 2] }])
      })
    })

    describe('JavaScript arrays and objects', () => {
      it("where('id', 'in', [...])", async () => {
        const result = await compileAndRun(
          db.selectFrom('items').select('name').where('id', 'in', [1, 3]).orderBy('id'),
        )
        expect(result.sql).toBe('select "name" from "items" where "id" in ($1, $2) order by "id"')
        expect(result.rows).toEqual([{ name: 'apple' }, { name: 'plum' }])
      })

      it('inserts and updates LIST columns from JS arrays, and a JSON column from an object', async () => {
        const result = await compileAndRun(
          db
            .insertInto('items')
            .values({
              id: 200,
              name: 'lists',
              tags: ['a', 'b, c', 'd "quoted"', 'e\\f', ''],
              sizes: [1, 2.5, -3],
              attrs: { color: 'red', n: [1, 2] },
            })
            .returning(['tags', 'sizes', 'attrs']),
        )
        expect(result.sql).toBe(
          'insert into "items" ("id", "name", "tags", "sizes", "attrs") values ($1, $2, CAST(CAST($3 AS JSON) AS VARCHAR[]), CAST(CAST($4 AS JSON) AS DOUBLE[]), CAST($5 AS JSON)) returning "tags", "sizes", "attrs"',
        )
        expect(result.rows).toEqual([
          {
            tags: ['a', 'b, c', 'd "quoted"', 'e\\f', ''],
            sizes: [1, 2.5, -3],
            attrs: { color: 'red', n: [1, 2] },
          },
        ])
        const updated = await db
          .updateTable('items')
          .set({ tags: [], sizes: [0.5] })
          .where('id', '=', 200)
          .returning(['tags', 'sizes'])
          .executeTakeFirst()
        expect(updated).toEqual({ tags: [], sizes: [0.5] })
        await db.deleteFrom('items').where('id', '=', 200).execute()
      })

      it('binds arrays and objects in select lists', async () => {
        const row = await db
          .selectNoFrom((eb) => [
            eb.val([1, 2, 3]).as('ints'),
            eb.val([[1], [2, 3]]).as('nested'),
            eb.val(['x', null]).as('strings'),
            eb.val({ a: 1, b: [true] }).as('object'),
          ])
          .executeTakeFirstOrThrow()
        expect(row).toEqual({
          ints: [1, 2, 3],
          nested: [[1], [2, 3]],
          strings: ['x', null],
          object: { a: 1, b: [true] },
        })
      })

      it('= any(list) is rewritten to a subquery DuckDB accepts', async () => {
        const result = await compileAndRun(
          db
            .selectFrom('items')
            .select('id')
            .where((eb) => eb('id', '=', eb.fn.any(eb.val([2, 3]))))
            .orderBy('id'),
        )
        expect(result.sql).toBe(
          'select "id" from "items" where "id" = any(select unnest(CAST(CAST($1 AS JSON) AS INTEGER[]))) order by "id"',
        )
        expect(result.rows).toEqual([{ id: 2 }, { id: 3 }])
      })
    })

    describe('refused features', () => {
      it('forUpdate() fails at compile time, before anything reaches the server', async () => {
        await expect(db.selectFrom('items').selectAll().forUpdate().execute()).rejects.toThrow(
          MotherDuckUnsupportedError,
        )
      })

      it('a failed statement rolls the whole transaction back', async () => {
        await expect(
          db.transaction().execute(async (trx) => {
            await trx.insertInto('items').values({ id: 300, name: 'temp' }).execute()
            await trx.insertInto('items').values({ id: 300, name: 'duplicate' }).execute()
          }),
        ).rejects.toThrow()
        expect(await db.selectFrom('items').select('id').where('id', '=', 300).execute()).toEqual(
          [],
        )
      })
    })

    describe('JSON helpers', () => {
      it('jsonArrayFrom, jsonObjectFrom and jsonBuildObject run on DuckDB', async () => {
        const result = await compileAndRun(
          db
            .selectFrom('items')
            .select((eb) => [
              'items.id',
              jsonArrayFrom(
                eb
                  .selectFrom('audit.events')
                  .select(['audit.events.id', 'audit.events.note'])
                  .whereRef('audit.events.item_id', '=', 'items.id')
                  .orderBy('audit.events.id', 'desc'),
              ).as('events'),
              jsonObjectFrom(
                eb
                  .selectFrom(orders)
                  .select([`${orders}.id`, `${orders}.amount`])
                  .whereRef(`${orders}.item_id`, '=', 'items.id'),
              ).as('order'),
              jsonBuildObject({ name: eb.ref('items.name'), qty: eb.ref('items.qty') }).as('obj'),
            ])
            .orderBy('items.id'),
        )
        expect(result.rows).toEqual([
          {
            id: 1,
            events: [
              { id: 2, note: 'sold' },
              { id: 1, note: 'created' },
            ],
            // DECIMAL(10,2) arrives as its exact text, as at top level.
            order: { id: 10, amount: '12.50' },
            obj: { name: 'apple', qty: 10 },
          },
          {
            id: 2,
            events: [{ id: 3, note: 'created' }],
            order: { id: 11, amount: '5.00' },
            obj: { name: 'pear', qty: null },
          },
          { id: 3, events: [], order: null, obj: { name: 'plum', qty: 3 } },
        ])
      })
    })

    describe('streaming', () => {
      it('.stream() reads through pg-cursor with the pool type parsers', async () => {
        const rows: { i: bigint; t: Date }[] = []
        const query = db
          .selectNoFrom(() => [
            sql<bigint>`i`.as('i'),
            sql<Date>`timestamp '2024-01-01' + to_seconds(i)`.as('t'),
          ])
          .modifyEnd(sql`from range(2500) as r(i)`)
        for await (const row of query.stream(1000)) rows.push(row)
        expect(rows).toHaveLength(2500)
        expect(rows[2499]).toEqual({ i: 2499n, t: new Date(Date.UTC(2024, 0, 1) + 2499_000) })
      })
    })

    it('works with a second dialect instance on the same database (new pool)', async () => {
      const second = new Kysely<TestDB>({ dialect: new MotherDuckDialect(ctx.config) })
      expect(await second.selectFrom('items').select('id').orderBy('id').execute()).toEqual([
        { id: 1 },
        { id: 2 },
        { id: 3 },
      ])
      await second.destroy()
    })
  })
}

class RollbackMarker extends Error {}
