import pg from 'pg'
import { createTypeParsers } from '../types/type-parsers.js'
import {
  type ResolvedMotherDuckConnection,
  resolveMotherDuckConnection,
} from './motherduck-connection-resolution.js'
import type { MotherDuckDialectConfig, MotherDuckPoolOptions } from './motherduck-dialect-config.js'

/** Pool defaults for a remote, TLS-encrypted endpoint; every one can be overridden through `pool`. */
const POOL_DEFAULTS: MotherDuckPoolOptions = {
  max: 10,
  // A TLS handshake plus token check costs a round trip or three: keep connections a while.
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 30_000,
  keepAlive: true,
}

/**
 * The `pg.PoolConfig` for MotherDuck: host, port, database, user, TLS, application name and this
 * library's type parsers (per pool; pg's global `types` is never touched), resolved from the config,
 * `MOTHERDUCK_URL` or `MOTHERDUCK_TOKEN`/`MOTHERDUCK_REGION`/`MOTHERDUCK_DATABASE`. The token is set as a
 * `password` function, so the object can be spread, logged or serialised without revealing it.
 *
 * ### Examples
 *
 * ```ts
 * import pg from 'pg'
 * import { motherDuckPoolConfig } from 'kysely-motherduck'
 *
 * const pool = new pg.Pool({ ...motherDuckPoolConfig({ database: 'analytics' }), max: 20 })
 * const { rows } = await pool.query('select 42 as answer')
 * ```
 *
 * It sends no SQL. The resulting config (with `MOTHERDUCK_TOKEN` set and no `MOTHERDUCK_REGION`,
 * for a token that names no region), as `console.log` prints it:
 *
 * ```ts
 * { max: 10, idleTimeoutMillis: 30000, connectionTimeoutMillis: 30000, keepAlive: true,
 *   host: 'pg.us-east-1-aws.motherduck.com', port: 5432, user: 'postgres', database: 'analytics',
 *   ssl: { servername: 'pg.us-east-1-aws.motherduck.com', rejectUnauthorized: true },
 *   application_name: 'kysely-motherduck', types: { getTypeParser: [Function: getTypeParser] },
 *   password: [Function: password] }
 * ```
 */
export function motherDuckPoolConfig(config: MotherDuckDialectConfig = {}): pg.PoolConfig {
  return poolConfigFor(resolveMotherDuckConnection(config), config)
}

/**
 * A `pg.Pool` built from {@link motherDuckPoolConfig}, with an `error` listener so that an idle
 * connection dropped by the server never crashes the process (pg removes it and opens a new one on
 * demand), and whose connected clients do not keep the token (pg would hold it as a string on each).
 *
 * ### Examples
 *
 * ```ts
 * import { Kysely } from 'kysely'
 * import { createMotherDuckPool, MotherDuckDialect } from 'kysely-motherduck'
 *
 * const pool = createMotherDuckPool({ pool: { max: 20 } })
 * const db = new Kysely<DB>({ dialect: new MotherDuckDialect({ pool }) })
 * ```
 *
 * It sends no SQL of its own; the pool connects on first use.
 */
export function createMotherDuckPool(config: MotherDuckDialectConfig = {}): pg.Pool {
  const options = motherDuckPoolConfig(config)
  const pool = new pg.Pool(options)
  handleIdleErrors(pool)
  pool.on('connect', (client) => restorePasswordFunction(client, options.password))
  return pool
}

/**
 * pg replaces a client's password function by the string it returned (hidden, but
 * `util.inspect(client, { showHidden: true })` prints it). Once the client is connected, authentication
 * is over: this puts the function back, so the client no longer holds the token. Does nothing when the
 * pool's `password` is not a function. Used by {@link createMotherDuckPool} and the dialect's connections.
 */
export function restorePasswordFunction(client: pg.ClientBase, password: unknown): void {
  if (typeof password !== 'function') return
  const internals = client as unknown as {
    password?: unknown
    connectionParameters?: { password?: unknown }
  }
  internals.password = password
  if (internals.connectionParameters) internals.connectionParameters.password = password
}

/** @internal The pool config for an already resolved connection. */
export function poolConfigFor(
  connection: ResolvedMotherDuckConnection,
  config: MotherDuckDialectConfig,
): pg.PoolConfig {
  const poolOptions = isPoolOptions(config.pool) ? config.pool : {}
  const token = connection.token
  return {
    ...POOL_DEFAULTS,
    ...poolOptions,
    host: connection.host,
    port: connection.port,
    user: connection.user,
    database: connection.database,
    ssl: connection.ssl,
    application_name: connection.applicationName,
    types: createTypeParsers(config.typeParsing),
    // A function, not the string: it survives `{ ...config }` but never shows in inspect/JSON output.
    password: () => token,
  }
}

/**
 * Keeps errors of idle clients (a connection the server or network dropped while it sat in the pool)
 * from becoming uncaught exceptions. pg-pool has already removed such a client when the event fires.
 */
export function handleIdleErrors(pool: pg.Pool): void {
  if (pool.listenerCount('error') === 0) pool.on('error', () => {})
}

function isPoolOptions(pool: MotherDuckDialectConfig['pool']): pool is MotherDuckPoolOptions {
  return (
    typeof pool === 'object' &&
    pool !== null &&
    typeof (pool as { connect?: unknown }).connect !== 'function'
  )
}
