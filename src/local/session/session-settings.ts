import { StatementType } from '@duckdb/node-api'
import { quoteIdentifier, quoteString } from '../../sql/quote.js'
import type { SetCommand } from '../../sql/set-command.js'
import type { StatementInfo } from '../../sql/sql-statements.js'
import { createSettingsTableSql, updateSettingsSql } from '../catalog/settings-catalog.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import type { DuckDBSettingScopes } from './duckdb-setting-scopes.js'
import {
  durationMilliseconds,
  POSTGRES_SETTINGS,
  type PostgresSetting,
  SETTINGS_BY_NAME,
} from './postgres-settings.js'
import type { SessionOutput } from './session-output.js'
import type { StatementRunner } from './statement-runner.js'
import {
  instanceWide,
  refuseDuckDBSetting,
  refuseTemporaryCatalog,
  STRICT_REFUSED,
  unrecognizedSetting,
} from './strict-refusals.js'

/** What a transaction block changed: the value before, and the one a COMMIT keeps (a non-LOCAL SET's). */
interface UndoEntry {
  readonly before: string
  committed?: string
}

/** The modes of the running transaction, as SHOW transaction_isolation / transaction_read_only show them. */
export interface ActiveTransactionModes {
  readonly isolation: string
  readonly readOnly: boolean
  readonly deferrable: boolean
}

/**
 * One session's settings, Postgres-style: the Postgres ones drivers send (kept here, announced in
 * ParameterStatus before ReadyForQuery when they change), its DuckDB TimeZone and search_path (set on
 * its own connection), SET LOCAL and ROLLBACK undoing what a transaction block set, and, in strict
 * mode, the refusal of every SET that would change the DuckDB instance the sessions share (and of
 * ATTACH, DETACH, INSTALL/LOAD, PRAGMA), decided by DuckDB's statement type and DuckDB's own list of
 * its settings.
 */
export class SessionSettings {
  private readonly values = new Map<string, string>()
  /** What RESET and DEFAULT go back to: the values after the startup packet, as in Postgres. */
  private readonly defaults = new Map<string, string>()
  /** The values the client last heard in ParameterStatus. */
  private readonly announced = new Map<string, string>()
  /** Inside a transaction block: what it changed, to undo at ROLLBACK (and SET LOCAL at COMMIT). */
  private undo: Map<string, UndoEntry> | null = null
  private modes: ActiveTransactionModes | null = null
  /** What the session's settings table (current_setting, pg_settings) holds, by name. */
  private written = new Map<string, string>()
  /** What it held when the DuckDB transaction began: a ROLLBACK takes its writes back. */
  private writtenAtBegin: Map<string, string> | null = null

  constructor(
    private readonly output: SessionOutput,
    private readonly runner: StatementRunner,
    private readonly strict: boolean,
    private readonly duckDBSettings: DuckDBSettingScopes,
  ) {
    for (const setting of POSTGRES_SETTINGS) this.values.set(setting.name, setting.initial)
  }

  /**
   * Applies the settings of the startup packet (its parameters that are settings, and `options`'
   * `-c name=value`): a name Postgres would not know, or a value the endpoint cannot honour, ends the
   * connection (FATAL), as in Postgres.
   */
  async applyStartup(settings: readonly (readonly [string, string])[]): Promise<void> {
    try {
      for (const [name, value] of settings) {
        const setting = SETTINGS_BY_NAME.get(name.toLowerCase())
        if (setting === undefined) {
          if (this.strict || !this.duckDBSettings.has(name.toLowerCase())) {
            refuseDuckDBSetting(name, this.strict ? this.duckDBSettings : new Map())
          }
          await this.runner.applyConnectionSetting(
            `SET ${quoteIdentifier(name)} = ${quoteString(value)}`,
          )
          continue
        }
        if (setting.context !== 'session') throw cannotChange(setting.name)
        await this.assign(setting, setting.accept(value))
      }
      await this.applyTimeZone(this.values.get('TimeZone')!)
      this.values.set('search_path', await this.runner.readConnectionSetting('search_path'))
      for (const [name, value] of this.values) this.defaults.set(name, value)
      await this.createTable()
    } catch (error) {
      if (!(error instanceof EndpointError)) throw error
      throw new EndpointError(error.code, error.message, {
        severity: 'FATAL',
        ...(error.hint === undefined ? {} : { hint: error.hint }),
      })
    }
  }

  /** The session's TimeZone, in which timestamptz results are written. */
  get timeZone(): string {
    return this.values.get('TimeZone')!
  }

  /** The ParameterStatus messages of the greeting. */
  greet(): void {
    for (const setting of POSTGRES_SETTINGS) {
      if (setting.reported) this.announce(setting.name, this.values.get(setting.name)!)
    }
  }

  /** Before ReadyForQuery: a ParameterStatus for each reported setting whose value changed, as Postgres 14+. */
  reportChanges(): void {
    for (const [name, value] of this.announced) {
      const current = this.values.get(name)!
      if (current !== value) this.announce(name, current)
    }
  }

  /** statement_timeout in milliseconds (0: none). */
  get statementTimeout(): number {
    return durationMilliseconds(this.values.get('statement_timeout')!)
  }

  /** default_transaction_isolation / default_transaction_read_only: the modes a BEGIN starts with. */
  get transactionDefaults(): ActiveTransactionModes {
    return {
      isolation: this.values.get('default_transaction_isolation')!,
      readOnly: this.values.get('default_transaction_read_only') === 'on',
      deferrable: this.values.get('default_transaction_deferrable') === 'on',
    }
  }

  /** The running transaction block's modes; undefined outside one. */
  get transactionModes(): ActiveTransactionModes | undefined {
    return this.modes ?? undefined
  }

  /**
   * Whether the endpoint runs this SET/RESET itself: RESET ALL, SET LOCAL, and every Postgres setting
   * it keeps. Any other (DuckDB's own settings, `SET VARIABLE`, `SET schema`) goes to DuckDB, through
   * `shortcut`'s strict-mode checks.
   */
  handles(command: SetCommand): boolean {
    if (command.scope === 'variable') return false
    return (
      command.all === true ||
      command.scope === 'local' ||
      SETTINGS_BY_NAME.has(command.name.toLowerCase())
    )
  }

  /** The setting SHOW names, if it is one the endpoint keeps (by any capitalisation). */
  setting(name: string): PostgresSetting | undefined {
    return SETTINGS_BY_NAME.get(name.toLowerCase())
  }

  /** Whether `name` is one of DuckDB's own settings (SHOW reads it with DuckDB's current_setting). */
  isDuckDBSetting(name: string): boolean {
    return this.duckDBSettings.has(name.toLowerCase())
  }

  /** A setting's value as SHOW shows it. */
  async show(setting: PostgresSetting): Promise<string> {
    if (setting.context === 'transaction') {
      const modes = this.modes ?? this.transactionDefaults
      if (setting.name === 'transaction_isolation') return modes.isolation
      return (setting.name === 'transaction_read_only' ? modes.readOnly : modes.deferrable)
        ? 'on'
        : 'off'
    }
    return this.current(setting)
  }

  /** The value a SET of `setting` would keep, without keeping it (55P02 for a fixed setting). */
  validate(setting: PostgresSetting, value: string): string {
    if (setting.context === 'fixed') throw cannotChange(setting.name)
    return setting.accept(value)
  }

  /**
   * SET, SET SESSION, SET LOCAL, RESET and RESET ALL of a setting `handles` accepted (the transaction
   * modes excepted: TransactionState applies those). Returns the command tag.
   */
  async set(command: SetCommand): Promise<string> {
    const tag = command.action.toUpperCase()
    if (command.all === true) {
      for (const setting of POSTGRES_SETTINGS) {
        if (setting.context === 'session')
          await this.change(setting, this.defaultOf(setting), false)
      }
      await this.mirror()
      return tag
    }
    const setting = SETTINGS_BY_NAME.get(command.name.toLowerCase())
    if (setting === undefined) {
      if (this.strict) refuseDuckDBSetting(command.name, this.duckDBSettings)
      if (!this.duckDBSettings.has(command.name.toLowerCase()))
        throw unrecognizedSetting(command.name)
      throw new EndpointError(
        SqlState.FeatureNotSupported,
        `DuckDB has no SET LOCAL: its setting "${command.name}" can only be SET for the session`,
        { hint: `SET ${command.name} = …, and SET it back when the transaction ends.` },
      )
    }
    if (command.scope === 'global') throw instanceWide(setting.name)
    if (setting.context === 'fixed') throw cannotChange(setting.name)
    if (command.value === undefined) {
      throw new EndpointError(
        SqlState.InvalidParameterValue,
        `SET ${setting.name} takes one literal value`,
        { hint: `SET ${setting.name} = '…'` },
      )
    }
    const value = command.value === null ? this.defaultOf(setting) : setting.accept(command.value)
    const local = command.scope === 'local'
    if (local && this.undo === null) {
      this.output.messages.noticeResponse({
        severity: 'WARNING',
        code: SqlState.NoActiveSqlTransaction,
        message: 'SET LOCAL can only be used in transaction blocks',
      })
      return tag
    }
    await this.change(setting, value, local)
    await this.mirror()
    return tag
  }

  /**
   * A transaction block starts with these modes (its DuckDB transaction has begun); what it sets from
   * now on can be undone.
   */
  async beginTransaction(modes: ActiveTransactionModes): Promise<void> {
    this.undo = new Map()
    this.modes = modes
    this.writtenAtBegin = new Map(this.written)
    await this.mirror()
  }

  /**
   * SET TRANSACTION … inside the block (TransactionState checked that DuckDB follows). `restarted`:
   * DuckDB's transaction was rolled back and begun again, taking back what was written in it.
   */
  async setTransactionModes(modes: ActiveTransactionModes, restarted: boolean): Promise<void> {
    this.modes = modes
    if (restarted && this.writtenAtBegin !== null) this.written = new Map(this.writtenAtBegin)
    await this.mirror()
  }

  /**
   * The transaction block ended: ROLLBACK undoes every SET made in it; COMMIT keeps the SETs and
   * undoes the SET LOCALs, as in Postgres.
   */
  async endTransaction(committed: boolean): Promise<void> {
    const undo = this.undo
    this.undo = null
    this.modes = null
    // DuckDB's ROLLBACK took back what was written to the settings table in the transaction.
    if (!committed && this.writtenAtBegin !== null) this.written = this.writtenAtBegin
    this.writtenAtBegin = null
    for (const [name, entry] of undo ?? []) {
      const setting = SETTINGS_BY_NAME.get(name.toLowerCase())!
      const target = committed ? (entry.committed ?? entry.before) : entry.before
      if (target !== (await this.current(setting))) await this.assign(setting, target)
    }
    await this.mirror()
  }

  /**
   * Before DuckDB runs a prepared statement: in strict mode a SET of one of DuckDB's own settings
   * (or of its schema to the temp catalog) and the statement types strict mode refuses throw. The
   * endpoint's own settings never get here (see `handles`).
   */
  check(statementType: StatementType, info: StatementInfo | undefined): void {
    if (!this.strict) return
    const refused = STRICT_REFUSED.get(statementType)
    if (refused !== undefined) {
      throw new EndpointError(
        SqlState.FeatureNotSupported,
        `MotherDuck's Postgres endpoint does not support ${refused.what}.`,
        { hint: refused.advice },
      )
    }
    if (statementType !== StatementType.SET) return
    const command = info?.setting
    if (command === undefined) {
      // USE is DuckDB's SET of the current schema, per connection. Any other SET the endpoint's lexer did
      // not read (`PRAGMA name = value` among them) does not run in strict mode.
      if (info?.keywords[0] === 'USE') {
        refuseTemporaryCatalog(info.keywords[1] ?? '')
        return
      }
      throw new EndpointError(
        SqlState.InsufficientPrivilege,
        'the local endpoint cannot tell which setting this SET changes; strict mode refuses it',
        { hint: "Write it as SET name = 'value' (or SET VARIABLE name = …)." },
      )
    }
    if (command.scope === 'variable') return
    if (command.name.toLowerCase() === 'schema') {
      if (command.scope === 'global') throw instanceWide(command.name)
      refuseTemporaryCatalog(command.value ?? '')
      return
    }
    refuseDuckDBSetting(command.name, this.duckDBSettings)
  }

  /** The settings as the settings table holds them: SHOW's values (search_path is DuckDB's, read there). */
  private async shownValues(): Promise<Map<string, string>> {
    const shown = new Map<string, string>()
    for (const setting of POSTGRES_SETTINGS) {
      if (setting.name !== 'search_path') shown.set(setting.name, await this.show(setting))
    }
    return shown
  }

  /** The session's settings table (see settings-catalog.ts), made at startup. */
  private async createTable(): Promise<void> {
    this.written = await this.shownValues()
    const rows = [...this.written].map(([name, setting]) => ({
      name,
      setting,
      context: SETTINGS_BY_NAME.get(name.toLowerCase())!.context === 'fixed' ? 'internal' : 'user',
    }))
    await this.runner.applyConnectionSetting(createSettingsTableSql(rows))
  }

  /** Writes to the settings table what changed since it was last written. */
  private async mirror(): Promise<void> {
    const changes: [string, string][] = []
    for (const [name, value] of await this.shownValues()) {
      if (this.written.get(name) !== value) changes.push([name, value])
    }
    if (changes.length === 0) return
    await this.runner.applyConnectionSetting(updateSettingsSql(changes))
    for (const [name, value] of changes) this.written.set(name, value)
  }

  private announce(name: string, value: string): void {
    this.announced.set(name, value)
    this.output.messages.parameterStatus(name, value)
  }

  private defaultOf(setting: PostgresSetting): string {
    return this.defaults.get(setting.name) ?? setting.initial
  }

  /** search_path is DuckDB's (USE changes it too); every other value is kept here. */
  private async current(setting: PostgresSetting): Promise<string> {
    if (setting.name === 'search_path') return this.runner.readConnectionSetting('search_path')
    return this.values.get(setting.name)!
  }

  /** Sets a value, noting in an open transaction block what to undo. */
  private async change(setting: PostgresSetting, value: string, local: boolean): Promise<void> {
    if (this.undo !== null) {
      const entry = this.undo.get(setting.name) ?? { before: await this.current(setting) }
      if (!local) entry.committed = value
      this.undo.set(setting.name, entry)
    }
    await this.assign(setting, value)
  }

  private async assign(setting: PostgresSetting, value: string): Promise<void> {
    if (setting.name === 'TimeZone') {
      this.values.set('TimeZone', await this.applyTimeZone(value))
      return
    }
    if (setting.name === 'search_path') {
      if (this.strict) refuseTemporaryCatalog(value)
      await this.runner.applyConnectionSetting(`SET search_path = ${quoteString(value)}`)
    }
    this.values.set(setting.name, value)
  }

  /**
   * DuckDB's TimeZone on this session's connection only (`SET SESSION` overrides the instance
   * default); returns the name as DuckDB spells it (`europe/paris` → `Europe/Paris`, as Postgres).
   */
  private async applyTimeZone(zone: string): Promise<string> {
    if (zone.toUpperCase() === 'LOCAL') {
      throw new EndpointError(
        SqlState.FeatureNotSupported,
        'the local endpoint needs a named time zone, not LOCAL',
        { hint: "SET TimeZone = 'UTC' (or an IANA name such as 'Europe/Paris')" },
      )
    }
    try {
      await this.runner.applyConnectionSetting(`SET SESSION TimeZone = ${quoteString(zone)}`)
    } catch {
      throw new EndpointError(
        SqlState.InvalidParameterValue,
        `invalid value for parameter "TimeZone": "${zone}"`,
        { hint: "Give an IANA time zone name, such as 'UTC' or 'Europe/Paris'." },
      )
    }
    return this.runner.readConnectionSetting('TimeZone')
  }
}

/** 55P02, as Postgres answers a SET of a setting fixed at server start. */
function cannotChange(name: string): EndpointError {
  return new EndpointError(SqlState.CantChangeRuntimeParam, `parameter "${name}" cannot be changed`)
}
