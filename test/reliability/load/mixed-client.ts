import { type Kysely, sql } from 'kysely'
import { expect } from 'vitest'
import type { LoadDB } from './load-db.js'

/** What a query of the mix is, for its latency figure. */
export type QueryKind = 'read' | 'write' | 'transaction'

type EventRow = LoadDB['events']

/** Thrown inside a transaction to roll it back on purpose. */
export class DeliberateRollback extends Error {
  override readonly name = 'DeliberateRollback'
}

/**
 * One of the load test's concurrent clients: it runs a fixed mix of queries through a shared Kysely
 * (reads that must see exactly its own writes, parameterised inserts, an update, a delete, a committed
 * transaction and one rolled back on purpose) and keeps what the database must hold for it, so that
 * the end state can be checked row by row. Each query asserts its own result too.
 */
export class MixedClient {
  /** Its committed rows, by seq. */
  readonly rows = new Map<number, EventRow>()
  /** Its committed counter updates. */
  updates = 0
  /** Statements sent, counting BEGIN/COMMIT/ROLLBACK. */
  statements = 0
  /** Transactions it rolled back on purpose. */
  rollbacks = 0
  #nextSeq = 0

  constructor(
    private readonly db: Kysely<LoadDB>,
    readonly id: number,
  ) {}

  /** The mix, one query per entry; query i runs entry i mod 10. */
  readonly #mix: readonly (readonly [QueryKind, () => Promise<void>])[] = [
    ['read', () => this.#readOwnTotals()],
    ['write', () => this.#insert()],
    ['read', () => this.#readCounterJoin()],
    ['write', () => this.#insertReturning()],
    ['write', () => this.#update()],
    ['transaction', () => this.#committedTransaction()],
    ['read', () => this.#readNewest()],
    ['transaction', () => this.#rolledBackTransaction()],
    ['write', () => this.#deleteNewest()],
    ['write', () => this.#insertWithSqlTemplate()],
  ]

  /** Runs query `i` of the mix; resolves to its kind. */
  async run(i: number): Promise<QueryKind> {
    const [kind, query] = this.#mix[i % this.#mix.length]!
    await query()
    return kind
  }

  /** What `events` must hold for this client, by seq. */
  expectedRows(): EventRow[] {
    return [...this.rows.values()].sort((a, b) => a.seq - b.seq)
  }

  #newRow(kind: string): EventRow {
    const seq = this.#nextSeq++
    // Beyond 32 bits and distinct per client and seq, so a row written under the wrong id shows.
    const amount = BigInt(this.id) * 10_000_000_019n + BigInt(seq) * 7n
    return { client_id: this.id, seq, kind, amount }
  }

  #committed(...rows: EventRow[]): void {
    for (const row of rows) this.rows.set(row.seq, row)
  }

  /** Read-your-writes: the count and sum of its own rows, exactly. */
  async #readOwnTotals(): Promise<void> {
    this.statements++
    const totals = await this.db
      .selectFrom('events')
      .select((eb) => [
        eb.fn.countAll<bigint>().as('n'),
        sql<string | null>`cast(sum(amount) as varchar)`.as('total'),
      ])
      .where('client_id', '=', this.id)
      .executeTakeFirstOrThrow()
    const sum = [...this.rows.values()].reduce((total, row) => total + row.amount, 0n)
    expect(totals).toEqual({
      n: BigInt(this.rows.size),
      total: this.rows.size === 0 ? null : String(sum),
    })
  }

  async #readCounterJoin(): Promise<void> {
    this.statements++
    const row = await this.db
      .selectFrom('counters as c')
      .leftJoin('events as e', 'e.client_id', 'c.client_id')
      .select((eb) => ['c.updates', eb.fn.count<bigint>('e.seq').as('events')])
      .where('c.client_id', '=', this.id)
      .groupBy('c.updates')
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ updates: this.updates, events: BigInt(this.rows.size) })
  }

  async #readNewest(): Promise<void> {
    this.statements++
    const newest = await this.db
      .selectFrom('events')
      .select('seq')
      .where('client_id', '=', this.id)
      .orderBy('seq', 'desc')
      .limit(3)
      .execute()
    const expected = [...this.rows.keys()].sort((a, b) => b - a).slice(0, 3)
    expect(newest.map((row) => row.seq)).toEqual(expected)
  }

  async #insert(): Promise<void> {
    this.statements++
    const row = this.#newRow('single')
    const result = await this.db.insertInto('events').values(row).executeTakeFirstOrThrow()
    expect(result.numInsertedOrUpdatedRows).toBe(1n)
    this.#committed(row)
  }

  async #insertReturning(): Promise<void> {
    this.statements++
    const row = this.#newRow('returning')
    const returned = await this.db
      .insertInto('events')
      .values(row)
      .returning(['seq', 'amount'])
      .execute()
    expect(returned).toEqual([{ seq: row.seq, amount: row.amount }])
    this.#committed(row)
  }

  async #insertWithSqlTemplate(): Promise<void> {
    this.statements++
    const row = this.#newRow('sql-template')
    const result = await sql`insert into events (client_id, seq, kind, amount)
      values (${row.client_id}, ${row.seq}, ${row.kind}, ${row.amount})`.execute(this.db)
    expect(result.numAffectedRows).toBe(1n)
    this.#committed(row)
  }

  async #update(): Promise<void> {
    this.statements++
    const result = await this.db
      .updateTable('counters')
      .set((eb) => ({ updates: eb('updates', '+', 1) }))
      .where('client_id', '=', this.id)
      .executeTakeFirstOrThrow()
    expect(result.numUpdatedRows).toBe(1n)
    this.updates++
  }

  /** Deletes its newest row written outside a transaction, if any. */
  async #deleteNewest(): Promise<void> {
    const seq = [...this.rows.values()].filter((row) => row.kind !== 'transaction').at(-1)?.seq
    if (seq === undefined) return
    this.statements++
    const result = await this.db
      .deleteFrom('events')
      .where('client_id', '=', this.id)
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow()
    expect(result.numDeletedRows).toBe(1n)
    this.rows.delete(seq)
  }

  async #committedTransaction(): Promise<void> {
    const rows = [this.#newRow('transaction'), this.#newRow('transaction')]
    await this.db.transaction().execute(async (trx) => {
      this.statements += 4
      await trx.insertInto('events').values(rows).execute()
      await trx
        .updateTable('counters')
        .set((eb) => ({ updates: eb('updates', '+', 1) }))
        .where('client_id', '=', this.id)
        .execute()
    })
    this.#committed(...rows)
    this.updates++
  }

  /** Writes, sees its writes, then throws: none of it may survive. */
  async #rolledBackTransaction(): Promise<void> {
    const rows = [this.#newRow('rolled-back'), this.#newRow('rolled-back')]
    const outcome = this.db.transaction().execute(async (trx) => {
      this.statements += 5
      await trx.insertInto('events').values(rows).execute()
      await trx
        .updateTable('counters')
        .set((eb) => ({ updates: eb('updates', '+', 100) }))
        .where('client_id', '=', this.id)
        .execute()
      const inside = await trx
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .where('client_id', '=', this.id)
        .executeTakeFirstOrThrow()
      expect(inside.n).toBe(BigInt(this.rows.size + rows.length))
      throw new DeliberateRollback()
    })
    await expect(outcome).rejects.toBeInstanceOf(DeliberateRollback)
    this.rollbacks++
  }
}
