import type { DuckDBExtractedStatements, DuckDBInstance } from '@duckdb/node-api'
import { type StatementInfo, statementTexts } from '../../sql/sql-statements.js'
import { inheritOidTyped } from '../catalog/oid-types.js'
import type { SessionIdentity } from '../catalog/session-identity.js'
import { EndpointError } from '../errors/endpoint-error.js'
import type { PgErrorFields } from '../errors/pg-error-fields.js'
import { SqlState } from '../errors/sql-state.js'
import { BackendSerializer } from '../protocol/backend-serializer.js'
import type { FrontendChannel } from '../protocol/frontend-channel.js'
import type { FrontendMessage } from '../protocol/frontend-parser.js'
import { applyMotherDuckRules, type MotherDuckRulesOptions } from '../rules/motherduck-rules.js'
import { commandTag } from './command-tag.js'
import type { DuckDBSettingScopes } from './duckdb-setting-scopes.js'
import { errorResponseFields } from './error-response-fields.js'
import { ExtendedQuery } from './extended-query.js'
import { PreparedStatements } from './prepared-statements.js'
import type { QueryAdmission } from './query-admission.js'
import { SessionCommands } from './session-commands.js'
import { checkQueryLength, type SessionLimits } from './session-limits.js'
import { SessionOutput } from './session-output.js'
import { SessionSettings } from './session-settings.js'
import { SqlCursors } from './sql-cursors.js'
import type { CatalogEpoch } from './statement-cache.js'
import { type Outcome, StatementRunner } from './statement-runner.js'
import { TransactionState } from './transaction-state.js'

/** What a session needs from the server that accepted it. */
export interface SessionOptions {
  readonly instance: DuckDBInstance
  /** The attached database this session starts in (`USE`). */
  readonly database: string
  readonly rules: MotherDuckRulesOptions
  readonly processId: number
  readonly secretKey: number
  /** The settings the startup packet asks for (its parameters and `options`), applied to this session. */
  readonly startupSettings: readonly (readonly [string, string])[]
  /** DuckDB's settings and their scopes, which strict mode refuses to SET. */
  readonly duckDBSettings: DuckDBSettingScopes
  /** Who the session is, as `current_user`, `pg_backend_pid()`, `version()` and `md_user_info()` answer. */
  readonly identity: SessionIdentity
  /** Shared by the endpoint's sessions: tells when cached prepared statements went stale. */
  readonly catalog: CatalogEpoch
  /** What this session may make the endpoint hold. */
  readonly limits: SessionLimits
  /** Shared by the endpoint's sessions: how many DuckDB calls run at once. */
  readonly admission: QueryAdmission
}

/**
 * One client connection after authentication: its own DuckDB connection on the shared instance,
 * the simple and extended query protocols, the transaction status Postgres reports (I/T/E), and
 * results streamed chunk by chunk with backpressure.
 *
 * Messages are handled strictly one after the other (see FrontendChannel); sessions run side by side
 * because every DuckDB call is asynchronous. This file holds the run loop, the dispatch of messages
 * and the simple query protocol; the extended protocol, the statement and portal registry, the
 * transaction state and the DuckDB calls each have their own file.
 */
export class Session {
  private readonly output: SessionOutput
  private readonly runner: StatementRunner
  private readonly statements: PreparedStatements
  private readonly transaction: TransactionState
  private readonly extendedQuery: ExtendedQuery
  private readonly settings: SessionSettings
  private readonly commands: SessionCommands
  /** After an error in the extended protocol, messages are ignored up to the next Sync. */
  private skipUntilSync = false
  private terminating = false

  constructor(
    private readonly channel: FrontendChannel,
    private readonly options: SessionOptions,
  ) {
    this.output = new SessionOutput(channel)
    this.runner = new StatementRunner(
      this.output,
      options.catalog,
      options.limits,
      options.admission,
      () => this.settings.statementTimeout,
    )
    this.statements = new PreparedStatements(options.catalog)
    this.settings = new SessionSettings(
      this.output,
      this.runner,
      options.rules.strict,
      options.duckDBSettings,
    )
    const cursors = new SqlCursors(
      this.runner,
      this.statements,
      this.settings,
      options.catalog,
      options.limits,
      () => !this.transaction.isIdle,
    )
    this.transaction = new TransactionState(
      this.output,
      this.runner,
      this.statements,
      options.catalog,
      this.settings,
      cursors,
    )
    this.commands = new SessionCommands(
      this.runner,
      this.transaction,
      this.settings,
      this.statements,
      cursors,
    )
    this.extendedQuery = new ExtendedQuery(
      this.output,
      this.runner,
      this.transaction,
      this.statements,
      this.settings,
      this.commands,
      options,
    )
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
      await this.runner.open(this.options.instance, this.options.database, this.options.identity)
      await this.settings.applyStartup(this.options.startupSettings)
      this.greet()
      await this.output.flush()
      await this.serve()
    } catch (error) {
      await this.output.sendFatal(errorResponseFields(error))
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
        code: SqlState.AdminShutdown,
        message: 'terminating connection due to administrator command',
      })
      .take()
    void this.channel.end(goodbye)
    // A client that does not read must not hold the shutdown.
    setTimeout(() => socket.destroy(), 1000).unref()
  }

  private get out(): BackendSerializer {
    return this.output.messages
  }

  private interruptRunning(): void {
    this.output.stopWaitingForDrain()
    this.runner.cancel()
  }

  private greet(): void {
    this.settings.greet()
    this.out.backendKeyData(this.options.processId, this.options.secretKey)
    this.out.readyForQuery(this.transaction.status)
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
          await this.extendedQuery.parse(message.name, message.sql, message.parameterTypes)
          break
        case 'bind':
          this.extendedQuery.bind(message)
          break
        case 'describe':
          await this.extendedQuery.describe(message.kind, message.name)
          break
        case 'execute':
          await this.extendedQuery.execute(message.portal, message.maxRows)
          break
        case 'close':
          this.extendedQuery.close(message.kind, message.name)
          break
        case 'sync':
          this.skipUntilSync = false
          await this.extendedQuery.sync()
          break
        case 'flush':
          await this.output.flush()
          break
        case 'terminate':
          return false
        case 'copy':
          // Postgres ignores copy messages outside COPY: they follow a COPY that failed.
          break
        case 'functionCall':
          throw new EndpointError(
            SqlState.FeatureNotSupported,
            'the function call sub-protocol is not supported',
            { hint: 'Call the function in a query instead: SELECT f($1).' },
          )
        case 'protocolViolation':
          await this.output.sendFatal(errorResponseFields(message.error))
          return false
        default:
          throw new EndpointError(
            SqlState.ProtocolViolation,
            `unexpected ${message.type} message after startup`,
            { severity: 'FATAL' },
          )
      }
      await this.output.flushIfFull()
      return true
    } catch (error) {
      // A result that failed while streaming is dead: nothing may read from it again.
      this.runner.forgetStreamingCursor()
      const fields = this.errorFields(error)
      if (fields.severity === 'FATAL') {
        await this.output.sendFatal(fields)
        return false
      }
      this.out.errorResponse(fields)
      await this.transaction.fail()
      this.skipUntilSync = true
      return true
    } finally {
      this.runner.finishStatement()
    }
  }

  /** The simple query protocol: one or more statements in one string, run and answered in turn. */
  private async simpleQuery(sql: string): Promise<void> {
    this.runner.startStatement()
    try {
      // The simple protocol ends the unnamed statement and portal of a preceding extended query.
      this.statements.removePortal('')
      this.statements.removeStatement('')
      checkQueryLength(sql, this.options.limits)
      const rewritten = applyMotherDuckRules(sql, this.options.rules)
      const infos = rewritten.statements
      const texts = infos.some((info) => this.commands.answers(info))
        ? statementTexts(rewritten.sql)
        : undefined
      if (infos.length === 0) {
        this.out.emptyQueryResponse()
      } else if (texts?.length === infos.length) {
        // Statements the endpoint answers never reach DuckDB, whose parser refuses them: the others
        // go to DuckDB one by one.
        for (const [index, info] of infos.entries()) {
          if (this.commands.answers(info)) await this.runCommand(info, texts[index]!)
          else await this.runExtracted(await this.runner.extractStatements(texts[index]!), [info])
        }
      } else {
        await this.runExtracted(await this.runner.extractStatements(rewritten.sql), infos)
      }
    } catch (error) {
      this.runner.forgetStreamingCursor()
      const fields = this.errorFields(error)
      if (fields.severity === 'FATAL') throw error
      this.out.errorResponse(fields)
      await this.transaction.fail()
      await this.transaction.endImplicit()
    } finally {
      this.runner.finishStatement()
    }
    this.settings.reportChanges()
    this.out.readyForQuery(this.transaction.status)
    await this.output.flush()
  }

  /**
   * A statement the endpoint answers itself (SessionCommands), in the simple protocol. A DECLAREd
   * cursor's rows stay in DuckDB past the statement (FETCH reads them), so the streaming result is
   * forgotten only when the command fails.
   */
  private async runCommand(info: StatementInfo, text: string): Promise<void> {
    this.runner.startStatement()
    const shortcut = await this.transaction.shortcut(info)
    if (shortcut !== undefined) {
      this.out.commandComplete(shortcut)
      return
    }
    try {
      await this.send(await this.commands.run(info, { text }), info)
    } catch (error) {
      this.runner.forgetStreamingCursor()
      throw error
    }
  }

  /** DuckDB's statements of (part of) a simple query, with the infos of our split when they align. */
  private async runExtracted(
    extracted: DuckDBExtractedStatements,
    infos: readonly StatementInfo[],
  ): Promise<void> {
    // Our split only classifies; DuckDB's decides. Should they disagree, tags get generic.
    const aligned = extracted.count === infos.length
    for (let index = 0; index < extracted.count; index++) {
      this.runner.startStatement()
      const info = aligned ? infos[index] : undefined
      const shortcut = await this.transaction.shortcut(info)
      if (shortcut !== undefined) {
        this.out.commandComplete(shortcut)
        continue
      }
      const prepared = await this.runner
        .interruptible(() => extracted.prepare(index))
        .then((statement) => inheritOidTyped(extracted, statement))
        .catch((error: unknown) => {
          throw this.commands.unknownShow(error, info)
        })
      try {
        this.settings.check(prepared.statementType, info)
        await this.transaction.beforeRun(info)
        const outcome = await this.runner
          .run(prepared, info, { timeZone: this.settings.timeZone })
          .catch((error: unknown) => {
            throw this.transaction.readOnlyViolation(error, prepared.statementType, info)
          })
        await this.transaction.afterRun(info)
        await this.send(outcome, info)
        await this.transaction.endImplicit()
      } finally {
        this.runner.forgetStreamingCursor()
        prepared.destroySync()
      }
    }
  }

  /** A statement's result: its rows, then CommandComplete. */
  private async send(outcome: Outcome, info: StatementInfo | undefined): Promise<void> {
    if (outcome.kind === 'rows') {
      this.out.rowDescription(outcome.cursor.columns)
      const sent = await this.runner.sendRows(outcome.cursor, 0)
      this.out.commandComplete(commandTag(info, outcome.statementType, sent))
    } else {
      this.out.commandComplete(outcome.tag)
    }
  }

  private errorFields(error: unknown): PgErrorFields {
    const fields = errorResponseFields(error)
    const canceled = this.runner.cancelMessage
    if (canceled !== undefined && fields.code === SqlState.QueryCanceled) {
      return { ...fields, message: canceled }
    }
    return fields
  }

  private dispose(): void {
    this.runner.forgetStreamingCursor()
    this.statements.clear()
    this.runner.close()
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
