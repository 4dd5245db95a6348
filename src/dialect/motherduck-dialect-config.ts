import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import * as tls from 'node:tls'
import { inspect } from 'node:util'
import type { DatabaseConnection } from 'kysely'
import type { Pool, PoolConfig } from 'pg'
import {
  DEFAULT_MOTHERDUCK_REGION,
  isMotherDuckRegion,
  MOTHERDUCK_REGIONS,
  type MotherDuckRegion,
  motherDuckHost,
  regionFromToken,
} from '../motherduck/regions.js'
import { isLoopbackHost } from '../net/loopback-host.js'
import type { TypeParsingOptions } from '../types/duckdb-types.js'
import {
  MotherDuckConfigError,
  MotherDuckInsecureConnectionError,
  MotherDuckRegionError,
  MotherDuckTokenMissingError,
} from './motherduck-errors.js'

/**
 * How the connection is encrypted.
 * - `'verify-full'` (the default for every host that is not loopback): TLS, the certificate must chain to
 *   a trusted CA (Node's bundled CAs) and match the host name.
 * - `'require'`: TLS without certificate verification. It encrypts, but does not prove whom you talk to:
 *   an active attacker on the path could read the token. Allowed because you asked for it explicitly.
 * - `false`: no TLS. Only allowed for loopback hosts (`localhost`, `127.0.0.0/8`, `::1`), e.g. the local
 *   endpoint; the default there.
 * - a `tls.ConnectionOptions` object: passed to Node's TLS as it is (plus `servername`), e.g.
 *   `{ ca: fs.readFileSync('local-ca.pem') }` for the local endpoint with its own certificate authority.
 */
export type MotherDuckSslOption = 'verify-full' | 'require' | false | ConnectionOptions

/**
 * The pg pool options you may set through the dialect's `pool` option: all of pg's `PoolConfig` except
 * what the dialect derives from the connection (host, port, user, password, database, connection string,
 * TLS, type parsers, application name). The dialect's defaults suit a remote TLS endpoint, where each
 * new connection costs a TLS handshake and a token check:
 * - `max`: 10;
 * - `idleTimeoutMillis`: 30000;
 * - `connectionTimeoutMillis`: 30000;
 * - `keepAlive`: `true`;
 * - everything else: pg's default.
 *
 * ### Examples
 *
 * ```ts
 * new MotherDuckDialect({ pool: { max: 20, idleTimeoutMillis: 60_000 } })
 * ```
 */
export type MotherDuckPoolOptions = Omit<
  PoolConfig,
  | 'host'
  | 'port'
  | 'user'
  | 'password'
  | 'database'
  | 'connectionString'
  | 'ssl'
  | 'types'
  | 'application_name'
>

/**
 * A pg-cursor compatible cursor class: what `.stream()` reads rows through. Default: `pg-cursor`, which
 * this package depends on; pass your own only to wrap or replace it.
 */
export type MotherDuckCursorConstructor = new (
  text: string,
  values: unknown[],
  config?: { types?: unknown },
) => {
  read(rowCount: number): Promise<unknown[]>
  close(): Promise<void>
}

/** Retrying a failed connect: only transient network errors are retried, never a rejected token. */
export interface MotherDuckConnectRetryOptions {
  /** How many times a failed connect is retried. Default 3. */
  readonly retries?: number
  /** The first wait in milliseconds; doubled for each retry, with jitter. Default 200. */
  readonly initialDelayMs?: number
  /** The longest wait between two tries in milliseconds. Default 3000. */
  readonly maxDelayMs?: number
}

/** How the migrator waits for the migration lock row (see {@link MotherDuckAdapter}'s lock). */
export interface MotherDuckMigrationLockOptions {
  /** How long to wait for another migrator to release the lock, in milliseconds. Default 600000 (10 min). */
  readonly timeoutMs?: number
  /** How often the lock row is polled, in milliseconds. Default 250. */
  readonly pollIntervalMs?: number
}

/**
 * Configuration of {@link MotherDuckDialect}, {@link motherDuckPoolConfig} and {@link createMotherDuckPool}.
 * Every field is optional: each one resolves from the explicit option, then the URL (`url`, else
 * `MOTHERDUCK_URL` when neither `url` nor `host` is given), then `MOTHERDUCK_TOKEN`, `MOTHERDUCK_REGION`,
 * `MOTHERDUCK_DATABASE`, then the defaults.
 *
 * ### Examples
 *
 * ```ts
 * new MotherDuckDialect() // MOTHERDUCK_TOKEN from the environment; database md:; region from MOTHERDUCK_REGION or the token, else us-east-1
 * new MotherDuckDialect({ token, database: 'analytics', region: 'eu-central-1' })
 * new MotherDuckDialect({ url: 'postgresql://postgres:<token>@pg.us-east-1-aws.motherduck.com:5432/md:?sslmode=verify-full&sslrootcert=system' })
 * new MotherDuckDialect({ host: local.host, port: local.port, token: local.token, ssl: false })
 * ```
 */
export interface MotherDuckDialectConfig {
  /** The MotherDuck access token (the password). Default: the URL's password, else `MOTHERDUCK_TOKEN`, else `motherduck_token`. */
  readonly token?: string
  /** The database to connect to: `md:` (your default database) or a database name. Default: the URL's database, else `MOTHERDUCK_DATABASE`, else `md:`. */
  readonly database?: string
  /** The AWS region of your MotherDuck organization; unused with `host`. Default: the URL host's region, else `MOTHERDUCK_REGION`, else the token's region (best effort), else `us-east-1`. */
  readonly region?: MotherDuckRegion
  /** A host to use instead of the region's endpoint, e.g. the local endpoint's `127.0.0.1`. Default: `pg.<region>-aws.motherduck.com` when `region` is given, else the URL's host, else the endpoint of the region `region` defaults to. */
  readonly host?: string
  /** The port. Default: the URL's, else 5432. */
  readonly port?: number
  /**
   * A `postgresql://user:token@host:port/database?sslmode=…` URL; explicit options win over its parts.
   * `sslmode`: `disable` (loopback hosts only), `allow`/`prefer` (the host's default: verify-full, or
   * plain text on loopback — never unverified TLS), `require` (unverified, unless `sslrootcert` is
   * given), `verify-ca`/`verify-full` (both also check the host name); `sslrootcert=<file>` or
   * `system` names the CAs to verify with. Default: `MOTHERDUCK_URL` (unless `host` is given).
   */
  readonly url?: string
  /** TLS; see {@link MotherDuckSslOption}. Default: the URL's `sslmode`, else `'verify-full'`, or `false` for loopback hosts. */
  readonly ssl?: MotherDuckSslOption
  /**
   * pg pool options (`max`, `idleTimeoutMillis`, …; see {@link MotherDuckPoolOptions}), or your own
   * `pg.Pool`, or a function that creates one lazily. With your own pool the connection options above and
   * `typeParsing` do not apply: build it with {@link createMotherDuckPool} to keep them. Default: a pool
   * built from the options above with the defaults of {@link MotherDuckPoolOptions}.
   */
  readonly pool?: MotherDuckPoolOptions | Pool | (() => Promise<Pool>)
  /** The `application_name` the server sees. Default: the URL's `application_name`, else `'kysely-motherduck'`. */
  readonly applicationName?: string
  /** The cursor class used by `.stream()`; `null` disables streaming. Default: `pg-cursor`. */
  readonly cursor?: MotherDuckCursorConstructor | null
  /** How BIGINT and DECIMAL-like values are returned. Default: `{ int64: 'bigint', numeric: 'string' }` ({@link DEFAULT_TYPE_PARSING}). */
  readonly typeParsing?: TypeParsingOptions
  /** Retry of failed connects on transient network errors; `false` disables it. Default: `{ retries: 3, initialDelayMs: 200, maxDelayMs: 3000 }`. */
  readonly connectRetry?: MotherDuckConnectRetryOptions | false
  /** How migrators wait for each other. Default: `{ timeoutMs: 600000, pollIntervalMs: 250 }`. */
  readonly migrationLock?: MotherDuckMigrationLockOptions
  /** Called once for each new connection, like Kysely's PostgresDialect option. Default: none. */
  readonly onCreateConnection?: (connection: DatabaseConnection) => Promise<void>
  /** Called each time a connection is taken from the pool. Default: none. */
  readonly onReserveConnection?: (connection: DatabaseConnection) => Promise<void>
  /** The environment to read `MOTHERDUCK_*` from. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/**
 * The connection a {@link MotherDuckDialectConfig} resolves to, as {@link resolveMotherDuckConnection}
 * returns it: where the dialect will connect, and how. The token is held in a private field behind a
 * getter, so `util.inspect()`, `console.log()` and `JSON.stringify()` show everything but it.
 *
 * ### Examples
 *
 * ```ts
 * const connection = resolveMotherDuckConnection({ region: 'eu-central-1' }) // MOTHERDUCK_TOKEN set
 * console.log(connection)
 * // ResolvedMotherDuckConnection {
 * //   host: 'pg.eu-central-1-aws.motherduck.com', port: 5432, user: 'postgres', database: 'md:',
 * //   sslMode: 'verify-full', region: 'eu-central-1', applicationName: 'kysely-motherduck' }
 * ```
 */
export class ResolvedMotherDuckConnection {
  readonly #token: string
  constructor(
    /** The host name or IP address. */
    readonly host: string,
    readonly port: number,
    /** The user name: the URL's, else `postgres` (MotherDuck's endpoint ignores it). */
    readonly user: string,
    /** `md:` or a database name. */
    readonly database: string,
    /** The options handed to Node's TLS, or `false` for plain text (loopback hosts only). */
    readonly ssl: false | ConnectionOptions,
    /** `verify-full`, `require`, `disable`, or `custom` for a TLS options object. */
    readonly sslMode: 'verify-full' | 'require' | 'disable' | 'custom',
    /** The region whose endpoint `host` is, or `undefined` for a custom host. */
    readonly region: MotherDuckRegion | undefined,
    readonly applicationName: string,
    token: string,
  ) {
    this.#token = token
  }

  /** The token (the password). Kept out of `util.inspect` and `JSON.stringify`. */
  get token(): string {
    return this.#token
  }

  toJSON(): Record<string, unknown> {
    return {
      host: this.host,
      port: this.port,
      user: this.user,
      database: this.database,
      sslMode: this.sslMode,
      region: this.region,
      applicationName: this.applicationName,
    }
  }

  [inspect.custom](): string {
    return `ResolvedMotherDuckConnection ${inspect(this.toJSON())}`
  }
}

export const DEFAULT_DATABASE = 'md:'
export const DEFAULT_APPLICATION_NAME = 'kysely-motherduck'
export const DEFAULT_PORT = 5432
const DEFAULT_USER = 'postgres'

/**
 * libpq's sslmode=allow/prefer: TLS if the server offers it, unverified, else plain text. Resolved
 * against the host (see `resolveSsl`), because a secure default must not depend on a URL's habits.
 */
type OpportunisticSslMode = 'allow' | 'prefer'

interface ParsedUrl {
  host?: string
  port?: number
  user?: string
  password?: string
  database?: string
  ssl?: MotherDuckSslOption | OpportunisticSslMode
  applicationName?: string
}

/**
 * Resolves a config to one connection, the way the dialect does on its first query: explicit options →
 * URL (`url`, else `MOTHERDUCK_URL` when no `host` is given) → `MOTHERDUCK_TOKEN` + `MOTHERDUCK_REGION` +
 * `MOTHERDUCK_DATABASE` → defaults. Use it to check or log where an app will connect without
 * connecting. Throws {@link MotherDuckTokenMissingError} when no token is found anywhere, and a
 * {@link MotherDuckConfigError} for an invalid option, URL or environment variable.
 *
 * ### Examples
 *
 * ```ts
 * const { host, database, region } = resolveMotherDuckConnection({
 *   url: 'postgresql://postgres:<token>@pg.us-west-2-aws.motherduck.com:5432/analytics?sslmode=verify-full',
 * })
 * // host: 'pg.us-west-2-aws.motherduck.com', database: 'analytics', region: 'us-west-2'
 * ```
 */
export function resolveMotherDuckConnection(
  config: MotherDuckDialectConfig = {},
): ResolvedMotherDuckConnection {
  validateMotherDuckConfig(config)
  const env = config.env ?? process.env
  const envValue = (name: string): string | undefined => {
    const value = env[name]
    return value === undefined || value.trim() === '' ? undefined : value.trim()
  }

  let url: ParsedUrl | undefined
  if (config.url !== undefined) url = parseConnectionUrl(config.url, '`url`')
  else if (config.host === undefined) {
    const envUrl = envValue('MOTHERDUCK_URL')
    if (envUrl !== undefined) url = parseConnectionUrl(envUrl, 'MOTHERDUCK_URL')
  }

  const token =
    config.token ?? url?.password ?? envValue('MOTHERDUCK_TOKEN') ?? envValue('motherduck_token')
  if (token === undefined || token.length === 0) throw new MotherDuckTokenMissingError()

  let host: string
  let region: MotherDuckRegion | undefined
  if (config.host !== undefined) {
    host = config.host
  } else if (config.region !== undefined) {
    region = parseMotherDuckRegion(config.region, '`region`')
    host = motherDuckHost(region)
  } else if (url?.host !== undefined) {
    host = url.host
    region = regionOfHost(host)
  } else {
    const envRegion = envValue('MOTHERDUCK_REGION')
    region =
      envRegion !== undefined
        ? parseMotherDuckRegion(envRegion, 'MOTHERDUCK_REGION')
        : (regionFromToken(token) ?? DEFAULT_MOTHERDUCK_REGION)
    host = motherDuckHost(region)
  }

  const port = config.port ?? url?.port ?? DEFAULT_PORT
  const database =
    config.database ?? url?.database ?? envValue('MOTHERDUCK_DATABASE') ?? DEFAULT_DATABASE
  const { ssl, mode } = resolveSsl(config.ssl ?? url?.ssl, host)
  return new ResolvedMotherDuckConnection(
    host,
    port,
    url?.user ?? DEFAULT_USER,
    database,
    ssl,
    mode,
    region,
    config.applicationName ?? url?.applicationName ?? DEFAULT_APPLICATION_NAME,
    token,
  )
}

/** Checks the explicitly given options (cheap, no environment): used when a dialect is constructed. */
export function validateMotherDuckConfig(config: MotherDuckDialectConfig): void {
  if (typeof config !== 'object' || config === null) {
    throw new MotherDuckConfigError('The MotherDuck config must be an object.', 'config')
  }
  if (config.region !== undefined) parseMotherDuckRegion(config.region, '`region`')
  if (config.token !== undefined && typeof config.token !== 'string') {
    throw new MotherDuckConfigError('`token` must be a string.', 'token')
  }
  if (config.port !== undefined && !isValidPort(config.port)) {
    throw new MotherDuckConfigError(
      `\`port\` must be an integer from 1 to 65535, got ${String(config.port)}.`,
      'port',
    )
  }
  if (config.ssl !== undefined) {
    const ssl: unknown = config.ssl
    const valid =
      ssl === false ||
      ssl === 'require' ||
      ssl === 'verify-full' ||
      (typeof ssl === 'object' && ssl !== null)
    if (!valid) {
      throw new MotherDuckConfigError(
        "`ssl` must be 'verify-full', 'require', false (loopback hosts only) or a tls.ConnectionOptions object.",
        'ssl',
      )
    }
    if (ssl === false && config.host !== undefined && !isLoopbackHost(config.host)) {
      throw new MotherDuckInsecureConnectionError(config.host)
    }
  }
  if (config.migrationLock !== undefined) {
    const { timeoutMs, pollIntervalMs } = config.migrationLock
    for (const [name, value] of [
      ['migrationLock.timeoutMs', timeoutMs],
      ['migrationLock.pollIntervalMs', pollIntervalMs],
    ] as const) {
      if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
        throw new MotherDuckConfigError(`\`${name}\` must be a number of milliseconds >= 0.`, name)
      }
    }
  }
}

function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535
}

function regionOfHost(host: string): MotherDuckRegion | undefined {
  const match = /^pg\.([a-z0-9-]+)-aws\.motherduck\.com$/i.exec(host)
  if (match?.[1] === undefined) return undefined
  try {
    return parseMotherDuckRegion(match[1], 'the URL host')
  } catch {
    return undefined
  }
}

function resolveSsl(
  option: MotherDuckSslOption | OpportunisticSslMode | undefined,
  host: string,
): { ssl: false | ConnectionOptions; mode: ResolvedMotherDuckConnection['sslMode'] } {
  // Node refuses an IP address as TLS server name (SNI).
  const servername = isIP(host.replace(/^\[|\]$/g, '')) === 0 ? host : undefined
  const withServername = (options: ConnectionOptions): ConnectionOptions =>
    servername === undefined ? options : { servername, ...options }
  // allow/prefer never ask for less than the host's default: a remote host is verified (only an
  // explicit `require` skips that), a loopback host gets plain text, its default.
  if (option === undefined || option === 'allow' || option === 'prefer') {
    if (isLoopbackHost(host)) return { ssl: false, mode: 'disable' }
    return { ssl: withServername({ rejectUnauthorized: true }), mode: 'verify-full' }
  }
  if (option === false) {
    if (!isLoopbackHost(host)) throw new MotherDuckInsecureConnectionError(host)
    return { ssl: false, mode: 'disable' }
  }
  if (option === 'verify-full') {
    return { ssl: withServername({ rejectUnauthorized: true }), mode: 'verify-full' }
  }
  if (option === 'require') {
    return { ssl: withServername({ rejectUnauthorized: false }), mode: 'require' }
  }
  return { ssl: withServername({ ...option }), mode: 'custom' }
}

/**
 * Parses a `postgresql://` URL without handing it to pg: `sslrootcert=system` means "the system CAs"
 * (pg would look for a file named `system`), and errors must not echo the URL, which holds the token.
 */
function parseConnectionUrl(text: string, source: string): ParsedUrl {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new MotherDuckConfigError(
      `${source} is not a valid postgresql:// URL (its value is not shown because it contains the token).`,
      source,
    )
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new MotherDuckConfigError(
      `${source} must start with postgresql:// (got ${url.protocol}//).`,
      source,
    )
  }
  const parsed: ParsedUrl = {}
  if (url.hostname !== '') parsed.host = url.hostname
  if (url.port !== '') {
    const port = Number(url.port)
    if (!isValidPort(port)) {
      throw new MotherDuckConfigError(`${source} has an invalid port.`, source)
    }
    parsed.port = port
  }
  if (url.username !== '') parsed.user = decodeURIComponent(url.username)
  if (url.password !== '') parsed.password = decodeURIComponent(url.password)
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''))
  if (path !== '') parsed.database = path
  const applicationName = url.searchParams.get('application_name')
  if (applicationName !== null) parsed.applicationName = applicationName

  const sslmode = url.searchParams.get('sslmode')?.toLowerCase()
  const sslrootcert = url.searchParams.get('sslrootcert')
  // A named root certificate means verification, whatever the mode (libpq: require + a root
  // certificate verifies the chain; libpq 16 refuses modes below verify-full with sslrootcert=system).
  const verified: MotherDuckSslOption | undefined =
    sslrootcert === null
      ? undefined
      : sslrootcert === 'system'
        ? systemCaOptions()
        : { ca: readRootCertificate(sslrootcert, source), rejectUnauthorized: true }
  switch (sslmode) {
    case undefined:
      if (verified !== undefined) parsed.ssl = verified
      break
    case 'disable':
      parsed.ssl = false
      break
    case 'allow':
    case 'prefer':
      parsed.ssl = verified ?? sslmode
      break
    case 'require':
      parsed.ssl = verified ?? 'require'
      break
    // verify-ca is treated as verify-full: the host name is checked too.
    case 'verify-ca':
    case 'verify-full':
      parsed.ssl = verified ?? 'verify-full'
      break
    default:
      throw new MotherDuckConfigError(
        `${source} has sslmode=${sslmode}; use disable (loopback hosts only), require or verify-full.`,
        source,
      )
  }
  return parsed
}

/**
 * `sslrootcert=system` (libpq ≥ 16): trust the operating system's certificate authorities, plus Node's
 * bundled ones, with full verification. Node < 22.15 has no `getCACertificates`: its defaults are used.
 */
function systemCaOptions(): MotherDuckSslOption {
  const getCaCertificates = (
    tls as { getCACertificates?: (type: 'default' | 'system') => string[] }
  ).getCACertificates
  if (getCaCertificates === undefined) return 'verify-full'
  const ca = [...new Set([...getCaCertificates('default'), ...getCaCertificates('system')])]
  return { ca, rejectUnauthorized: true }
}

function readRootCertificate(path: string, source: string): Buffer {
  try {
    return readFileSync(path)
  } catch (error) {
    throw new MotherDuckConfigError(
      `${source} has sslrootcert=${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). ` +
        'Use sslrootcert=system for the system certificate authorities.',
      source,
    )
  }
}

/** Checks a region spelling; `source` names where it came from for the error message. */
function parseMotherDuckRegion(value: string, source: string): MotherDuckRegion {
  const region = value.trim().toLowerCase()
  if (isMotherDuckRegion(region)) return region
  throw new MotherDuckRegionError(value, MOTHERDUCK_REGIONS, source)
}
