/**
 * Kysely + MotherDuckDialect against raw `pg` on the same local endpoint, with the same queries and the
 * same type parsers (a pool from `motherDuckPoolConfig`): a 100,000-row select, and 2,000 small
 * parameterised queries one after another. The ratio is raw pg's time / Kysely's time (1.0 = no
 * overhead); the target is >= 0.95, i.e. at most 5 % overhead. The big select alternates whole runs and
 * compares the fastest of each (on a shared machine the slower runs measure the neighbours); the small
 * queries alternate query by query and compare medians.
 * Run: `npx tsx bench/dialect.bench.ts`.
 */
import { performance } from 'node:perf_hooks'
import { Kysely, sql } from 'kysely'
import pg from 'pg'
import { MotherDuckDialect } from '../src/dialect/motherduck-dialect.js'
import { motherDuckPoolConfig } from '../src/dialect/motherduck-pool.js'
import { startLocalEndpoint } from '../src/local/index.js'
import { type BenchResult, runWhenMain } from './bench-result.js'

const ROWS = 100_000
const SMALL_QUERIES = 2_000
const RUNS = 9
const TARGET = 0.95

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

/**
 * For small queries: alternates the two sides query by query, SMALL_QUERIES times each per run, and
 * returns each side's median query time × SMALL_QUERIES. A sub-millisecond query is disturbed by GC
 * pauses and neighbours far more than a whole run is long, so the fastest run still carried noise;
 * the median of single queries run side by side does not.
 */
async function compareEach(
  raw: (i: number) => Promise<unknown>,
  kysely: (i: number) => Promise<unknown>,
): Promise<{ raw: number; kysely: number }> {
  const rawTimes: number[] = []
  const kyselyTimes: number[] = []
  for (let i = 0; i < SMALL_QUERIES; i++) {
    await raw(i)
    await kysely(i)
  }
  for (let run = 0; run < RUNS; run++) {
    for (let i = 0; i < SMALL_QUERIES; i++) {
      const first = (i + run) % 2 === 0
      if (first) rawTimes.push(await time(() => raw(i)))
      kyselyTimes.push(await time(() => kysely(i)))
      if (!first) rawTimes.push(await time(() => raw(i)))
    }
  }
  return { raw: median(rawTimes) * SMALL_QUERIES, kysely: median(kyselyTimes) * SMALL_QUERIES }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

export async function run(): Promise<BenchResult[]> {
  const endpoint = await startLocalEndpoint({ databases: { bench: ':memory:' } })
  const config = { ...endpoint.dialectConfig({ database: 'bench' }), pool: { max: 1 }, env: {} }
  const pool = new pg.Pool(motherDuckPoolConfig(config))
  // The endpoint says goodbye (57P01) to sessions still closing when it stops.
  pool.on('error', () => {})
  const db = new Kysely<DB>({ dialect: new MotherDuckDialect(config) })
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

    const small = await compareEach(
      (i) => pool.query('select "name" from "bench_rows" where "id" = $1', [i]),
      (i) => db.selectFrom('bench_rows').select('name').where('id', '=', i).execute(),
    )

    const results = [
      {
        name: `select ${ROWS.toLocaleString('en')} rows: raw pg / Kysely + dialect (time ${bigSelect.raw.toFixed(0)} / ${bigSelect.kysely.toFixed(0)} ms)`,
        ratio: bigSelect.raw / bigSelect.kysely,
      },
      {
        name: `${SMALL_QUERIES.toLocaleString('en')} parameterised queries: raw pg / Kysely + dialect (time ${small.raw.toFixed(0)} / ${small.kysely.toFixed(0)} ms)`,
        ratio: small.raw / small.kysely,
      },
    ]
    return results.map((result) => ({
      ...result,
      target: `>= ${TARGET}`,
      pass: result.ratio >= TARGET,
    }))
  } finally {
    await pool.end()
    await db.destroy()
    await endpoint.stop()
  }
}

await runWhenMain(import.meta.url, run)
