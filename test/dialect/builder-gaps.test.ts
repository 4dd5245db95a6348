import { type ColumnType, type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  jsonObjectFrom,
  MotherDuckInvalidRowCountError,
  MotherDuckUnsupportedError,
} from '../../src/index.js'
import { compileAndRun } from './compile-and-run.js'
import { type TargetContext, targets } from './targets.js'
import type { TestDB } from './test-db.js'

/**
 * Kysely builder output that stock Kysely compiles for PostgreSQL and DuckDB refuses or reads otherwise:
 * constant LIMIT/OFFSET (correlated subqueries), between symmetric, multi-action ALTER TABLE, JSON
 * operators and paths, coalesce with a value. Each test asserts the compiled SQL and executes it.
 */

/** `items` as the JSON tests see it: `attrs` with the shape its rows have. */
interface JsonItemsDB {
  items: {
    id: number
    attrs: ColumnType<{ city: { name: string }; scores: number[] } | null, never, never>
  }
}

for (const target of targets) {
  describe.skipIf(target.skip)(`builder output DuckDB takes, on ${target.title}`, () => {
    let ctx: TargetContext
    let db: Kysely<TestDB>

    beforeAll(async () => {
      ctx = await target.start()
      db = ctx.db
      await ctx.createTestSchema()
      await db
        .insertInto('items')
        .values([
          { id: 1, name: 'ann', qty: 4, attrs: { city: { name: 'Oslo' }, scores: [10, 20, 30] } },
          { id: 2, name: 'bob', qty: null, attrs: { city: { name: "Bo'ness" }, scores: [] } },
          { id: 3, name: 'cy', qty: 9, attrs: null },
        ])
        .execute()
      // Orders per user: items are the users, audit.events their orders.
      await db
        .insertInto('audit.events')
        .values([
          { id: 10, item_id: 1, note: 'first' },
          { id: 11, item_id: 1, note: 'latest' },
          { id: 12, item_id: 2, note: 'only' },
        ])
        .execute()
    })

    afterAll(async () => {
      await ctx?.stop()
    })

    describe('LIMIT and OFFSET are integer literals', () => {
      it('the latest order per user: jsonObjectFrom(… .orderBy().limit(1)), a correlated subquery', async () => {
        const result = await compileAndRun(
          db
            .selectFrom('items')
            .select((eb) => [
              'items.name',
              jsonObjectFrom(
                eb
                  .selectFrom('audit.events as e')
                  .select(['e.id', 'e.note'])
                  .whereRef('e.item_id', '=', 'items.id')
                  .orderBy('e.id', 'desc')
                  .limit(1),
              ).as('latest'),
            ])
            .orderBy('items.id'),
        )
        expect(result.sql).toContain(
          `from "audit"."events" as "e" where "e"."item_id" = "items"."id" order by "e"."id" desc limit 1`,
        )
        expect(result.parameters).toEqual([])
        expect(result.rows).toEqual([
          { name: 'ann', latest: { id: 11, note: 'latest' } },
          { name: 'bob', latest: { id: 12, note: 'only' } },
          { name: 'cy', latest: null },
        ])
      })

      it('numbers and bigints, limit(null) for no limit', async () => {
        const page = await compileAndRun(
          db.selectFrom('items').select('id').orderBy('id').limit(2n).offset(1),
        )
        expect(page.sql).toBe('select "id" from "items" order by "id" limit 2 offset 1')
        expect(page.rows).toEqual([{ id: 2 }, { id: 3 }])
        const all = await compileAndRun(
          db.selectFrom('items').select('id').orderBy('id').limit(null),
        )
        expect(all.sql).toBe('select "id" from "items" order by "id" limit null')
        expect(all.rows).toHaveLength(3)
      })

      it('refuses what is not a non-negative safe integer, before anything is sent', () => {
        const refusals: [string, () => unknown, RegExp][] = [
          ['-1', () => db.selectFrom('items').selectAll().limit(-1).compile(), /^\.limit\(-1\)/],
          [
            '1.5',
            () => db.selectFrom('items').selectAll().limit(1.5).compile(),
            /^\.limit\(1\.5\)/,
          ],
          [
            'NaN',
            () => db.selectFrom('items').selectAll().offset(Number.NaN).compile(),
            /^\.offset\(NaN\)/,
          ],
          [
            '2^53',
            () =>
              db
                .selectFrom('items')
                .selectAll()
                .limit(2 ** 53)
                .compile(),
            /non-negative safe integer/,
          ],
          [
            '-1n',
            () => db.selectFrom('items').selectAll().offset(-1n).compile(),
            /^\.offset\(-1n\)/,
          ],
          [
            '2^60n',
            () =>
              db
                .selectFrom('items')
                .selectAll()
                .limit(2n ** 60n)
                .compile(),
            /limit/,
          ],
          [
            'a string',
            () =>
              db
                .selectFrom('items')
                .selectAll()
                .limit('5' as never)
                .compile(),
            /"5"/,
          ],
        ]
        for (const [name, compile, message] of refusals) {
          expect(compile, name).toThrow(MotherDuckInvalidRowCountError)
          expect(compile, name).toThrow(message)
        }
      })

      it('an expression stays an expression', async () => {
        const result = await compileAndRun(
          db.selectFrom('items').select('id').orderBy('id').limit(sql<number>`1 + 1`),
        )
        expect(result.sql).toBe('select "id" from "items" order by "id" limit 1 + 1')
        expect(result.rows).toEqual([{ id: 1 }, { id: 2 }])
      })
    })

    it('betweenSymmetric becomes (x between a and b or x between b and a)', async () => {
      const result = await compileAndRun(
        db
          .selectFrom('items')
          .select('id')
          .where((eb) => eb.betweenSymmetric('qty', 10, 4))
          .orderBy('id'),
      )
      expect(result.sql).toBe(
        'select "id" from "items" where ("qty" between $1 and $2 or "qty" between $3 and $4) order by "id"',
      )
      expect(result.parameters).toEqual([10, 4, 4, 10])
      expect(result.rows).toEqual([{ id: 1 }, { id: 3 }])
      const negated = await compileAndRun(
        db
          .selectFrom('items')
          .select('id')
          .where((eb) => eb.not(eb.betweenSymmetric('qty', 5, 3)))
          .orderBy('id'),
      )
      // NULL qty is neither between nor not between, as in PostgreSQL.
      expect(negated.rows).toEqual([{ id: 3 }])
    })

    describe('ALTER TABLE with several actions', () => {
      it('becomes one statement per action, sent in one round trip', async () => {
        const query = db.schema
          .alterTable('items')
          .addColumn('grade', 'integer', (column) => column.defaultTo(5))
          .addColumn('label', 'varchar', (column) => column.defaultTo('new'))
          .dropColumn('price')
        expect(query.compile().sql).toBe(
          `alter table "items" add column "grade" integer default 5; alter table "items" add column "label" varchar default 'new'; alter table "items" drop column "price"`,
        )
        await query.execute()
        const row = await sql<Record<string, unknown>>`select * from items where id = 1`.execute(db)
        expect(row.rows[0]).toMatchObject({ grade: 5, label: 'new' })
        expect(row.rows[0]).not.toHaveProperty('price')
      })

      it('inside a transaction, a failing action undoes the others', async () => {
        await expect(
          db
            .transaction()
            .execute((trx) =>
              trx.schema
                .alterTable('items')
                .addColumn('never_added', 'integer')
                .addColumn('id', 'varchar')
                .execute(),
            ),
        ).rejects.toThrow(/id/)
        const columns = await sql<{ column_name: string }>`
          select column_name from duckdb_columns() where table_name = 'items'
          and database_name = current_database() and schema_name = 'main'`.execute(db)
        expect(columns.rows.map((column) => column.column_name)).not.toContain('never_added')
      })

      it('with parameters (only through sql templates) it is refused at compile time', () => {
        const query = db.schema
          .alterTable('items')
          .addColumn('a', 'integer', (column) => column.defaultTo(sql`${1}`))
          .addColumn('b', 'integer')
        expect(() => query.compile()).toThrow(MotherDuckUnsupportedError)
        expect(() => query.compile()).toThrow(/run one alterTable\(\) per action/)
      })
    })

    describe('JSON operators and paths on a DuckDB JSON column', () => {
      const typed = () => db as unknown as Kysely<JsonItemsDB>
      it('-> and ->> keys, an index, an index from the end', async () => {
        const result = await compileAndRun(
          typed()
            .selectFrom('items')
            .select((eb) => [
              eb.ref('attrs', '->').key('city').as('city'),
              eb.ref('attrs', '->>').key('city').as('city_text'),
              eb.ref('attrs', '->').key('city').key('name').as('city_name'),
              eb.ref('attrs', '->').key('scores').at(0).as('first'),
              eb.ref('attrs', '->').key('scores').at(-1).as('last'),
            ])
            .where('id', '=', 1),
        )
        expect(result.sql).toBe(
          `select "attrs"->'city' as "city", "attrs"->>'city' as "city_text", "attrs"->'city'->'name' as "city_name", "attrs"->'scores'->0 as "first", "attrs"->'scores'->(-1) as "last" from "items" where "id" = $1`,
        )
        expect(result.rows).toEqual([
          {
            city: { name: 'Oslo' },
            city_text: '{"name":"Oslo"}',
            city_name: 'Oslo',
            first: 10,
            last: 30,
          },
        ])
      })

      it("Kysely's JSON path builder (->$, ->>$), at('last'), a quote in a key, in a where", async () => {
        const result = await compileAndRun(
          typed()
            .selectFrom('items')
            .select((eb) => [
              'id',
              eb.ref('attrs', '->$').key('city').key('name').as('name_json'),
              eb.ref('attrs', '->>$').key('city').key('name').as('name'),
              eb.ref('attrs', '->$').key('scores').at(1).as('second'),
              eb.ref('attrs', '->>$').key('scores').at('last').as('last'),
            ])
            .where((eb) => eb(eb.ref('attrs', '->>$').key('city').key('name'), '=', "Bo'ness")),
        )
        expect(result.sql).toBe(
          `select "id", "attrs"->'$."city"."name"' as "name_json", "attrs"->>'$."city"."name"' as "name", "attrs"->'$."scores"[1]' as "second", "attrs"->>'$."scores"[#-1]' as "last" from "items" where "attrs"->>'$."city"."name"' = $1`,
        )
        expect(result.rows).toEqual([
          { id: 2, name_json: "Bo'ness", name: "Bo'ness", second: null, last: null },
        ])
      })
    })

    it('coalesce with a value, in every position (DuckDB infers the cast value)', async () => {
      const result = await compileAndRun(
        db
          .selectFrom('items')
          .select((eb) => [
            'id',
            eb.fn.coalesce('qty', eb.val(0)).as('qty'),
            eb.fn.coalesce(eb.fn.sum('qty').over(), eb.val(0)).as('total'),
            eb.fn.coalesce(eb.ref('attrs', '->>').key('missing'), eb.val('none')).as('missing'),
          ])
          .where((eb) => eb(eb.fn.coalesce('qty', eb.val(0)), '<', 5))
          .orderBy((eb) => eb.fn.coalesce('qty', eb.val(0))),
      )
      expect(result.sql).toBe(
        `select "id", coalesce("qty", CAST($1 AS INTEGER)) as "qty", coalesce(sum("qty") over(), CAST($2 AS INTEGER)) as "total", coalesce("attrs"->>'missing', $3) as "missing" from "items" where coalesce("qty", CAST($4 AS INTEGER)) < $5 order by coalesce("qty", CAST($6 AS INTEGER))`,
      )
      // sum() over the rows the where kept (4 + NULL), a HUGEINT: read as an exact string.
      expect(result.rows).toEqual([
        { id: 2, qty: 0, total: '4', missing: 'none' },
        { id: 1, qty: 4, total: '4', missing: 'none' },
      ])
    })
  })
}
