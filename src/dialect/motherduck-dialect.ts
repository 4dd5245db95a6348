import type {
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
} from 'kysely'
import { MotherDuckAdapter } from './motherduck-adapter.js'
import { validateMotherDuckConfig } from './motherduck-connection-resolution.js'
import type { MotherDuckDialectConfig } from './motherduck-dialect-config.js'
import { MotherDuckDriver } from './motherduck-driver.js'
import { MotherDuckIntrospector } from './motherduck-introspector.js'
import { MotherDuckQueryCompiler } from './motherduck-query-compiler.js'

/**
 * The Kysely dialect for MotherDuck's Postgres wire-protocol endpoint (and the local endpoint of this
 * package): a pg pool with TLS verification, per-pool type parsers, DuckDB-correct SQL (three-part names
 * as `'database:schema.table'`, typed parameters), a migration lock without advisory locks, catalog
 * introspection through `duckdb_*()` functions, and query cancellation through the protocol.
 * The connection resolves on first use: explicit options, then `MOTHERDUCK_URL`, then
 * `MOTHERDUCK_TOKEN` + `MOTHERDUCK_REGION` + `MOTHERDUCK_DATABASE`; see {@link MotherDuckDialectConfig}.
 * Explicit options are checked right away; the config lives in a private field, so the token never
 * shows in `util.inspect()` or `JSON.stringify()` of the dialect.
 *
 * ### Examples
 *
 * ```ts
 * import { Kysely } from 'kysely'
 * import { MotherDuckDialect } from 'kysely-motherduck'
 * import type { DB } from './db.js' // kysely-motherduck codegen --out-file src/db.ts
 *
 * const db = new Kysely<DB>({ dialect: new MotherDuckDialect() }) // MOTHERDUCK_TOKEN from the environment
 *
 * const top = await db
 *   .selectFrom('sample_data:hn.hacker_news')
 *   .select(['title', 'score'])
 *   .where('type', '=', 'story')
 *   .orderBy('score', 'desc')
 *   .limit(10)
 *   .execute()
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * select "title", "score" from "sample_data"."hn"."hacker_news" where "type" = $1 order by "score" desc limit 10
 * ```
 */
export class MotherDuckDialect implements Dialect {
  readonly #config: MotherDuckDialectConfig

  constructor(config: MotherDuckDialectConfig = {}) {
    validateMotherDuckConfig(config)
    this.#config = Object.freeze({ ...config })
  }

  createDriver(): Driver {
    return new MotherDuckDriver(this.#config)
  }

  createQueryCompiler(): QueryCompiler {
    return new MotherDuckQueryCompiler()
  }

  createAdapter(): DialectAdapter {
    return new MotherDuckAdapter(this.#config.migrationLock)
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface hands over a Kysely<any>.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new MotherDuckIntrospector(db)
  }
}
