import type { DuckDBPreparedStatement } from '@duckdb/node-api'
import { quoteIdentifier, quoteString } from '../../sql/quote.js'
import type { SessionCommand, TransactionModes } from '../../sql/session-command.js'
import type { SetCommand } from '../../sql/set-command.js'
import type { StatementInfo } from '../../sql/sql-statements.js'
import type { ResultEncoding, WireColumn } from '../encode/value-encoder.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import { statementColumns } from './describe.js'
import type { PreparedStatements, Statement } from './prepared-statements.js'
import type { SessionSettings } from './session-settings.js'
import type { CursorCommandSource, CursorStatement, SqlCursors } from './sql-cursors.js'
import type { Outcome, StatementRunner } from './statement-runner.js'
import { unrecognizedSetting } from './strict-refusals.js'
import type { TransactionState } from './transaction-state.js'

/** The transaction's own modes, as settings: SET of one is SET TRANSACTION. */
const TRANSACTION_MODE_SETTINGS: Readonly<Record<string, (value: string) => TransactionModes>> = {
  transaction_isolation: (value) => ({ isolation: value as TransactionModes['isolation'] }),
  transaction_read_only: (value) => ({ readOnly: value === 'on' }),
  transaction_deferrable: (value) => ({ deferrable: value === 'on' }),
}

/**
 * The Postgres session commands the endpoint answers itself, in both protocols: SHOW, the SETs and
 * RESETs of its settings (SET LOCAL and RESET ALL among them), BEGIN / START TRANSACTION with modes,
 * SET TRANSACTION, SET SESSION CHARACTERISTICS, DEALLOCATE, SQL-level cursors (SqlCursors) and the
 * clear refusal of savepoints. DuckDB's parser rejects every one of these (and reads SHOW as
 * DESCRIBE), so they never reach it; a SHOW's answer is a one-row query run in DuckDB, so it streams
 * (text or binary) like any result.
 */
export class SessionCommands {
  constructor(
    private readonly runner: StatementRunner,
    private readonly transaction: TransactionState,
    private readonly settings: SessionSettings,
    private readonly statements: PreparedStatements,
    private readonly cursors: SqlCursors,
  ) {}

  /**
   * Whether the endpoint answers this statement itself. A SHOW of a name that is no setting stays
   * DuckDB's (`SHOW TABLES`, `SHOW my_table`).
   */
  answers(info: StatementInfo | undefined): boolean {
    const command = info?.command
    if (command !== undefined) return command.kind !== 'show' || this.showColumn(command) !== null
    return info?.setting !== undefined && this.settings.handles(info.setting)
  }

  /**
   * What Parse prepares in DuckDB for a command: for a SHOW, the statement whose columns describe
   * its result before it runs (one VARCHAR column named like Postgres' `TimeZone`); for DECLARE,
   * its query (see SqlCursors); null for the other commands. `text` is the statement after
   * MotherDuck's rules.
   */
  async shape(info: StatementInfo, text: string): Promise<DuckDBPreparedStatement | null> {
    const command = info.command
    if (isCursorCommand(command)) return this.cursors.shape(command, text)
    const column =
      command?.kind === 'show'
        ? this.showColumn(command)
        : command?.kind === 'set-config'
          ? command.column
          : null
    return column === null
      ? null
      : this.runner.prepare(`SELECT NULL::VARCHAR AS ${quoteIdentifier(column)}`)
  }

  /**
   * The RowDescription of a prepared command (Describe of the statement): a SHOW's column, a FETCH's
   * cursor's columns; null (NoData) for the others.
   */
  columns(statement: Statement): readonly WireColumn[] | null {
    const command = statement.info?.command
    if (isCursorCommand(command)) return this.cursors.columns(command)
    const prepared = statement.prepared
    return prepared === null ? null : statementColumns(prepared, statement.info)
  }

  /**
   * Runs a statement `answers` accepted. `source` is where a cursor command came from: its text
   * (simple protocol) or its portal (extended); SHOW's row is written as `source` says (Bind's
   * result formats).
   */
  async run(
    info: StatementInfo,
    source: CursorCommandSource & ResultEncoding = {},
  ): Promise<Outcome> {
    const encoding = source
    const command = info.command
    if (command === undefined) return { kind: 'tag', tag: await this.set(info.setting!) }
    if (isCursorCommand(command)) return this.cursors.run(command, source)
    switch (command.kind) {
      case 'show':
        return this.show(command, encoding)
      case 'set-config':
        return this.setConfig(command, encoding)
      case 'begin':
        await this.transaction.begin(command.modes)
        return { kind: 'tag', tag: command.tag }
      case 'transaction-modes':
        if (command.session) await this.setCharacteristics(command.modes)
        else await this.transaction.setModes(command.modes)
        return { kind: 'tag', tag: 'SET' }
      case 'deallocate':
        if (command.name === null || this.statements.getStatement(command.name) !== undefined) {
          this.statements.deallocate(command.name)
        } else {
          // Not a protocol-level statement: DuckDB's own PREPARE (which forgets unknown names silently).
          await this.runner.runSql(`DEALLOCATE ${quoteIdentifier(command.name)}`)
        }
        return { kind: 'tag', tag: command.name === null ? 'DEALLOCATE ALL' : 'DEALLOCATE' }
      case 'notification':
        // The session listens on no channel, so there is nothing to stop listening to.
        if (command.verb === 'UNLISTEN') return { kind: 'tag', tag: 'UNLISTEN' }
        throw new EndpointError(
          SqlState.FeatureNotSupported,
          `${command.verb} is not supported: the local endpoint has no notifications (LISTEN/NOTIFY)`,
          { hint: 'Poll a table for changes instead.' },
        )
      case 'savepoint':
        throw new EndpointError(
          SqlState.FeatureNotSupported,
          `${command.verb} is not supported: DuckDB has no savepoints (nested transactions)`,
          {
            hint: 'Run the transaction without savepoints: ROLLBACK the whole transaction and retry it (SQLAlchemy: no begin_nested(); psycopg: one conn.transaction() block, not nested ones).',
          },
        )
      case 'syntax-error':
        throw new EndpointError(
          SqlState.SyntaxError,
          command.near === null
            ? 'syntax error at end of input'
            : `syntax error at or near "${command.near}"`,
        )
    }
  }

  /**
   * DuckDB's SHOW of a name that is no setting describes the table of that name: when there is none
   * either, the error Postgres gives for an unknown setting (42704), else `error` as it was.
   */
  unknownShow(error: unknown, info: StatementInfo | undefined): unknown {
    const command = info?.command
    if (command?.kind !== 'show' || !(error instanceof Error)) return error
    if (!/Table with name .* does not exist/.test(error.message)) return error
    const unknown = unrecognizedSetting(command.name)
    return new EndpointError(unknown.code, unknown.message, {
      hint: `DuckDB's SHOW also describes tables, and there is no table "${command.name}" either.`,
    })
  }

  /** SHOW's column name: the setting's own spelling; null when `name` is no setting. */
  private showColumn(command: Extract<SessionCommand, { kind: 'show' }>): string | null {
    const setting = this.settings.setting(command.name)
    if (setting !== undefined) return setting.name
    return this.settings.isDuckDBSetting(command.name) ? command.name.toLowerCase() : null
  }

  private async show(
    command: Extract<SessionCommand, { kind: 'show' }>,
    encoding: ResultEncoding,
  ): Promise<Outcome> {
    const column = quoteIdentifier(this.showColumn(command)!)
    const setting = this.settings.setting(command.name)
    const value =
      setting === undefined
        ? `system.main.current_setting(${quoteString(command.name.toLowerCase())})::VARCHAR`
        : `${quoteString(await this.settings.show(setting))}::VARCHAR`
    return this.runner.query(`SELECT ${value} AS ${column}`, encoding)
  }

  /**
   * `SELECT set_config('name', 'value', is_local)`: SET (SET LOCAL when is_local), answered with the
   * new value as SHOW shows it, in one row named like the call (or its alias), as Postgres. Outside a
   * transaction block an is_local change lasts only as long as the statement: it is checked, not kept.
   */
  private async setConfig(
    command: Extract<SessionCommand, { kind: 'set-config' }>,
    encoding: ResultEncoding,
  ): Promise<Outcome> {
    const setting = this.settings.setting(command.name)
    if (setting === undefined) throw unrecognizedSetting(command.name)
    let value: string
    if (command.local && this.settings.transactionModes === undefined) {
      value = this.settings.validate(setting, command.value)
    } else {
      const scope = command.local ? 'local' : 'session'
      await this.set({ action: 'set', scope, name: setting.name, value: command.value })
      value = await this.settings.show(setting)
    }
    const column = quoteIdentifier(command.column)
    return this.runner.query(`SELECT ${quoteString(value)}::VARCHAR AS ${column}`, encoding)
  }

  private async set(command: SetCommand): Promise<string> {
    const mode = TRANSACTION_MODE_SETTINGS[command.name.toLowerCase()]
    if (mode === undefined || command.all === true) return this.settings.set(command)
    const setting = this.settings.setting(command.name)!
    if (command.value === null || command.value === undefined) return command.action.toUpperCase()
    const modes = mode(setting.accept(command.value))
    // Outside a block Postgres accepts it and nothing lasts.
    if (this.settings.transactionModes !== undefined) await this.transaction.setModes(modes)
    return 'SET'
  }

  /** SET SESSION CHARACTERISTICS AS TRANSACTION …: the default_transaction_* settings. */
  private async setCharacteristics(modes: TransactionModes): Promise<void> {
    const assignments: [string, string | undefined][] = [
      ['default_transaction_isolation', modes.isolation],
      [
        'default_transaction_read_only',
        modes.readOnly === undefined ? undefined : String(modes.readOnly),
      ],
      [
        'default_transaction_deferrable',
        modes.deferrable === undefined ? undefined : String(modes.deferrable),
      ],
    ]
    for (const [name, value] of assignments) {
      if (value !== undefined) {
        await this.settings.set({ action: 'set', scope: 'session', name, value })
      }
    }
  }
}

function isCursorCommand(command: SessionCommand | undefined): command is CursorStatement {
  return command?.kind === 'declare' || command?.kind === 'fetch' || command?.kind === 'close'
}
