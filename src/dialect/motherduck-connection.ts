import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely'
import type { PoolClient } from 'pg'
import { unsupportedLoadStatement } from '../load/unsupported-load-statement.js'
import { type CancelTarget, sendCancelRequest } from './motherduck-cancel-request.js'
import type { ColumnValuePolicy } from './motherduck-column-values.js'
import type { MotherDuckCursorConstructor } from './motherduck-dialect-config.js'
import { isConnectionLost, translateError } from './motherduck-error-translation.js'
import { toWireParameters } from './motherduck-parameters.js'
import { restorePasswordFunction } from './motherduck-pool.js'

/** What a connection needs from its driver. */
export interface MotherDuckConnectionOptions {
  readonly cursor: MotherDuckCursorConstructor | null
  /** The token, to remove it from errors. */
  readonly token: string | undefined
  /** The pool's `password` option; a function is put back on the client after it connected. */
  readonly password?: unknown
  /** The dialect's column types for the value policy of `values()`/`set()` parameters. */
  readonly columnValues?: ColumnValuePolicy
}

/** The pg client internals this file reads: all are set by pg ≥ 8 and checked before use. */
interface PgClientInternals {
  processID?: number | null
  secretKey?: number | Buffer | null
  host?: string
  port?: number
  ssl?: unknown
  _queryable?: boolean
  _ending?: boolean
  connection?: { stream?: { destroy(): void } }
}

const CANCELED_BY_REQUEST = '57014'

/**
 * One pooled pg client as a Kysely connection. Beyond Kysely's PostgresConnection it converts
 * parameters for DuckDB (Dates in UTC, arrays and objects as JSON; the only place they are converted), removes the token from errors,
 * notices when its socket is gone (so the pool replaces it), and cancels a running query with the
 * protocol's CancelRequest instead of `pg_cancel_backend`, which DuckDB does not have.
 */
export class MotherDuckConnection implements DatabaseConnection {
  readonly #client: PoolClient
  readonly #options: MotherDuckConnectionOptions
  #queryId: object | undefined
  /** The query that cancelQuery()/killSession() stopped: the caller already has its abort reason. */
  #canceledQueryId: object | undefined
  #killedQueryId: object | undefined
  #lost = false

  constructor(client: PoolClient, options: MotherDuckConnectionOptions) {
    this.#client = client
    this.#options = options
    // Without a listener, an error on a checked-out client (the server ended the session while the
    // application held the connection) would be an uncaught exception.
    client.on('error', () => {
      this.#lost = true
    })
    client.on('end', () => {
      this.#lost = true
    })
    restorePasswordFunction(client, options.password)
  }

  /** Whether the underlying connection is gone and must be destroyed instead of returned to the pool. */
  get isLost(): boolean {
    const internals = this.#client as unknown as PgClientInternals
    return this.#lost || internals._queryable === false || internals._ending === true
  }

  /** @internal */
  get client(): PoolClient {
    return this.#client
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    refuseUnsupportedLoad(compiledQuery)
    const queryId = compiledQuery.queryId
    this.#queryId = queryId
    try {
      const parameters = compiledQuery.parameters
      const result = await this.#client.query<R & object>(
        compiledQuery.sql,
        parameters.length === 0 ? undefined : await this.#wireParameters(compiledQuery),
      )
      const command = result.command
      if (command === 'ROLLBACK' || command === 'COMMIT') {
        return { rows: [{ command } as R] }
      }
      return {
        numAffectedRows:
          command === 'INSERT' ||
          command === 'UPDATE' ||
          command === 'DELETE' ||
          command === 'MERGE'
            ? BigInt(result.rowCount ?? 0)
            : undefined,
        rows: result.rows ?? [],
      }
    } catch (error) {
      if (queryId !== undefined && this.#abortedBy(queryId, error)) {
        // The caller already received its abort reason; nobody reads this result (Kysely would print
        // the rejection to the console as a background failure).
        return { rows: [] }
      }
      throw this.#fail(error)
    } finally {
      this.#queryId = undefined
    }
  }

  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    const Cursor = this.#options.cursor
    if (Cursor === null) {
      throw new Error(
        '`cursor` is null in the MotherDuck dialect config, so .stream() is disabled. ' +
          'Remove the option to use pg-cursor.',
      )
    }
    refuseUnsupportedLoad(compiledQuery)
    const parameters = await this.#wireParameters(compiledQuery)
    this.#queryId = compiledQuery.queryId
    // pg gives the cursor this client's type parsers (the pool's), as for ordinary queries.
    const cursor = this.#client.query(
      new Cursor(compiledQuery.sql, parameters) as never,
    ) as unknown as InstanceType<MotherDuckCursorConstructor>
    try {
      for (;;) {
        let rows: unknown[]
        try {
          rows = await cursor.read(chunkSize)
        } catch (error) {
          throw this.#fail(error)
        }
        if (rows.length === 0) break
        yield { rows: rows as R[] }
      }
    } finally {
      await cursor.close().catch(() => {})
      this.#queryId = undefined
    }
  }

  /** Kysely's `inflightQueryAbortStrategy: 'cancel query'`: a CancelRequest for the running query. */
  async cancelQuery(): Promise<void> {
    const queryId = this.#queryId
    if (queryId === undefined) return
    const internals = this.#client as unknown as PgClientInternals
    const processId = internals.processID
    const secretKey = internals.secretKey
    if (typeof processId !== 'number' || secretKey === undefined || secretKey === null) return
    this.#canceledQueryId = queryId
    await sendCancelRequest(cancelTarget(internals), processId, secretKey)
  }

  /**
   * Kysely's `inflightQueryAbortStrategy: 'kill session'`: cancels the running query, then closes this
   * connection's socket, which ends the server session; the pool opens a new connection when needed.
   */
  async killSession(): Promise<void> {
    this.#killedQueryId = this.#queryId
    try {
      await this.cancelQuery()
    } finally {
      this.#lost = true
      ;(this.#client as unknown as PgClientInternals).connection?.stream?.destroy()
    }
  }

  /** Session information for cancellation arrives with the connection (BackendKeyData): nothing to do. */
  async collectSessionInfo(): Promise<void> {}

  /** The parameters for the wire: the value policy's text for those written to a column, else pg's. */
  #wireParameters(compiledQuery: CompiledQuery): Promise<unknown[]> | unknown[] {
    const policy = this.#options.columnValues
    if (policy === undefined) return toWireParameters(compiledQuery.parameters)
    return policy.wireParameters(compiledQuery, this, toWireParameters)
  }

  #abortedBy(queryId: object, error: unknown): boolean {
    if (this.#canceledQueryId === queryId && isCanceled(error)) return true
    return this.#killedQueryId === queryId && isConnectionLost(error)
  }

  #fail(error: unknown): unknown {
    if (isConnectionLost(error)) this.#lost = true
    const host = (this.#client as unknown as PgClientInternals).host ?? 'the server'
    return translateError(error, this.#options.token, host)
  }
}

function isCanceled(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === CANCELED_BY_REQUEST
  )
}

function cancelTarget(client: PgClientInternals): CancelTarget {
  const ssl = client.ssl
  return {
    host: client.host ?? 'localhost',
    port: client.port ?? 5432,
    ssl:
      ssl === undefined || ssl === false || ssl === null
        ? false
        : typeof ssl === 'object'
          ? (ssl as CancelTarget['ssl'])
          : {},
  }
}

/**
 * Statements MotherDuck's endpoint refuses as ways to load data (COPY … FROM STDIN or a local file,
 * MD_RUN = LOCAL) fail here, before a round trip, with the supported way to do the same load.
 */
function refuseUnsupportedLoad(compiledQuery: CompiledQuery): void {
  const refusal = unsupportedLoadStatement(compiledQuery.sql)
  if (refusal) throw refusal
}
