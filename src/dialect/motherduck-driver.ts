import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type TransactionSettings,
} from 'kysely'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { ColumnValuePolicy } from './motherduck-column-values.js'
import { MotherDuckConnection } from './motherduck-connection.js'
import { resolveMotherDuckConnection } from './motherduck-connection-resolution.js'
import type {
  MotherDuckConnectRetryOptions,
  MotherDuckCursorConstructor,
  MotherDuckDialectConfig,
} from './motherduck-dialect-config.js'
import { isTransientConnectError, translateError } from './motherduck-error-translation.js'
import { MotherDuckConfigError } from './motherduck-errors.js'
import { handleIdleErrors, poolConfigFor } from './motherduck-pool.js'

const DEFAULT_RETRY: Required<MotherDuckConnectRetryOptions> = {
  retries: 3,
  initialDelayMs: 200,
  maxDelayMs: 3_000,
}

/** Rows per `.stream()` round trip when the config does not say (`streamFetchSize`). */
const DEFAULT_STREAM_FETCH_SIZE = 10_000

/** How many times an acquired client that turns out to be dead is swapped for another one. */
const MAX_DEAD_CLIENTS = 3

/** Kysely checks this symbol (`Symbol.for`) to tell a failed commit from other errors. */
const ABORTED_TRANSACTION = Symbol.for('kysely.AbortedTransactionError')

/**
 * The Kysely driver that `MotherDuckDialect` creates (you do not construct it yourself): a pg pool
 * (created from the config on first use, or the one you pass) and its connections. Connects are retried
 * with exponential backoff on transient network errors only (never when the token is rejected);
 * idle-client errors are absorbed; a connection whose socket died is destroyed instead of going back to
 * the pool, so the pool replaces it. Transactions start with the statement Kysely's Postgres driver
 * sends (`begin`, or `start transaction read only` / `read write`), minus any `isolation level …` clause:
 * DuckDB's parser refuses it, and DuckDB runs every transaction with snapshot isolation, which is at
 * least as strong as every level (`read uncommitted` … `serializable`, `snapshot`), so
 * `setIsolationLevel()` is accepted and weakens nothing. A read-only transaction refuses writes (DuckDB
 * enforces it). A commit that DuckDB turns into a rollback rejects like any failed commit.
 *
 * ### Examples
 *
 * ```ts
 * await db
 *   .transaction()
 *   .setAccessMode('read only')
 *   .execute(async (trx) => trx.selectFrom('events').selectAll().execute())
 * ```
 *
 * The generated SQL (around the query; with no settings the first statement is `begin`, with only
 * `setIsolationLevel(…)` it is `start transaction`, and a callback that throws ends with `rollback`):
 *
 * ```sql
 * start transaction read only
 *
 * select * from "events"
 *
 * commit
 * ```
 */
export class MotherDuckDriver implements Driver {
  readonly #config: MotherDuckDialectConfig
  readonly #connections = new WeakMap<pg.PoolClient, MotherDuckConnection>()
  readonly #retry: Required<MotherDuckConnectRetryOptions>
  #pool: pg.Pool | undefined
  #token: string | undefined
  /** Column types for the value policy of `values()`/`set()` parameters, shared by the connections. */
  readonly #columnValues = new ColumnValuePolicy()
  #host = 'the server'

  constructor(config: MotherDuckDialectConfig) {
    checkStreamFetchSize(config.streamFetchSize)
    this.#config = config
    this.#retry =
      config.connectRetry === false
        ? { ...DEFAULT_RETRY, retries: 0 }
        : { ...DEFAULT_RETRY, ...config.connectRetry }
  }

  async init(): Promise<void> {
    const option = this.#config.pool
    if (typeof option === 'function') {
      this.#pool = await option()
    } else if (isPool(option)) {
      this.#pool = option
    } else {
      const connection = resolveMotherDuckConnection(this.#config)
      this.#token = connection.token
      this.#pool = new pg.Pool(poolConfigFor(connection, this.#config))
    }
    handleIdleErrors(this.#pool)
    const options = this.#pool.options as { host?: string; password?: unknown }
    if (this.#token === undefined && typeof options.password === 'string') {
      this.#token = options.password
    }
    this.#host = options.host ?? this.#host
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const pool = this.#requirePool()
    for (let dead = 0; ; dead++) {
      const client = await this.#connect(pool)
      if (this.#pool === undefined) {
        client.release()
        throw new Error(
          'The MotherDuck driver was destroyed while a connection was being acquired.',
        )
      }
      let connection = this.#connections.get(client)
      const isNew = connection === undefined
      if (connection === undefined) {
        connection = new MotherDuckConnection(client, {
          cursor: cursorOf(this.#config),
          streamFetchSize: this.#config.streamFetchSize ?? DEFAULT_STREAM_FETCH_SIZE,
          token: this.#token,
          password: (pool.options as { password?: unknown }).password,
          columnValues: this.#columnValues,
        })
        this.#connections.set(client, connection)
      }
      // A client whose socket died while idle in the pool: drop it and take (or open) another.
      if (connection.isLost && dead < MAX_DEAD_CLIENTS) {
        client.release(true)
        continue
      }
      if (isNew && this.#config.onCreateConnection)
        await this.#config.onCreateConnection(connection)
      if (this.#config.onReserveConnection) await this.#config.onReserveConnection(connection)
      return connection
    }
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(beginTransactionSql(settings)))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    let result: Awaited<ReturnType<DatabaseConnection['executeQuery']>>
    try {
      result = await connection.executeQuery(CompiledQuery.raw('commit'))
    } catch (error) {
      // DuckDB refuses to commit a transaction in which a statement failed; it is over either way.
      await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => {})
      throw markAborted(error)
    }
    const [row] = result.rows as { command?: string }[]
    if (row?.command === 'ROLLBACK') {
      throw markAborted(new Error('Transaction was rolled back instead of committed'))
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const motherDuckConnection = connection as MotherDuckConnection
    motherDuckConnection.client.release(motherDuckConnection.isLost)
  }

  async destroy(): Promise<void> {
    const pool = this.#pool
    this.#pool = undefined
    if (pool !== undefined) await pool.end()
  }

  async #connect(pool: pg.Pool): Promise<pg.PoolClient> {
    const retry = this.#retry
    for (let attempt = 0; ; attempt++) {
      try {
        return await pool.connect()
      } catch (error) {
        if (attempt >= retry.retries || !isTransientConnectError(error)) {
          throw translateError(error, this.#token, this.#host)
        }
        const base = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** attempt)
        await new Promise((resolve) => setTimeout(resolve, base / 2 + Math.random() * (base / 2)))
      }
    }
  }

  #requirePool(): pg.Pool {
    if (this.#pool === undefined) {
      throw new Error('The MotherDuck driver is not initialized, or was destroyed.')
    }
    return this.#pool
  }
}

/**
 * The statement that starts a transaction: Kysely's own (`begin`, or `start transaction` with the access
 * mode), without the `isolation level …` clause, which DuckDB's parser refuses. DuckDB runs every
 * transaction with snapshot isolation, which is at least as strong as each level Kysely can ask for,
 * so leaving the clause out weakens nothing. `read only` is DuckDB's own and enforced by it.
 */
export function beginTransactionSql(settings: TransactionSettings): string {
  if (settings.isolationLevel === undefined && settings.accessMode === undefined) return 'begin'
  return settings.accessMode === undefined
    ? 'start transaction'
    : `start transaction ${settings.accessMode}`
}

function markAborted(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && !Object.isFrozen(error)) {
    Object.defineProperty(error, ABORTED_TRANSACTION, { value: true, enumerable: false })
  }
  return error
}

function isPool(pool: MotherDuckDialectConfig['pool']): pool is pg.Pool {
  return (
    typeof pool === 'object' &&
    pool !== null &&
    typeof (pool as { connect?: unknown }).connect === 'function'
  )
}

/** Kysely creates the driver in `new Kysely()`: a bad `streamFetchSize` fails there, before any query. */
function checkStreamFetchSize(size: unknown): void {
  if (size === undefined || (Number.isSafeInteger(size) && (size as number) > 0)) return
  throw new MotherDuckConfigError(
    `\`streamFetchSize\` must be a positive integer (rows per round trip of .stream()), got ${String(size)}. ` +
      `Leave it out for the default, ${DEFAULT_STREAM_FETCH_SIZE}.`,
    'streamFetchSize',
  )
}

function cursorOf(config: MotherDuckDialectConfig): MotherDuckCursorConstructor | null {
  if (config.cursor === null) return null
  return config.cursor ?? (Cursor as unknown as MotherDuckCursorConstructor)
}
