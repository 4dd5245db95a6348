import {
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBInstance,
  type DuckDBPreparedStatement,
  type DuckDBResult,
  type DuckDBType,
  DuckDBTypeId,
  ResultReturnType,
  StatementType,
  VARCHAR,
} from '@duckdb/node-api'
import { quoteIdentifier } from '../../sql/quote.js'
import type { StatementInfo } from '../../sql/sql-statements.js'
import { bindParameters, type WireParameter } from '../decode/bind-parameters.js'
import { createResultEncoder, type WireColumn, wireColumnOf } from '../encode/value-encoder.js'
import { EndpointError, type PgErrorFields, toPgError } from '../errors/sql-state.js'
import { BackendSerializer } from '../protocol/backend-serializer.js'
import type { FrontendChannel } from '../protocol/frontend-channel.js'
import type { FrontendMessage } from '../protocol/frontend-parser.js'
import { TransactionStatus } from '../protocol/message-codes.js'
import { applyMotherDuckRules, type MotherDuckRulesOptions } from '../rules/motherduck-rules.js'
import { commandTag } from './command-tag.js'
import { ResultCursor } from './result-cursor.js'
import { type CatalogEpoch, keepsCatalog, StatementCache } from './statement-cache.js'

/** What a session needs from the server that accepted it. */
export interface SessionOptions {
  readonly instance: DuckDBInstance
  /** The attached database this session starts in (`USE`). */
  readonly database: string
  readonly rules: MotherDuckRulesOptions
  readonly processId: number
  readonly secretKey: number
  /** Echoed in ParameterStatus, as Postgres does. */
  readonly applicationName: string
  /** Shared by the endpoint's sessions: tells when cached prepared statements went stale. */
  readonly catalog: CatalogEpoch
}

/** Output is handed to the socket once this many bytes are waiting. */
const FLUSH_THRESHOLD = 256 * 1024
const TEXT_OID = 25

/** A statement from Parse. `prepared` is null for an empty query string. */
interface Statement {
  readonly name: string
  /** The SQL text as the client sent it: the key of the statement cache. */
  readonly sql: string
  readonly info: StatementInfo | undefined
  readonly prepared: DuckDBPreparedStatement | null
  readonly parameterTypes: readonly number[]
  readonly pathParameters: readonly number[]
  /** The catalog epoch read before DuckDB prepared the statement. */
  readonly epoch: number
  /** False once running it failed: it is destroyed instead of cached when closed. */
  reusable: boolean
  /** The portal whose parameters are bound into `prepared` right now. */
  boundTo: Portal | null
  /** Portals built from this statement; DuckDB's statement is destroyed when none is left. */
  portals: number
  dropped: boolean
}

/** What running a statement produced: rows to stream, or only a command tag. */
type Outcome =
  | { readonly kind: 'rows'; readonly cursor: ResultCursor; readonly statementType: StatementType }
  | { readonly kind: 'tag'; readonly tag: string }

interface Portal {
  readonly name: string
  readonly statement: Statement
  readonly parameters: readonly WireParameter[]
  outcome: Outcome | null
  closed: boolean
}

/**
 * One client connection after authentication: its own DuckDB connection on the shared instance,
 * the simple and extended query protocols, the transaction status Postgres reports (I/T/E), and
 * results streamed chunk by chunk with backpressure.
 *
 * Messages are handled strictly one after the other (see FrontendChannel); sessions run side by side
 * because every DuckDB call is asynchronous.
 */
export class Session {
  private connection: DuckDBConnection | null = null
  private readonly out = new BackendSerializer()
  private status = TransactionStatus.Idle
  private readonly statements = new Map<string, Statement>()
  private readonly portals = new Map<string, Portal>()
  private readonly cache: StatementCache
  /** After an error in the extended protocol, messages are ignored up to the next Sync. */
  private skipUntilSync = false
  /** The cursor that holds DuckDB's one streaming result, if any. */
  private live: ResultCursor | null = null
  /** A statement is being run or streamed: a CancelRequest applies to it. */
  private running = false
  /** A DuckDB call is in flight: interrupt() reaches it. */
  private inDuckDB = false
  private cancelRequested = false
  private terminating = false
  private wakeDrain: (() => void) | null = null

  constructor(
    private readonly channel: FrontendChannel,
    private readonly options: SessionOptions,
  ) {
    this.cache = new StatementCache(options.catalog)
    // A client that goes away mid-query must not leave DuckDB working for nobody.
    channel.onClose(() => this.interruptRunning())
  }

  get processId(): number {
    return this.options.processId
  }

  get secretKey(): number {
    return this.options.secretKey
  }

  /** Opens the DuckDB connection, sends the greeting and serves messages until the client leaves. */
  async run(): Promise<void> {
    try {
      this.connection = await this.options.instance.connect()
      // USE first: the instance has no default catalog of its own (see attachDatabases).
      await this.connection.run(`USE ${quoteIdentifier(this.options.database)}`)
      // DuckDB's TimeZone defaults to the process's; announce and use UTC like the real endpoint.
      await this.connection.run("SET TimeZone = 'UTC'")
      this.greet()
      await this.flush()
      await this.serve()
    } catch (error) {
      await this.sendFatal(toPgError(error))
    } finally {
      this.dispose()
    }
  }

  /** CancelRequest: stops the running statement, which then fails with 57014. */
  cancel(): void {
    this.interruptRunning()
  }

  /** Server shutdown: FATAL 57P01 to the client, stop the running statement, close the socket. */
  terminate(): void {
    if (this.terminating) return
    this.terminating = true
    this.interruptRunning()
    const socket = this.channel.socket
    if (socket.destroyed) return
    const goodbye = new BackendSerializer()
      .errorResponse({
        severity: 'FATAL',
        code: '57P01',
        message: 'terminating connection due to administrator command',
      })
      .take()
    void this.channel.end(goodbye)
    // A client that does not read must not hold the shutdown.
    setTimeout(() => socket.destroy(), 1000).unref()
  }

  private interruptRunning(): void {
    this.wakeDrain?.()
    if (!this.running) return
    this.cancelRequested = true
    if (this.inDuckDB) this.connection?.interrupt()
  }

  private greet(): void {
    const status: [string, string][] = [
      ['server_version', '15.0'],
      ['server_encoding', 'UTF8'],
      ['client_encoding', 'UTF8'],
      ['DateStyle', 'ISO, MDY'],
      ['IntervalStyle', 'postgres'],
      ['TimeZone', 'UTC'],
      ['integer_datetimes', 'on'],
      ['standard_conforming_strings', 'on'],
      ['is_superuser', 'off'],
      ['application_name', this.options.applicationName],
    ]
    for (const [name, value] of status) this.out.parameterStatus(name, value)
    this.out.backendKeyData(this.options.processId, this.options.secretKey)
    this.out.readyForQuery(this.status)
  }

  private async serve(): Promise<void> {
    for (;;) {
      const message = await this.channel.next()
      if (message === null || this.terminating) return
      if (!(await this.handle(message))) return
    }
  }

  /** Handles one message; false ends the connection. */
  private async handle(message: FrontendMessage): Promise<boolean> {
    if (this.skipUntilSync && !ALWAYS_HANDLED.has(message.type)) return true
    try {
      switch (message.type) {
        case 'query':
          await this.simpleQuery(message.sql)
          return true
        case 'parse':
          await this.parse(message.name, message.sql, message.parameterTypes)
          break
        case 'bind':
          this.bind(message)
          break
        case 'describe':
          await this.describe(message.kind, message.name)
          break
        case 'execute':
          await this.execute(message.portal, message.maxRows)
          break
        case 'close':
          this.close(message.kind, message.name)
          break
        case 'sync':
          await this.sync()
          break
        case 'flush':
          await this.flush()
          break
        case 'terminate':
          return false
        case 'copy':
          // Postgres ignores copy messages outside COPY: they follow a COPY that failed.
          break
        case 'functionCall':
          throw new EndpointError('0A000', 'the function call sub-protocol is not supported', {
            hint: 'Call the function in a query instead: SELECT f($1).',
          })
        case 'protocolViolation':
          await this.sendFatal(toPgError(message.error))
          return false
        default:
          throw new EndpointError('08P01', `unexpected ${message.type} message after startup`, {
            severity: 'FATAL',
          })
      }
      if (this.out.length >= FLUSH_THRESHOLD) await this.flush()
      return true
    } catch (error) {
      // A result that failed while streaming is dead: nothing may read from it again.
      this.live = null
      const fields = this.errorFields(error)
      if (fields.severity === 'FATAL') {
        await this.sendFatal(fields)
        return false
      }
      this.out.errorResponse(fields)
      this.failTransaction()
      this.skipUntilSync = true
      return true
    } finally {
      // A cancel applies to the statement running when it arrives, never to a later one.
      this.running = false
      this.cancelRequested = false
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Simple query protocol

  private async simpleQuery(sql: string): Promise<void> {
    this.running = true
    this.cancelRequested = false
    try {
      // The simple protocol ends the unnamed statement and portal of a preceding extended query.
      this.closePortal('')
      this.dropStatement('')
      const rewritten = applyMotherDuckRules(sql, this.options.rules)
      const infos = rewritten.statements
      if (infos.length === 0) {
        this.out.emptyQueryResponse()
      } else {
        await this.releaseLive()
        const connection = this.requireConnection()
        const extracted = await this.duck(() =>
          connection.extractStatements(rewritten.sql).catch((error: unknown) => {
            throw withoutExtractPrefix(error)
          }),
        )
        // Our split only classifies; DuckDB's decides. Should they disagree, tags get generic.
        const aligned = extracted.count === infos.length
        for (let index = 0; index < extracted.count; index++) {
          const info = aligned ? infos[index] : undefined
          const shortcut = await this.transactionShortcut(info)
          if (shortcut !== undefined) {
            this.out.commandComplete(shortcut)
            continue
          }
          const prepared = await this.duck(() => extracted.prepare(index))
          try {
            const outcome = await this.runPrepared(prepared, info)
            if (outcome.kind === 'rows') {
              this.out.rowDescription(outcome.cursor.columns)
              const sent = await this.sendRows(outcome.cursor, 0)
              this.out.commandComplete(commandTag(info, outcome.statementType, sent))
            } else {
              this.out.commandComplete(outcome.tag)
            }
          } finally {
            this.live = null
            prepared.destroySync()
          }
        }
      }
    } catch (error) {
      this.live = null
      const fields = this.errorFields(error)
      if (fields.severity === 'FATAL') throw error
      this.out.errorResponse(fields)
      this.failTransaction()
    } finally {
      this.running = false
    }
    this.out.readyForQuery(this.status)
    await this.flush()
  }

  // ----------------------------------------------------------------------------------------------
  // Extended query protocol

  private async parse(name: string, sql: string, parameterTypes: readonly number[]): Promise<void> {
    if (name !== '' && this.statements.has(name)) {
      throw new EndpointError('42P05', `prepared statement "${name}" already exists`, {
        hint: 'Close it first, or use another name.',
      })
    }
    // As in Postgres, Parse ends the previous unnamed statement first (which may hand it to the
    // cache for this very Parse, when the client repeats its text).
    if (name === '') this.dropStatement('')
    const statement = this.cache.take(sql) ?? (await this.prepare(sql))
    try {
      this.refuseInFailedTransaction(statement.info)
    } catch (error) {
      const { prepared } = statement
      if (prepared !== null) this.cache.give(sql, { ...statement, prepared })
      throw error
    }
    this.statements.set(name, {
      name,
      sql,
      info: statement.info,
      prepared: statement.prepared,
      parameterTypes,
      pathParameters: statement.pathParameters,
      epoch: statement.epoch,
      reusable: true,
      boundTo: null,
      portals: 0,
      dropped: false,
    })
    this.out.parseComplete()
  }

  /** MotherDuck's rules, then DuckDB's prepare (none for an empty query string). */
  private async prepare(sql: string): Promise<{
    prepared: DuckDBPreparedStatement | null
    info: StatementInfo | undefined
    pathParameters: readonly number[]
    epoch: number
  }> {
    const rewritten = applyMotherDuckRules(sql, this.options.rules)
    const infos = rewritten.statements
    if (infos.length > 1) {
      throw new EndpointError(
        '42601',
        'cannot insert multiple commands into a prepared statement',
        {
          hint: 'Send each statement in its own Parse, or use the simple query protocol.',
        },
      )
    }
    const info = infos[0]
    const epoch = this.options.catalog.value
    const pathParameters = rewritten.pathParameters
    if (info === undefined) return { prepared: null, info, pathParameters, epoch }
    this.refuseInFailedTransaction(info)
    await this.releaseLive()
    const connection = this.requireConnection()
    const prepared = await this.duck(() => connection.prepare(rewritten.sql))
    return { prepared, info, pathParameters, epoch }
  }

  private bind(message: Extract<FrontendMessage, { type: 'bind' }>): void {
    const statement = this.requireStatement(message.statement)
    this.refuseInFailedTransaction(statement.info)
    if (message.portal !== '' && this.portals.has(message.portal)) {
      throw new EndpointError('42P03', `portal "${message.portal}" already exists`)
    }
    if (message.resultFormats.some((format) => format !== 0)) {
      throw new EndpointError('0A000', 'binary result format is not supported', {
        hint: 'Request results in text format (format code 0).',
      })
    }
    const values = message.parameters
    const required = statement.prepared?.parameterCount ?? 0
    if (values.length !== required) {
      throw new EndpointError(
        '08P01',
        `bind message supplies ${values.length} parameters, but prepared statement "${statement.name}" requires ${required}`,
      )
    }
    const formats = message.parameterFormats
    if (formats.length > 1 && formats.length !== values.length) {
      throw new EndpointError(
        '08P01',
        `bind message has ${formats.length} parameter formats but ${values.length} parameters`,
      )
    }
    const parameters: WireParameter[] = values.map((value, index) => ({
      value,
      format: (formats.length === 0 ? 0 : formats.length === 1 ? formats[0] : formats[index]) as
        | 0
        | 1,
      oid: statement.parameterTypes[index] ?? 0,
    }))
    const portal: Portal = {
      name: message.portal,
      statement,
      parameters,
      outcome: null,
      closed: false,
    }
    // Binding now reports bad values at Bind, where Postgres reports them.
    if (statement.prepared !== null) this.bindInto(statement, portal)
    this.closePortal(message.portal)
    statement.portals++
    this.portals.set(portal.name, portal)
    this.out.bindComplete()
  }

  private async describe(kind: 'S' | 'P', name: string): Promise<void> {
    if (kind === 'S') {
      const statement = this.requireStatement(name)
      this.out.parameterDescription(parameterOids(statement))
      const columns = statement.prepared === null ? null : statementColumns(statement)
      if (columns === null) this.out.noData()
      else this.out.rowDescription(columns)
      return
    }
    const portal = this.requirePortal(name)
    if (portal.statement.prepared === null) {
      this.out.noData()
      return
    }
    // DuckDB cannot type an untyped $1 before it runs: describe the real result.
    const outcome = await this.startPortal(portal)
    if (outcome.kind === 'rows') this.out.rowDescription(outcome.cursor.columns)
    else this.out.noData()
  }

  private async execute(name: string, maxRows: number): Promise<void> {
    const portal = this.requirePortal(name)
    if (portal.statement.prepared === null) {
      this.out.emptyQueryResponse()
      return
    }
    const outcome = await this.startPortal(portal)
    if (outcome.kind === 'tag') {
      this.out.commandComplete(outcome.tag)
      return
    }
    const limit = Math.max(maxRows, 0)
    this.running = true
    this.cancelRequested = false
    let sent: number
    try {
      sent = await this.sendRows(outcome.cursor, limit)
    } catch (error) {
      portal.statement.reusable = false
      throw error
    }
    if (limit > 0 && sent === limit && !outcome.cursor.done) {
      this.out.portalSuspended()
    } else {
      if (this.live === outcome.cursor) this.live = null
      this.out.commandComplete(commandTag(portal.statement.info, outcome.statementType, sent))
    }
  }

  private close(kind: 'S' | 'P', name: string): void {
    if (kind === 'P') {
      this.closePortal(name)
    } else {
      const statement = this.statements.get(name)
      if (statement !== undefined) {
        for (const portal of [...this.portals.values()]) {
          if (portal.statement === statement) this.closePortal(portal.name)
        }
        this.dropStatement(name)
      }
    }
    this.out.closeComplete()
  }

  private async sync(): Promise<void> {
    this.skipUntilSync = false
    // Outside a transaction block, Sync ends the implicit transaction and with it every portal.
    if (this.status === TransactionStatus.Idle) this.closeAllPortals()
    this.out.readyForQuery(this.status)
    await this.flush()
  }

  /** Runs a portal's statement the first time it is described or executed. */
  private async startPortal(portal: Portal): Promise<Outcome> {
    if (portal.outcome !== null) return portal.outcome
    const statement = portal.statement
    const prepared = statement.prepared!
    this.refuseInFailedTransaction(statement.info)
    this.running = true
    this.cancelRequested = false
    const shortcut = await this.transactionShortcut(statement.info, portal)
    if (shortcut !== undefined) {
      portal.outcome = { kind: 'tag', tag: shortcut }
      return portal.outcome
    }
    if (statement.boundTo !== portal) this.bindInto(statement, portal)
    try {
      portal.outcome = await this.runPrepared(prepared, statement.info, portal)
    } catch (error) {
      statement.reusable = false
      throw error
    }
    return portal.outcome
  }

  private bindInto(statement: Statement, portal: Portal): void {
    bindParameters(statement.prepared!, portal.parameters, {
      objectStore: this.options.rules.objectStore,
      pathParameters: statement.pathParameters,
      strict: this.options.rules.strict,
    })
    statement.boundTo = portal
  }

  // ----------------------------------------------------------------------------------------------
  // Running statements and streaming rows

  /** Executes a prepared (and bound) statement; rows stay in DuckDB until they are sent. */
  private async runPrepared(
    prepared: DuckDBPreparedStatement,
    info: StatementInfo | undefined,
    portal?: Portal,
  ): Promise<Outcome> {
    await this.releaseLive()
    const changesCatalog = !keepsCatalog(prepared.statementType)
    try {
      const result = await this.duck(() => prepared.stream())
      const statementType = result.statementType
      let outcome: Outcome
      if (result.returnType === ResultReturnType.QUERY_RESULT) {
        const encoder = createResultEncoder(result.columnNames(), result.columnTypes())
        const cursor = new ResultCursor(result, encoder)
        this.live = cursor
        outcome = { kind: 'rows', cursor, statementType }
      } else {
        const count = await this.readCount(result)
        outcome = { kind: 'tag', tag: commandTag(info, statementType, count) }
      }
      this.afterTransactionControl(info, portal)
      return outcome
    } finally {
      // Also after a failure: a statement may have changed the catalog before it failed.
      if (changesCatalog) this.options.catalog.bump()
    }
  }

  /** The row count DuckDB reports for DML (and CREATE TABLE … AS) in its one-row `Count` result. */
  private async readCount(result: DuckDBResult): Promise<number | undefined> {
    const counted = result.columnCount === 1 && result.columnName(0) === 'Count'
    const chunk = await this.duck(() => result.fetchChunk())
    if (counted && chunk !== null && chunk.rowCount > 0) {
      const value = chunk.getColumnValues(0)[0]
      if (typeof value === 'bigint' || typeof value === 'number') return Number(value)
    }
    return result.returnType === ResultReturnType.CHANGED_ROWS ? result.rowsChanged : undefined
  }

  /** Writes up to `limit` rows (0 = all) as DataRows; returns how many were sent. */
  private async sendRows(cursor: ResultCursor, limit: number): Promise<number> {
    const fetch = (result: DuckDBResult): Promise<DuckDBDataChunk | null> =>
      this.duck(() => result.fetchChunk())
    let sent = 0
    while (limit === 0 || sent < limit) {
      if (this.cancelRequested) throw canceled()
      const window = await cursor.next(limit === 0 ? Number.MAX_SAFE_INTEGER : limit - sent, fetch)
      if (window === null) break
      this.out.encodedDataRows(window.columns, window.start, window.count)
      sent += window.count
      if (this.out.length >= FLUSH_THRESHOLD) await this.flush()
      if (!cursor.live) await yieldToEventLoop()
    }
    if (this.cancelRequested) throw canceled()
    return sent
  }

  /** Moves a suspended portal's rows out of DuckDB before the connection runs anything else. */
  private async releaseLive(): Promise<void> {
    const live = this.live
    if (live === null) return
    this.live = null
    if (live.live) await live.spill((result) => this.duck(() => result.fetchChunk()))
  }

  /** Marks a DuckDB call as interruptible by CancelRequest. */
  private async duck<T>(call: () => Promise<T>): Promise<T> {
    this.inDuckDB = true
    try {
      if (this.cancelRequested) throw canceled()
      return await call()
    } finally {
      this.inDuckDB = false
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Transactions

  /**
   * Postgres answers some transaction commands without running them: BEGIN inside a transaction and
   * COMMIT/ROLLBACK outside one only warn; COMMIT of a failed transaction rolls it back. Returns the
   * command tag when the statement was handled here.
   */
  private async transactionShortcut(
    info: StatementInfo | undefined,
    portal?: Portal,
  ): Promise<string | undefined> {
    this.refuseInFailedTransaction(info)
    const control = info?.transaction
    if (control === undefined) return undefined
    if (control === 'begin' && this.status !== TransactionStatus.Idle) {
      this.out.noticeResponse({
        severity: 'WARNING',
        code: '25001',
        message: 'there is already a transaction in progress',
      })
      return 'BEGIN'
    }
    if (control !== 'begin' && this.status === TransactionStatus.Idle) {
      this.out.noticeResponse({
        severity: 'WARNING',
        code: '25P01',
        message: 'there is no transaction in progress',
      })
      return control === 'commit' ? 'COMMIT' : 'ROLLBACK'
    }
    if (control !== 'begin' && this.status === TransactionStatus.Failed) {
      await this.releaseLive()
      const connection = this.requireConnection()
      // DuckDB may already have ended the failed transaction itself.
      await this.duck(() => connection.run('ROLLBACK')).catch(() => undefined)
      // The rollback undoes whatever DDL the failed transaction ran.
      this.options.catalog.bump()
      this.status = TransactionStatus.Idle
      this.closeAllPortals(portal)
      return 'ROLLBACK'
    }
    return undefined
  }

  /** The end of a transaction closes its portals, except the one running COMMIT/ROLLBACK itself. */
  private afterTransactionControl(info: StatementInfo | undefined, portal?: Portal): void {
    if (info?.transaction === 'begin') {
      this.status = TransactionStatus.InTransaction
    } else if (info?.transaction === 'commit' || info?.transaction === 'rollback') {
      this.status = TransactionStatus.Idle
      this.closeAllPortals(portal)
    }
  }

  private refuseInFailedTransaction(info: StatementInfo | undefined): void {
    if (this.status !== TransactionStatus.Failed) return
    if (info?.transaction === 'commit' || info?.transaction === 'rollback') return
    throw new EndpointError(
      '25P02',
      'current transaction is aborted, commands ignored until end of transaction block',
      { hint: 'Send ROLLBACK to end the failed transaction.' },
    )
  }

  private failTransaction(): void {
    if (this.status === TransactionStatus.InTransaction) this.status = TransactionStatus.Failed
  }

  // ----------------------------------------------------------------------------------------------
  // Statements and portals

  private requireStatement(name: string): Statement {
    const statement = this.statements.get(name)
    if (statement === undefined) {
      throw new EndpointError('26000', `prepared statement "${name}" does not exist`)
    }
    return statement
  }

  private requirePortal(name: string): Portal {
    const portal = this.portals.get(name)
    if (portal === undefined) throw new EndpointError('34000', `portal "${name}" does not exist`)
    return portal
  }

  private closePortal(name: string): void {
    const portal = this.portals.get(name)
    if (portal === undefined) return
    this.portals.delete(name)
    portal.closed = true
    if (portal.outcome?.kind === 'rows' && this.live === portal.outcome.cursor) this.live = null
    const statement = portal.statement
    statement.portals--
    if (statement.boundTo === portal) statement.boundTo = null
    if (statement.dropped && statement.portals === 0) this.release(statement)
  }

  private closeAllPortals(except?: Portal): void {
    for (const [name, portal] of [...this.portals]) {
      if (portal !== except) this.closePortal(name)
    }
  }

  /** Forgets a statement; DuckDB's copy lives on while a portal still uses it. */
  private dropStatement(name: string): void {
    const statement = this.statements.get(name)
    if (statement === undefined) return
    this.statements.delete(name)
    statement.dropped = true
    if (statement.portals === 0) this.release(statement)
  }

  /** DuckDB's statement once nothing uses it: kept in the cache for the next Parse of its text. */
  private release(statement: Statement): void {
    const prepared = statement.prepared
    if (prepared === null) return
    if (!statement.reusable || this.connection === null) {
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

  // ----------------------------------------------------------------------------------------------
  // Output

  private async flush(): Promise<void> {
    if (this.out.length === 0) return
    const bytes = this.out.take()
    const socket = this.channel.socket
    if (socket.destroyed || socket.writableEnded) return
    if (socket.write(bytes)) return
    await new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off('drain', done)
        socket.off('close', done)
        this.wakeDrain = null
        resolve()
      }
      this.wakeDrain = done
      socket.on('drain', done)
      socket.on('close', done)
    })
  }

  private async sendFatal(fields: PgErrorFields): Promise<void> {
    this.out.errorResponse({ ...fields, severity: 'FATAL' })
    const socket = this.channel.socket
    const bytes = this.out.take()
    if (socket.destroyed || socket.writableEnded) return
    await this.channel.end(bytes)
  }

  private errorFields(error: unknown): PgErrorFields {
    const fields = toPgError(error)
    if (this.cancelRequested && fields.code === '57014') {
      return { ...fields, message: 'canceling statement due to user request' }
    }
    return fields
  }

  private requireConnection(): DuckDBConnection {
    if (this.connection === null) throw new EndpointError('08003', 'the session has no connection')
    return this.connection
  }

  private dispose(): void {
    this.live = null
    this.closeAllPortals()
    for (const name of [...this.statements.keys()]) this.dropStatement(name)
    this.cache.clear()
    const connection = this.connection
    this.connection = null
    connection?.closeSync()
    void this.channel.end()
  }
}

/** Messages handled even while the rest is skipped after an error. */
const ALWAYS_HANDLED = new Set<FrontendMessage['type']>([
  'sync',
  'flush',
  'terminate',
  'protocolViolation',
])

/** node-api prefixes parser errors of extractStatements; the client should see DuckDB's own text. */
function withoutExtractPrefix(error: unknown): unknown {
  if (!(error instanceof Error)) return error
  const message = error.message.replace(/^Failed to extract statements: /, '')
  return message === error.message ? error : new Error(message)
}

function canceled(): EndpointError {
  return new EndpointError('57014', 'canceling statement due to user request')
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** ParameterDescription: declared OIDs, else what DuckDB inferred, else text. */
function parameterOids(statement: Statement): number[] {
  const prepared = statement.prepared
  const count = prepared?.parameterCount ?? 0
  const oids: number[] = []
  for (let index = 0; index < count; index++) {
    const declared = statement.parameterTypes[index] ?? 0
    if (declared !== 0) {
      oids.push(declared)
      continue
    }
    const type = knownType(
      () => prepared!.parameterTypeId(index + 1),
      () => prepared!.parameterType(index + 1),
    )
    oids.push(type === undefined ? TEXT_OID : wireColumnOf('', type).oid)
  }
  return oids
}

/**
 * RowDescription of a statement that has not run: DuckDB's prepared column types (text where DuckDB
 * cannot tell before binding), or null when the statement returns no rows.
 */
function statementColumns(statement: Statement): WireColumn[] | null {
  const prepared = statement.prepared!
  if (!returnsRows(prepared, statement.info)) return null
  const columns: WireColumn[] = []
  for (let index = 0; index < prepared.columnCount; index++) {
    const type = knownType(
      () => prepared.columnTypeId(index),
      () => prepared.columnType(index),
    )
    columns.push(wireColumnOf(prepared.columnName(index), type ?? VARCHAR))
  }
  return columns
}

function knownType(typeId: () => DuckDBTypeId, type: () => DuckDBType): DuckDBType | undefined {
  try {
    return typeId() === DuckDBTypeId.INVALID ? undefined : type()
  } catch {
    return undefined
  }
}

/**
 * Whether a prepared statement returns rows. DuckDB gives DML a one-column `Count` result, so DML
 * returns rows only with RETURNING; the result's own return type decides once it runs.
 */
function returnsRows(prepared: DuckDBPreparedStatement, info: StatementInfo | undefined): boolean {
  switch (prepared.statementType) {
    case StatementType.INSERT:
    case StatementType.UPDATE:
    case StatementType.DELETE:
    case StatementType.MERGE_INTO:
      return info?.returning ?? !(prepared.columnCount === 1 && prepared.columnName(0) === 'Count')
    case StatementType.SELECT:
    case StatementType.EXPLAIN:
    case StatementType.PRAGMA:
    case StatementType.CALL:
    case StatementType.RELATION:
    case StatementType.EXECUTE:
      return prepared.columnCount > 0
    default:
      return false
  }
}
