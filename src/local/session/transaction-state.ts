import type { StatementInfo } from '../../sql/sql-statements.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import { TransactionStatus } from '../protocol/message-codes.js'
import type { Portal, PreparedStatements } from './prepared-statements.js'
import type { SessionOutput } from './session-output.js'
import type { CatalogEpoch } from './statement-cache.js'
import type { StatementRunner } from './statement-runner.js'

/**
 * The transaction status Postgres reports in ReadyForQuery (idle, in a transaction block, or in a
 * failed one) and what follows from it: commands refused in a failed transaction, the answers
 * Postgres gives to BEGIN/COMMIT/ROLLBACK without running them, and portals closed when a
 * transaction ends.
 */
export class TransactionState {
  private current = TransactionStatus.Idle

  constructor(
    private readonly output: SessionOutput,
    private readonly runner: StatementRunner,
    private readonly statements: PreparedStatements,
    private readonly catalog: CatalogEpoch,
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
      return 'BEGIN'
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
      this.current = TransactionStatus.Idle
      this.statements.removePortals(portal)
      return 'ROLLBACK'
    }
    return undefined
  }

  /**
   * After a statement ran: BEGIN opens a transaction block; COMMIT/ROLLBACK end it and close its
   * portals, except the one running COMMIT/ROLLBACK itself.
   */
  afterRun(info: StatementInfo | undefined, portal?: Portal): void {
    if (info?.transaction === 'begin') {
      this.current = TransactionStatus.InTransaction
    } else if (info?.transaction === 'commit' || info?.transaction === 'rollback') {
      this.current = TransactionStatus.Idle
      this.statements.removePortals(portal)
    }
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

  /** An error inside a transaction block fails it: only ROLLBACK (or COMMIT) gets out. */
  fail(): void {
    if (this.current === TransactionStatus.InTransaction) this.current = TransactionStatus.Failed
  }
}
