import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'

/**
 * How a setting may change. `session`: SET/RESET, kept per session, undone by ROLLBACK. `fixed`: SHOW
 * only (server_version…; SET is 55P02, as in Postgres). `transaction`: the running transaction's own
 * modes (transaction_isolation…), set by BEGIN / SET TRANSACTION, gone when it ends.
 */
export type SettingContext = 'session' | 'fixed' | 'transaction'

/** A Postgres setting the endpoint keeps per session itself. */
export interface PostgresSetting {
  /** The name as Postgres spells it in ParameterStatus and as SHOW's column. */
  readonly name: string
  readonly initial: string
  /** Announced in ParameterStatus at startup and on change (Postgres' GUC_REPORT settings). */
  readonly reported: boolean
  readonly context: SettingContext
  /** The value as kept and shown (normalised); throws an EndpointError for one the endpoint cannot honour. */
  readonly accept: (value: string) => string
  /** Applied to the session's DuckDB connection too (its TimeZone, its search_path). */
  readonly engine?: boolean
}

const anyValue = (value: string): string => value

function invalidValue(name: string, value: string, hint?: string): EndpointError {
  return new EndpointError(
    SqlState.InvalidParameterValue,
    `invalid value for parameter "${name}": "${value}"`,
    hint === undefined ? {} : { hint },
  )
}

function oneOf(name: string, accepted: readonly string[], kept: string) {
  return (value: string): string => {
    if (accepted.includes(value.toLowerCase())) return kept
    throw new EndpointError(
      SqlState.FeatureNotSupported,
      `the local endpoint supports only ${name} = ${kept}, not "${value}"`,
    )
  }
}

/**
 * client_encoding: UTF8 only. Postgres compares encoding names with everything but letters and digits
 * left out, so asyncpg's `'utf-8'` (quotes included) and `Utf_8` are UTF8 too.
 */
function encoding(value: string): string {
  const name = value.replace(/[^A-Za-z0-9]/g, '').toLowerCase()
  if (name === 'utf8' || name === 'unicode' || name === 'sqlascii') return 'UTF8'
  throw new EndpointError(
    SqlState.FeatureNotSupported,
    `the local endpoint supports only client_encoding = UTF8, not "${value}"`,
  )
}

function integerIn(name: string, min: number, max: number) {
  return (value: string): string => {
    const number = Number(value)
    if (!Number.isInteger(number)) {
      throw new EndpointError(
        SqlState.InvalidParameterValue,
        `invalid value for parameter "${name}": "${value}"`,
        { hint: `Give an integer from ${min} to ${max}.` },
      )
    }
    if (number >= min && number <= max) return String(number)
    throw new EndpointError(
      SqlState.InvalidParameterValue,
      `${number} is outside the valid range for parameter "${name}" (${min} .. ${max})`,
    )
  }
}

function boolean(name: string) {
  return (value: string): string => {
    const word = value.trim().toLowerCase()
    if (['on', 'true', 'yes', '1', 't', 'y'].includes(word)) return 'on'
    if (['off', 'false', 'no', '0', 'f', 'n'].includes(word)) return 'off'
    throw new EndpointError(
      SqlState.InvalidParameterValue,
      `parameter "${name}" requires a Boolean value`,
    )
  }
}

/** Postgres' isolation levels, as SHOW writes them. */
export const ISOLATION_LEVELS = [
  'serializable',
  'repeatable read',
  'read committed',
  'read uncommitted',
] as const

function isolationLevel(name: string) {
  return (value: string): string => {
    const level = value.trim().toLowerCase().replace(/\s+/g, ' ')
    if ((ISOLATION_LEVELS as readonly string[]).includes(level)) return level
    throw invalidValue(
      name,
      value,
      'Available values: serializable, repeatable read, read committed, read uncommitted.',
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

const MILLISECONDS_PER: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}

/** The units Postgres shows a duration in, largest first. */
const SHOWN_UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
]

/**
 * A duration setting in milliseconds (`statement_timeout`): a number of milliseconds or a number
 * with a unit (`us`, `ms`, `s`, `min`, `h`, `d`), shown as Postgres shows it (`10ms`, `1min`, `0`).
 */
function duration(name: string) {
  return (value: string): string => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/.exec(value)
    const milliseconds =
      match === null
        ? Number.NaN
        : Math.round(Number(match[1]) * MILLISECONDS_PER[match[2] ?? 'ms']!)
    if (!Number.isSafeInteger(milliseconds) || milliseconds > 2_147_483_647) {
      throw invalidValue(
        name,
        value,
        'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".',
      )
    }
    if (milliseconds === 0) return '0'
    const unit = SHOWN_UNITS.find(([, size]) => milliseconds % size === 0)
    return unit === undefined ? `${milliseconds}ms` : `${milliseconds / unit[1]}${unit[0]}`
  }
}

/** The milliseconds of a duration setting's shown value (see `duration`). */
export function durationMilliseconds(shown: string): number {
  const match = /^(\d+)(ms|s|min|h|d)?$/.exec(shown)
  return match === null ? 0 : Number(match[1]) * MILLISECONDS_PER[match[2] ?? 'ms']!
}

const fixed = (name: string, value: string, reported: boolean): PostgresSetting => ({
  name,
  initial: value,
  reported,
  context: 'fixed',
  accept: anyValue,
})

const session = (
  name: string,
  initial: string,
  accept: (value: string) => string,
  options: { reported?: boolean; engine?: boolean } = {},
): PostgresSetting => ({
  name,
  initial,
  reported: options.reported ?? false,
  context: 'session',
  accept,
  ...(options.engine === true ? { engine: true } : {}),
})

/** The Postgres version the endpoint reports (SQLAlchemy and pgjdbc read `PostgreSQL 15`). */
export const SERVER_VERSION = '15.0'

/**
 * The Postgres settings drivers send at startup or with SET (pgjdbc: extra_float_digits, DateStyle,
 * TimeZone, client_encoding, application_name; libpq and psycopg: client_encoding, options) and read
 * with SHOW (SQLAlchemy: transaction isolation level, standard_conforming_strings), applied by the
 * endpoint per session: DuckDB has none of them but TimeZone and search_path, which are set on the
 * session's own connection, so no other session sees any of them.
 */
export const POSTGRES_SETTINGS: readonly PostgresSetting[] = [
  session('application_name', '', anyValue, { reported: true }),
  session(
    'client_encoding',
    'UTF8',
    // SQL_ASCII (psql's "auto" in a C locale) passes bytes through unconverted: UTF8 reads the same.
    encoding,
    { reported: true },
  ),
  session('DateStyle', 'ISO, MDY', dateStyle, { reported: true }),
  session('IntervalStyle', 'postgres', oneOf('IntervalStyle', ['postgres'], 'postgres'), {
    reported: true,
  }),
  session('TimeZone', 'UTC', anyValue, { reported: true, engine: true }),
  session(
    'standard_conforming_strings',
    'on',
    oneOf('standard_conforming_strings', ['on', 'true', '1', 'yes'], 'on'),
    { reported: true },
  ),
  session('search_path', '', anyValue, { engine: true }),
  session('extra_float_digits', '1', integerIn('extra_float_digits', -15, 3)),
  session('statement_timeout', '0', duration('statement_timeout')),
  session('lock_timeout', '0', duration('lock_timeout')),
  session(
    'idle_in_transaction_session_timeout',
    '0',
    duration('idle_in_transaction_session_timeout'),
  ),
  session('idle_session_timeout', '0', duration('idle_session_timeout')),
  session('client_min_messages', 'notice', anyValue),
  session('bytea_output', 'hex', oneOf('bytea_output', ['hex'], 'hex')),
  // asyncpg's documentation suggests `server_settings={'jit': 'off'}`; DuckDB has no JIT to switch.
  session('jit', 'on', boolean('jit')),
  session(
    'default_transaction_isolation',
    'read committed',
    isolationLevel('default_transaction_isolation'),
  ),
  session('default_transaction_read_only', 'off', boolean('default_transaction_read_only'), {
    reported: true,
  }),
  session('default_transaction_deferrable', 'off', boolean('default_transaction_deferrable')),
  {
    name: 'transaction_isolation',
    initial: 'read committed',
    reported: false,
    context: 'transaction',
    accept: isolationLevel('transaction_isolation'),
  },
  {
    name: 'transaction_read_only',
    initial: 'off',
    reported: false,
    context: 'transaction',
    accept: boolean('transaction_read_only'),
  },
  {
    name: 'transaction_deferrable',
    initial: 'off',
    reported: false,
    context: 'transaction',
    accept: boolean('transaction_deferrable'),
  },
  fixed('server_version', SERVER_VERSION, true),
  fixed('server_version_num', '150000', false),
  fixed('server_encoding', 'UTF8', true),
  fixed('integer_datetimes', 'on', true),
  fixed('is_superuser', 'off', true),
  fixed('in_hot_standby', 'off', true),
  fixed('max_identifier_length', '63', false),
]

/** The settings by lower-case name. */
export const SETTINGS_BY_NAME: ReadonlyMap<string, PostgresSetting> = new Map(
  POSTGRES_SETTINGS.map((setting) => [setting.name.toLowerCase(), setting]),
)
