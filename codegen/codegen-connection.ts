import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import {
  type MotherDuckDialectConfig,
  resolveMotherDuckConnection,
} from '../src/dialect/motherduck-dialect-config.js'
import { createTypeParsers } from '../src/types/type-parsers.js'
import type { CatalogConnection } from './catalog-queries.js'

/** How codegen connects when it is not handed a Kysely instance: exactly as the dialect does. */
export interface CodegenConnectionOptions {
  /** A `postgresql://user:token@host:port/database` URL. Default: `connection.url`, `MOTHERDUCK_URL`. */
  readonly url?: string | undefined
  /**
   * The dialect's connection options (token, region, database, host, port, ssl, env). Default: resolved
   * from the environment: `MOTHERDUCK_URL`, else `MOTHERDUCK_TOKEN` + `MOTHERDUCK_REGION` + `MOTHERDUCK_DATABASE`.
   */
  readonly connection?: MotherDuckDialectConfig | undefined
}

/** Opens a one-connection Kysely instance for the catalog queries; `close()` ends it. */
export async function openCatalogConnection(
  options: CodegenConnectionOptions,
): Promise<{ db: CatalogConnection; close(): Promise<void> }> {
  const config: MotherDuckDialectConfig = {
    ...options.connection,
    ...(options.url === undefined ? {} : { url: options.url }),
  }
  const resolved = resolveMotherDuckConnection(config)
  const pool = new pg.Pool({
    host: resolved.host,
    port: resolved.port,
    user: resolved.user,
    password: resolved.token,
    database: resolved.database,
    ssl: resolved.ssl,
    application_name: resolved.applicationName,
    types: createTypeParsers(),
    max: 2,
  })
  // An idle client can still get the server's goodbye (e.g. an endpoint shutting down) after the pool
  // released it; pg emits that on the pool, where an unhandled 'error' would end the process.
  pool.on('error', () => {})
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
  return { db, close: () => db.destroy() }
}
