/**
 * Kysely's `.stream()` at its default chunk size (100 rows) against `.execute()` of the same 1,000,000
 * rows (INTEGER, VARCHAR, DOUBLE, TIMESTAMP), both through MotherDuckDialect on the local endpoint, in one
 * run, alternating. Target: stream throughput >= 0.8 × execute's. The dialect fetches `streamFetchSize`
 * (10,000) rows per round trip and yields them 100 at a time; the same stream with `streamFetchSize:
 * 100` (one round trip per chunk, what the dialect did before) is measured once for comparison. Also
 * printed: the endpoint's CPU time on each side. Client memory is measured in a process of its own
 * (bench/stream-rss-client.ts): the stream's peak RSS may grow while V8 sizes its heap for the fetches,
 * but not with the rows, so its second half adds <= 0.25 × what its first half added (`.execute()`'s
 * growth, which holds every row, is printed beside it).
 * The endpoint runs in a child process, as a real server would.
 *
 * `npx tsx bench/stream.bench.ts` prints the rows; `bench/run-all.ts` calls `run()`.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Kysely, sql } from 'kysely'
import { MotherDuckDialect } from '../src/dialect/motherduck-dialect.js'
import { type BenchResult, runWhenMain } from './bench-result.js'
import { type LocalEndpointProcess, startLocalEndpointProcess } from './local-endpoint-process.js'
import type { RssClientResult } from './stream-rss-client.js'

const ROWS = 1_000_000
const RUNS = 5
const THROUGHPUT_TARGET = 0.8
/** A bounded stream's memory stops growing: its second half adds (almost) nothing to the peak. */
const RSS_TARGET = 0.25
const MiB = 1024 * 1024

/** The benchmark's one table. */
export interface StreamBenchDB {
  bench_rows: { id: number; name: string; score: number; ts: Date }
}

setFlagsFromString('--expose-gc')
/** A full garbage collection, so that one run does not pay for the garbage the previous one left. */
const collectGarbage = runInNewContext('gc') as () => void

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** A run's wall time and the endpoint's CPU time during it, in milliseconds. */
interface Timing {
  readonly ms: number
  readonly endpointCpuMs: number
}

async function time(endpoint: LocalEndpointProcess, read: () => Promise<number>): Promise<Timing> {
  collectGarbage()
  const cpuBefore = await endpoint.cpuMs()
  const start = performance.now()
  const rows = await read()
  const ms = performance.now() - start
  const endpointCpuMs = (await endpoint.cpuMs()) - cpuBefore
  if (rows !== ROWS) throw new Error(`read ${rows} rows instead of ${ROWS}`)
  return { ms, endpointCpuMs }
}

/** Runs bench/stream-rss-client.ts in a new process: its RSS before and peaks, in bytes. */
async function measureRss(url: string, mode: 'stream' | 'execute'): Promise<RssClientResult> {
  const here = fileURLToPath(import.meta.url)
  const script = here.replace(/stream\.bench\.(ts|js)$/, 'stream-rss-client.$1')
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...process.execArgv, script, mode],
    {
      env: { ...process.env, BENCH_ENDPOINT_URL: url, BENCH_ROWS: String(ROWS) },
    },
  )
  const result = JSON.parse(stdout) as RssClientResult
  if (result.rows !== ROWS) throw new Error(`the ${mode} client read ${result.rows} rows`)
  return result
}

export async function run(): Promise<BenchResult[]> {
  const endpoint = await startLocalEndpointProcess()
  const dialectConfig = { url: endpoint.url, env: {}, pool: { max: 1 } }
  const db = new Kysely<StreamBenchDB>({ dialect: new MotherDuckDialect(dialectConfig) })
  const chunkPerFetch = new Kysely<StreamBenchDB>({
    dialect: new MotherDuckDialect({ ...dialectConfig, streamFetchSize: 100 }),
  })
  try {
    await sql`create table bench_rows as select range::integer as id, 'name_' || range as name,
      range * 0.5::double as score, timestamp '2024-01-01' + to_seconds(range) as ts
      from range(${sql.lit(ROWS)})`.execute(db)

    const columns = ['id', 'name', 'score', 'ts'] as const
    const execute = async () => (await db.selectFrom('bench_rows').select(columns).execute()).length
    const stream = async (on: Kysely<StreamBenchDB> = db) => {
      let rows = 0
      for await (const _ of on.selectFrom('bench_rows').select(columns).stream()) rows++
      return rows
    }

    await execute()
    await stream()
    const executed: Timing[] = []
    const streamed: Timing[] = []
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        executed.push(await time(endpoint, execute))
        streamed.push(await time(endpoint, stream))
      } else {
        streamed.push(await time(endpoint, stream))
        executed.push(await time(endpoint, execute))
      }
    }
    const oneFetchPerChunk = await time(endpoint, () => stream(chunkPerFetch))

    const executeMs = median(executed.map((timing) => timing.ms))
    const streamMs = median(streamed.map((timing) => timing.ms))
    const executeCpu = median(executed.map((timing) => timing.endpointCpuMs))
    const streamCpu = median(streamed.map((timing) => timing.endpointCpuMs))
    console.error(
      `${ROWS.toLocaleString('en')} rows (median of ${RUNS}): .execute() ${executeMs.toFixed(0)} ms ` +
        `(endpoint CPU ${executeCpu.toFixed(0)} ms), .stream() ${streamMs.toFixed(0)} ms ` +
        `(endpoint CPU ${streamCpu.toFixed(0)} ms); one round trip per 100-row chunk: ` +
        `${oneFetchPerChunk.ms.toFixed(0)} ms (endpoint CPU ${oneFetchPerChunk.endpointCpuMs.toFixed(0)} ms)`,
    )

    const streamRss = await measureRss(endpoint.url, 'stream')
    const executeRss = await measureRss(endpoint.url, 'execute')
    const firstHalf = (streamRss.halfwayPeakRss - streamRss.rssBefore) / MiB
    const secondHalf = (streamRss.peakRss - streamRss.halfwayPeakRss) / MiB
    const executeGrowth = (executeRss.peakRss - executeRss.rssBefore) / MiB
    console.error(
      `client peak RSS growth: .stream() +${firstHalf.toFixed(1)} MiB in the first half of the rows, ` +
        `+${secondHalf.toFixed(1)} MiB in the second; .execute() +${executeGrowth.toFixed(0)} MiB`,
    )

    const throughput = executeMs / streamMs
    const rss = secondHalf / firstHalf
    return [
      {
        name: `.stream() ÷ .execute() throughput, ${ROWS.toLocaleString('en')} rows, default chunk size (time ${streamMs.toFixed(0)} / ${executeMs.toFixed(0)} ms)`,
        ratio: throughput,
        target: `>= ${THROUGHPUT_TARGET}`,
        pass: throughput >= THROUGHPUT_TARGET,
      },
      {
        name: `.stream() client peak RSS growth, second half ÷ first half of ${ROWS.toLocaleString('en')} rows (+${secondHalf.toFixed(1)} / +${firstHalf.toFixed(0)} MiB; .execute() +${executeGrowth.toFixed(0)} MiB)`,
        ratio: rss,
        target: `<= ${RSS_TARGET}`,
        pass: rss <= RSS_TARGET,
      },
    ]
  } finally {
    await chunkPerFetch.destroy()
    await db.destroy()
    endpoint.stop()
  }
}

await runWhenMain(import.meta.url, run)
