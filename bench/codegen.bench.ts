/**
 * Codegen on a generated schema of 500 tables × 20 columns on the local endpoint: how many catalog queries
 * introspection sends (constant, whatever the number of tables), and how long the whole introspection
 * (queries + metadata) takes against one plain `SELECT * FROM duckdb_columns()` round trip on the same
 * schema, the least any introspection must do. Run: `npx tsx bench/codegen.bench.ts`.
 */
import { performance } from 'node:perf_hooks'
import { Kysely, sql } from 'kysely'
import pg from 'pg'
import { runCodegen } from '../codegen/generate-types.js'
import { MotherDuckGeneratorDialect } from '../codegen/motherduck-generator-dialect.js'
import { MotherDuckDialect } from '../src/dialect/motherduck-dialect.js'
import type { MotherDuckDialectConfig } from '../src/dialect/motherduck-dialect-config.js'
import { startLocalEndpoint } from '../src/local/index.js'
import { type BenchResult, runWhenMain } from './bench-result.js'
import { COLUMNS, duckdbSchemaSql } from './codegen-schema.js'

const TABLES = 500
const RUNS = 7

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function time(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await action()
  return performance.now() - start
}

/** A Kysely instance on the endpoint, through the dialect, that counts the queries it sends. */
function countingKysely(config: MotherDuckDialectConfig): {
  db: Kysely<unknown>
  queries: () => number
} {
  let queries = 0
  const db = new Kysely<unknown>({
    dialect: new MotherDuckDialect({ ...config, pool: { max: 4 } }),
    log: (event) => {
      if (event.level === 'query') queries++
    },
  })
  return { db, queries: () => queries }
}

async function introspect(db: Kysely<unknown>): Promise<number> {
  const dialect = new MotherDuckGeneratorDialect({ defaultSchema: 'main' })
  const result = await dialect.introspector.read(db)
  return result.stats.columns
}

export async function run(): Promise<BenchResult[]> {
  const endpoint = await startLocalEndpoint({
    databases: { bench_db: ':memory:', one_table_db: ':memory:' },
  })
  try {
    const setup = new pg.Client({ connectionString: endpoint.url })
    await setup.connect()
    await setup.query(duckdbSchemaSql(TABLES))
    await setup.query('CREATE TABLE one_table_db.main.only_table (id INTEGER)')
    await setup.end()

    const { db, queries } = countingKysely(endpoint.dialectConfig())
    try {
      // Warm up both paths (connections, DuckDB's catalog caches).
      const columns = await introspect(db)
      await sql`SELECT * FROM duckdb_columns()`.execute(db)

      const baseline: number[] = []
      const introspection: number[] = []
      for (let i = 0; i < RUNS; i++) {
        baseline.push(await time(() => sql`SELECT * FROM duckdb_columns()`.execute(db)))
        introspection.push(await time(() => introspect(db)))
      }
      const ratio = median(introspection) / median(baseline)

      const before = queries()
      await introspect(db)
      const manyTableQueries = queries() - before

      const oneTable = countingKysely(endpoint.dialectConfig({ database: 'one_table_db' }))
      const oneTableColumns = await introspect(oneTable.db)
      if (oneTableColumns !== 1)
        throw new Error(`expected the one-table database, read ${oneTableColumns} columns`)
      const oneTableQueries = oneTable.queries()
      await oneTable.db.destroy()

      const whole = await time(() => runCodegen({ db }))

      console.error(
        `codegen: ${TABLES} tables × ${COLUMNS} columns (${columns} columns read); ` +
          `catalog queries: ${manyTableQueries} for ${TABLES} tables, ${oneTableQueries} for 1 table; ` +
          `introspection median ${median(introspection).toFixed(1)} ms, ` +
          `SELECT * FROM duckdb_columns() median ${median(baseline).toFixed(1)} ms, ` +
          `ratio ${ratio.toFixed(2)} (target <= 3); whole generateTypes ${whole.toFixed(1)} ms`,
      )
      return [
        {
          name: `codegen: catalog queries, ${TABLES} tables ÷ 1 table`,
          ratio: manyTableQueries / oneTableQueries,
          target: '== 1 (3 queries)',
          pass: manyTableQueries === oneTableQueries && manyTableQueries === 3,
        },
        {
          name: `codegen: introspection ÷ SELECT * FROM duckdb_columns() (${TABLES}×${COLUMNS})`,
          ratio,
          target: '<= 3',
          pass: ratio <= 3,
        },
      ]
    } finally {
      await db.destroy()
    }
  } finally {
    await endpoint.stop()
  }
}

await runWhenMain(import.meta.url, run)
