import { type Generated, sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { insertRows } from '../../src/load/insert-rows.js'
import {
  DuplicateColumnError,
  InsertRowsError,
  InvalidRowValueError,
  TableNotFoundError,
  UnknownColumnError,
} from '../../src/load/load-errors.js'
import type { DUCKDB_SCALAR_TYPES } from '../../src/types/duckdb-types.js'
import { type LocalMotherDuck, startLocalMotherDuck } from '../sources/local-motherduck.js'

interface Event {
  id: bigint
  name: string | null
  score: number | null
  at: Date | null
}
interface DB {
  events: Event
  'other:main.events': Event
  with_default: { id: number; note: Generated<string | null>; created: Generated<string> }
}

let local: LocalMotherDuck<DB>
const db = () => local.db

beforeAll(async () => {
  local = await startLocalMotherDuck<DB>({ databases: { my_db: ':memory:', other: ':memory:' } })
})
afterAll(() => local?.stop())
beforeEach(async () => {
  await sql`create or replace table my_db.main.events (id BIGINT, name VARCHAR, score DOUBLE, "at" TIMESTAMP)`.execute(
    db(),
  )
})

const count = async (table = 'my_db.main.events') =>
  (await sql<{ n: bigint }>`select count(*) as n from ${sql.raw(table)}`.execute(db())).rows[0]!.n

const events = (n: number, from = 0): Event[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k
    return {
      id: BigInt(i),
      name: i % 7 === 0 ? null : `event ${i} 'quoted' "double" \\ ü`,
      score: i % 5 === 0 ? null : i / 4,
      at: i % 11 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + i * 1000),
    }
  })

describe('insertRows on the local endpoint', () => {
  it('does nothing for no rows, not even look up the table', async () => {
    expect(await insertRows(db(), 'no_such_table' as 'events', [])).toBe(0)
  })

  it('inserts one row, and reads it back exactly', async () => {
    const row = {
      id: 9007199254740993n,
      name: 'one',
      score: 0.1,
      at: new Date('2024-02-29T23:59:59.123Z'),
    }
    expect(await insertRows(db(), 'events', [row])).toBe(1)
    expect(await db().selectFrom('events').selectAll().execute()).toEqual([row])
  })

  it('splits at batch boundaries, reports progress, keeps order, and returns the count', async () => {
    const rows = events(7)
    const progress: unknown[] = []
    const inserted = await insertRows(db(), 'events', rows, {
      batchSize: 3,
      onProgress: (p) => progress.push(p),
    })
    expect(inserted).toBe(7)
    expect(progress).toEqual([
      { inserted: 3, total: 7 },
      { inserted: 6, total: 7 },
      { inserted: 7, total: 7 },
    ])
    expect(await db().selectFrom('events').selectAll().orderBy('id').execute()).toEqual(rows)
  })

  it('bounds batches by size too', async () => {
    const rows = events(50)
    const progress: number[] = []
    await insertRows(db(), 'events', rows, {
      maxBatchBytes: 1000,
      onProgress: (p) => progress.push(p.inserted),
    })
    expect(progress.length).toBeGreaterThan(3)
    expect(progress.at(-1)).toBe(50)
    expect(await db().selectFrom('events').selectAll().orderBy('id').execute()).toEqual(rows)
  })

  it('inserts 100,000 rows', async () => {
    const rows = events(100_000)
    expect(await insertRows(db(), 'events', rows)).toBe(100_000)
    const summary = await sql<{ n: bigint; names: bigint; total: number; last: Date }>`
      select count(*) as n, count(name) as names, sum(score) as total, max("at") as last from events`.execute(
      db(),
    )
    expect(summary.rows[0]).toEqual({
      n: 100_000n,
      names: BigInt(rows.filter((row) => row.name !== null).length),
      total: rows.reduce((sum, row) => sum + (row.score ?? 0), 0),
      last: rows.at(-1)!.at,
    })
  })

  it('writes NULL for null, undefined and missing keys; unmentioned columns get their default', async () => {
    await insertRows(db(), 'events', [
      { id: 1n, name: null, score: undefined, at: null },
      { id: 2n } as Event,
    ])
    expect(await db().selectFrom('events').selectAll().orderBy('id').execute()).toEqual([
      { id: 1n, name: null, score: null, at: null },
      { id: 2n, name: null, score: null, at: null },
    ])
    await sql`create or replace table with_default (id INTEGER, note VARCHAR DEFAULT 'n/a', created VARCHAR DEFAULT 'today')`.execute(
      db(),
    )
    await insertRows(db(), 'with_default', [{ id: 1, note: 'given' }, { id: 2 }])
    expect(await db().selectFrom('with_default').selectAll().orderBy('id').execute()).toEqual([
      { id: 1, note: 'given', created: 'today' },
      { id: 2, note: null, created: 'today' },
    ])
  })

  it('inserts nothing when a row in the middle fails (one transaction by default)', async () => {
    const rows: Event[] = events(10)
    // A date string with digits is DuckDB's to read (the value policy leaves such texts to it).
    rows[5] = { ...rows[5]!, at: '2024-13-45 10:00' as unknown as Date }
    const error = await insertRows(db(), 'events', rows, { batchSize: 3 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InsertRowsError)
    expect(error).toMatchObject({ table: 'events', firstRow: 3, lastRow: 5, committedRows: 0 })
    expect((error as Error).message).toMatch(/rows 3–5: .*2024-13-45.*Nothing was inserted\./s)
    expect(await count()).toBe(0n)
  })

  it('commits batch by batch with transaction: false', async () => {
    const rows: Event[] = events(10)
    rows[5] = { ...rows[5]!, at: '2024-13-45 10:00' as unknown as Date }
    const error = await insertRows(db(), 'events', rows, {
      batchSize: 3,
      transaction: false,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ firstRow: 3, committedRows: 3 })
    expect((error as Error).message).toMatch(/The 3 rows before it stay inserted/)
    expect(await count()).toBe(3n)
  })

  it("joins the caller's transaction", async () => {
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          expect(await insertRows(trx, 'events', events(5), { batchSize: 2 })).toBe(5)
          expect(await count()).toBe(0n) // not visible outside yet
          throw new Error('roll back')
        }),
    ).rejects.toThrow('roll back')
    expect(await count()).toBe(0n)
  })

  it('targets other databases and schemas by three-part name', async () => {
    await sql`create or replace table other.main.events (id BIGINT, name VARCHAR, score DOUBLE, "at" TIMESTAMP)`.execute(
      db(),
    )
    await insertRows(db(), 'other:main.events', events(2))
    await insertRows(db(), 'other.main.events' as 'other:main.events', events(3, 2))
    expect(await count('other.main.events')).toBe(5n)
    expect(await count()).toBe(0n)
  })

  it('matches keys to columns case-insensitively, and refuses unknown columns and tables', async () => {
    await insertRows(db(), 'events', [{ ID: 1n, Name: 'x' } as unknown as Event])
    expect(await db().selectFrom('events').select(['id', 'name']).execute()).toEqual([
      { id: 1n, name: 'x' },
    ])
    await expect(
      insertRows(db(), 'events', [{ id: 1n, nope: 1 } as unknown as Event]),
    ).rejects.toThrow(UnknownColumnError)
    await expect(
      insertRows(db(), 'events', [{ id: 1n, nope: 1 } as unknown as Event]),
    ).rejects.toThrow(/has no column "nope". Its columns are: "id", "name", "score", "at"/)
    await expect(
      insertRows(db(), 'events', [{ id: 1n }, { ID: 2n } as unknown as Event]),
    ).rejects.toThrow(DuplicateColumnError)
    await expect(insertRows(db(), 'missing' as 'events', events(1))).rejects.toThrow(
      TableNotFoundError,
    )
    await expect(
      insertRows(db(), 'events', [{ id: 1n, at: new Date(Number.NaN) }] as Event[]),
    ).rejects.toThrow(InvalidRowValueError)
    expect(await count()).toBe(1n)
  })
})

/**
 * One column per scalar type of the type table, with a value literal written in SQL. insertRows must
 * store exactly what the literal stores: both rows are read back through the dialect and compared.
 */
const SCALAR_CASES: Record<
  keyof typeof DUCKDB_SCALAR_TYPES,
  [type: string, literal: string, value: unknown]
> = {
  BOOLEAN: ['BOOLEAN', 'true', true],
  TINYINT: ['TINYINT', '-128', -128],
  SMALLINT: ['SMALLINT', '32767', 32767],
  UTINYINT: ['UTINYINT', '255', 255],
  INTEGER: ['INTEGER', '-2147483648', -2147483648],
  USMALLINT: ['USMALLINT', '65535', 65535],
  BIGINT: ['BIGINT', '-9223372036854775808', -(2n ** 63n)],
  UINTEGER: ['UINTEGER', '4294967295', 4294967295],
  UBIGINT: ['UBIGINT', '18446744073709551615', 2n ** 64n - 1n],
  HUGEINT: ['HUGEINT', '-170141183460469231731687303715884105728', -(2n ** 127n)],
  UHUGEINT: ['UHUGEINT', '340282366920938463463374607431768211455', 2n ** 128n - 1n],
  BIGNUM: [
    'BIGNUM',
    "'123456789012345678901234567890123456789012345'",
    123456789012345678901234567890123456789012345n,
  ],
  DECIMAL: [
    'DECIMAL(38,10)',
    '1234567890123456789012345678.0123456789',
    '1234567890123456789012345678.0123456789',
  ],
  FLOAT: ['FLOAT', '1.5', 1.5],
  DOUBLE: ['DOUBLE', '-0.1', -0.1],
  VARCHAR: ['VARCHAR', "'multi''line\n\\ ' || chr(0) || ' ü 😀'", "multi'line\n\\ \u0000 ü 😀"],
  ENUM: ["ENUM('happy', 'sad')", "'sad'", 'sad'],
  GEOMETRY: ['GEOMETRY', "'POINT (1 2)'", 'POINT (1 2)'],
  JSON: [
    'JSON',
    `'{"a":[1,2.5,null,"x"],"b":{"c":true}}'`,
    { a: [1, 2.5, null, 'x'], b: { c: true } },
  ],
  VARIANT: ['VARIANT', `'{"k":[1,2]}'::JSON`, { k: [1, 2] }],
  BLOB: ['BLOB', "'\\x00\\xFFA'::BLOB", Buffer.from([0, 255, 65])],
  DATE: ['DATE', "'2024-02-29'", '2024-02-29'],
  TIME: ['TIME', "'23:59:59.123456'", '23:59:59.123456'],
  TIME_NS: ['TIME_NS', "'12:00:00.123456789'", '12:00:00.123456789'],
  TIME_TZ: ['TIMETZ', "'12:34:56+02:30'", '12:34:56+02:30'],
  TIMESTAMP: ['TIMESTAMP', "'2024-02-29 23:59:59.123'", new Date('2024-02-29T23:59:59.123Z')],
  TIMESTAMP_S: ['TIMESTAMP_S', "'1970-01-01 00:00:01'", new Date(1000)],
  TIMESTAMP_MS: ['TIMESTAMP_MS', "'1999-12-31 23:59:59.999'", new Date('1999-12-31T23:59:59.999Z')],
  TIMESTAMP_NS: ['TIMESTAMP_NS', "'2262-04-11 23:47:16.854'", '2262-04-11T23:47:16.854Z'],
  TIMESTAMP_TZ: ['TIMESTAMPTZ', "'2024-06-01 12:00:00+00'", new Date('2024-06-01T12:00:00Z')],
  INTERVAL: [
    'INTERVAL',
    "'1 year 2 months 3 days 04:05:06.5'",
    { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6, milliseconds: 500 },
  ],
  UUID: ['UUID', "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  BIT: ['BIT', "'010110'", '010110'],
}

const NESTED_CASES: Record<string, [type: string, literal: string, value: unknown]> = {
  ints: ['INTEGER[]', '[1, NULL, 3]', [1, null, 3]],
  texts: ['VARCHAR[]', `['a', 'b c', '', NULL, 'it''s "q"']`, ['a', 'b c', '', null, `it's "q"`]],
  fixed: ['DOUBLE[3]', '[1.5, 2, -3]', [1.5, 2, -3]],
  nested_lists: ['INTEGER[][]', '[[1], [], [2, 3]]', [[1], [], [2, 3]]],
  record: [
    'STRUCT(a INTEGER, "b c" VARCHAR[], d STRUCT(e BIGINT))',
    `{'a': 1, 'b c': ['x'], 'd': {'e': 9007199254740993}}`,
    { a: 1, 'b c': ['x'], d: { e: 9007199254740993n } },
  ],
  records: ['STRUCT(k VARCHAR, v DOUBLE)[]', `[{'k': 'x', 'v': 0.5}]`, [{ k: 'x', v: 0.5 }]],
  mapping: [
    'MAP(VARCHAR, INTEGER)',
    `MAP {'one': 1, 'two': 2}`,
    new Map([
      ['one', 1],
      ['two', 2],
    ]),
  ],
  stamps: ['TIMESTAMP[]', `['2024-01-01 00:00:00'::TIMESTAMP]`, [new Date('2024-01-01T00:00:00Z')]],
  choice: ['UNION(n INTEGER, s VARCHAR)', "union_value(s := 'x')", { s: 'x' }],
}

describe('insertRows stores every type exactly as a SQL literal does', () => {
  it.each([
    ['scalar', SCALAR_CASES],
    ['nested', NESTED_CASES],
  ] as const)('%s types', async (_kind, cases) => {
    const entries = Object.entries(cases).map(([name, [type, literal, value]]) => ({
      column: `c_${name.toLowerCase()}`,
      type,
      literal,
      value,
    }))
    const table = sql.raw(`my_db.main.types_${_kind}`)
    await sql`create or replace table ${table} (id INTEGER, ${sql.raw(
      entries.map((entry) => `"${entry.column}" ${entry.type}`).join(', '),
    )})`.execute(db())
    await sql`insert into ${table} values (1, ${sql.raw(entries.map((entry) => entry.literal).join(', '))})`.execute(
      db(),
    )
    const row = Object.fromEntries([
      ['id', 2],
      ...entries.map((entry) => [entry.column, entry.value]),
    ])
    const nulls = Object.fromEntries([['id', 3], ...entries.map((entry) => [entry.column, null])])
    expect(
      await insertRows(db() as never, `my_db.main.types_${_kind}` as never, [row, nulls] as never),
    ).toBe(2)
    const [byLiteral, byInsertRows, allNull] = (
      await sql<Record<string, unknown>>`select * exclude (id) from ${table} order by id`.execute(
        db(),
      )
    ).rows
    expect(byInsertRows).toEqual(byLiteral)
    expect(Object.values(allNull!).every((value) => value === null)).toBe(true)
    // The same in SQL, independently of how values are read back.
    const differing = await sql<{ col: string }>`
      select col from (
        ${sql.raw(
          entries
            .map(
              (entry) =>
                `select '${entry.column}' as col where (select "${entry.column}"::VARCHAR from ${`my_db.main.types_${_kind}`} where id = 1) is distinct from (select "${entry.column}"::VARCHAR from ${`my_db.main.types_${_kind}`} where id = 2)`,
            )
            .join(' union all '),
        )})`.execute(db())
    expect(differing.rows).toEqual([])
  })
})
