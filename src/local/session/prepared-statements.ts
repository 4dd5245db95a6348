import type { DuckDBPreparedStatement } from '@duckdb/node-api'
import type { StatementInfo } from '../../sql/sql-statements.js'
import type { WireParameter } from '../decode/bind-parameters.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import { type CachedStatement, type CatalogEpoch, StatementCache } from './statement-cache.js'
import type { Outcome } from './statement-runner.js'

/** A statement from Parse. `prepared` is null for an empty query string. */
export interface Statement {
  /** '' for the unnamed statement. */
  readonly name: string
  /** The SQL text as the client sent it: the key of the statement cache. */
  readonly sql: string
  readonly info: StatementInfo | undefined
  readonly prepared: DuckDBPreparedStatement | null
  /** The OIDs Parse declared (0 = let DuckDB infer). */
  readonly parameterTypes: readonly number[]
  /** Parameters read as object-store paths (see the MotherDuck rules). */
  readonly pathParameters: readonly number[]
  /** The catalog epoch read before DuckDB prepared the statement. */
  readonly epoch: number
  /** Running it failed: DuckDB's statement is destroyed instead of cached once unused. */
  failed: boolean
  /** The portal whose parameters are bound into `prepared` right now. */
  boundPortal: Portal | null
  /** The open portals built from this statement: DuckDB's statement lives while any is left. */
  readonly portals: Set<Portal>
}

/**
 * Where a portal is. `initial`: bound, not run yet. `running`: DuckDB ran it (Describe or a first
 * Execute did) and its rows, if any, are waiting. `suspended`: an Execute stopped at its row limit
 * (PortalSuspended); the next one goes on. `done`: CommandComplete was sent.
 */
export type PortalState =
  | { readonly kind: 'initial' }
  | { readonly kind: 'running' | 'suspended' | 'done'; readonly outcome: Outcome }

/** What a portal opened by DECLARE … CURSOR knows about its hold (see sql-cursors.ts). */
export interface SqlCursorHold {
  /** Declared WITH HOLD: it outlives the transaction that commits it. */
  readonly withHold: boolean
  /** Its rows are in memory and its transaction committed: the end of a transaction keeps it. */
  held: boolean
}

/** A statement with its parameters, from Bind (or a SQL-level cursor, from DECLARE). */
export interface Portal {
  /** '' for the unnamed portal. */
  readonly name: string
  readonly statement: Statement
  readonly parameters: readonly WireParameter[]
  /** Bind's result format codes (none = all text, one = every column, else one per column). */
  readonly resultFormats?: readonly number[]
  state: PortalState
  /** Set for a cursor from DECLARE. */
  readonly cursor?: SqlCursorHold
}

/**
 * A session's prepared statements and portals by name, and the DuckDB statements kept for reuse.
 * A portal holds on to its statement: closing a statement takes its name away, while DuckDB's
 * statement lives on until the last portal built from it is closed too. Then it goes to the
 * statement cache (or is destroyed, when running it failed), ready for the next Parse of its text.
 *
 * ### Examples
 * ```ts
 * const registry = new PreparedStatements(catalog)
 * registry.putStatement(statement)
 * registry.putPortal({ name: '', statement, parameters, state: { kind: 'initial' } })
 * registry.removeStatement(statement.name) // DuckDB's statement stays: the portal uses it
 * registry.removePortal('') // now it goes to the cache
 * ```
 */
export class PreparedStatements {
  private readonly statements = new Map<string, Statement>()
  private readonly portals = new Map<string, Portal>()
  private readonly cache: StatementCache

  constructor(catalog: CatalogEpoch) {
    this.cache = new StatementCache(catalog)
  }

  getStatement(name: string): Statement | undefined {
    return this.statements.get(name)
  }

  /** The statement named `name`; 26000 when there is none. */
  requireStatement(name: string): Statement {
    const statement = this.statements.get(name)
    if (statement === undefined) {
      throw new EndpointError(
        SqlState.InvalidSqlStatementName,
        `prepared statement "${name}" does not exist`,
      )
    }
    return statement
  }

  /** Adds a statement under its name, which must be free (the caller removed the unnamed one). */
  putStatement(statement: Statement): void {
    this.statements.set(statement.name, statement)
  }

  /** Takes a statement's name away; DuckDB's statement lives on while a portal still uses it. */
  removeStatement(name: string): void {
    const statement = this.statements.get(name)
    if (statement === undefined) return
    this.statements.delete(name)
    this.releaseIfUnused(statement)
  }

  /**
   * DEALLOCATE name (26000 when there is none) or, for null, DEALLOCATE ALL: every named statement
   * (the unnamed one is not in Postgres' list either). Portals built from them stay usable.
   */
  deallocate(name: string | null): void {
    if (name === null) {
      for (const named of [...this.statements.keys()]) {
        if (named !== '') this.removeStatement(named)
      }
      return
    }
    this.requireStatement(name)
    this.removeStatement(name)
  }

  hasPortal(name: string): boolean {
    return this.portals.has(name)
  }

  getPortal(name: string): Portal | undefined {
    return this.portals.get(name)
  }

  /** The portal named `name`; 34000 when there is none. */
  requirePortal(name: string): Portal {
    const portal = this.portals.get(name)
    if (portal === undefined) {
      throw new EndpointError(SqlState.InvalidCursorName, `portal "${name}" does not exist`)
    }
    return portal
  }

  /** Adds a portal under its name, closing the portal of that name if there is one. */
  putPortal(portal: Portal): void {
    this.removePortal(portal.name)
    portal.statement.portals.add(portal)
    this.portals.set(portal.name, portal)
  }

  /** Closes a portal: its rows are dropped, and its statement is released if nothing else uses it. */
  removePortal(name: string): void {
    const portal = this.portals.get(name)
    if (portal === undefined) return
    this.portals.delete(name)
    if (portal.state.kind !== 'initial' && portal.state.outcome.kind === 'rows') {
      portal.state.outcome.cursor.close()
    }
    const statement = portal.statement
    statement.portals.delete(portal)
    if (statement.boundPortal === portal) statement.boundPortal = null
    this.releaseIfUnused(statement)
  }

  /**
   * Closes every portal (the end of a transaction), except the one running COMMIT or ROLLBACK and
   * the cursors held past their transaction (WITH HOLD); `all` closes those too (CLOSE ALL).
   */
  removePortals(except?: Portal, all = false): void {
    for (const [name, portal] of [...this.portals]) {
      if (portal !== except && (all || portal.cursor?.held !== true)) this.removePortal(name)
    }
  }

  /** The SQL-level cursors declared WITH HOLD that their transaction has not committed yet. */
  cursorsToHold(): Portal[] {
    return [...this.portals.values()].filter(
      (portal) => portal.cursor?.withHold && !portal.cursor.held,
    )
  }

  /** Closes the portals built from a statement (Close of the statement). */
  removePortalsOf(statement: Statement): void {
    for (const portal of [...statement.portals]) this.removePortal(portal.name)
  }

  /** The cached DuckDB statement for `sql`, taken out of the cache; undefined if none is usable. */
  takeCached(sql: string): CachedStatement | undefined {
    return this.cache.take(sql)
  }

  /** Gives a DuckDB statement no statement uses back to the cache. */
  giveToCache(sql: string, statement: CachedStatement): void {
    this.cache.give(sql, statement)
  }

  /** Closes every portal and statement and destroys every DuckDB statement (the session ends). */
  clear(): void {
    this.removePortals(undefined, true)
    for (const name of [...this.statements.keys()]) this.removeStatement(name)
    this.cache.clear()
  }

  /** DuckDB's statement once nothing uses it: kept in the cache for the next Parse of its text. */
  private releaseIfUnused(statement: Statement): void {
    if (this.statements.get(statement.name) === statement || statement.portals.size > 0) return
    const prepared = statement.prepared
    if (prepared === null) return
    if (statement.failed) {
      prepared.destroySync()
      return
    }
    this.cache.give(statement.sql, {
      prepared,
      info: statement.info,
      pathParameters: statement.pathParameters,
      epoch: statement.epoch,
    })
  }
}
