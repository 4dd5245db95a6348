import { availableParallelism } from 'node:os'
import { Kysely, sql } from 'kysely'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMotherDuckPool, insertRows, MotherDuckDialect } from '../../src/index.js'
import { CANARY_TOKEN } from '../support/canary-token.js'
import { cpuSecondsOf } from './load/cpu-time.js'
import { Latencies } from './load/latencies.js'
import { LOAD_DATABASE, type LoadDB } from './load/load-db.js'
import { MixedClient, type QueryKind } from './load/mixed-client.js'
import { trackPoolInUse } from './load/pool-in-use.js'
import { type StreamClientProcess, startStreamClient } from './load/stream-client-process.js'
import { reportFigure, stressScale } from './stress-scale.js'
import {
  type EndpointProcess,
  mebibytes,
  type ResidentMemory,
  startEndpointProcess,
} from './wire/endpoint-child.js'

/**
 * Issue 7, "Load": many pooled clients at once, concurrent bulk writers, and a very large streamed read,
 * each through the real `pg` pool, Kysely and MotherDuckDialect against the local endpoint running in
 * a child process of its own (as a server would: its own event loop and core, its resident memory
 * measurable apart from the clients'). The invariants are exact: no error, every committed write found
 * once, nothing of a rolled-back transaction, bounded memory; latencies and sizes are printed as figures.
 */

/** Per-test time limit: the long form runs for minutes on a shared 2-core machine. */
const TEST_TIMEOUT = stressScale(120_000, 1_800_000)

function startEndpoint(): Promise<EndpointProcess> {
  return startEndpointProcess({ token: CANARY_TOKEN, databases: { [LOAD_DATABASE]: ':memory:' } })
}

/**
 * A Kysely with MotherDuckDialect over a pool of `max` connections to the endpoint process, built as an
 * application would with a pool it can watch: `createMotherDuckPool`.
 */
function kyselyOn(endpoint: EndpointProcess, max: number): { db: Kysely<LoadDB>; pool: pg.Pool } {
  const pool = createMotherDuckPool({
    ...endpoint.dialectConfig({ database: LOAD_DATABASE }),
    env: {},
    pool: { max },
  })
  return { db: new Kysely<LoadDB>({ dialect: new MotherDuckDialect({ pool }) }), pool }
}

const perSecond = (count: number, ms: number) =>
  `${Math.round((count / ms) * 1000).toLocaleString('en')}/s`
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

describe('load: concurrent clients and writers on one endpoint', () => {
  let endpoint: EndpointProcess

  beforeAll(async () => {
    endpoint = await startEndpoint()
  })

  afterAll(async () => {
    await endpoint?.stop()
  })

  /** The issue's client count: one pool of 64 connections, all 64 in use at once. */
  const CLIENTS = 64
  const QUERIES_PER_CLIENT = stressScale(100, 1_000)

  it(`${CLIENTS} concurrent pooled clients × ${QUERIES_PER_CLIENT} mixed queries: no error, every write accounted for`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const { db, pool } = kyselyOn(endpoint, CLIENTS)
    const inUse = trackPoolInUse(pool)
    try {
      await db.schema
        .createTable('events')
        .addColumn('client_id', 'integer', (column) => column.notNull())
        .addColumn('seq', 'integer', (column) => column.notNull())
        .addColumn('kind', 'varchar', (column) => column.notNull())
        .addColumn('amount', 'bigint', (column) => column.notNull())
        .execute()
      await db.schema
        .createTable('counters')
        .addColumn('client_id', 'integer', (column) => column.primaryKey())
        .addColumn('updates', 'integer', (column) => column.notNull())
        .execute()

      // Every client inside a transaction at the same moment: 64 connections held, 64 server sessions.
      let arrived = 0
      let allArrived: () => void = () => {}
      const barrier = new Promise<void>((resolve) => {
        allArrived = resolve
      })
      let sessionsAtBarrier = 0
      await Promise.all(
        Array.from({ length: CLIENTS }, (_, client) =>
          db.transaction().execute(async (trx) => {
            await trx.insertInto('counters').values({ client_id: client, updates: 0 }).execute()
            if (++arrived === CLIENTS) allArrived()
            await barrier
            if (client === 0) {
              const { rows } = await sql<{ n: bigint }>`
                  select count as n from duckdb_connection_count()`.execute(trx)
              sessionsAtBarrier = Number(rows[0]?.n)
            }
          }),
        ),
      )
      expect(inUse.peak).toBe(CLIENTS)
      expect(sessionsAtBarrier).toBeGreaterThanOrEqual(CLIENTS)

      const clients = Array.from({ length: CLIENTS }, (_, id) => new MixedClient(db, id))
      const latencies: Record<QueryKind | 'all', Latencies> = {
        all: new Latencies(),
        read: new Latencies(),
        write: new Latencies(),
        transaction: new Latencies(),
      }
      const failures: string[] = []
      const cpuBefore = { endpoint: cpuSecondsOf(endpoint.pid), test: cpuSecondsOf(process.pid) }
      const start = performance.now()
      await Promise.all(
        clients.map(async (client) => {
          for (let i = 0; i < QUERIES_PER_CLIENT; i++) {
            const began = performance.now()
            try {
              const kind = await client.run(i)
              const ms = performance.now() - began
              latencies[kind].record(ms)
              latencies.all.record(ms)
            } catch (error) {
              failures.push(`client ${client.id}, query ${i}: ${String(error)}`)
            }
          }
        }),
      )
      const elapsed = performance.now() - start
      const cpu = {
        endpoint: cpuSecondsOf(endpoint.pid) - cpuBefore.endpoint,
        test: cpuSecondsOf(process.pid) - cpuBefore.test,
      }
      expect(failures).toEqual([])
      expect(latencies.all.count).toBe(CLIENTS * QUERIES_PER_CLIENT)

      // Every committed write exactly once, nothing of a rolled-back transaction.
      const expectedRows = clients.flatMap((client) => client.expectedRows())
      const stored = await db
        .selectFrom('events')
        .selectAll()
        .orderBy('client_id')
        .orderBy('seq')
        .execute()
      expect(stored.length).toBe(expectedRows.length)
      expect(stored).toEqual(expectedRows)
      const summary = await db
        .selectFrom('events')
        .select((eb) => [
          eb.fn.countAll<bigint>().as('n'),
          sql<bigint>`count(distinct (client_id, seq))`.as('distinct_keys'),
          sql<bigint>`count(*) filter (where kind = 'rolled-back')`.as('rolled_back'),
        ])
        .executeTakeFirstOrThrow()
      const n = BigInt(expectedRows.length)
      expect(summary).toEqual({ n, distinct_keys: n, rolled_back: 0n })
      const counters = await db.selectFrom('counters').selectAll().orderBy('client_id').execute()
      expect(counters).toEqual(
        clients.map((client) => ({ client_id: client.id, updates: client.updates })),
      )

      const sum = (of: (client: MixedClient) => number) =>
        clients.reduce((total, client) => total + of(client), 0).toLocaleString('en')
      reportFigure(
        'load: 64 concurrent pooled clients',
        `${CLIENTS} clients × ${QUERIES_PER_CLIENT.toLocaleString('en')} mixed queries ` +
          `(${sum((client) => client.statements)} statements) in ${seconds(elapsed)} ` +
          `(${perSecond(latencies.all.count, elapsed)} queries), 0 errors; ${inUse.peak} pooled connections ` +
          `in use at once (${sessionsAtBarrier} DuckDB connections on the endpoint); ` +
          `${expectedRows.length.toLocaleString('en')} rows and ${sum((client) => client.updates)} counter ` +
          `updates found exactly, 0 rows of ${sum((client) => client.rollbacks)} rolled-back transactions`,
      )
      for (const [kind, recorded] of Object.entries(latencies)) {
        reportFigure(
          `load: 64 concurrent pooled clients, latency (${kind === 'all' ? 'all queries' : `${kind}s`})`,
          recorded.summary(),
        )
      }
      reportFigure(
        'load: 64 concurrent pooled clients, CPU',
        `endpoint process ${cpu.endpoint.toFixed(1)} s, test process (the 64 clients) ` +
          `${cpu.test.toFixed(1)} s, in ${seconds(elapsed)} on ${availableParallelism()} cores`,
      )
    } finally {
      await db.destroy()
    }
  })

  const WRITERS = 8
  const ROWS_PER_WRITER = stressScale(25_000, 250_000)
  const CALLS_PER_WRITER = 4
  const BATCH_SIZE = stressScale(1_000, 10_000)

  it(`${WRITERS} concurrent insertRows writers into one table: exact count, no duplicate or lost rows`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const { db, pool } = kyselyOn(endpoint, WRITERS)
    const inUse = trackPoolInUse(pool)
    try {
      await db.schema
        .createTable('loaded')
        .addColumn('id', 'bigint', (column) => column.notNull())
        .addColumn('writer', 'integer', (column) => column.notNull())
        .addColumn('payload', 'varchar', (column) => column.notNull())
        .execute()
      const total = WRITERS * ROWS_PER_WRITER
      const perCall = ROWS_PER_WRITER / CALLS_PER_WRITER
      let batches = 0
      // How often the next accepted batch came from another writer than the one before it.
      let interleavings = 0
      let lastWriter = -1
      const start = performance.now()
      // Writer w owns ids w·M … (w+1)·M − 1, sent in CALLS_PER_WRITER calls of several batches each;
      // even writers load each call in one transaction (the default), odd ones commit batch by batch.
      const inserted = await Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          let count = 0
          for (let call = 0; call < CALLS_PER_WRITER; call++) {
            const rows = Array.from({ length: perCall }, (_, k) => {
              const index = call * perCall + k
              return {
                id: BigInt(writer * ROWS_PER_WRITER + index),
                writer,
                payload: `w${writer}-${index}`,
              }
            })
            count += await insertRows(db, 'loaded', rows, {
              batchSize: BATCH_SIZE,
              transaction: writer % 2 === 0,
              onProgress: () => {
                batches++
                if (lastWriter !== writer && lastWriter !== -1) interleavings++
                lastWriter = writer
              },
            })
          }
          return count
        }),
      )
      const elapsed = performance.now() - start
      expect(inserted).toEqual(Array.from({ length: WRITERS }, () => ROWS_PER_WRITER))
      expect(inUse.peak).toBe(WRITERS)

      // count = count(distinct) = N, min 0, max N − 1: the ids are exactly 0 … N − 1.
      const summary = await db
        .selectFrom('loaded')
        .select((eb) => [
          eb.fn.countAll<bigint>().as('n'),
          sql<bigint>`count(distinct id)`.as('distinct_ids'),
          eb.fn.min<bigint>('id').as('min_id'),
          eb.fn.max<bigint>('id').as('max_id'),
          sql<string>`cast(sum(id) as varchar)`.as('sum_id'),
          sql<bigint>`count(*) filter (where writer <> id // ${sql.lit(ROWS_PER_WRITER)})`.as(
            'wrong_writer',
          ),
          sql<bigint>`count(*) filter (
              where payload <> 'w' || writer || '-' || (id % ${sql.lit(ROWS_PER_WRITER)}))`.as(
            'wrong_payload',
          ),
        ])
        .executeTakeFirstOrThrow()
      const n = BigInt(total)
      expect(summary).toEqual({
        n,
        distinct_ids: n,
        min_id: 0n,
        max_id: n - 1n,
        sum_id: String((n * (n - 1n)) / 2n),
        wrong_writer: 0n,
        wrong_payload: 0n,
      })
      const perWriter = await db
        .selectFrom('loaded')
        .select((eb) => ['writer', eb.fn.countAll<bigint>().as('n')])
        .groupBy('writer')
        .orderBy('writer')
        .execute()
      expect(perWriter).toEqual(
        Array.from({ length: WRITERS }, (_, writer) => ({ writer, n: BigInt(ROWS_PER_WRITER) })),
      )

      reportFigure(
        'load: 8 concurrent insertRows writers',
        `${WRITERS} writers × ${ROWS_PER_WRITER.toLocaleString('en')} rows (${CALLS_PER_WRITER} calls each, ` +
          `${batches} batches of ≤ ${BATCH_SIZE.toLocaleString('en')} rows, ${interleavings} switches between ` +
          `writers, ${inUse.peak} connections at once) into one table in ${seconds(elapsed)} ` +
          `(${perSecond(total, elapsed)} rows): ${total.toLocaleString('en')} rows, ids exactly ` +
          `0…${(total - 1).toLocaleString('en')}, 0 duplicates, 0 lost`,
      )
    } finally {
      await db.destroy()
    }
  })
})

describe('load: a streamed read of many rows', () => {
  const ROWS = stressScale(2_000_000, 10_000_000)
  const CHUNK_SIZE = 10_000
  /** Resident growth allowed for a streamed read of any size: far below what holding the rows takes. */
  const MEMORY_BOUND = 256 * 1024 * 1024
  /** Peak growth allowed while the second half of the rows streams: GC noise, not rows. */
  const SECOND_HALF_BOUND = 64 * 1024 * 1024

  let endpoint: EndpointProcess
  const streamClients: StreamClientProcess[] = []

  beforeAll(async () => {
    // An endpoint of its own: VmHWM only ever grows, so its peak must not carry the other tests' load.
    endpoint = await startEndpoint()
  })

  afterAll(async () => {
    for (const client of streamClients) client.kill()
    await endpoint?.stop()
  })

  it(`${ROWS.toLocaleString('en')} rows through .stream(): bounded memory in client and endpoint, other sessions served meanwhile`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const { db } = kyselyOn(endpoint, 2)
    try {
      await sql`select 1`.execute(db)
      const endpointBefore = endpoint.residentMemory()
      let endpointHalfway: ResidentMemory | undefined
      const client = startStreamClient({
        port: endpoint.port,
        token: endpoint.token,
        database: LOAD_DATABASE,
        rows: ROWS,
        chunkSize: CHUNK_SIZE,
        onHalfway: () => {
          endpointHalfway = endpoint.residentMemory()
        },
      })
      streamClients.push(client)
      await client.streaming

      // Another session's small queries while the stream runs: each must succeed and be right.
      const bystander = new Latencies()
      const failures: string[] = []
      let streamEnded = false
      let duringStream = 0
      const bystanding = (async () => {
        for (let i = 0; !streamEnded; i++) {
          try {
            const { rows } = await bystander.time(() =>
              sql<{ n: bigint; echo: string }>`
                  select count(*) as n, cast(${`q${i}`} as varchar) as echo
                  from range(${sql.lit(1000 + i)})`.execute(db),
            )
            expect(rows).toEqual([{ n: BigInt(1000 + i), echo: `q${i}` }])
            if (!streamEnded) duringStream++
          } catch (error) {
            failures.push(`bystander query ${i}: ${String(error)}`)
          }
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      })()
      const result = await client.done.finally(() => {
        streamEnded = true
      })
      await bystanding
      const endpointAfter = endpoint.residentMemory()

      expect(result.rows).toBe(ROWS)
      expect(failures).toEqual([])
      expect(duringStream).toBeGreaterThan(0)
      if (endpointHalfway === undefined) throw new Error('the stream client never reported halfway')
      const clientGrowth = result.peakRss - result.rssBefore
      const endpointGrowth = endpointAfter.peak - endpointBefore.rss
      const clientSecondHalf = result.peakRss - result.halfwayPeakRss
      const endpointSecondHalf = endpointAfter.peak - endpointHalfway.peak
      // Holding the rows would take ≥ 100 bytes each (an object with a bigint, a string and two
      // numbers): 200 MB for the short form's 2,000,000 rows, 1 GB for the long form's 10,000,000. And
      // memory that does not grow with the rows is reached early: the second half adds (almost) nothing.
      expect(clientGrowth).toBeLessThan(MEMORY_BOUND)
      expect(endpointGrowth).toBeLessThan(MEMORY_BOUND)
      expect(clientSecondHalf).toBeLessThan(SECOND_HALF_BOUND)
      expect(endpointSecondHalf).toBeLessThan(SECOND_HALF_BOUND)

      reportFigure(
        'load: streamed read',
        `${ROWS.toLocaleString('en')} rows (4 columns, .stream(${CHUNK_SIZE})) in ${seconds(result.ms)} ` +
          `(${perSecond(ROWS, result.ms)} rows), every row checked`,
      )
      reportFigure(
        'load: streamed read, peak resident memory',
        `client ${mebibytes(result.peakRss)} (+${mebibytes(clientGrowth)} over ` +
          `${mebibytes(result.rssBefore)} before the stream), endpoint ${mebibytes(endpointAfter.peak)} ` +
          `(+${mebibytes(endpointGrowth)} over ${mebibytes(endpointBefore.rss)}); bound +${mebibytes(MEMORY_BOUND)} each`,
      )
      reportFigure(
        'load: streamed read, peak growth during the second half of the rows',
        `client +${mebibytes(clientSecondHalf)}, endpoint +${mebibytes(endpointSecondHalf)} ` +
          `(peaks after ${(ROWS / 2).toLocaleString('en')} rows: client ${mebibytes(result.halfwayPeakRss)}, ` +
          `endpoint ${mebibytes(endpointHalfway.peak)}); bound +${mebibytes(SECOND_HALF_BOUND)} each`,
      )
      reportFigure(
        'load: streamed read, another session meanwhile',
        `${bystander.summary()}; ${duringStream} completed during the stream, 0 errors`,
      )
    } finally {
      await db.destroy()
    }
  })
})
