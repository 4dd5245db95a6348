import { Kysely } from 'kysely'
import type { CatalogConnection } from '../src/catalog/catalog-connection.js'
import { MotherDuckDialect } from '../src/dialect/motherduck-dialect.js'
import type { MotherDuckDialectConfig } from '../src/dialect/motherduck-dialect-config.js'

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

/** Opens a Kysely instance on `MotherDuckDialect` for the catalog queries; `close()` ends it. */
export async function openCatalogConnection(
  options: CodegenConnectionOptions,
): Promise<{ db: CatalogConnection; close(): Promise<void> }> {
  const dialect = new MotherDuckDialect({
    ...options.connection,
    ...(options.url === undefined ? {} : { url: options.url }),
    // Two connections: the columns and the enum types are read concurrently.
    pool: { max: 2 },
  })
  const db = new Kysely<unknown>({ dialect })
  return { db, close: () => db.destroy() }
}
