import type { DuckDBPreparedStatement } from '@duckdb/node-api'
import type { StatementInfo } from '../../sql/sql-statements.js'
import { bindParameters, type WireParameter } from '../decode/bind-parameters.js'
import { resultFormatsOf, unsupportedFormatCode } from '../encode/value-encoder.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import type { FrontendMessage } from '../protocol/frontend-parser.js'
import { applyMotherDuckRules, type MotherDuckRulesOptions } from '../rules/motherduck-rules.js'
import { commandTag } from './command-tag.js'
import { parameterOids, resultColumnCount, statementColumns } from './describe.js'
import type { Portal, PreparedStatements, Statement } from './prepared-statements.js'
import type { SessionCommands } from './session-commands.js'
import { checkQueryLength, type SessionLimits } from './session-limits.js'
import type { SessionOutput } from './session-output.js'
import type { SessionSettings } from './session-settings.js'
import type { CatalogEpoch } from './statement-cache.js'
import type { Outcome, StatementRunner } from './statement-runner.js'
import type { TransactionState } from './transaction-state.js'

/** What the extended protocol needs from the session's options. */
export interface ExtendedQueryOptions {
  readonly rules: MotherDuckRulesOptions
  readonly catalog: CatalogEpoch
  readonly limits: SessionLimits
}

/**
 * The extended query protocol: Parse, Bind, Describe, Execute, Close and Sync. A statement runs in
 * DuckDB when its portal is first described or executed (DuckDB cannot type an untyped `$1` before
 * that); a row limit suspends the portal, and the next Execute goes on where it stopped.
 */
export class ExtendedQuery {
  constructor(
    private readonly output: SessionOutput,
    private readonly runner: StatementRunner,
    private readonly transaction: TransactionState,
    private readonly statements: PreparedStatements,
    private readonly settings: SessionSettings,
    private readonly commands: SessionCommands,
    private readonly options: ExtendedQueryOptions,
  ) {}

  async parse(name: string, sql: string, parameterTypes: readonly number[]): Promise<void> {
    checkQueryLength(sql, this.options.limits)
    if (name !== '' && this.statements.getStatement(name) !== undefined) {
      throw new EndpointError(
        SqlState.DuplicatePreparedStatement,
        `prepared statement "${name}" already exists`,
        { hint: 'Close it first, or use another name.' },
      )
    }
    // As in Postgres, Parse ends the previous unnamed statement first (which may hand it to the
    // cache for this very Parse, when the client repeats its text).
    if (name === '') this.statements.removeStatement('')
    const statement = this.statements.takeCached(sql) ?? (await this.prepare(sql))
    try {
      this.transaction.refuseIfFailed(statement.info)
    } catch (error) {
      const { prepared } = statement
      if (prepared !== null) this.statements.giveToCache(sql, { ...statement, prepared })
      throw error
    }
    this.statements.putStatement({
      name,
      sql,
      info: statement.info,
      prepared: statement.prepared,
      parameterTypes,
      pathParameters: statement.pathParameters,
      epoch: statement.epoch,
      failed: false,
      boundPortal: null,
      portals: new Set(),
    })
    this.out.parseComplete()
  }

  bind(message: Extract<FrontendMessage, { type: 'bind' }>): void {
    const statement = this.statements.requireStatement(message.statement)
    this.transaction.refuseIfFailed(statement.info)
    if (message.portal !== '' && this.statements.hasPortal(message.portal)) {
      throw new EndpointError(SqlState.DuplicateCursor, `portal "${message.portal}" already exists`)
    }
    const values = message.parameters
    const required = statement.prepared?.parameterCount ?? 0
    if (values.length !== required) {
      throw new EndpointError(
        SqlState.ProtocolViolation,
        `bind message supplies ${values.length} parameters, but prepared statement "${statement.name}" requires ${required}`,
      )
    }
    const formats = message.parameterFormats
    if (formats.length > 1 && formats.length !== values.length) {
      throw new EndpointError(
        SqlState.ProtocolViolation,
        `bind message has ${formats.length} parameter formats but ${values.length} parameters`,
      )
    }
    const parameters: WireParameter[] = values.map((value, index) => {
      const format = formats.length === 0 ? 0 : formats.length === 1 ? formats[0] : formats[index]
      if (format !== 0 && format !== 1) throw unsupportedFormatCode(format ?? 0)
      return { value, format, oid: statement.parameterTypes[index] ?? 0 }
    })
    const resultFormats = message.resultFormats
    if (resultFormats.length > 0 && statement.prepared !== null) {
      // Checked at Bind against the columns DuckDB announces, as Postgres checks them.
      const columnCount = resultColumnCount(statement.prepared, statement.info)
      if (columnCount !== null) resultFormatsOf(resultFormats, columnCount)
    }
    const portal: Portal = {
      name: message.portal,
      statement,
      parameters,
      resultFormats,
      state: { kind: 'initial' },
    }
    // Binding now reports bad values at Bind, where Postgres reports them.
    if (statement.prepared !== null) this.bindInto(statement, portal)
    this.statements.putPortal(portal)
    this.out.bindComplete()
  }

  async describe(kind: 'S' | 'P', name: string): Promise<void> {
    if (kind === 'S') {
      const statement = this.statements.requireStatement(name)
      this.out.parameterDescription(parameterOids(statement.prepared, statement.parameterTypes))
      const columns = this.commands.answers(statement.info)
        ? this.commands.columns(statement)
        : statement.prepared === null
          ? null
          : statementColumns(statement.prepared, statement.info)
      if (columns === null) this.out.noData()
      else this.out.rowDescription(columns)
      return
    }
    const portal = this.statements.requirePortal(name)
    if (portal.statement.prepared === null && !this.commands.answers(portal.statement.info)) {
      this.out.noData()
      return
    }
    // DuckDB cannot type an untyped $1 before it runs: describe the real result.
    const outcome = await this.startPortal(portal)
    if (outcome.kind === 'rows') this.out.rowDescription(outcome.cursor.columns)
    else this.out.noData()
  }

  async execute(name: string, maxRows: number): Promise<void> {
    const portal = this.statements.requirePortal(name)
    if (portal.statement.prepared === null && !this.commands.answers(portal.statement.info)) {
      this.out.emptyQueryResponse()
      return
    }
    const outcome = await this.startPortal(portal)
    if (outcome.kind === 'tag') {
      portal.state = { kind: 'done', outcome }
      this.out.commandComplete(outcome.tag)
      return
    }
    const limit = Math.max(maxRows, 0)
    this.runner.startStatement()
    let sent: number
    try {
      sent = await this.runner.sendRows(outcome.cursor, limit)
    } catch (error) {
      portal.statement.failed = true
      throw error
    }
    if (limit > 0 && sent === limit && !outcome.cursor.done) {
      portal.state = { kind: 'suspended', outcome }
      this.out.portalSuspended()
    } else {
      portal.state = { kind: 'done', outcome }
      this.out.commandComplete(commandTag(portal.statement.info, outcome.statementType, sent))
    }
  }

  close(kind: 'S' | 'P', name: string): void {
    if (kind === 'P') {
      this.statements.removePortal(name)
    } else {
      const statement = this.statements.getStatement(name)
      if (statement !== undefined) {
        this.statements.removePortalsOf(statement)
        this.statements.removeStatement(name)
      }
    }
    this.out.closeComplete()
  }

  async sync(): Promise<void> {
    // Outside a transaction block, Sync ends the implicit transaction and with it every portal.
    if (this.transaction.isIdle) this.statements.removePortals()
    await this.transaction.endImplicit()
    this.settings.reportChanges()
    this.out.readyForQuery(this.transaction.status)
    await this.output.flush()
  }

  private get out(): SessionOutput['messages'] {
    return this.output.messages
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
        SqlState.SyntaxError,
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
    this.transaction.refuseIfFailed(info)
    // A statement the endpoint answers never reaches DuckDB's parser: only its result's shape does.
    const prepared = this.commands.answers(info)
      ? await this.commands.shape(info, rewritten.sql)
      : await this.runner.prepare(rewritten.sql).catch((error: unknown) => {
          throw this.commands.unknownShow(error, info)
        })
    return { prepared, info, pathParameters, epoch }
  }

  /** Runs a portal's statement the first time it is described or executed. */
  private async startPortal(portal: Portal): Promise<Outcome> {
    if (portal.state.kind !== 'initial') return portal.state.outcome
    const statement = portal.statement
    this.transaction.refuseIfFailed(statement.info)
    this.runner.startStatement()
    const shortcut = await this.transaction.shortcut(statement.info, portal)
    if (shortcut !== undefined) {
      const outcome: Outcome = { kind: 'tag', tag: shortcut }
      portal.state = { kind: 'running', outcome }
      return outcome
    }
    if (statement.prepared !== null && statement.boundPortal !== portal) {
      this.bindInto(statement, portal)
    }
    if (this.commands.answers(statement.info)) {
      const outcome = await this.commands.run(statement.info!, {
        portal,
        formats: portal.resultFormats ?? [],
      })
      portal.state = { kind: 'running', outcome }
      return outcome
    }
    const prepared = statement.prepared!
    let outcome: Outcome
    try {
      this.settings.check(prepared.statementType, statement.info)
      await this.transaction.beforeRun(statement.info)
      const encoding = { formats: portal.resultFormats ?? [], timeZone: this.settings.timeZone }
      outcome = await this.runner
        .run(prepared, statement.info, encoding)
        .catch((error: unknown) => {
          throw this.transaction.readOnlyViolation(error, prepared.statementType, statement.info)
        })
    } catch (error) {
      statement.failed = true
      throw error
    }
    await this.transaction.afterRun(statement.info, portal)
    portal.state = { kind: 'running', outcome }
    return outcome
  }

  private bindInto(statement: Statement, portal: Portal): void {
    bindParameters(statement.prepared!, portal.parameters, {
      objectStore: this.options.rules.objectStore,
      pathParameters: statement.pathParameters,
      strict: this.options.rules.strict,
    })
    statement.boundPortal = portal
  }
}
