import { StatementType } from '@duckdb/node-api'
import type { TransactionModes } from '../../sql/session-command.js'
import type { StatementInfo } from '../../sql/sql-statements.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import { TransactionStatus } from '../protocol/message-codes.js'
import { commandTag } from './command-tag.js'
import type { Portal, PreparedStatements } from './prepared-statements.js'
import type { SessionOutput } from './session-output.js'
import type { ActiveTransactionModes, SessionSettings } from './session-settings.js'
import type { SqlCursors } from './sql-cursors.js'
import type { CatalogEpoch } from './statement-cache.js'
import type { StatementRunner } from './statement-runner.js'

/**
 * The transaction status Postgres reports in ReadyForQuery (idle, in a transaction block, or in a
 * failed one) and what follows from it: commands refused in a failed transaction, the answers
 * Postgres gives to BEGIN/COMMIT/ROLLBACK without running them, portals closed when a transaction
 * ends, and the transaction's modes.
 *
 * DuckDB runs every transaction with snapshot isolation, at least as strong as any level Postgres
 * offers: the level asked for is recorded and shown (SHOW transaction_isolation), never weakened.
 * READ ONLY is DuckDB's own: a read-only block is DuckDB's `BEGIN TRANSACTION READ ONLY`, and with
 * default_transaction_read_only on, a statement outside a block runs in one of its own.
 */
export class TransactionState {
  private current = TransactionStatus.Idle
  /** A statement ran in DuckDB since BEGIN: the modes can no longer change (Postgres' first snapshot). */
  private queried = false
  /** A read-only DuckDB transaction the endpoint opened around statements outside a block. */
  private implicitReadOnly = false

  constructor(
    private readonly output: SessionOutput,
    private readonly runner: StatementRunner,
    private readonly statements: PreparedStatements,
    private readonly catalog: CatalogEpoch,
    private readonly settings: SessionSettings,
    private readonly cursors: Pick<SqlCursors, 'holdForCommit'>,
  ) {}

  /** The status byte of ReadyForQuery. */
  get status(): TransactionStatus {
    return this.current
  }

  /** Outside a transaction block: each statement (or each Sync) is a transaction of its own. */
  get isIdle(): boolean {
    return this.current === TransactionStatus.Idle
  }

  /**
   * Postgres answers some transaction commands without running them: BEGIN inside a transaction and
   * COMMIT/ROLLBACK outside one only warn; COMMIT of a failed transaction rolls it back. Returns the
   * command tag when the statement was handled here.
   */
  async shortcut(info: StatementInfo | undefined, portal?: Portal): Promise<string | undefined> {
    this.refuseIfFailed(info)
    const control = info?.transaction
    if (control === undefined) return undefined
    if (control === 'begin' && this.current !== TransactionStatus.Idle) {
      this.output.messages.noticeResponse({
        severity: 'WARNING',
        code: SqlState.ActiveSqlTransaction,
        message: 'there is already a transaction in progress',
      })
      return info?.command?.kind === 'begin' ? info.command.tag : 'BEGIN'
    }
    if (control !== 'begin' && this.current === TransactionStatus.Idle) {
      this.output.messages.noticeResponse({
        severity: 'WARNING',
        code: SqlState.NoActiveSqlTransaction,
        message: 'there is no transaction in progress',
      })
      return control === 'commit' ? 'COMMIT' : 'ROLLBACK'
    }
    if (control !== 'begin' && this.current === TransactionStatus.Failed) {
      // DuckDB may already have ended the failed transaction itself.
      await this.runner.runSql('ROLLBACK').catch(() => undefined)
      // The rollback undoes whatever DDL the failed transaction ran.
      this.catalog.bump()
      await this.end(false, portal)
      return 'ROLLBACK'
    }
    return undefined
  }

  /**
   * BEGIN / START TRANSACTION with its modes (a mode left out takes its default_transaction_* value):
   * DuckDB's `BEGIN TRANSACTION`, read-only when asked.
   */
  async begin(modes: TransactionModes): Promise<void> {
    const resolved = this.resolve(this.settings.transactionDefaults, modes)
    await this.runner.runSql(
      resolved.readOnly ? 'BEGIN TRANSACTION READ ONLY' : 'BEGIN TRANSACTION',
    )
    this.current = TransactionStatus.InTransaction
    this.queried = false
    await this.settings.beginTransaction(resolved)
  }

  /**
   * SET TRANSACTION … (and SET transaction_isolation / transaction_read_only) inside a block. Before
   * its first query the block's DuckDB transaction is started again with the new access mode; after
   * it, a change is refused as Postgres refuses it (25001).
   */
  async setModes(modes: TransactionModes): Promise<void> {
    const active = this.settings.transactionModes
    if (active === undefined) {
      this.output.messages.noticeResponse({
        severity: 'WARNING',
        code: SqlState.NoActiveSqlTransaction,
        message: 'SET TRANSACTION can only be used in transaction blocks',
      })
      return
    }
    const resolved = this.resolve(active, modes)
    if (this.queried && resolved.isolation !== active.isolation) {
      throw new EndpointError(
        SqlState.ActiveSqlTransaction,
        'SET TRANSACTION ISOLATION LEVEL must be called before any query',
      )
    }
    if (resolved.readOnly !== active.readOnly) {
      if (this.queried) {
        throw new EndpointError(
          resolved.readOnly ? SqlState.FeatureNotSupported : SqlState.ActiveSqlTransaction,
          resolved.readOnly
            ? 'the local endpoint can make a transaction read-only only before its first query (DuckDB fixes the access mode when the transaction starts)'
            : 'transaction read-write mode must be set before any query',
          resolved.readOnly ? { hint: 'BEGIN TRANSACTION READ ONLY, then run the queries.' } : {},
        )
      }
      // Nothing ran in DuckDB's transaction yet: starting it again loses nothing.
      await this.runner.runSql('ROLLBACK')
      await this.runner.runSql(
        resolved.readOnly ? 'BEGIN TRANSACTION READ ONLY' : 'BEGIN TRANSACTION',
      )
    }
    await this.settings.setTransactionModes(resolved, resolved.readOnly !== active.readOnly)
  }

  /**
   * Before DuckDB runs a statement outside a transaction block while default_transaction_read_only
   * is on: a read-only DuckDB transaction of its own, ended by `endImplicit`.
   */
  async beforeRun(info: StatementInfo | undefined): Promise<void> {
    if (info?.transaction === 'commit' && this.current === TransactionStatus.InTransaction) {
      await this.holdCursors()
    }
    if (this.current !== TransactionStatus.Idle || this.implicitReadOnly) return
    if (info?.transaction !== undefined || !this.settings.transactionDefaults.readOnly) return
    await this.runner.runSql('BEGIN TRANSACTION READ ONLY')
    this.implicitReadOnly = true
  }

  /** Ends the read-only transaction `beforeRun` opened, if any (end of the statement, or Sync). */
  async endImplicit(): Promise<void> {
    if (!this.implicitReadOnly) return
    this.implicitReadOnly = false
    await this.runner
      .runSql('COMMIT')
      .catch(() => this.runner.runSql('ROLLBACK'))
      .catch(() => undefined)
  }

  /**
   * After a statement ran: BEGIN opens a transaction block; COMMIT/ROLLBACK end it and close its
   * portals, except the one running COMMIT/ROLLBACK itself.
   */
  async afterRun(info: StatementInfo | undefined, portal?: Portal): Promise<void> {
    if (info?.transaction === 'begin') {
      this.current = TransactionStatus.InTransaction
    } else if (info?.transaction === 'commit' || info?.transaction === 'rollback') {
      await this.end(info.transaction === 'commit', portal)
    } else {
      this.queried = true
    }
  }

  /**
   * DuckDB's refusal of a write in a read-only transaction, in Postgres' words (25006 naming the
   * command); any other error as it was.
   */
  readOnlyViolation(
    error: unknown,
    statementType: StatementType,
    info: StatementInfo | undefined,
  ): unknown {
    const readOnly = this.implicitReadOnly || this.settings.transactionModes?.readOnly === true
    if (!readOnly || !(error instanceof Error) || !/read-only mode/.test(error.message)) {
      return error
    }
    return new EndpointError(
      SqlState.ReadOnlySqlTransaction,
      `cannot execute ${commandName(statementType, info)} in a read-only transaction`,
    )
  }

  /** 25P02 for anything but COMMIT/ROLLBACK while the transaction block has failed. */
  refuseIfFailed(info: StatementInfo | undefined): void {
    if (this.current !== TransactionStatus.Failed) return
    if (info?.transaction === 'commit' || info?.transaction === 'rollback') return
    throw new EndpointError(
      SqlState.InFailedSqlTransaction,
      'current transaction is aborted, commands ignored until end of transaction block',
      { hint: 'Send ROLLBACK to end the failed transaction.' },
    )
  }

  /**
   * An error inside a transaction block fails it: only ROLLBACK (or COMMIT) gets out. As in Postgres,
   * the transaction is aborted at once (DuckDB's rolled back, what the block SET undone and announced
   * before the next ReadyForQuery); the block stays failed until the client ends it.
   */
  async fail(): Promise<void> {
    if (this.current !== TransactionStatus.InTransaction) return
    this.current = TransactionStatus.Failed
    await this.runner.runSql('ROLLBACK').catch(() => undefined)
    this.catalog.bump()
    await this.settings.endTransaction(false)
  }

  /**
   * Before COMMIT, the block's WITH HOLD cursors are read into memory. When one cannot be, the
   * COMMIT fails and, as in Postgres, the transaction is rolled back and over.
   */
  private async holdCursors(): Promise<void> {
    try {
      await this.cursors.holdForCommit()
    } catch (error) {
      await this.runner.runSql('ROLLBACK').catch(() => undefined)
      this.catalog.bump()
      await this.end(false, undefined)
      throw error
    }
  }

  private async end(committed: boolean, portal: Portal | undefined): Promise<void> {
    this.current = TransactionStatus.Idle
    this.statements.removePortals(portal)
    await this.settings.endTransaction(committed)
  }

  private resolve(base: ActiveTransactionModes, modes: TransactionModes): ActiveTransactionModes {
    return {
      isolation: modes.isolation ?? base.isolation,
      readOnly: modes.readOnly ?? base.readOnly,
      deferrable: modes.deferrable ?? base.deferrable,
    }
  }
}

/** The command a 25006 names, as Postgres names it (`INSERT`, `CREATE TABLE`…). */
function commandName(statementType: StatementType, info: StatementInfo | undefined): string {
  switch (statementType) {
    case StatementType.INSERT:
    case StatementType.UPDATE:
    case StatementType.DELETE:
      return StatementType[statementType]
    case StatementType.MERGE_INTO:
      return 'MERGE'
    default:
      return commandTag(info, statementType, undefined).replace(/ \d+$/, '')
  }
}
