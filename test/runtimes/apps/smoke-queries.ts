import { type Kysely, sql } from 'kysely'
import { insertRows } from 'kysely-motherduck'
import {
  LARGE_AMOUNT,
  type SmokeDatabase,
  type SmokeEventTable,
  type SmokeReport,
} from './smoke-schema.js'

/*
 * What every runtime smoke app does with the package, written once so that Bun, Deno and workerd run the
 * same code: create a table, load rows with `insertRows`, run a typed query, stream the table. Only
 * `kysely` and `kysely-motherduck` are imported, by package name, as an application would.
 */

/** Rows that differ per runtime (its user agent is in the names), including a value beyond 2^31. */
function smokeRows(userAgent: string): SmokeEventTable[] {
  return [1, 2, 3, 4, 5].map((id) => ({
    id,
    name: `${userAgent} event ${id}`,
    amount: BigInt(id) * 1_000_000_000n,
    tags: id % 2 === 0 ? ['even', `n${id}`] : [`n${id}`],
  }))
}

/** Runs the smoke queries on `db` and returns the report; creates (or replaces) `smoke_events`. */
export async function runSmokeQueries(db: Kysely<SmokeDatabase>): Promise<SmokeReport> {
  const userAgent = navigator.userAgent
  await db.schema
    .createTable('smoke_events')
    .modifyFront(sql`or replace`)
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('name', 'varchar', (column) => column.notNull())
    .addColumn('amount', 'bigint', (column) => column.notNull())
    .addColumn('tags', sql`varchar[]`, (column) => column.notNull())
    .execute()
  const inserted = await insertRows(db, 'smoke_events', smokeRows(userAgent))
  const large = await db
    .selectFrom('smoke_events')
    .select(['name', 'amount'])
    .where('amount', '>=', LARGE_AMOUNT)
    .orderBy('id')
    .execute()
  const streamed: SmokeReport['streamed'][number][] = []
  for await (const row of db
    .selectFrom('smoke_events')
    .select(['id', 'name', 'tags'])
    .orderBy('id')
    .stream(2)) {
    streamed.push(row)
  }
  return {
    userAgent,
    inserted,
    large: large.map((row) => ({ name: row.name, amount: row.amount.toString() })),
    amountType: typeof large[0]?.amount,
    streamed,
  }
}
