/**
 * insertRows of 100,000 in-memory rows (INTEGER, VARCHAR, DOUBLE, TIMESTAMP, nullable VARCHAR) on the
 * local endpoint, against (a) row-at-a-time inserts through Kysely (2,000 rows measured, extrapolated to
 * 100,000) and (b) hand-written 1,000-row `INSERT … VALUES ($1, …)` batches through raw `pg`, all in one
 * run. It first compares the candidate encodings for a batch (each through raw `pg`, same rows, same
 * table) and prints them, so the choice insertRows makes stays justified by numbers.
 * Run: `npx tsx bench/insert-rows.bench.ts`.
 */
import { performance } from 'node:perf_hooks'
import { Kysely, sql } from 'kysely'
import pg from 'pg'
import { MotherDuckDialect } from '../src/dialect/motherduck-dialect.js'
import { insertRows } from '../src/load/insert-rows.js'
import { startLocalEndpoint } from '../src/local/index.js'
import { type BenchResult, runWhenMain } from './bench-result.js'

const ROWS = 100_000
const ROW_AT_A_TIME_SAMPLE = 2_000
const VALUES_ROWS_PER_STATEMENT = 1_000
const RUNS = 3

interface Row {
  id: number
  name: string
  score: number
  at: Date
  note: string | null
}
interface DB {
  bench_rows: Row
}

const COLUMNS = ['id', 'name', 'score', 'at', 'note'] as const
const CREATE_TABLE = sql`create or replace table bench_rows (id INTEGER, name VARCHAR, score DOUBLE, "at" TIMESTAMP, note VARCHAR)`

function makeRows(count: number): Row[] {
  const start = Date.UTC(2024, 0, 1)
  return Array.from({ length: count }, (_, i) => ({
    id: i,
    name: `customer ${i} "quoted" it's`,
    score: i * 0.25 + 0.1,
    at: new Date(start + i * 1_000),
    note: i % 3 === 0 ? null : `note ${i}`,
  }))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Multi-row VALUES with one parameter per value, as a careful hand-written loader sends it. */
async function valuesWithParameters(client: pg.Client, rows: readonly Row[], perStatement: number) {
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement)
    const parameters: unknown[] = []
    const tuples = batch.map((row) => {
      const base = parameters.length
      parameters.push(row.id, row.name, row.score, row.at.toISOString(), row.note)
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5})`
    })
    await client.query(`insert into bench_rows values ${tuples.join(', ')}`, parameters)
  }
}

const cell = (value: unknown) =>
  value === null
    ? 'null'
    : value instanceof Date
      ? `"${value.toISOString()}"`
      : JSON.stringify(value)
const STRUCTURE_ROW = `{"id":"INTEGER","name":"VARCHAR","score":"DOUBLE","at":"TIMESTAMP","note":"VARCHAR"}`

/** One JSON parameter per batch holding an array of row objects, expanded by unnest(…, recursive). */
async function jsonRows(client: pg.Client, rows: readonly Row[], perStatement: number) {
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement)
    const json = `[${batch.map((row) => `{${COLUMNS.map((c) => `"${c}":${cell(row[c])}`).join(',')}}`).join(',')}]`
    await client.query(
      `insert into bench_rows select * from (select unnest(from_json_strict(cast($1 as varchar), '[${STRUCTURE_ROW}]'), recursive := true))`,
      [json],
    )
  }
}

/** One JSON parameter per batch holding one array per column (what insertRows sends). */
async function jsonColumns(client: pg.Client, rows: readonly Row[], perStatement: number) {
  const types = ['INTEGER', 'VARCHAR', 'DOUBLE', 'TIMESTAMP', 'VARCHAR']
  const structure = `{${types.map((type, c) => `"c${c}":["${type}"]`).join(',')}}`
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement)
    const json = `{${COLUMNS.map((c, i) => `"c${i}":[${batch.map((row) => cell(row[c])).join(',')}]`).join(',')}}`
    await client.query(
      `insert into bench_rows select ${COLUMNS.map((_, i) => `unnest(j.c${i})`).join(', ')} from (select from_json_strict(cast($1 as varchar), '${structure}') as j)`,
      [json],
    )
  }
}

/** Multi-row VALUES with the values inlined as SQL literals (no parameters). */
async function valuesInlined(client: pg.Client, rows: readonly Row[], perStatement: number) {
  const literal = (value: unknown) =>
    value === null
      ? 'NULL'
      : typeof value === 'number'
        ? String(value)
        : `'${(value instanceof Date ? value.toISOString() : String(value)).replaceAll("'", "''")}'`
  for (let start = 0; start < rows.length; start += perStatement) {
    const tuples = rows
      .slice(start, start + perStatement)
      .map((row) => `(${COLUMNS.map((c) => literal(row[c])).join(', ')})`)
    await client.query(`insert into bench_rows values ${tuples.join(', ')}`)
  }
}

export async function run(): Promise<BenchResult[]> {
  const endpoint = await startLocalEndpoint({ databases: { my_db: ':memory:' } })
  const db = new Kysely<DB>({
    dialect: new MotherDuckDialect(endpoint.dialectConfig()),
  })
  const client = new pg.Client({ connectionString: endpoint.url })
  await client.connect()
  const rows = makeRows(ROWS)

  const timed = async (load: () => Promise<unknown>, expected = ROWS): Promise<number> => {
    await CREATE_TABLE.execute(db)
    const started = performance.now()
    await load()
    const elapsed = performance.now() - started
    const { rows: counted } = await sql<{
      n: bigint
    }>`select count(*) as n from bench_rows`.execute(db)
    if (counted[0]?.n !== BigInt(expected)) {
      throw new Error(`expected ${expected} rows, found ${counted[0]?.n}`)
    }
    return elapsed
  }
  const medianOf = async (load: () => Promise<unknown>, expected?: number) => {
    const times: number[] = []
    for (let i = 0; i < RUNS; i++) times.push(await timed(load, expected))
    return median(times)
  }

  try {
    // Warm up every path once (JIT, DuckDB's first-use costs).
    await timed(() => insertRows(db, 'bench_rows', rows.slice(0, 5_000)), 5_000)
    await timed(() => valuesWithParameters(client, rows.slice(0, 5_000), 1_000), 5_000)

    console.error(
      `candidate encodings, ${ROWS.toLocaleString('en')} rows through raw pg (median of ${RUNS}):`,
    )
    const candidates: [string, () => Promise<unknown>][] = [
      [
        'multi-row VALUES, parameters, 1,000 rows/statement',
        () => valuesWithParameters(client, rows, 1_000),
      ],
      [
        'multi-row VALUES, inlined literals, 1,000 rows/statement',
        () => valuesInlined(client, rows, 1_000),
      ],
      ['JSON array of row objects, 10,000 rows/statement', () => jsonRows(client, rows, 10_000)],
      ['JSON arrays per column, 10,000 rows/statement', () => jsonColumns(client, rows, 10_000)],
      ['JSON arrays per column, 100,000 rows/statement', () => jsonColumns(client, rows, 100_000)],
    ]
    for (const [name, load] of candidates) {
      console.error(`  ${(await medianOf(load)).toFixed(0).padStart(6)} ms  ${name}`)
    }

    const insertRowsMs = await medianOf(() => insertRows(db, 'bench_rows', rows))
    const handWrittenMs = await medianOf(() =>
      valuesWithParameters(client, rows, VALUES_ROWS_PER_STATEMENT),
    )
    const sample = rows.slice(0, ROW_AT_A_TIME_SAMPLE)
    const sampleMs = await timed(async () => {
      for (const row of sample) await db.insertInto('bench_rows').values(row).execute()
    }, ROW_AT_A_TIME_SAMPLE)
    const rowAtATimeMs = sampleMs * (ROWS / ROW_AT_A_TIME_SAMPLE)

    console.error(
      `insertRows of ${ROWS.toLocaleString('en')} rows (median of ${RUNS}): ${insertRowsMs.toFixed(0)} ms`,
    )
    console.error(
      `hand-written ${VALUES_ROWS_PER_STATEMENT.toLocaleString('en')}-row VALUES batches via pg: ${handWrittenMs.toFixed(0)} ms`,
    )
    console.error(
      `row at a time via Kysely: ${sampleMs.toFixed(0)} ms for ${ROW_AT_A_TIME_SAMPLE.toLocaleString('en')} rows, ` +
        `extrapolated to ${ROWS.toLocaleString('en')}: ${rowAtATimeMs.toFixed(0)} ms`,
    )

    const vsRowAtATime = rowAtATimeMs / insertRowsMs
    const vsHandWritten = handWrittenMs / insertRowsMs
    return [
      {
        name: `insertRows ${ROWS.toLocaleString('en')} rows: row-at-a-time (extrapolated from ${ROW_AT_A_TIME_SAMPLE.toLocaleString('en')}) / insertRows`,
        ratio: vsRowAtATime,
        target: '>= 30',
        pass: vsRowAtATime >= 30,
      },
      {
        name: `insertRows ${ROWS.toLocaleString('en')} rows: hand-written 1,000-row VALUES via pg / insertRows`,
        ratio: vsHandWritten,
        target: '>= 1.0',
        pass: vsHandWritten >= 1,
      },
    ]
  } finally {
    await client.end()
    await db.destroy()
    await endpoint.stop()
  }
}

await runWhenMain(import.meta.url, run)
