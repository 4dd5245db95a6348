import { type DuckDBPreparedStatement, StatementType } from '@duckdb/node-api'
import type { StatementInfo } from '../../sql/sql-statements.js'

/**
 * A counter shared by every session of one endpoint, bumped after any statement that may change
 * what a name resolves to (DDL, USE, SET, transaction ends that publish or undo DDL…). A cached
 * prepared statement is only reused while the counter still has the value it had when the statement
 * was prepared: DuckDB rebinds a stale statement by itself, but the parameter types it inferred,
 * which decide how Bind reads untyped text, would be the old ones.
 */
export class CatalogEpoch {
  private current = 0

  get value(): number {
    return this.current
  }

  bump(): void {
    this.current++
  }
}

/** Statement kinds that never change the catalog, and the only ones kept for reuse. */
const REUSABLE_KINDS = new Set<StatementType>([
  StatementType.SELECT,
  StatementType.INSERT,
  StatementType.UPDATE,
  StatementType.DELETE,
])

/** Whether running a statement of this kind leaves the catalog as it was. */
export function keepsCatalog(kind: StatementType): boolean {
  return REUSABLE_KINDS.has(kind)
}

/** A prepared statement with what Parse derived from its SQL text. */
export interface CachedStatement {
  readonly prepared: DuckDBPreparedStatement
  readonly info: StatementInfo | undefined
  readonly pathParameters: readonly number[]
  /** The catalog epoch read before the statement was prepared. */
  readonly epoch: number
}

/**
 * A session's DuckDB prepared statements by SQL text, least recently used first out, so that a
 * client that sends Parse for every query (`pg` does for unnamed statements) pays DuckDB's parse and
 * bind once per text. A statement is taken out while a Parse uses it and given back when the client
 * closes it, so two statements with the same text never share DuckDB's bindings.
 *
 * ### Examples
 * ```ts
 * const cache = new StatementCache(epoch)
 * const hit = cache.take(sql) // undefined: prepare it, use it, then
 * cache.give(sql, { prepared, info, pathParameters, epoch: epoch.value })
 * ```
 */
export class StatementCache {
  private readonly entries = new Map<string, CachedStatement>()

  constructor(
    private readonly epoch: CatalogEpoch,
    private readonly capacity = 100,
  ) {}

  /** Statements held right now. */
  get size(): number {
    return this.entries.size
  }

  /** Removes and returns the statement for `sql`, unless there is none or the catalog changed since. */
  take(sql: string): CachedStatement | undefined {
    const entry = this.entries.get(sql)
    if (entry === undefined) return undefined
    this.entries.delete(sql)
    if (entry.epoch === this.epoch.value) return entry
    entry.prepared.destroySync()
    return undefined
  }

  /**
   * Keeps a statement the client no longer uses, or destroys it when it may not be reused (a kind
   * that changes the catalog, a stale epoch, or a text already held).
   */
  give(sql: string, entry: CachedStatement): void {
    if (
      this.capacity <= 0 ||
      !keepsCatalog(entry.prepared.statementType) ||
      entry.epoch !== this.epoch.value ||
      this.entries.has(sql)
    ) {
      entry.prepared.destroySync()
      return
    }
    // Bound values (a bulk insert's JSON text…) must not stay alive with the cached statement.
    entry.prepared.clearBindings()
    this.entries.set(sql, entry)
    if (this.entries.size > this.capacity) {
      const [oldest, evicted] = this.entries.entries().next().value!
      this.entries.delete(oldest)
      evicted.prepared.destroySync()
    }
  }

  /** Destroys every statement held. */
  clear(): void {
    for (const entry of this.entries.values()) entry.prepared.destroySync()
    this.entries.clear()
  }
}
