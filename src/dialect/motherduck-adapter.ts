import { DialectAdapterBase, type Kysely, type MigrationLockOptions } from 'kysely'
import type { MotherDuckMigrationLockOptions } from './motherduck-dialect-config.js'
import { MotherDuckMigrationLockTimeoutError } from './motherduck-errors.js'

// biome-ignore lint/suspicious/noExplicitAny: Kysely's DialectAdapter interface hands over a Kysely<any>.
type AnyKysely = Kysely<any>

const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 10 * 60 * 1000
const DEFAULT_MIGRATION_LOCK_POLL_INTERVAL_MS = 250

/**
 * What DuckDB on MotherDuck can do, and the migration lock.
 *
 * RETURNING and transactional DDL are supported. Postgres' migration lock is an advisory lock
 * (`pg_advisory_lock`), which DuckDB does not have; this adapter instead takes the row Kysely's Migrator
 * creates in its lock table (`kysely_migration_lock`, id `migration_lock`) with one atomic
 * `update … set is_locked = 1 where id = $1 and is_locked = 0`. Exactly one migrator gets the row;
 * the others poll (every `pollIntervalMs`, 250 ms by default) until it is released or `timeoutMs`
 * (10 minutes by default) has passed, then fail with a {@link MotherDuckMigrationLockTimeoutError}
 * that says how to release a lock left by a crashed migrator. When the waiting migrator gets the lock,
 * the migrations the first one applied are already recorded, so it applies nothing twice. Only the
 * migrator that took the lock releases it (Kysely also calls release after a failed acquire).
 *
 * A DuckDB limit to know: a transaction that changes rows of a table and then ALTERs that same table
 * cannot commit ("Attempting to modify table … but another transaction has altered this table").
 * The Migrator runs all pending migrations in one transaction, so a migration that inserts into a
 * table followed by one that alters it fail together; run them one at a time (`migrateUp()`), or
 * alter before you write.
 *
 * ### Examples
 *
 * ```ts
 * import { promises as fs } from 'node:fs'
 * import path from 'node:path'
 * import { FileMigrationProvider, Migrator } from 'kysely/migration'
 *
 * const migrator = new Migrator({
 *   db,
 *   provider: new FileMigrationProvider({ fs, path, migrationFolder: path.resolve('migrations') }),
 * })
 * const { error, results } = await migrator.migrateToLatest()
 * ```
 *
 * The generated SQL (taking the lock with the parameters `1, 'migration_lock', 0`, then, once the
 * migrations ran, releasing it with `0, 'migration_lock'`):
 *
 * ```sql
 * update "kysely_migration_lock" set "is_locked" = $1 where "id" = $2 and "is_locked" = $3
 *
 * update "kysely_migration_lock" set "is_locked" = $1 where "id" = $2
 * ```
 */
export class MotherDuckAdapter extends DialectAdapterBase {
  readonly #timeoutMs: number
  readonly #pollIntervalMs: number
  /** The connection-bound Kysely instances that hold the lock (the Migrator passes the same one to both calls). */
  readonly #holders = new WeakSet<AnyKysely>()

  constructor(options: MotherDuckMigrationLockOptions = {}) {
    super()
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_MIGRATION_LOCK_POLL_INTERVAL_MS
  }

  override get supportsTransactionalDdl(): boolean {
    return true
  }

  override get supportsReturning(): boolean {
    return true
  }

  override get supportsCreateIfNotExists(): boolean {
    return true
  }

  override async acquireMigrationLock(db: AnyKysely, options: MigrationLockOptions): Promise<void> {
    const table = lockTableName(options)
    const deadline = Date.now() + this.#timeoutMs
    for (;;) {
      try {
        const result = await db
          .updateTable(table)
          .set({ is_locked: 1 })
          .where('id', '=', options.lockRowId)
          .where('is_locked', '=', 0)
          .executeTakeFirst()
        if (result.numUpdatedRows > 0n) {
          this.#holders.add(db)
          return
        }
      } catch (error) {
        // Two migrators updating the row at the same moment: DuckDB aborts one with a write-write
        // conflict. That one simply did not get the lock this time.
        if (!isWriteConflict(error)) throw error
      }
      if (Date.now() >= deadline) {
        throw new MotherDuckMigrationLockTimeoutError(table, options.lockRowId, this.#timeoutMs)
      }
      await new Promise((resolve) => setTimeout(resolve, this.#pollIntervalMs))
    }
  }

  override async releaseMigrationLock(db: AnyKysely, options: MigrationLockOptions): Promise<void> {
    // Kysely's Migrator releases in a `finally`, also when acquiring failed (timed out): the row then
    // belongs to another migrator, and clearing it would let a third one run beside that one.
    if (!this.#holders.delete(db)) return
    await db
      .updateTable(lockTableName(options))
      .set({ is_locked: 0 })
      .where('id', '=', options.lockRowId)
      .execute()
  }
}

function lockTableName(options: MigrationLockOptions): string {
  return options.lockTableSchema === undefined
    ? options.lockTable
    : `${options.lockTableSchema}.${options.lockTable}`
}

function isWriteConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (code === '40001' || code === '40P01') return true
  return typeof message === 'string' && /conflict/i.test(message)
}
