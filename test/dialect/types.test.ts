// A time zone with a half-hour offset: values must not depend on the process time zone.
process.env.TZ = 'Asia/Kolkata'

import { Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MotherDuckDialect, PrecisionLossError } from '../../src/index.js'
import { type TargetContext, targets } from './targets.js'

/**
 * One row per DuckDB type of the type table (src/types/duckdb-types.ts): the column type, the value
 * written as a query parameter (or SQL text where the JS side has no natural form), and what the
 * default type parsing returns.
 */
interface TypeCase {
  readonly type: string
  readonly write: unknown
  readonly read: unknown
  /** Write the value as SQL text instead of a parameter. */
  readonly literal?: string
  /** The test's name when the type alone does not say what is tested. */
  readonly label?: string
}

/** An object that serialises itself, as Decimal.js, Luxon or Temporal polyfill values do. */
class SelfSerialising {
  toJSON() {
    return { a: 7, b: 'via toJSON' }
  }
}

const instant = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123))

const CASES: readonly TypeCase[] = [
  { type: 'BOOLEAN', write: true, read: true },
  { type: 'TINYINT', write: -128, read: -128 },
  { type: 'SMALLINT', write: 32767, read: 32767 },
  { type: 'UTINYINT', write: 255, read: 255 },
  { type: 'INTEGER', write: -2147483648, read: -2147483648 },
  { type: 'USMALLINT', write: 65535, read: 65535 },
  { type: 'BIGINT', write: 2n ** 63n - 1n, read: 2n ** 63n - 1n },
  { type: 'UINTEGER', write: 4294967295, read: 4294967295n },
  { type: 'UBIGINT', write: 2n ** 64n - 1n, read: '18446744073709551615' },
  { type: 'HUGEINT', write: -(2n ** 127n), read: (-(2n ** 127n)).toString() },
  { type: 'UHUGEINT', write: 2n ** 128n - 1n, read: (2n ** 128n - 1n).toString() },
  { type: 'VARINT', write: 10n ** 50n, read: (10n ** 50n).toString() },
  { type: 'DECIMAL(18,3)', write: '123456789012345.678', read: '123456789012345.678' },
  { type: 'DECIMAL(38,10)', write: 0.1, read: '0.1000000000' },
  { type: 'FLOAT', write: 1.5, read: 1.5 },
  { type: 'DOUBLE', write: 1.7976931348623157e308, read: 1.7976931348623157e308 },
  { type: 'VARCHAR', write: 'héllo "q", {b}, \\ ü', read: 'héllo "q", {b}, \\ ü' },
  { type: 'mood', write: 'sad', read: 'sad' },
  {
    type: 'JSON',
    write: { a: [1, { b: null }], big: 2n ** 60n },
    read: { a: [1, { b: null }], big: 2n ** 60n },
  },
  { type: 'BLOB', write: Buffer.from([0, 255, 92, 120]), read: Buffer.from([0, 255, 92, 120]) },
  { type: 'DATE', write: '2024-02-29', read: '2024-02-29' },
  { type: 'TIME', write: '13:14:15.123456', read: '13:14:15.123456' },
  { type: 'TIMETZ', write: '13:14:15+02', read: '13:14:15+02' },
  { type: 'TIMESTAMP', write: instant, read: instant },
  {
    type: 'TIMESTAMP_S',
    write: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    read: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
  },
  { type: 'TIMESTAMP_MS', write: instant, read: instant },
  { type: 'TIMESTAMP_NS', write: instant, read: instant },
  { type: 'TIMESTAMPTZ', write: instant, read: instant },
  {
    type: 'INTERVAL',
    write: '1 year 2 months 3 days 04:05:06.789',
    read: { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6, milliseconds: 789 },
  },
  {
    type: 'UUID',
    write: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    read: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  },
  { type: 'BIT', write: '10110', read: '10110' },
  { type: 'INTEGER[]', write: [1, null, 3], read: [1, null, 3] },
  {
    type: 'VARCHAR[]',
    write: ['Chez Jay', 'Musso & Frank', 'a,b', '"q"', 'NULL', ''],
    read: ['Chez Jay', 'Musso & Frank', 'a,b', '"q"', 'NULL', ''],
  },
  { type: 'BIGINT[]', write: [1, 2n ** 62n], read: [1n, 2n ** 62n] },
  { type: 'DOUBLE[]', write: [0.5, -1e-7], read: [0.5, -1e-7] },
  {
    // JSON has no NaN, Infinity or -0; JSON.stringify would send null and 0.
    type: 'DOUBLE[]',
    label: 'DOUBLE[] with NaN, ±Infinity and -0',
    write: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1.5],
    read: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1.5],
  },
  { type: 'BOOLEAN[]', write: [true, false], read: [true, false] },
  { type: 'DATE[]', write: ['2024-01-01', '1999-12-31'], read: ['2024-01-01', '1999-12-31'] },
  { type: 'TIMESTAMPTZ[]', write: [instant], read: [instant] },
  { type: 'INTEGER[3]', write: [1, 2, 3], read: [1, 2, 3] },
  { type: 'INTEGER[][]', write: [[1], [2, 3], []], read: [[1], [2, 3], []] },
  { type: 'STRUCT(a INTEGER, b VARCHAR)', write: { a: 1, b: 'x y' }, read: { a: 1, b: 'x y' } },
  {
    type: 'STRUCT(a INTEGER)[]',
    write: [{ a: 1 }, { a: 2 }],
    read: [{ a: 1 }, { a: 2 }],
  },
  {
    type: 'MAP(VARCHAR, INTEGER)',
    write: { k: 1, 'two words': 2 },
    read: { k: 1, 'two words': 2 },
  },
  {
    // JSON.stringify would send {}.
    type: 'MAP(VARCHAR, BIGINT)',
    label: 'MAP(VARCHAR, BIGINT) from a JS Map',
    write: new Map<string, bigint>([
      ['k', 1n],
      ['big', 2n ** 62n],
    ]),
    // Nested in JSON, integers within 2^53 come back as numbers (see README, Values and types).
    read: { k: 1, big: 2n ** 62n },
  },
  {
    type: 'STRUCT(a INTEGER, b VARCHAR)',
    label: 'STRUCT from an object with toJSON()',
    write: new SelfSerialising(),
    read: { a: 7, b: 'via toJSON' },
  },
  {
    type: 'UNION(num INTEGER, str VARCHAR)',
    write: undefined,
    literal: "union_value(str := 'x')",
    // DuckDB's to_json shape of a union: its member, keyed by the tag.
    read: { str: 'x' },
  },
]

const columnName = (index: number) => `c${index}`

for (const target of targets) {
  describe.skipIf(target.skip)(`type round trips on ${target.title}`, () => {
    let ctx: TargetContext
    let db: Kysely<Record<string, Record<string, unknown>>>

    beforeAll(async () => {
      ctx = await target.start()
      db = ctx.db as unknown as typeof db
      await sql`create type mood as enum ('happy', 'sad')`.execute(db)
      const columns = CASES.map((c, i) => `${columnName(i)} ${c.type}`).join(', ')
      await sql.raw(`create table all_types (id integer, ${columns})`).execute(db)
      const row: Record<string, unknown> = { id: 1 }
      CASES.forEach((c, i) => {
        row[columnName(i)] = c.literal === undefined ? c.write : sql.raw(c.literal)
      })
      await db.insertInto('all_types').values(row).execute()
      await db.insertInto('all_types').values({ id: 2 }).execute()
    })

    afterAll(async () => {
      await ctx?.stop()
    })

    it.each(CASES.map((c, i) => [c.label ?? c.type, i] as const))('%s', async (_type, index) => {
      const testCase = CASES[index]!
      const column = columnName(index)
      const row = await db
        .selectFrom('all_types')
        .select(column)
        .where('id', '=', 1)
        .executeTakeFirstOrThrow()
      expect(row[column]).toEqual(testCase.read)
      const nullRow = await db
        .selectFrom('all_types')
        .select(column)
        .where('id', '=', 2)
        .executeTakeFirstOrThrow()
      expect(nullRow[column]).toBeNull()
    })

    it('reads 64-bit and decimal values as numbers when asked, refusing precision loss', async () => {
      const numbers = new Kysely<Record<string, Record<string, unknown>>>({
        dialect: new MotherDuckDialect({
          ...ctx.config,
          typeParsing: { int64: 'number', numeric: 'number' },
        }),
      })
      try {
        const row = await sql<Record<string, unknown>>`
          select 42::bigint as small, 12.5::decimal(10,2) as dec, 3::hugeint as huge`.execute(
          numbers,
        )
        expect(row.rows).toEqual([{ small: 42, dec: 12.5, huge: 3 }])
        await expect(sql`select ${2n ** 62n}::bigint as big`.execute(numbers)).rejects.toThrow(
          PrecisionLossError,
        )
        // The pool survives the refused value.
        expect((await sql`select 1 as one`.execute(numbers)).rows).toEqual([{ one: 1 }])
      } finally {
        await numbers.destroy()
      }
      const strings = new Kysely<Record<string, Record<string, unknown>>>({
        dialect: new MotherDuckDialect({ ...ctx.config, typeParsing: { int64: 'string' } }),
      })
      try {
        const row = await sql`select ${2n ** 62n}::bigint as big`.execute(strings)
        expect(row.rows).toEqual([{ big: (2n ** 62n).toString() }])
      } finally {
        await strings.destroy()
      }
    })

    it('refuses what JSON would drop silently inside a list or object parameter, before sending', async () => {
      for (const [value, reason] of [
        [{ a: 1, f: () => 1 }, /function has no SQL value/],
        [[1, Symbol('s')], /A symbol cannot be sent inside a list parameter/],
        [{ s: Symbol('s') }, /symbol has no SQL value/],
        [{ when: new Date(Number.NaN) }, /Date is invalid/],
      ] as const) {
        await expect(sql`select cast(${value} as json) as v`.execute(db)).rejects.toThrow(reason)
      }
      expect((await sql`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }])
    })

    it('sends Dates as UTC whatever the process time zone', async () => {
      expect(new Date(0).getTimezoneOffset()).toBe(-330)
      const row = await sql<{ ts: string; tz: string }>`
        select ${instant}::timestamp::varchar as ts, ${instant}::timestamptz as tz`.execute(db)
      expect(row.rows).toEqual([{ ts: '2024-02-29 23:59:58.123', tz: instant }])
    })
  })
}
