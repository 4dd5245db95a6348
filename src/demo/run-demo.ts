import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Compilable, type CompiledQuery, Kysely, sql } from 'kysely'
import { runCodegen } from '../../codegen/index.js'
import { MotherDuckDialect } from '../dialect/motherduck-dialect.js'
import type { MotherDuckDialectConfig } from '../dialect/motherduck-dialect-config.js'
import { createTableAs, createTableAsQuery } from '../load/create-table-as.js'
import { insertRows } from '../load/insert-rows.js'
import { type LocalEndpoint, startLocalEndpoint } from '../local/local-endpoint.js'
import { readParquet } from '../sources/read-parquet.js'
import type { DB as DemoDatabase } from './demo-database.generated.js'
import { formatTable } from './format-table.js'
import { DEMO_BUCKET, ensureDemoData, HACKER_NEWS_ROWS } from './sample-data.js'

/** Where the demo runs: the embedded local endpoint, or MotherDuck itself when a token is set. */
interface DemoTarget {
  readonly description: string
  /** Dialect config of the database the demo writes into (its scratch tables live in `main`). */
  readonly config: MotherDuckDialectConfig
  readonly parquetUrl: string
  close(): Promise<void>
}

/**
 * A row of the Parquet file step 3 loads: locally the per-year summary `sample-data.ts` writes; on
 * MotherDuck whatever `DEMO_PARQUET_URL` holds, so the demo does not assume its columns.
 */
type ParquetRow = Record<string, unknown>

/** The table step 4 creates and fills. */
interface DemoEvent {
  id: bigint
  name: string
  score: number
  happened_at: Date
  note: string | null
}

export interface DemoOptions {
  /** Where each step's output goes. Default: `console.log`. */
  readonly print?: (text: string) => void
  /** Environment to read `MOTHERDUCK_TOKEN` etc. from. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/**
 * The end-to-end demo: codegen, a typed query on `sample_data.hn.hacker_news`, a server-side load from
 * Parquet with `MD_RUN = REMOTE`, and a batched in-memory load — on the local endpoint, or on MotherDuck
 * when `MOTHERDUCK_TOKEN` is set. Throws on any failure (the CLI turns that into a non-zero exit).
 */
export async function runDemo(options: DemoOptions = {}): Promise<void> {
  const print = options.print ?? console.log
  const env = options.env ?? process.env
  const started = performance.now()
  const target = env.MOTHERDUCK_TOKEN
    ? await motherDuckTarget(env, print)
    : await localTarget(print)
  const db = new Kysely<DemoDatabase>({ dialect: new MotherDuckDialect(target.config) })
  try {
    print(`\nkysely-motherduck demo — ${target.description}\n`)

    await step(print, '1. Generate Kysely types from the database (codegen)', async () => {
      const outFile = join(await mkdtemp(join(tmpdir(), 'kysely-motherduck-demo-types-')), 'db.ts')
      const result = await runCodegen({ db, databases: ['sample_data'], outFile })
      return `${result.tables} table(s), ${result.columns} columns → ${outFile}\n\n${excerpt(result.text)}`
    })

    await step(print, '2. Typed query: top 5 stories by score', async () => {
      const query = db
        .selectFrom('sample_data:hn.hacker_news')
        .select(['title', 'by', 'score', 'timestamp'])
        .where('type', '=', 'story')
        .orderBy('score', 'desc')
        .orderBy('id')
        .limit(5)
      return withSql(query, formatTable(await query.execute()))
    })

    const scratch = await step(
      print,
      '3. Server-side load: CREATE TABLE … AS SELECT from Parquet (MD_RUN = REMOTE)',
      async () => {
        const source = db.selectFrom(readParquet<ParquetRow>(target.parquetUrl).as('p')).selectAll()
        const create = createTableAsQuery('items_by_year', source, { orReplace: true }).compile(db)
        const typed = await createTableAs(db, 'items_by_year', source, { orReplace: true })
        const rows = await typed
          .selectFrom('items_by_year')
          .selectAll()
          .orderBy(sql`all`)
          .limit(10)
          .execute()
        return { db: typed, text: withSql(create, formatTable(rows)) }
      },
    )

    await step(print, '4. In-memory rows: insertRows in batches, in one transaction', async () => {
      await sql`create or replace table demo_events (id bigint, name varchar, score double, happened_at timestamp, note varchar)`.execute(
        db,
      )
      const rows = Array.from({ length: 50_000 }, (_, i) => ({
        id: BigInt(i + 1),
        name: `event ${i + 1}`,
        score: (i % 97) / 7,
        happened_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
        note: i % 10 === 0 ? null : `note ${i % 13}`,
      }))
      const progress: string[] = []
      const events = scratch.db.withTables<{ demo_events: DemoEvent }>()
      const inserted = await insertRows(events, 'demo_events', rows, {
        batchSize: 10_000,
        onProgress: ({ inserted, total }) => progress.push(`${inserted}/${total}`),
      })
      const summary = events
        .selectFrom('demo_events')
        .select((eb) => [
          eb.fn.countAll<bigint>().as('rows'),
          eb.fn.count<bigint>('note').as('notes'),
          eb.fn.max('happened_at').as('last'),
        ])
      return `inserted ${inserted} rows (progress: ${progress.join(', ')})\n\n${withSql(summary, formatTable(await summary.execute()))}`
    })
    print(`\nDone in ${seconds(performance.now() - started)}.`)
  } finally {
    await db.destroy()
    await target.close()
  }
}

async function localTarget(print: (text: string) => void): Promise<DemoTarget> {
  print('No MOTHERDUCK_TOKEN set: starting the local MotherDuck-compatible endpoint (real DuckDB).')
  const started = performance.now()
  const files = await ensureDemoData()
  print(
    files.generated
      ? `Generated the synthetic sample data once (${HACKER_NEWS_ROWS.toLocaleString('en')} rows, ${seconds(performance.now() - started)}): ${files.sampleDataPath}`
      : `Using the sample data generated on the first run: ${files.sampleDataPath}`,
  )
  const endpoint: LocalEndpoint = await startLocalEndpoint({
    // Shared and read-only, as sample_data is on MotherDuck.
    databases: { my_db: ':memory:', sample_data: { path: files.sampleDataPath, readOnly: true } },
    objectStore: { [DEMO_BUCKET]: files.objectStoreDir },
  })
  return {
    description: `local endpoint at ${endpoint.host}:${endpoint.port} (databases my_db, sample_data; ${DEMO_BUCKET} → ${files.objectStoreDir})`,
    config: endpoint.dialectConfig({ database: 'my_db' }),
    parquetUrl: files.parquetUrl,
    close: () => endpoint.stop(),
  }
}

const SCRATCH_DATABASE = 'kysely_motherduck_demo'

async function motherDuckTarget(
  env: Readonly<Record<string, string | undefined>>,
  print: (text: string) => void,
): Promise<DemoTarget> {
  print(
    `MOTHERDUCK_TOKEN is set: running against MotherDuck; scratch tables go into database ${SCRATCH_DATABASE} (dropped at the end).`,
  )
  const admin = new Kysely<unknown>({ dialect: new MotherDuckDialect({ env }) })
  try {
    await sql`create database if not exists ${sql.id(SCRATCH_DATABASE)}`.execute(admin)
  } catch (error) {
    // Otherwise the pool's idle timer keeps a failed demo alive for half a minute.
    await admin.destroy()
    throw error
  }
  return {
    description: 'MotherDuck',
    config: { env, database: SCRATCH_DATABASE },
    parquetUrl:
      env.DEMO_PARQUET_URL ??
      's3://us-prd-motherduck-open-datasets/hacker_news/parquet/hacker_news_2021_2022.parquet',
    async close() {
      try {
        await sql`drop database if exists ${sql.id(SCRATCH_DATABASE)}`.execute(admin)
      } finally {
        await admin.destroy()
      }
    },
  }
}

async function step<T extends string | { text: string }>(
  print: (text: string) => void,
  title: string,
  body: () => Promise<T>,
): Promise<T> {
  const started = performance.now()
  const result = await body()
  const text = typeof result === 'string' ? result : result.text
  print(`\n── ${title} (${seconds(performance.now() - started)})\n${indent(text)}`)
  return result
}

function withSql(query: Compilable | CompiledQuery, result: string): string {
  const compiled = 'sql' in query ? query : query.compile()
  return `SQL: ${compiled.sql}\n\n${result}`
}

function excerpt(text: string): string {
  const lines = text.split('\n')
  const start = Math.max(
    0,
    lines.findIndex((line) => line.startsWith('export interface')),
  )
  const shown = lines.slice(start, start + 18)
  return `${shown.join('\n')}${lines.length > start + 18 ? '\n…' : ''}`
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `   ${line}`)
    .join('\n')
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}
