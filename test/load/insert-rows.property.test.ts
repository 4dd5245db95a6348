import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertRows } from '../../src/load/insert-rows.js'
import { type LocalMotherDuck, startLocalMotherDuck } from '../sources/local-motherduck.js'

interface DB {
  strings: { id: number; v: string | null }
  numbers: { id: number; i: bigint | null; h: bigint | null; d: number | null; ts: Date | null }
}

let local: LocalMotherDuck<DB>
beforeAll(async () => {
  local = await startLocalMotherDuck<DB>()
})
afterAll(() => local?.stop())

// Any well-formed string, NUL and control characters included, biased towards quoting hazards.
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary-ascii', maxLength: 24 }),
  fc
    .array(
      fc.constantFrom("'", '"', '\\', '\0', '$1', '--', '\n', '\u2028', '😀', '\ufeff', ']', '}'),
      {
        maxLength: 8,
      },
    )
    .map((parts) => parts.join('')),
)

describe('insertRows sends values as data, executed on the endpoint', () => {
  it('stores every string byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(anyString, { nil: null }), { minLength: 1, maxLength: 40 }),
        async (values) => {
          await sql`create or replace table strings (id INTEGER, v VARCHAR)`.execute(local.db)
          await insertRows(
            local.db,
            'strings',
            values.map((v, id) => ({ id, v })),
          )
          // Compared as UTF-8 hex computed by DuckDB, independently of how text is read back.
          const { rows } = await sql<{
            h: string | null
          }>`select hex(v) as h from strings order by id`.execute(local.db)
          expect(rows.map((row) => row.h)).toEqual(
            values.map((v) =>
              v === null ? null : Buffer.from(v, 'utf8').toString('hex').toUpperCase(),
            ),
          )
        },
      ),
      { numRuns: 150 },
    )
  })

  it('stores integers, doubles and timestamps exactly', async () => {
    const row = fc.record({
      i: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null }),
      h: fc.option(fc.bigInt({ min: -(2n ** 127n), max: 2n ** 127n - 1n }), { nil: null }),
      d: fc.option(fc.double(), { nil: null }),
      ts: fc.option(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        { nil: null },
      ),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (values) => {
        await sql`create or replace table numbers (id INTEGER, i BIGINT, h HUGEINT, d DOUBLE, ts TIMESTAMP)`.execute(
          local.db,
        )
        await insertRows(
          local.db,
          'numbers',
          values.map((value, id) => ({ id, ...value })),
        )
        const rows = await local.db
          .selectFrom('numbers')
          .select(['i', 'h', 'd', 'ts', sql<string | null>`h::VARCHAR`.as('h_text')])
          .orderBy('id')
          .execute()
        expect(rows.map((r) => [r.i, r.h_text, r.d, r.ts?.getTime() ?? null])).toEqual(
          values.map((v) => [v.i, v.h === null ? null : String(v.h), v.d, v.ts?.getTime() ?? null]),
        )
      }),
      { numRuns: 150 },
    )
  })
})
