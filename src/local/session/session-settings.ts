import { StatementType } from '@duckdb/node-api'
import { quoteIdentifier, quoteString } from '../../sql/quote.js'
import type { SetCommand } from '../../sql/set-command.js'
import type { StatementInfo } from '../../sql/sql-statements.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import type { DuckDBSettingScopes } from './duckdb-setting-scopes.js'
import type { SessionOutput } from './session-output.js'
import type { StatementRunner } from './statement-runner.js'

/** A Postgres session setting the endpoint keeps per session itself. */
interface PostgresSetting {
  /** The name as Postgres spells it in ParameterStatus and SHOW. */
  readonly name: string
  readonly initial: string
  /** Announced in ParameterStatus at startup and on change (Postgres' GUC_REPORT settings). */
  readonly reported: boolean
  /** The value as kept (normalised), or an EndpointError for one the endpoint cannot honour. */
  readonly accept: (value: string) => string
}

const anyValue = (value: string): string => value

function oneOf(name: string, accepted: readonly string[], kept: string) {
  return (value: string): string => {
    if (accepted.includes(value.toLowerCase())) return kept
    throw new EndpointError(
      SqlState.FeatureNotSupported,
      `the local endpoint supports only ${name} = ${kept}, not "${value}"`,
    )
  }
}

function integerIn(name: string, min: number, max: number) {
  return (value: string): string => {
    const number = Number(value)
    if (Number.isInteger(number) && number >= min && number <= max) return String(number)
    throw new EndpointError(
      SqlState.InvalidParameterValue,
      `invalid value for parameter "${name}": "${value}"`,
      { hint: `Give an integer from ${min} to ${max}.` },
    )
  }
}

/** The date order part of DateStyle; the output format is always ISO (what the encoder writes). */
function dateStyle(value: string): string {
  const parts = value.split(',').map((part) => part.trim().toUpperCase())
  const order = parts.find((part) => part === 'MDY' || part === 'DMY' || part === 'YMD') ?? 'MDY'
  if (parts.every((part) => part === 'ISO' || part === order)) return `ISO, ${order}`
  throw new EndpointError(
    SqlState.FeatureNotSupported,
    `the local endpoint writes dates in ISO style only, not DateStyle "${value}"`,
    { hint: "SET DateStyle = 'ISO'" },
  )
}

/**
 * The Postgres settings drivers send at startup or with SET (pgjdbc: extra_float_digits, DateStyle,
 * TimeZone, client_encoding, application_name; libpq and psycopg: client_encoding, options), applied by
 * the endpoint per session: DuckDB has none of them, and its TimeZone is set on the session's own
 * connection (`SET SESSION`), so no other session sees any of them.
 */
const POSTGRES_SETTINGS: readonly PostgresSetting[] = [
  { name: 'application_name', initial: '', reported: true, accept: anyValue },
  {
    name: 'client_encoding',
    initial: 'UTF8',
    reported: true,
    // SQL_ASCII (psql's "auto" in a C locale) passes bytes through unconverted: UTF8 reads the same.
    accept: oneOf('client_encoding', ['utf8', 'utf-8', 'unicode', 'sql_ascii'], 'UTF8'),
  },
  { name: 'DateStyle', initial: 'ISO, MDY', reported: true, accept: dateStyle },
  {
    name: 'IntervalStyle',
    initial: 'postgres',
    reported: true,
    accept: oneOf('IntervalStyle', ['postgres'], 'postgres'),
  },
  { name: 'TimeZone', initial: 'UTC', reported: true, accept: anyValue },
  {
    name: 'standard_conforming_strings',
    initial: 'on',
    reported: true,
    accept: oneOf('standard_conforming_strings', ['on', 'true', '1', 'yes'], 'on'),
  },
  {
    name: 'extra_float_digits',
    initial: '1',
    reported: false,
    accept: integerIn('extra_float_digits', -15, 3),
  },
  { name: 'statement_timeout', initial: '0', reported: false, accept: anyValue },
  { name: 'lock_timeout', initial: '0', reported: false, accept: anyValue },
  { name: 'idle_in_transaction_session_timeout', initial: '0', reported: false, accept: anyValue },
  { name: 'idle_session_timeout', initial: '0', reported: false, accept: anyValue },
  { name: 'client_min_messages', initial: 'notice', reported: false, accept: anyValue },
  {
    name: 'bytea_output',
    initial: 'hex',
    reported: false,
    accept: oneOf('bytea_output', ['hex'], 'hex'),
  },
]

const BY_NAME = new Map(POSTGRES_SETTINGS.map((setting) => [setting.name.toLowerCase(), setting]))

/** ParameterStatus values announced at startup that are not settings a client can change. */
const FIXED_STATUS: readonly [string, string][] = [
  ['server_version', '15.0'],
  ['server_encoding', 'UTF8'],
  ['integer_datetimes', 'on'],
  ['is_superuser', 'off'],
]

/** Statement types strict mode refuses whatever their spelling, as DuckDB's parser classifies them. */
const STRICT_REFUSED: ReadonlyMap<StatementType, { what: string; advice: string }> = new Map([
  [
    StatementType.ATTACH,
    {
      what: 'ATTACH',
      advice:
        'Query your other MotherDuck databases with three-part names (db.schema.table); locally, list them in the databases option of startLocalEndpoint.',
    },
  ],
  [
    StatementType.DETACH,
    {
      what: 'DETACH',
      advice:
        'The databases are shared by every session: query them with three-part names, and leave them attached.',
    },
  ],
  [
    StatementType.LOAD,
    { what: 'installing or loading extensions', advice: 'Drop the INSTALL/LOAD statement.' },
  ],
  [
    StatementType.EXTENSION,
    { what: 'installing or loading extensions', advice: 'Drop the INSTALL/LOAD statement.' },
  ],
  [
    StatementType.UPDATE_EXTENSIONS,
    { what: 'UPDATE EXTENSIONS', advice: 'Drop the UPDATE EXTENSIONS statement.' },
  ],
  [
    StatementType.PRAGMA,
    {
      what: 'PRAGMA statements that change DuckDB (profiling, checkpoints, optimizer, verification)',
      advice:
        'Query information with its table function instead, e.g. SELECT * FROM pragma_table_info(…).',
    },
  ],
])

/**
 * One session's settings: the Postgres ones drivers send (kept here, announced in ParameterStatus),
 * its DuckDB TimeZone (set on its own connection), and, in strict mode, the refusal of every SET that
 * would change the DuckDB instance the sessions share (and of ATTACH, DETACH, INSTALL/LOAD, PRAGMA),
 * decided by DuckDB's statement type and DuckDB's own list of its settings.
 */
export class SessionSettings {
  private readonly values = new Map<string, string>()
  /** What RESET and DEFAULT go back to: the values after the startup packet, as in Postgres. */
  private readonly defaults = new Map<string, string>()

  constructor(
    private readonly output: SessionOutput,
    private readonly runner: StatementRunner,
    private readonly strict: boolean,
    private readonly duckDBSettings: DuckDBSettingScopes,
  ) {
    for (const setting of POSTGRES_SETTINGS) this.values.set(setting.name, setting.initial)
  }

  /**
   * Applies the settings of the startup packet (top-level parameters that are Postgres settings, and
   * `options` as `-c name=value`): a value the endpoint cannot honour ends the connection (FATAL).
   */
  async applyStartup(parameters: Readonly<Record<string, string>>): Promise<void> {
    const given: [string, string][] = Object.entries(parameters).filter(([name]) =>
      BY_NAME.has(name.toLowerCase()),
    )
    given.push(...startupOptions(parameters.options ?? ''))
    try {
      for (const [name, value] of given) {
        const command: SetCommand = { action: 'set', scope: 'session', name, value }
        if (!(await this.apply(command, false))) {
          await this.runner.applyConnectionSetting(
            `SET ${quoteIdentifier(name)} = ${quoteString(value)}`,
          )
        }
      }
      await this.applyTimeZone(this.values.get('TimeZone')!)
      for (const [name, value] of this.values) this.defaults.set(name, value)
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
    for (const [name, value] of FIXED_STATUS) this.output.messages.parameterStatus(name, value)
    for (const setting of POSTGRES_SETTINGS) {
      if (setting.reported) {
        this.output.messages.parameterStatus(setting.name, this.values.get(setting.name)!)
      }
    }
  }

  /**
   * Before DuckDB runs a prepared statement: a SET or RESET of a Postgres session setting is applied
   * here (its command tag is returned); in strict mode a SET of one of DuckDB's own settings and the
   * statement types strict mode refuses throw. Undefined lets DuckDB run the statement.
   */
  async shortcut(
    statementType: StatementType,
    info: StatementInfo | undefined,
  ): Promise<string | undefined> {
    const refused = this.strict ? STRICT_REFUSED.get(statementType) : undefined
    if (refused !== undefined) {
      throw new EndpointError(
        SqlState.FeatureNotSupported,
        `MotherDuck's Postgres endpoint does not support ${refused.what}.`,
        { hint: refused.advice },
      )
    }
    if (statementType !== StatementType.SET) return undefined
    const command = info?.setting
    if (command === undefined) {
      // USE is DuckDB's SET of the current schema, per connection. Any other SET the endpoint's lexer did
      // not read (`PRAGMA name = value` among them) does not run in strict mode.
      if (!this.strict) return undefined
      if (info?.keywords[0] === 'USE') {
        refuseTemporaryCatalog(info.keywords[1] ?? '')
        return undefined
      }
      throw new EndpointError(
        SqlState.InsufficientPrivilege,
        'the local endpoint cannot tell which setting this SET changes; strict mode refuses it',
        { hint: "Write it as SET name = 'value' (or SET VARIABLE name = …)." },
      )
    }
    return (await this.apply(command, true)) ? command.action.toUpperCase() : undefined
  }

  /** True when the endpoint applied the command; false when DuckDB is to run it. */
  private async apply(command: SetCommand, announce: boolean): Promise<boolean> {
    const setting = BY_NAME.get(command.name.toLowerCase())
    if (command.scope === 'variable') return false
    if (setting === undefined) {
      if (command.name.toLowerCase() === 'search_path' || command.name.toLowerCase() === 'schema') {
        if (command.scope === 'global') throw instanceWide(command.name)
        if (this.strict) refuseTemporaryCatalog(command.value ?? '')
        return false
      }
      if (this.strict) this.refuseDuckDBSetting(command.name)
      return false
    }
    if (command.scope === 'global') throw instanceWide(setting.name)
    if (command.value === undefined) {
      throw new EndpointError(
        SqlState.InvalidParameterValue,
        `SET ${setting.name} takes one literal value`,
        { hint: `SET ${setting.name} = '…'` },
      )
    }
    const value =
      command.value === null
        ? (this.defaults.get(setting.name) ?? setting.initial)
        : setting.accept(command.value)
    if (setting.name === 'TimeZone') await this.applyTimeZone(value)
    this.values.set(setting.name, value)
    if (announce && setting.reported) this.output.messages.parameterStatus(setting.name, value)
    return true
  }

  /** DuckDB's TimeZone on this session's connection only: `SET SESSION` overrides the instance default. */
  private async applyTimeZone(zone: string): Promise<void> {
    if (zone.toUpperCase() === 'LOCAL') {
      throw new EndpointError(
        SqlState.FeatureNotSupported,
        'the local endpoint needs a named time zone, not LOCAL',
        { hint: "SET TimeZone = 'UTC' (or an IANA name such as 'Europe/Paris')" },
      )
    }
    await this.runner.applyConnectionSetting(`SET SESSION TimeZone = ${quoteString(zone)}`)
  }

  /** Strict mode: a DuckDB setting is the instance's, or a knob clients may not turn; unknown names are 42704. */
  private refuseDuckDBSetting(name: string): never {
    const scope = this.duckDBSettings.get(name.toLowerCase())
    if (scope === 'GLOBAL') throw instanceWide(name)
    if (scope === 'LOCAL') {
      throw new EndpointError(
        SqlState.InsufficientPrivilege,
        `the local endpoint does not let clients change DuckDB's setting "${name}" in strict mode (MotherDuck's Postgres endpoint restricts SET)`,
        { hint: 'Start the endpoint with strict: false to change DuckDB settings.' },
      )
    }
    throw new EndpointError(
      SqlState.UndefinedObject,
      `unrecognized configuration parameter "${name}"`,
    )
  }
}

function instanceWide(name: string): EndpointError {
  return new EndpointError(
    SqlState.InsufficientPrivilege,
    `SET ${name} would change the DuckDB instance every session shares: the local endpoint refuses it in strict mode (MotherDuck's Postgres endpoint restricts SET)`,
    {
      hint: 'Session settings (TimeZone, search_path, application_name…) can be SET; start the endpoint with strict: false to change instance settings.',
    },
  )
}

/**
 * The `-c name=value` and `--name=value` settings of a startup packet's `options` parameter (libpq's
 * PGOPTIONS), with `\` escaping a space as in Postgres.
 */
function startupOptions(options: string): [string, string][] {
  const words = options
    .split(/(?<!\\)\s+/)
    .filter((word) => word !== '')
    .map((word) => word.replace(/\\(.)/g, '$1'))
  const settings: [string, string][] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    const assignment =
      word === '-c' ? words[++i] : word.startsWith('-c') ? word.slice(2) : word.replace(/^--/, '')
    const equals = assignment?.indexOf('=') ?? -1
    if (assignment === undefined || equals <= 0) continue
    settings.push([assignment.slice(0, equals), assignment.slice(equals + 1)])
  }
  return settings
}

/**
 * `USE temp`, `SET schema = 'temp.main'`, `SET search_path = 'temp, …'`: the temp catalog would take
 * unqualified CREATE TABLEs, a temporary table in another spelling, which MotherDuck refuses (the
 * rules layer refuses `CREATE TEMP …` and `temp.…` names). `system` holds no user tables either.
 */
function refuseTemporaryCatalog(target: string): void {
  const catalogs = target
    .split(',')
    .map((entry) => entry.trim().split('.')[0]?.replaceAll('"', '').toLowerCase())
  if (catalogs.some((catalog) => catalog === 'temp' || catalog === 'system')) {
    throw new EndpointError(
      SqlState.FeatureNotSupported,
      "MotherDuck's Postgres endpoint does not support temporary tables, nor making the temp or system catalog current.",
      {
        hint: 'USE one of your databases (my_db, or my_db.some_schema) and create regular tables there.',
      },
    )
  }
}
