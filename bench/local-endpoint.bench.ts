/**
 * The local endpoint against DuckDB in-process, measured in one run:
 * 1. reading 1,000,000 rows (INTEGER, VARCHAR, DOUBLE, TIMESTAMP) through `pg` with this library's type
 *    parsers vs. the same rows read in-process with @duckdb/node-api into JS row objects
 *    (`getRowObjectsJS`: numbers, strings, Dates). Target: wire throughput >= 0.8 × in-process.
 * 2. one small parameterised query: a `pg` round trip vs. binding and running a prepared statement
 *    in-process. Target: <= 2 × the in-process time. Both sides run in alternating rounds, so that a
 *    change in the machine's load during the run affects both alike.
 * The endpoint runs in a child process (bench/local-endpoint-server.ts), as a real server would.
 *
 * `npx tsx bench/local-endpoint.bench.ts` prints the table; `bench/run-all.ts` calls `run()`.
 */
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { DuckDBInstance } from '@duckdb/node-api'
import pg from 'pg'
import { createTypeParsers } from '../src/types/type-parsers.js'
import type { BenchResult } from './bench-result.js'
import { startLocalEndpointProcess } from './local-endpoint-process.js'

const ROWS = 1_000_000
const CREATE_TABLE = `CREATE TABLE bench_rows AS SELECT range::INTEGER AS id, 'name_' || range AS name,
  range * 0.5::DOUBLE AS score, TIMESTAMP '2024-01-01' + to_seconds(range) AS ts FROM range(${ROWS})`
const SELECT_ALL = 'SELECT id, name, score, ts FROM bench_rows'
const CREATE_SMALL = `CREATE TABLE small AS SELECT range::INTEGER AS id, 'item ' || range AS label
  FROM range(1000)`
const SMALL_QUERY = 'SELECT id, label FROM small WHERE id = $1'
const READ_RUNS = 5
const SMALL_WARMUP = 200
/** Rounds of SMALL_BATCH queries on each side, alternating which side goes first. */
const SMALL_ROUNDS = 10
const SMALL_BATCH = 200

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

setFlagsFromString('--expose-gc')
/** A full garbage collection, so that one run does not pay for the garbage the previous one left. */
const collectGarbage = runInNewContext('gc') as () => void

async function time(run: () => Promise<unknown>): Promise<number> {
  collectGarbage()
  const start = performance.now()
  await run()
  return performance.now() - start
}

function result(name: string, ratio: number, target: string, pass: boolean): BenchResult {
  return { name, ratio, target, pass }
}

/** Runs both comparisons and returns their ratios. */
export async function run(): Promise<BenchResult[]> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  await connection.run("SET TimeZone = 'UTC'")
  await connection.run(CREATE_TABLE)
  await connection.run(CREATE_SMALL)

  const endpoint = await startLocalEndpointProcess()
  const url = endpoint.url
  const client = new pg.Client({ connectionString: url, types: createTypeParsers() })
  await client.connect()
  try {
    await client.query(CREATE_TABLE)
    await client.query(CREATE_SMALL)

    // 1. Bulk read: every row materialised as a JS object on both sides.
    const inProcessRead = async () => {
      const reader = await connection.runAndReadAll(SELECT_ALL)
      const rows = reader.getRowObjectsJS()
      if (rows.length !== ROWS) throw new Error(`in-process read ${rows.length} rows`)
    }
    const wireRead = async () => {
      const { rows } = await client.query(SELECT_ALL)
      if (rows.length !== ROWS) throw new Error(`wire read ${rows.length} rows`)
    }
    await inProcessRead()
    await wireRead()
    const inProcessTimes: number[] = []
    const wireTimes: number[] = []
    for (let i = 0; i < READ_RUNS; i++) {
      inProcessTimes.push(await time(inProcessRead))
      wireTimes.push(await time(wireRead))
    }
    const inProcessMs = median(inProcessTimes)
    const wireMs = median(wireTimes)
    const readRatio = inProcessMs / wireMs
    console.error(
      `read ${ROWS.toLocaleString('en')} rows: in-process ${inProcessMs.toFixed(0)} ms, over the wire ${wireMs.toFixed(0)} ms (median of ${READ_RUNS})`,
    )

    // 2. Small parameterised query round trip.
    const prepared = await connection.prepare(SMALL_QUERY)
    let id = 0
    const inProcessSmall = async () => {
      prepared.bindInteger(1, id++ % 1000)
      const reader = await prepared.runAndReadAll()
      if (reader.getRowObjectsJS().length !== 1) throw new Error('in-process small query')
    }
    const wireSmall = async () => {
      const { rows } = await client.query(SMALL_QUERY, [id++ % 1000])
      if (rows.length !== 1) throw new Error('wire small query')
    }
    for (let i = 0; i < SMALL_WARMUP; i++) {
      await inProcessSmall()
      await wireSmall()
    }
    const batch = (query: () => Promise<void>) => async () => {
      for (let i = 0; i < SMALL_BATCH; i++) await query()
    }
    let smallInProcess = 0
    let smallWire = 0
    for (let round = 0; round < SMALL_ROUNDS; round++) {
      if (round % 2 === 0) {
        smallInProcess += await time(batch(inProcessSmall))
        smallWire += await time(batch(wireSmall))
      } else {
        smallWire += await time(batch(wireSmall))
        smallInProcess += await time(batch(inProcessSmall))
      }
    }
    const smallRuns = SMALL_ROUNDS * SMALL_BATCH
    const perInProcess = (smallInProcess * 1000) / smallRuns
    const perWire = (smallWire * 1000) / smallRuns
    const smallRatio = perWire / perInProcess
    console.error(
      `small parameterised query: in-process ${perInProcess.toFixed(0)} µs, over the wire ${perWire.toFixed(0)} µs (mean of ${smallRuns}, ${SMALL_ROUNDS} alternating rounds)`,
    )
    prepared.destroySync()

    return [
      result(
        'local endpoint: read 1M rows, wire ÷ in-process throughput',
        readRatio,
        '>= 0.8',
        readRatio >= 0.8,
      ),
      result(
        'local endpoint: small parameterised query, wire ÷ in-process time',
        smallRatio,
        '<= 2',
        smallRatio <= 2,
      ),
    ]
  } finally {
    await client.end()
    endpoint.stop()
    connection.closeSync()
    instance.closeSync()
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = await run()
  console.log(`\n${'benchmark'.padEnd(68)}  ratio  target   result`)
  for (const r of results) {
    console.log(
      `${r.name.padEnd(68)}  ${r.ratio.toFixed(2).padStart(5)}  ${r.target.padEnd(7)}  ${r.pass ? 'pass' : 'MISS'}`,
    )
  }
  if (results.some((r) => !r.pass)) process.exitCode = 1
}
