import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertRows } from '../../src/index.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'

/*
 * The value policy (src/types/value-policy.ts) as a table: each DuckDB type with values that are stored
 * exactly, edge values, and values that are refused. Every value is written three ways — insertRows,
 * insertInto().values(), update().set() — and the three must read back identically (and as `read` says),
 * or be refused identically: same column, same value type, same reason. The files that call
 * `describeValuePolicyRoundTrip` set the process time zone first.
 */

/** A value stored exactly (`read` is what comes back), or refused (`refused` is the value's type). */
type PolicyCase =
  | { readonly value: () => unknown; readonly read: unknown; readonly label?: string }
  | { readonly value: () => unknown; readonly refused: string; readonly label?: string }

const CASES: Readonly<Record<string, readonly PolicyCase[]>> = {
  INTEGER: [
    { value: () => 5, read: 5 },
    { value: () => -0, read: 0, label: '-0' },
    { value: () => 7n, read: 7 },
    { value: () => '42', read: 42 },
    { value: () => 2.5, refused: 'number' },
    { value: () => 2 ** 31, refused: 'number' },
    { value: () => '2.5', refused: 'string' },
    { value: () => true, refused: 'boolean' },
  ],
  BIGINT: [
    { value: () => 2n ** 63n - 1n, read: 2n ** 63n - 1n },
    { value: () => 2 ** 53, read: 2n ** 53n },
    { value: () => 2n ** 63n, refused: 'bigint' },
  ],
  BOOLEAN: [
    { value: () => true, read: true },
    { value: () => 'false', read: false },
    { value: () => 2, refused: 'number' },
    { value: () => 1, refused: 'number' },
  ],
  FLOAT: [
    { value: () => 1.5, read: 1.5 },
    { value: () => Number.NaN, read: Number.NaN, label: 'NaN' },
    { value: () => Number.NEGATIVE_INFINITY, read: Number.NEGATIVE_INFINITY },
    { value: () => -0, read: -0, label: '-0' },
    { value: () => 1e39, refused: 'number' },
  ],
  DOUBLE: [
    { value: () => 0.1, read: 0.1 },
    { value: () => -0, read: -0, label: '-0' },
    { value: () => Number.NaN, read: Number.NaN, label: 'NaN' },
    { value: () => Number.POSITIVE_INFINITY, read: Number.POSITIVE_INFINITY },
    { value: () => 'x', refused: 'string' },
  ],
  'DECIMAL(10,2)': [
    { value: () => '1.25', read: '1.25' },
    { value: () => 0.1, read: '0.10' },
    { value: () => 12n, read: '12.00' },
    { value: () => 0.125, refused: 'number' },
    { value: () => 123456789n, refused: 'bigint' },
    { value: () => Number.NaN, refused: 'number', label: 'NaN' },
  ],
  HUGEINT: [{ value: () => -(2n ** 127n), read: String(-(2n ** 127n)) }],
  VARCHAR: [
    { value: () => "it's", read: "it's" },
    { value: () => 5, refused: 'number' },
  ],
  JSON: [
    { value: () => '{"a":1}', read: { a: 1 }, label: 'a string is JSON text' },
    { value: () => ({ a: [1, 'x'] }), read: { a: [1, 'x'] } },
    { value: () => 5, read: 5 },
    { value: () => 'not json', refused: 'string' },
  ],
  DATE: [
    { value: () => new Date(2024, 2, 10), read: '2024-03-10', label: 'local midnight' },
    { value: () => new Date(2024, 2, 10, 23, 59), read: '2024-03-10', label: 'local 23:59' },
    { value: () => '2024-03-10', read: '2024-03-10' },
    { value: () => 20240310, refused: 'number' },
    { value: () => 'not a date', refused: 'string', label: 'a string without digits' },
    { value: () => '', refused: 'string', label: 'an empty string' },
  ],
  TIMESTAMP: [
    {
      value: () => new Date(Date.UTC(2024, 2, 10, 12, 0, 0, 123)),
      read: new Date(Date.UTC(2024, 2, 10, 12, 0, 0, 123)),
    },
    { value: () => 'not a time', refused: 'string', label: 'a string without digits' },
  ],
  TIME: [
    { value: () => '12:34:56.5', read: '12:34:56.5' },
    { value: () => 'noon', refused: 'string', label: 'a string without digits' },
  ],
  UUID: [
    {
      value: () => '{6B1A5C3E2F4D4C8E9A7B1D2E3F405162}',
      read: '6b1a5c3e-2f4d-4c8e-9a7b-1d2e3f405162',
      label: 'braces, upper case, no hyphens',
    },
    { value: () => 'nope', refused: 'string' },
    { value: () => '6b1a5c3e-2f4d-4c8e-9a7b-1d2e3f40516', refused: 'string', label: '31 digits' },
  ],
  TIMESTAMPTZ: [
    {
      value: () => new Date(Date.UTC(2024, 2, 10, 0, 30)),
      read: new Date(Date.UTC(2024, 2, 10, 0, 30)),
    },
  ],
  'STRUCT(a DOUBLE, b DATE)': [
    {
      value: () => ({ a: Number.NaN, b: new Date(2024, 2, 10) }),
      read: { a: Number.NaN, b: '2024-03-10' },
      label: 'NaN and a local date',
    },
    { value: () => ({ a: -0 }), read: { a: -0, b: null }, label: '-0' },
    {
      value: () => ({ a: Number.NEGATIVE_INFINITY }),
      read: { a: Number.NEGATIVE_INFINITY, b: null },
    },
    { value: () => ({ a: 1, c: 2 }), refused: 'object', label: 'an extra key' },
  ],
  'MAP(VARCHAR, DOUBLE)': [
    {
      value: () =>
        new Map([
          ['x', Number.POSITIVE_INFINITY],
          ['y', -0],
        ]),
      read: { x: Number.POSITIVE_INFINITY, y: -0 },
    },
  ],
  'DOUBLE[]': [{ value: () => [1.5, -0, Number.NaN], read: [1.5, -0, Number.NaN] }],
  'INTEGER[]': [{ value: () => [1, 2.5], refused: 'number', label: 'a fraction inside' }],
  BLOB: [
    { value: () => Buffer.from([0, 255]), read: Buffer.from([0, 255]) },
    { value: () => 'ab', refused: 'string' },
  ],
}

type Row = { id: number; v: unknown }
type DB = Record<string, Row>

const WAYS = ['insertRows', 'values', 'set'] as const
type Way = (typeof WAYS)[number]

async function write(db: Kysely<DB>, table: string, way: Way, id: number, value: unknown) {
  switch (way) {
    case 'insertRows':
      await insertRows(db, table, [{ id, v: value }])
      return
    case 'values':
      await db.insertInto(table).values({ id, v: value }).execute()
      return
    case 'set':
      await db.insertInto(table).values({ id }).execute()
      await db.updateTable(table).set({ v: value }).where('id', '=', id).execute()
  }
}

/** The outcome of one write: the value read back, or the refusal's column, value type and reason. */
async function outcome(db: Kysely<DB>, table: string, way: Way, id: number, value: unknown) {
  try {
    await write(db, table, way, id, value)
  } catch (error) {
    const refusal = error as {
      column?: string
      valueType?: string
      reason?: string
      message: string
    }
    await db.deleteFrom(table).where('id', '=', id).execute()
    return {
      refused: {
        column: refusal.column,
        valueType: refusal.valueType,
        reason: refusal.reason,
        message: refusal.message,
      },
    }
  }
  const row = await db.selectFrom(table).select('v').where('id', '=', id).executeTakeFirstOrThrow()
  return { read: row.v }
}

export function describeValuePolicyRoundTrip(timeZone: string): void {
  describe(`the value policy, one outcome for insertRows, values() and set() (TZ=${timeZone})`, () => {
    let local: TestEndpoint
    let db: Kysely<DB>
    beforeAll(async () => {
      expect(process.env.TZ).toBe(timeZone)
      local = await startTestEndpoint({ databases: { my_db: ':memory:' } })
      db = local.kysely<DB>()
    })
    afterAll(() => local?.stop())

    Object.entries(CASES).forEach(([type, cases], t) => {
      describe(type, () => {
        const table = `t${t}`
        beforeAll(async () => {
          await sql`create table ${sql.id(table)} (id INTEGER, v ${sql.raw(type)})`.execute(db)
        })
        cases.forEach((policyCase, c) => {
          const label = policyCase.label ?? String(policyCase.value())
          const expected = 'read' in policyCase ? 'is stored exactly' : 'is refused'
          it(`${label} ${expected}`, async () => {
            const outcomes = []
            for (const [w, way] of WAYS.entries()) {
              outcomes.push(await outcome(db, table, way, c * 10 + w, policyCase.value()))
            }
            const [first, ...others] = outcomes
            if ('read' in policyCase) {
              expect(first).toEqual({ read: policyCase.read })
              for (const other of others) expect(other).toEqual(first)
              return
            }
            for (const result of outcomes) {
              expect(result).toMatchObject({
                refused: { column: 'v', valueType: policyCase.refused },
              })
              expect(result.refused?.message).toContain('"v"')
            }
            const reasons = outcomes.map((result) => result.refused?.reason)
            expect(new Set(reasons).size).toBe(1)
          })
        })
      })
    })
  })
}
