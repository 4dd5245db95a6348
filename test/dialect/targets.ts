import { randomBytes } from 'node:crypto'
import { Kysely, sql } from 'kysely'
import pg from 'pg'
import {
  MotherDuckDialect,
  type MotherDuckDialectConfig,
  motherDuckPoolConfig,
} from '../../src/index.js'
import type { LocalEndpoint } from '../../src/local/index.js'
import { startTestEndpoint } from '../support/test-endpoint.js'
import { createTestSchemaSql, type TestDB } from './test-db.js'

/**
 * Where the dialect's integration suite runs. `local` (always available) is this package's local
 * endpoint with two in-memory databases; `motherduck` runs the same tests against real MotherDuck when
 * MOTHERDUCK_TOKEN is set (region from MOTHERDUCK_REGION), in two scratch databases it creates and drops.
 * DIALECT_TARGETS=local or =motherduck picks one (default: both; motherduck is skipped without a token).
 */
export interface DialectTarget {
  /** The describe() title; says why when the target is skipped. */
  readonly title: string
  /** True when this target cannot run here. */
  readonly skip: boolean
  /** True for the local endpoint: tests that need its internals (sessions, TLS, proxies) run only there. */
  readonly local: boolean
  start(): Promise<TargetContext>
}

/** A started target. */
export interface TargetContext {
  /** Connects to the main database (the connected database of the tests). */
  readonly config: MotherDuckDialectConfig
  readonly mainDatabase: string
  readonly otherDatabase: string
  /** `other_db:sales.orders` spelled with this target's name of the other database. */
  readonly ordersTable: 'other_db:sales.orders'
  /** The local endpoint, for the local target. */
  readonly endpoint: LocalEndpoint | undefined
  /** A Kysely instance on `config`, for setup; destroyed by `stop()`. */
  readonly db: Kysely<TestDB>
  /** Creates the test schema (see test-db.ts) in both databases. */
  createTestSchema(): Promise<void>
  stop(): Promise<void>
}

const selected = (process.env.DIALECT_TARGETS ?? 'local,motherduck')
  .split(',')
  .map((name) => name.trim())
const hasToken = (process.env.MOTHERDUCK_TOKEN ?? '') !== ''

export const localTarget: DialectTarget = {
  title: selected.includes('local')
    ? 'local endpoint'
    : 'local endpoint (skipped: not in DIALECT_TARGETS)',
  skip: !selected.includes('local'),
  local: true,
  async start() {
    const local = await startTestEndpoint({
      databases: { main_db: ':memory:', other_db: ':memory:' },
      database: 'main_db',
    })
    return context(local.config(), 'main_db', 'other_db', local.endpoint, () => local.stop())
  },
}

export const motherDuckTarget: DialectTarget = {
  title: !selected.includes('motherduck')
    ? 'MotherDuck (skipped: not in DIALECT_TARGETS)'
    : hasToken
      ? 'MotherDuck'
      : 'MotherDuck (skipped: set MOTHERDUCK_TOKEN to run against real MotherDuck)',
  skip: !selected.includes('motherduck') || !hasToken,
  local: false,
  async start() {
    const suffix = randomBytes(4).toString('hex')
    const main = `kysely_md_test_${suffix}`
    const other = `kysely_md_test_${suffix}_other`
    const admin = async (statements: string[]) => {
      const client = new pg.Client(motherDuckPoolConfig({ database: 'md:' }))
      await client.connect()
      try {
        for (const statement of statements) await client.query(statement)
      } finally {
        await client.end()
      }
    }
    await admin([`create database ${main}`, `create database ${other}`])
    const config: MotherDuckDialectConfig = { database: main }
    return context(config, main, other, undefined, () =>
      admin([`drop database if exists ${main}`, `drop database if exists ${other}`]),
    )
  },
}

export const targets: readonly DialectTarget[] = [localTarget, motherDuckTarget]

function context(
  config: MotherDuckDialectConfig,
  mainDatabase: string,
  otherDatabase: string,
  endpoint: LocalEndpoint | undefined,
  stopTarget: () => Promise<void>,
): TargetContext {
  const db = new Kysely<TestDB>({ dialect: new MotherDuckDialect(config) })
  return {
    config,
    mainDatabase,
    otherDatabase,
    ordersTable: `${otherDatabase}:sales.orders` as 'other_db:sales.orders',
    endpoint,
    db,
    async createTestSchema() {
      for (const statement of createTestSchemaSql(otherDatabase)) {
        await sql.raw(statement).execute(db)
      }
    },
    async stop() {
      await db.destroy()
      await stopTarget()
    },
  }
}
