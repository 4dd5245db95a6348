import { Kysely, type KyselyConfig } from 'kysely'
import type pg from 'pg'
import {
  createMotherDuckPool,
  MotherDuckDialect,
  type MotherDuckDialectConfig,
} from '../../src/index.js'
import {
  type LocalEndpoint,
  type LocalEndpointOptions,
  type LocalEndpointSsl,
  startLocalEndpoint,
} from '../../src/local/index.js'
import { CANARY_TOKEN } from './canary-token.js'

/**
 * Options of {@link startTestEndpoint}: the endpoint's own (databases, object store, TLS, strict, auth,
 * token) plus where its clients connect by default.
 */
export interface TestEndpointOptions extends LocalEndpointOptions {
  /** The database `config()`, `kysely()` and `pool()` connect to. Default: `'md:'` (the first of `databases`). */
  readonly database?: string
  /** TLS for those clients, as `endpoint.dialectConfig()` takes it. Default: `false`, or `'verify-full'` with `tls`. */
  readonly ssl?: LocalEndpointSsl
}

/** A local endpoint started for a test, with the clients built on it; `stop()` ends them all. */
export interface TestEndpoint {
  readonly endpoint: LocalEndpoint
  /**
   * The dialect config of the endpoint: `endpoint.dialectConfig()` for the default database, with
   * `env: {}` (a test never reads the developer's `MOTHERDUCK_*`), then `overrides`.
   */
  config(overrides?: MotherDuckDialectConfig): MotherDuckDialectConfig
  /** A Kysely with MotherDuckDialect on `config(overrides)`; destroyed by `stop()`. */
  kysely<DB>(
    overrides?: MotherDuckDialectConfig,
    options?: Omit<KyselyConfig, 'dialect'>,
  ): Kysely<DB>
  /** A pool from `createMotherDuckPool(config(overrides))`; ended by `stop()`. */
  pool(overrides?: MotherDuckDialectConfig): pg.Pool
  /** Destroys every Kysely and pool built here, then stops the endpoint. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * Starts a local endpoint for a test — the one way the tests build "a local endpoint + a
 * MotherDuckDialect Kysely". The token is the run's canary (test/support/canary-token.ts) unless
 * `options.token` says otherwise, so every failure path that would print it fails the test file.
 *
 * ### Examples
 *
 * ```ts
 * const local = await startTestEndpoint({ databases: { main_db: ':memory:' }, database: 'main_db' })
 * const db = local.kysely<DB>()
 * const narrow = local.kysely<DB>({ pool: { max: 1 } })
 * await local.stop()
 * ```
 */
export async function startTestEndpoint(options: TestEndpointOptions = {}): Promise<TestEndpoint> {
  const { database, ssl, ...endpointOptions } = options
  const endpoint = await startLocalEndpoint({ token: CANARY_TOKEN, ...endpointOptions })
  const kyselys: Kysely<unknown>[] = []
  const pools: pg.Pool[] = []
  let stopping: Promise<void> | undefined
  const config = (overrides: MotherDuckDialectConfig = {}): MotherDuckDialectConfig => ({
    ...endpoint.dialectConfig({ database, ssl }),
    env: {},
    ...overrides,
  })
  return {
    endpoint,
    config,
    kysely<DB>(overrides?: MotherDuckDialectConfig, kyselyOptions?: Omit<KyselyConfig, 'dialect'>) {
      const db = new Kysely<DB>({
        ...kyselyOptions,
        dialect: new MotherDuckDialect(config(overrides)),
      })
      kyselys.push(db as Kysely<unknown>)
      return db
    },
    pool(overrides?: MotherDuckDialectConfig) {
      const pool = createMotherDuckPool(config(overrides))
      pools.push(pool)
      return pool
    },
    stop() {
      stopping ??= (async () => {
        for (const db of kyselys.splice(0)) await db.destroy()
        // A test may have ended its pool itself; pg throws on a second end().
        for (const pool of pools.splice(0)) if (!pool.ended) await pool.end()
        await endpoint.stop()
      })()
      return stopping
    },
  }
}
