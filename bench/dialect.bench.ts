/**
 * Kysely + MotherDuckDialect against raw `pg` and stock Kysely on the same local endpoint (in a child
 * process, as a real server), with the same queries, the same pool and the same type parsers (a pool
 * from `createMotherDuckPool`):
 * 1. a 100,000-row select: raw pg's time ÷ Kysely + dialect's, target >= 0.95 (at most ~5 % overhead);
 *    the sides alternate whole runs and the fastest of each counts (on a shared machine the slower runs
 *    measure the neighbours);
 * 2. a small parameterised query (one row by primary key), three sides taking turns query by query:
 *    raw pg, Kysely + PostgresDialect and Kysely + MotherDuckDialect. Targets on the medians: the
 *    dialect <= 1.05 × stock Kysely (what the dialect adds) and <= 1.1 × raw pg (Kysely's work too).
 * Run: `npx tsx bench/dialect.bench.ts`.
 */
import { performance } from 'node:perf_hooks'
import { Kysely, PostgresDialect, sql } from 'kysely'
import { MotherDuckDialect } from '../src/dialect/motherduck-dialect.js'
import { createMotherDuckPool } from '../src/dialect/motherduck-pool.js'
import { type BenchResult, runWhenMain } from './bench-result.js'
import { startLocalEndpointProcess } from './local-endpoint-process.js'

const ROWS = 100_000
const SMALL_QUERIES = 2_000
const RUNS = 9
const SMALL_RUNS = 5
/** raw pg ÷ Kysely + dialect time for the big select: at most ~5 % overhead. */
const BIG_SELECT_TARGET = 0.95
/** Kysely + dialect ÷ stock Kysely (PostgresDialect) per small query: what the dialect adds. */
const OVER_STOCK_KYSELY_TARGET = 1.05
/** Kysely + dialect ÷ raw pg per small query: Kysely's own work plus the dialect's. */
const OVER_RAW_PG_TARGET = 1.1

interface DB {
  bench_rows: { id: number; name: string; score: number; at: Date }
}

// The fastest run is the least disturbed by other processes on a shared machine: the cost itself.
function fastest(values: number[]): number {
  return Math.min(...values)
}

async function time(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await task()
  return performance.now() - start
}

/** Alternates the two sides RUNS times (after one warm-up each) and returns the fastest run of each. */
async function compare(
  raw: () => Promise<unknown>,
  kysely: () => Promise<unknown>,
): Promise<{ raw: number; kysely: number }> {
  await raw()
  await kysely()
  const rawTimes: number[] = []
  const kyselyTimes: number[] = []
  for (let run = 0; run < RUNS; run++) {
    if (run % 2 === 0) {
      rawTimes.push(await time(raw))
      kyselyTimes.push(await time(kysely))
    } else {
      kyselyTimes.push(await time(kysely))
      rawTimes.push(await time(raw))
    }
  }
  return { raw: fastest(rawTimes), kysely: fastest(kyselyTimes) }
}

/** One side of the small-query comparison: its median query time and mean client CPU per query. */
interface SmallQueryCost {
  readonly medianUs: number
  readonly cpuUs: number
}

/**
 * For small queries: runs the sides one query each in turn (the side that goes first rotates),
 * SMALL_QUERIES queries per side per run, SMALL_RUNS runs after a warm-up, and returns each side's
 * median query time. A sub-millisecond query is disturbed by GC pauses and neighbours far more than a
 * whole run is long, so the fastest run still carried noise; the median of single queries run side by
 * side does not. The client's CPU time per query (mean) is measured too: it is what each layer costs
 * this process, without the round trip.
 */
async function compareEach(
  sides: readonly ((i: number) => Promise<unknown>)[],
): Promise<SmallQueryCost[]> {
  const times: number[][] = sides.map(() => [])
  const cpu = sides.map(() => 0)
  for (let i = 0; i < SMALL_QUERIES; i++) {
    for (const side of sides) await side(i)
  }
  for (let run = 0; run < SMALL_RUNS; run++) {
    for (let i = 0; i < SMALL_QUERIES; i++) {
      for (let k = 0; k < sides.length; k++) {
        const side = (i + run + k) % sides.length
        const cpuBefore = process.cpuUsage()
        times[side]?.push(await time(() => sides[side]!(i)))
        const used = process.cpuUsage(cpuBefore)
        cpu[side] = (cpu[side] ?? 0) + used.user + used.system
      }
    }
  }
  return times.map((values, side) => ({
    medianUs: median(values) * 1000,
    cpuUs: (cpu[side] ?? 0) / (SMALL_RUNS * SMALL_QUERIES),
  }))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

export async function run(): Promise<BenchResult[]> {
  const endpoint = await startLocalEndpointProcess()
  const config = { url: endpoint.url, pool: { max: 1 }, env: {} }
  // One pool under all three sides of the small queries: raw pg, stock Kysely, Kysely + dialect.
  const pool = createMotherDuckPool(config)
  const db = new Kysely<DB>({ dialect: new MotherDuckDialect({ ...config, pool }) })
  const stock = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  try {
    await sql`create table bench_rows as
      select i::integer as id, 'name ' || i as name, i * 0.5 as score,
        timestamp '2024-01-01' + to_seconds(i) as at
      from range(${ROWS}) r(i)`.execute(db)

    const bigSelect = await compare(
      async () => {
        const { rows } = await pool.query('select "id", "name", "score", "at" from "bench_rows"')
        if (rows.length !== ROWS) throw new Error('raw pg read the wrong number of rows')
      },
      async () => {
        const rows = await db
          .selectFrom('bench_rows')
          .select(['id', 'name', 'score', 'at'])
          .execute()
        if (rows.length !== ROWS) throw new Error('Kysely read the wrong number of rows')
      },
    )

    const smallQuery = (on: Kysely<DB>, i: number) =>
      on.selectFrom('bench_rows').select('name').where('id', '=', i)
    const sqlText = smallQuery(db, 0).compile().sql
    if (sqlText !== smallQuery(stock, 0).compile().sql) {
      throw new Error(`the dialect compiles the small query differently: ${sqlText}`)
    }
    const [raw, stockKysely, dialect] = await compareEach([
      (i) => pool.query(sqlText, [i]),
      (i) => smallQuery(stock, i).execute(),
      (i) => smallQuery(db, i).execute(),
    ])
    if (raw === undefined || stockKysely === undefined || dialect === undefined) {
      throw new Error('a side of the small-query comparison is missing')
    }
    const us = (value: number) => `${value.toFixed(0)} µs`
    console.error(
      `small query, median of ${(SMALL_RUNS * SMALL_QUERIES).toLocaleString('en')} each ` +
        `(client CPU per query): raw pg ${us(raw.medianUs)} (${us(raw.cpuUs)}), ` +
        `Kysely + PostgresDialect ${us(stockKysely.medianUs)} (${us(stockKysely.cpuUs)}), ` +
        `Kysely + MotherDuckDialect ${us(dialect.medianUs)} (${us(dialect.cpuUs)})`,
    )

    const bigRatio = bigSelect.raw / bigSelect.kysely
    const overStock = dialect.medianUs / stockKysely.medianUs
    const overRaw = dialect.medianUs / raw.medianUs
    return [
      {
        name: `select ${ROWS.toLocaleString('en')} rows: raw pg ÷ Kysely + dialect, time (${bigSelect.raw.toFixed(0)} / ${bigSelect.kysely.toFixed(0)} ms)`,
        ratio: bigRatio,
        target: `>= ${BIG_SELECT_TARGET}`,
        pass: bigRatio >= BIG_SELECT_TARGET,
      },
      {
        name: `small query: Kysely + MotherDuckDialect ÷ Kysely + PostgresDialect on the same pool, median time (${us(dialect.medianUs)} / ${us(stockKysely.medianUs)})`,
        ratio: overStock,
        target: `<= ${OVER_STOCK_KYSELY_TARGET}`,
        pass: overStock <= OVER_STOCK_KYSELY_TARGET,
      },
      {
        name: `small query: Kysely + MotherDuckDialect ÷ raw pg, median time (${us(dialect.medianUs)} / ${us(raw.medianUs)})`,
        ratio: overRaw,
        target: `<= ${OVER_RAW_PG_TARGET}`,
        pass: overRaw <= OVER_RAW_PG_TARGET,
      },
    ]
  } finally {
    // Both Kysely instances would end the shared pool: only the dialect's does.
    await db.destroy()
    endpoint.stop()
  }
}

await runWhenMain(import.meta.url, run)
