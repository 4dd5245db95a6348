import type { Generated, Kysely } from 'kysely'
import { describe, expectTypeOf, it } from 'vitest'
import { createTableAs } from '../../src/load/create-table-as.js'
import { insertRows } from '../../src/load/insert-rows.js'
import { readParquet } from '../../src/sources/read-parquet.js'
import { compileOnlyDb } from '../sources/compile-only-db.js'

interface DB {
  events: { id: Generated<bigint>; name: string | null; at: Date }
  'other:main.logs': { line: string }
}
const db = compileOnlyDb<DB>()

describe('loading types', () => {
  it('checks insertRows rows against the table, for a Kysely or a transaction', async () => {
    expectTypeOf(
      insertRows(db, 'events', [
        { name: 'x', at: new Date() },
        { id: 1n, name: null, at: new Date() },
      ]),
    ).toEqualTypeOf<Promise<number>>()
    await insertRows(db, 'other:main.logs', [{ line: 'l' }])
    await db
      .transaction()
      .execute((trx) => insertRows(trx, 'events', [{ name: null, at: new Date() }]))
    const controlled = await db.startTransaction().execute()
    await insertRows(controlled, 'events', [{ name: null, at: new Date() }])
    // @ts-expect-error: not a table
    await insertRows(db, 'nope', [])
    // @ts-expect-error: name must be a string or null
    await insertRows(db, 'events', [{ name: 1, at: new Date() }])
    // @ts-expect-error: at is required
    await insertRows(db, 'events', [{ name: 'x' }])
    // @ts-expect-error: not a column
    await insertRows(db, 'other:main.logs', [{ line: 'l', extra: 1 }])
  })

  it('types the new table of createTableAs under its dialect key', async () => {
    const next = await createTableAs(
      db,
      'my_db.main.trips',
      db
        .selectFrom(readParquet<{ id: bigint; fare: number }>('s3://b/t.parquet').as('t'))
        .selectAll(),
      { orReplace: true },
    )
    expectTypeOf(next).toEqualTypeOf<
      Kysely<DB & { 'my_db:main.trips': { id: bigint; fare: number } }>
    >()
    const rows = await next.selectFrom('my_db:main.trips').select('fare').execute()
    expectTypeOf(rows).toEqualTypeOf<{ fare: number }[]>()
    const short = await createTableAs(db, 'recent', db.selectFrom('events').select('id'))
    expectTypeOf(short).toEqualTypeOf<Kysely<DB & { recent: { id: bigint } }>>()
    await createTableAs(db, 't', db.selectFrom('events').selectAll(), {
      orReplace: true,
      // @ts-expect-error: DuckDB rejects OR REPLACE with IF NOT EXISTS
      ifNotExists: true,
    })
  })
})
