import {
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBExtractedStatements,
  type DuckDBInstance,
  type DuckDBPreparedStatement,
  type DuckDBResult,
  ResultReturnType,
  type StatementType,
} from '@duckdb/node-api'
import { quoteIdentifier, quoteString } from '../../sql/quote.js'
import type { StatementInfo } from '../../sql/sql-statements.js'
import type { CatalogStatement } from '../catalog/catalog-rewrite.js'
import { markOidTyped, oidTypeOf } from '../catalog/oid-types.js'
import { SessionCatalogInstaller } from '../catalog/session-catalog-installer.js'
import type { SessionIdentity } from '../catalog/session-identity.js'
import { createResultEncoder, type ResultEncoding } from '../encode/value-encoder.js'
import { ValueSizes } from '../encode/value-size.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import { commandTag } from './command-tag.js'
import type { QueryAdmission } from './query-admission.js'
import { ResultCursor, type RowWindow } from './result-cursor.js'
import type { SessionLimits } from './session-limits.js'
import type { SessionOutput } from './session-output.js'
import { type CatalogEpoch, keepsCatalog } from './statement-cache.js'

/**
 * Rows read window by window: a query's ResultCursor, or the part of one a FETCH takes (see
 * sql-cursors.ts).
 */
export interface RowSource {
  readonly columns: ResultCursor['columns']
  /** True while rows still depend on DuckDB's streaming result. */
  readonly isStreaming: boolean
  /** True when every row has been returned. */
  readonly done: boolean
  /** Up to `limit` rows, or null at the end; `fetch` reads DuckDB's next chunk. */
  next(
    limit: number,
    fetch: (result: DuckDBResult) => Promise<DuckDBDataChunk | null>,
  ): Promise<RowWindow | null>
  /** The portal holding the rows was closed. */
  close(): void
}

/** What running a statement produced: rows to stream, or only a command tag. */
export type Outcome =
  | { readonly kind: 'rows'; readonly cursor: RowSource; readonly statementType: StatementType }
  | { readonly kind: 'tag'; readonly tag: string }

/**
 * A session's DuckDB connection and every call made on it: preparing, running and streaming rows to
 * the client, each call interruptible by a CancelRequest while a statement is in progress.
 *
 * DuckDB keeps one streaming result per connection and silently ends it when the connection runs
 * anything else, so before any other call the cursor streaming it is spilled into memory.
 */
export class StatementRunner {
  private connection: DuckDBConnection | null = null
  /** The session's catalog stand-ins, defined on first use (src/local/catalog). */
  private catalogObjects: SessionCatalogInstaller | null = null
  /** The cursor reading DuckDB's one streaming result, if any. */
  private streamingCursor: ResultCursor | null = null
  /** A statement is being run or streamed: a CancelRequest applies to it. */
  private statementInProgress = false
  /** A DuckDB call is in flight: `connection.interrupt()` reaches it. */
  private duckDBCallInFlight = false
  private canceling = false
  /** Why the statement in progress is being cancelled: a CancelRequest, or statement_timeout. */
  private cancelReason: 'request' | 'timeout' = 'request'
  /** statement_timeout's timer for the statement in progress. */
  private timeoutTimer: NodeJS.Timeout | null = null
  /** Takes the call in progress out of the admission queue, while it waits there. */
  private leaveQueue: ((error: unknown) => void) | null = null

  constructor(
    private readonly output: SessionOutput,
    private readonly catalog: CatalogEpoch,
    private readonly limits: SessionLimits,
    private readonly admission: QueryAdmission,
    /** statement_timeout in milliseconds (0: none), read as each statement starts. */
    private readonly statementTimeout: () => number = () => 0,
  ) {}

  /**
   * Connects to the shared instance, in `database`. The session's catalog stand-ins (`version()`,
   * `current_user`, the pg_catalog views DuckDB gets wrong; see src/local/catalog) are defined when a
   * query first may use them. The session's settings (its TimeZone: UTC like the real endpoint unless
   * the client asks for another) are applied next, by SessionSettings.
   */
  async open(instance: DuckDBInstance, database: string, identity: SessionIdentity): Promise<void> {
    this.connection = await instance.connect()
    // USE first: the instance has no default catalog of its own (see attachDatabases).
    await this.connection.run(`USE ${quoteIdentifier(database)}`)
    this.catalogObjects = new SessionCatalogInstaller(this.connection, identity)
  }

  /** Closes the connection; DuckDB's prepared statements must be destroyed before. */
  close(): void {
    this.streamingCursor = null
    this.catalogObjects = null
    const connection = this.connection
    this.connection = null
    connection?.closeSync()
  }

  /**
   * The message of the 57014 the cancelled statement fails with, as Postgres words it; undefined when
   * no cancel reached the statement in progress.
   */
  get cancelMessage(): string | undefined {
    if (!this.canceling) return undefined
    return this.cancelReason === 'timeout'
      ? 'canceling statement due to statement timeout'
      : 'canceling statement due to user request'
  }

  /** A statement starts: a CancelRequest from now on applies to it, and statement_timeout's clock starts. */
  startStatement(): void {
    this.statementInProgress = true
    this.canceling = false
    if (this.timeoutTimer !== null) clearTimeout(this.timeoutTimer)
    const timeout = this.statementTimeout()
    this.timeoutTimer = timeout > 0 ? setTimeout(() => this.cancel('timeout'), timeout) : null
  }

  /** The statement ended: a cancel applies to the statement running when it arrives, never to a later one. */
  finishStatement(): void {
    this.statementInProgress = false
    this.canceling = false
    if (this.timeoutTimer !== null) clearTimeout(this.timeoutTimer)
    this.timeoutTimer = null
  }

  /**
   * CancelRequest, statement_timeout (or the client left): stops the statement in progress, which
   * fails with 57014.
   */
  cancel(reason: 'request' | 'timeout' = 'request'): void {
    if (!this.statementInProgress) return
    if (!this.canceling) this.cancelReason = reason
    this.canceling = true
    this.leaveQueue?.(canceled())
    if (this.duckDBCallInFlight) this.connection?.interrupt()
  }

  /**
   * Makes one DuckDB call that a CancelRequest interrupts; refused once a cancel arrived. The call
   * waits for a slot of the endpoint's admission control first (a cancel also ends that wait).
   */
  async interruptible<T>(call: () => Promise<T>): Promise<T> {
    this.duckDBCallInFlight = true
    try {
      if (this.canceling) throw canceled()
      return await this.admission.run(
        () => {
          this.leaveQueue = null
          if (this.canceling) throw canceled()
          return call()
        },
        (leave) => {
          this.leaveQueue = leave
        },
      )
    } finally {
      this.duckDBCallInFlight = false
      this.leaveQueue = null
    }
  }

  /** DuckDB's own split of a simple query's text. */
  async extractStatements(sql: string): Promise<DuckDBExtractedStatements> {
    await this.spillStreamingCursor()
    const connection = this.requireConnection()
    const query = await this.catalogQuery(sql)
    const extracted = await this.interruptible(() =>
      connection.extractStatements(query.sql).catch((error: unknown) => {
        throw withoutExtractPrefix(error)
      }),
    )
    if (query.oidTyped) markOidTyped(extracted)
    return extracted
  }

  async prepare(sql: string): Promise<DuckDBPreparedStatement> {
    await this.spillStreamingCursor()
    const connection = this.requireConnection()
    const query = await this.catalogQuery(sql)
    const prepared = await this.interruptible(() => connection.prepare(query.sql))
    if (query.oidTyped) markOidTyped(prepared)
    return prepared
  }

  /** `sql` as DuckDB is to read it, the session's catalog objects defined if it may use them. */
  private catalogQuery(sql: string): Promise<CatalogStatement> {
    return this.catalogObjects === null
      ? Promise.resolve({ sql, oidTyped: false })
      : this.catalogObjects.prepareQuery(sql)
  }

  /** Runs SQL whose result is not read (the ROLLBACK of a failed transaction). */
  async runSql(sql: string): Promise<void> {
    await this.spillStreamingCursor()
    const connection = this.requireConnection()
    await this.interruptible(() => connection.run(sql))
  }

  /**
   * Applies a setting of this session's own connection (`SET SESSION TimeZone = …`), outside admission
   * control: it returns at once, and a login must not wait behind other sessions' long queries.
   */
  async applyConnectionSetting(sql: string): Promise<void> {
    await this.spillStreamingCursor()
    await this.requireConnection().run(sql)
  }

  /** One of this connection's DuckDB settings, as `current_setting` reads it (outside admission control). */
  async readConnectionSetting(name: string): Promise<string> {
    await this.spillStreamingCursor()
    const reader = await this.requireConnection().runAndReadAll(
      // DuckDB's own: the session's `current_setting` macro (src/local/catalog) answers Postgres'.
      `SELECT system.main.current_setting(${quoteString(name)})::VARCHAR`,
    )
    return String(reader.getRowsJS()[0]?.[0] ?? '')
  }

  /** Runs a query the endpoint wrote itself (SHOW's answer); its rows stream like any result. */
  async query(sql: string, encoding: ResultEncoding = {}): Promise<Outcome> {
    await this.spillStreamingCursor()
    const connection = this.requireConnection()
    return this.outcomeOf(
      null,
      await this.interruptible(() => connection.stream(sql)),
      undefined,
      encoding,
    )
  }

  /** Executes a prepared (and bound) statement; rows stay in DuckDB until they are sent. */
  async run(
    prepared: DuckDBPreparedStatement,
    info: StatementInfo | undefined,
    encoding: ResultEncoding = {},
  ): Promise<Outcome> {
    await this.spillStreamingCursor()
    const changesCatalog = !keepsCatalog(prepared.statementType)
    try {
      return await this.outcomeOf(
        prepared,
        await this.interruptible(() => prepared.stream()),
        info,
        encoding,
      )
    } finally {
      // Also after a failure: a statement may have changed the catalog before it failed.
      if (changesCatalog) this.catalog.bump()
    }
  }

  /** A streaming result's rows as a cursor, or the command tag of a statement that returns none. */
  /** Rows stay in DuckDB until they are sent, written as `encoding` says (Bind's result formats, the session's TimeZone). */
  private async outcomeOf(
    prepared: DuckDBPreparedStatement | null,
    result: DuckDBResult,
    info: StatementInfo | undefined,
    encoding: ResultEncoding,
  ): Promise<Outcome> {
    const statementType = result.statementType
    if (result.returnType === ResultReturnType.QUERY_RESULT) {
      const names = result.columnNames()
      const types = result
        .columnTypes()
        .map((type) => (prepared === null ? type : oidTypeOf(prepared, type)))
      const cursor = new ResultCursor(
        result,
        createResultEncoder(names, types, encoding),
        new ValueSizes(names, types, this.limits.maxValueBytes),
        this.limits.maxSpillBytes,
      )
      this.streamingCursor = cursor
      return { kind: 'rows', cursor, statementType }
    }
    const count = await this.readCount(result)
    return { kind: 'tag', tag: commandTag(info, statementType, count) }
  }

  /** Writes up to `limit` rows (0 = all) as DataRows; returns how many were sent. */
  async sendRows(cursor: RowSource, limit: number): Promise<number> {
    return this.readRows(cursor, limit, async (window) => {
      this.output.messages.encodedDataRows(window.columns, window.start, window.count)
      await this.output.flushIfFull()
    })
  }

  /** Reads past up to `limit` rows (0 = all) without sending them (MOVE); returns how many. */
  async skipRows(cursor: RowSource, limit: number): Promise<number> {
    return this.readRows(cursor, limit, async () => undefined)
  }

  private async readRows(
    cursor: RowSource,
    limit: number,
    deliver: (window: RowWindow) => Promise<void>,
  ): Promise<number> {
    const fetch = (result: DuckDBResult): Promise<DuckDBDataChunk | null> =>
      this.interruptible(() => result.fetchChunk())
    let read = 0
    while (limit === 0 || read < limit) {
      if (this.canceling) throw canceled()
      const window = await cursor.next(limit === 0 ? Number.MAX_SAFE_INTEGER : limit - read, fetch)
      if (window === null) break
      await deliver(window)
      read += window.count
      if (!cursor.isStreaming) await yieldToEventLoop()
    }
    if (this.canceling) throw canceled()
    return read
  }

  /** Moves a suspended portal's rows out of DuckDB before the connection runs anything else. */
  async spillStreamingCursor(): Promise<void> {
    const cursor = this.streamingCursor
    if (cursor === null) return
    this.streamingCursor = null
    if (cursor.isStreaming)
      await cursor.spill((result) => this.interruptible(() => result.fetchChunk()))
  }

  /** A result that failed (or whose statement is finished) is dead: nothing may read from it again. */
  forgetStreamingCursor(): void {
    this.streamingCursor = null
  }

  /** The row count DuckDB reports for DML (and CREATE TABLE … AS) in its one-row `Count` result. */
  private async readCount(result: DuckDBResult): Promise<number | undefined> {
    const counted = result.columnCount === 1 && result.columnName(0) === 'Count'
    const chunk = await this.interruptible(() => result.fetchChunk())
    if (counted && chunk !== null && chunk.rowCount > 0) {
      const value = chunk.getColumnValues(0)[0]
      if (typeof value === 'bigint' || typeof value === 'number') return Number(value)
    }
    return result.returnType === ResultReturnType.CHANGED_ROWS ? result.rowsChanged : undefined
  }

  private requireConnection(): DuckDBConnection {
    if (this.connection === null) {
      throw new EndpointError(SqlState.ConnectionDoesNotExist, 'the session has no connection')
    }
    return this.connection
  }
}

/** node-api prefixes parser errors of extractStatements; the client should see DuckDB's own text. */
function withoutExtractPrefix(error: unknown): unknown {
  if (!(error instanceof Error)) return error
  const message = error.message.replace(/^Failed to extract statements: /, '')
  return message === error.message ? error : new Error(message)
}

function canceled(): EndpointError {
  return new EndpointError(SqlState.QueryCanceled, 'canceling statement due to user request')
}

/** The SQL text of a string value in DuckDB (SHOW's answers). */
export function stringLiteral(value: string): string {
  return `${quoteString(value)}::VARCHAR`
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
