import { type Expression, Kysely, type RawBuilder, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonArrayFrom, MotherDuckDialect } from '../../src/index.js'
import { orderedArraySql, unorderedArraySql } from '../helpers/json-helper-sql.js'
import { type TargetContext, targets } from './targets.js'

/*
 * jsonArrayFrom keeps the subquery's ORDER BY by ordering DuckDB's list() aggregate itself: a plain list()
 * is parallel and, on a million rows, returns them shuffled (the old SQL did, measured on two threads).
 * The large tests therefore use a million rows; the small ones compare the array with what the subquery
 * returns as a top-level query, where ORDER BY is guaranteed. The subquery loses its own ORDER BY unless
 * that picks rows (LIMIT, OFFSET, DISTINCT ON), which the expected SQL shows.
 */

/** 1,000,000 rows; `k` is a permutation of 0…999,999 unrelated to the insertion order. */
interface Big {
  id: number
  k: number
  /** `null` on every tenth row. */
  label: string | null
}

/** 1,000 parents with 1,000 children each. */
interface Parent {
  id: number
}
interface Child {
  id: number
  parent_id: number
  rank: number
}

interface Pet {
  id: number
  name: string | null
  species: string
  owner_id: number
}
interface Person {
  id: number
  name: string
}

interface JsonDB {
  big: Big
  parent: Parent
  child: Child
  pet: Pet
  person: Person
}

const ROWS = 1_000_000
const KEY_STEP = 7919 // prime, so (id * KEY_STEP) % ROWS visits every k once
const keyOf = (id: number) => (id * KEY_STEP) % ROWS

/** The single JSON array that `array` compiles to, with its SQL. */
async function arrayOf<T>(db: Kysely<JsonDB>, array: RawBuilder<T[]>) {
  const query = db.selectNoFrom(() => [array.as('rows')])
  const { sql: compiled, parameters } = query.compile()
  const row = await query.executeTakeFirstOrThrow()
  return { sql: compiled, parameters, rows: row.rows }
}

/** The array must equal the subquery's own (ordered) result. */
async function expectSameAsSubquery<O>(
  db: Kysely<JsonDB>,
  subquery: Expression<O> & { execute(): Promise<O[]> },
  expectedSql: string,
) {
  const { sql: compiled, rows } = await arrayOf(db, jsonArrayFrom(subquery))
  expect(compiled).toBe(expectedSql)
  expect(rows).toEqual(await subquery.execute())
}

function expectOrdered<T>(values: readonly T[], before: (a: T, b: T) => boolean) {
  const index = values.findIndex((value, i) => i > 0 && !before(values[i - 1] as T, value))
  expect(index, `out of order at ${index}`).toBe(-1)
}

for (const target of targets) {
  describe.skipIf(target.skip)(`jsonArrayFrom order on ${target.title}`, () => {
    let ctx: TargetContext
    let db: Kysely<JsonDB>

    beforeAll(async () => {
      ctx = await target.start()
      db = new Kysely<JsonDB>({ dialect: new MotherDuckDialect(ctx.config) })
      await sql`
        create table big as
          select i::integer as id, ((i * ${sql.lit(KEY_STEP)}) % ${sql.lit(ROWS)})::integer as k,
            case when i % 10 = 0 then null else 'n' || i end as label
          from range(${sql.lit(ROWS)}) t(i);
        create table parent as select i::integer as id from range(1000) t(i);
        create table child as
          select i::integer as id, (i % 1000)::integer as parent_id, ((i * 7919) % 1000003)::integer as rank
          from range(${sql.lit(ROWS)}) t(i);
        create table pet (id integer, name varchar, species varchar, owner_id integer);
        create table person (id integer, name varchar);
        insert into person values (1, 'Ada'), (2, 'Alan'), (3, 'Grace');
        insert into pet values
          (1, 'Rex', 'dog', 1), (2, 'Ace', 'cat', 1), (3, null, 'cat', 1), (4, 'bo', 'dog', 1),
          (5, 'Zed', 'fish', 2), (6, 'Ada', 'dog', 2)`.execute(db)
    })

    afterAll(async () => {
      await db?.destroy()
      await ctx?.stop()
    })

    describe('a million rows', () => {
      it('orders by a selected column, descending', async () => {
        const { sql: compiled, rows } = await arrayOf(
          db,
          jsonArrayFrom(db.selectFrom('big').select(['big.id', 'big.k']).orderBy('big.k', 'desc')),
        )
        expect(compiled).toBe(
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."k" desc`, `select "big"."id", "big"."k" from "big"`)} as "rows"`,
        )
        expect(rows).toHaveLength(ROWS)
        expect(rows.every((row, i) => row.k === ROWS - 1 - i && keyOf(row.id) === row.k)).toBe(true)
      })

      it('orders by an alias', async () => {
        const { sql: compiled, rows } = await arrayOf(
          db,
          jsonArrayFrom(db.selectFrom('big').select(['big.k as key']).orderBy('key')),
        )
        expect(compiled).toBe(
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."key"`, `select "big"."k" as "key" from "big"`)} as "rows"`,
        )
        expect(rows).toHaveLength(ROWS)
        expect(rows.every((row, i) => row.key === i)).toBe(true)
      })

      it('keeps nulls last on a descending order', async () => {
        const { sql: compiled, rows } = await arrayOf(
          db,
          jsonArrayFrom(
            db
              .selectFrom('big')
              .select(['big.label'])
              .orderBy('big.label', (ob) => ob.desc().nullsLast()),
          ),
        )
        expect(compiled).toBe(
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."label" desc nulls last`, `select "big"."label" from "big"`)} as "rows"`,
        )
        expect(rows).toHaveLength(ROWS)
        const labels = rows.map((row) => row.label)
        const firstNull = labels.indexOf(null)
        expect(firstNull).toBe(ROWS - ROWS / 10)
        expect(labels.slice(firstNull).every((label) => label === null)).toBe(true)
        // DuckDB compares VARCHAR byte-wise, as JavaScript compares these ASCII strings.
        expectOrdered(labels.slice(0, firstNull) as string[], (a, b) => a > b)
      })

      it('orders by an expression it does not select, through hidden columns', async () => {
        const { sql: compiled, rows } = await arrayOf(
          db,
          jsonArrayFrom(
            db.selectFrom('big').select('big.id').orderBy(sql`k % 1000`).orderBy('big.k', 'desc'),
          ),
        )
        expect(compiled).toBe(
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."__kysely_motherduck_order_1", agg."__kysely_motherduck_source"."__kysely_motherduck_order_2" desc`, `select "big"."id", k % 1000 as "__kysely_motherduck_order_1", "big"."k" as "__kysely_motherduck_order_2" from "big"`, ['__kysely_motherduck_order_1', '__kysely_motherduck_order_2'])} as "rows"`,
        )
        expect(rows).toHaveLength(ROWS)
        // The hidden columns stay out of the objects.
        expect(Object.keys(rows[0] ?? {})).toEqual(['id'])
        expectOrdered(
          rows.map((row) => keyOf(row.id)),
          (a, b) => a % 1000 < b % 1000 || (a % 1000 === b % 1000 && a > b),
        )
      })

      it('keeps each child list ordered in a jsonArrayFrom per parent row', async () => {
        const query = db
          .selectFrom('parent')
          .select((eb) => [
            'parent.id',
            jsonArrayFrom(
              eb
                .selectFrom('child')
                .select(['child.id', 'child.rank'])
                .whereRef('child.parent_id', '=', 'parent.id')
                .orderBy('child.rank', 'desc'),
            ).as('children'),
          ])
          .orderBy('parent.id')
        expect(query.compile().sql).toBe(
          `select "parent"."id", ${orderedArraySql(`agg."__kysely_motherduck_source"."rank" desc`, `select "child"."id", "child"."rank" from "child" where "child"."parent_id" = "parent"."id"`)} as "children" from "parent" order by "parent"."id"`,
        )
        const parents = await query.execute()
        expect(parents).toHaveLength(1000)
        for (const parent of parents) {
          expect(parent.children).toHaveLength(1000)
          expect(parent.children.every((child) => child.id % 1000 === parent.id)).toBe(true)
          expectOrdered(
            parent.children.map((child) => child.rank),
            (a, b) => a > b,
          )
        }
      })

      it('applies LIMIT and OFFSET after the subquery order', async () => {
        const {
          sql: compiled,
          parameters,
          rows,
        } = await arrayOf(
          db,
          jsonArrayFrom(
            db.selectFrom('big').select(['big.k']).orderBy('big.k', 'desc').limit(5).offset(2),
          ),
        )
        expect(compiled).toBe(
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."k" desc`, `select "big"."k" from "big" order by "big"."k" desc limit 5 offset 2`)} as "rows"`,
        )
        expect(parameters).toEqual([])
        expect(rows).toEqual([
          { k: ROWS - 3 },
          { k: ROWS - 4 },
          { k: ROWS - 5 },
          { k: ROWS - 6 },
          { k: ROWS - 7 },
        ])
      })
    })

    describe('which ORDER BY items become output columns', () => {
      it('an empty subquery gives []', async () => {
        const { sql: compiled, rows } = await arrayOf(
          db,
          jsonArrayFrom(
            db
              .selectFrom('pet')
              .select(['pet.name'])
              .where('pet.owner_id', '=', 99)
              .orderBy('pet.name'),
          ),
        )
        expect(compiled).toBe(
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."name"`, `select "pet"."name" from "pet" where "pet"."owner_id" = $1`)} as "rows"`,
        )
        expect(rows).toEqual([])
        const hidden = await arrayOf(
          db,
          jsonArrayFrom(
            db
              .selectFrom('pet')
              .select(['pet.name'])
              .where('pet.owner_id', '=', 99)
              .orderBy(sql`length(name)`),
          ),
        )
        expect(hidden.rows).toEqual([])
      })

      it('a selected column under an alias, ordered by its qualified name', async () => {
        await expectSameAsSubquery(
          db,
          db
            .selectFrom('pet')
            .select(['pet.name as pet_name', 'pet.id'])
            .orderBy('pet.name', (ob) => ob.asc().nullsFirst()),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."pet_name" asc nulls first`, `select "pet"."name" as "pet_name", "pet"."id" from "pet"`)} as "rows"`,
        )
      })

      it('any column of a single-table selectAll()', async () => {
        await expectSameAsSubquery(
          db,
          db.selectFrom('pet').selectAll().orderBy('species').orderBy('pet.id', 'desc'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."species", agg."__kysely_motherduck_source"."id" desc`, `select * from "pet"`)} as "rows"`,
        )
        await expectSameAsSubquery(
          db,
          db.selectFrom('pet as p').selectAll('p').orderBy('p.name', 'desc'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."name" desc`, `select "p".* from "pet" as "p"`)} as "rows"`,
        )
      })

      it('an alias that hides a column of the same name: the output by name, the column hidden', async () => {
        // ORDER BY name binds the alias (the id); ORDER BY pet.name binds the table column.
        await expectSameAsSubquery(
          db,
          db.selectFrom('pet').select(['pet.id as name']).orderBy('name', 'desc'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."name" desc`, `select "pet"."id" as "name" from "pet"`)} as "rows"`,
        )
        await expectSameAsSubquery(
          db,
          db.selectFrom('pet').select(['pet.id as name']).orderBy('pet.name'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."__kysely_motherduck_order_1"`, `select "pet"."id" as "name", "pet"."name" as "__kysely_motherduck_order_1" from "pet"`, ['__kysely_motherduck_order_1'])} as "rows"`,
        )
      })

      it('an alias next to a star: ordered by the aliased expression, hidden', async () => {
        await expectSameAsSubquery(
          db,
          db
            .selectFrom('pet')
            .selectAll('pet')
            .select((eb) => eb.fn<string>('lower', ['pet.name']).as('lower_name'))
            .orderBy('lower_name'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."__kysely_motherduck_order_1"`, `select "pet".*, lower("pet"."name") as "lower_name", lower("pet"."name") as "__kysely_motherduck_order_1" from "pet"`, ['__kysely_motherduck_order_1'])} as "rows"`,
        )
      })

      it('a column of a joined table and a column of the outer query', async () => {
        const query = db
          .selectFrom('person')
          .select((eb) => [
            'person.id',
            jsonArrayFrom(
              eb
                .selectFrom('pet')
                .innerJoin('person as owner', 'owner.id', 'pet.owner_id')
                .select(['pet.id', 'owner.name as owner_name'])
                .whereRef('pet.owner_id', '<=', 'person.id')
                .orderBy('owner.name', 'desc')
                .orderBy('person.name')
                .orderBy('pet.id'),
            ).as('pets'),
          ])
          .orderBy('person.id')
        expect(query.compile().sql).toBe(
          `select "person"."id", ${orderedArraySql(`agg."__kysely_motherduck_source"."owner_name" desc, agg."__kysely_motherduck_source"."__kysely_motherduck_order_1", agg."__kysely_motherduck_source"."id"`, `select "pet"."id", "owner"."name" as "owner_name", "person"."name" as "__kysely_motherduck_order_1" from "pet" inner join "person" as "owner" on "owner"."id" = "pet"."owner_id" where "pet"."owner_id" <= "person"."id"`, ['__kysely_motherduck_order_1'])} as "pets" from "person" order by "person"."id"`,
        )
        expect(await query.execute()).toEqual([
          {
            id: 1,
            pets: [1, 2, 3, 4].map((id) => ({ id, owner_name: 'Ada' })),
          },
          {
            id: 2,
            pets: [
              ...[5, 6].map((id) => ({ id, owner_name: 'Alan' })),
              ...[1, 2, 3, 4].map((id) => ({ id, owner_name: 'Ada' })),
            ],
          },
          {
            id: 3,
            pets: [
              ...[5, 6].map((id) => ({ id, owner_name: 'Alan' })),
              ...[1, 2, 3, 4].map((id) => ({ id, owner_name: 'Ada' })),
            ],
          },
        ])
      })

      it('an aggregate of a grouped subquery and a column of DISTINCT ON, hidden', async () => {
        await expectSameAsSubquery(
          db,
          db
            .selectFrom('pet')
            .select('pet.species')
            .groupBy('pet.species')
            .orderBy((eb) => eb.fn.count('pet.id'), 'desc')
            .orderBy('pet.species'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."__kysely_motherduck_order_1" desc, agg."__kysely_motherduck_source"."species"`, `select "pet"."species", count("pet"."id") as "__kysely_motherduck_order_1" from "pet" group by "pet"."species"`, ['__kysely_motherduck_order_1'])} as "rows"`,
        )
        await expectSameAsSubquery(
          db,
          db
            .selectFrom('pet')
            .distinctOn('pet.species')
            .select(['pet.species', 'pet.name'])
            .orderBy('pet.species')
            .orderBy('pet.id', 'desc'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."species", agg."__kysely_motherduck_source"."__kysely_motherduck_order_1" desc`, `select distinct on ("pet"."species") "pet"."species", "pet"."name", "pet"."id" as "__kysely_motherduck_order_1" from "pet" order by "pet"."species", "pet"."id" desc`, ['__kysely_motherduck_order_1'])} as "rows"`,
        )
      })

      it('a column position', async () => {
        await expectSameAsSubquery(
          db,
          db.selectFrom('pet').select(['pet.species', 'pet.id']).orderBy(sql`2`, 'desc'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."id" desc`, `select "pet"."species", "pet"."id" from "pet"`)} as "rows"`,
        )
      })

      it('a UNION ordered by an output name', async () => {
        await expectSameAsSubquery(
          db,
          db
            .selectFrom('pet')
            .select('name')
            .where('name', 'is not', null)
            .union(db.selectFrom('person').select('name'))
            .orderBy('name', 'desc'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."name" desc`, `select "name" from "pet" where "name" is not null union select "name" from "person"`)} as "rows"`,
        )
      })

      it('DISTINCT with an item that is no output column stays unordered (hidden columns would change it)', async () => {
        const { sql: compiled, rows } = await arrayOf(
          db,
          jsonArrayFrom(db.selectFrom('pet').select('pet.species').distinct().orderBy('pet.id')),
        )
        expect(compiled).toBe(
          `select ${unorderedArraySql(`select distinct "pet"."species" from "pet" order by "pet"."id"`)} as "rows"`,
        )
        expect(rows.map((row) => row.species).sort()).toEqual(['cat', 'dog', 'fish'])
        await expectSameAsSubquery(
          db,
          db.selectFrom('pet').select('pet.species').distinct().orderBy('pet.species', 'desc'),
          `select ${orderedArraySql(`agg."__kysely_motherduck_source"."species" desc`, `select distinct "pet"."species" from "pet"`)} as "rows"`,
        )
      })

      it('a subquery without ORDER BY compiles as before', async () => {
        const { sql: compiled, rows } = await arrayOf(
          db,
          jsonArrayFrom(db.selectFrom('person').select('person.name').where('person.id', '=', 1)),
        )
        expect(compiled).toBe(
          `select ${unorderedArraySql(`select "person"."name" from "person" where "person"."id" = $1`)} as "rows"`,
        )
        expect(rows).toEqual([{ name: 'Ada' }])
      })
    })
  })
}
