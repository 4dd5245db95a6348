import type { DuckDBConnection } from '@duckdb/node-api'
import { type CatalogStatement, rewriteCatalogStatement } from './catalog-rewrite.js'
import { installSessionCatalog } from './session-catalog.js'
import type { SessionIdentity } from './session-identity.js'

/** Can the query use a session catalog object? A superset of their names, tested before any lexing. */
const MENTIONS_CATALOG =
  /user|version|pg_|format_type|current_role|regclass|regtype|json_build_object|\boid\b|setting|set_config/i

/**
 * One session's catalog stand-ins (session-catalog.ts), defined on its DuckDB connection the first time
 * a query may use them: a client that never asks pays nothing at login (defining them takes ~10 ms).
 *
 * DuckDB's temporary objects are transactional: defined inside a client's transaction, they vanish if
 * it rolls back. So a definition made inside one (DuckDB's `txid_current()` did not move across it) is
 * trusted only until that transaction ends, then made again, outside.
 */
export class SessionCatalogInstaller {
  private state: { kind: 'absent' } | { kind: 'installed'; transaction: bigint | null } = {
    kind: 'absent',
  }

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly identity: SessionIdentity,
  ) {}

  /**
   * The SQL DuckDB is to prepare for `sql`, the catalog objects defined first when it may use them,
   * and whether its UINTEGER values are oids (see oid-types.ts).
   */
  async prepareQuery(sql: string): Promise<CatalogStatement> {
    if (!MENTIONS_CATALOG.test(sql)) return { sql, oidTyped: false }
    await this.ensureInstalled()
    return rewriteCatalogStatement(sql)
  }

  private async ensureInstalled(): Promise<void> {
    const state = this.state
    if (state.kind === 'installed') {
      if (state.transaction === null) return
      if ((await this.transactionId()) === state.transaction) return
    }
    const before = await this.transactionId()
    await installSessionCatalog(this.connection, this.identity)
    const after = await this.transactionId()
    this.state = { kind: 'installed', transaction: before === after ? after : null }
  }

  /** DuckDB's transaction id: the same for every statement of an explicit transaction, new otherwise. */
  private async transactionId(): Promise<bigint> {
    const reader = await this.connection.runAndReadAll('SELECT txid_current()')
    return BigInt(String(reader.getRows()[0]?.[0]))
  }
}
