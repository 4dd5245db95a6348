import type { ConnectionOptions } from 'node:tls'
import { inspect } from 'node:util'
import {
  DEFAULT_MOTHERDUCK_REGION,
  isMotherDuckRegion,
  type MotherDuckRegion,
  motherDuckHost,
  regionFromToken,
  regionOfMotherDuckHost,
} from '../motherduck/regions.js'
import { isLoopbackHost } from '../net/loopback-host.js'
import { isConnectablePort } from '../net/tcp-port.js'
import type { MotherDuckDialectConfig } from './motherduck-dialect-config.js'
import {
  MotherDuckConfigError,
  MotherDuckInsecureConnectionError,
  MotherDuckRegionError,
  MotherDuckTokenMissingError,
} from './motherduck-errors.js'
import { type ResolvedSslMode, resolveSsl } from './motherduck-tls.js'
import { type ParsedConnectionUrl, parseConnectionUrl } from './motherduck-url.js'

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
    readonly sslMode: ResolvedSslMode,
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

const DEFAULT_DATABASE = 'md:'
const DEFAULT_APPLICATION_NAME = 'kysely-motherduck'
const DEFAULT_PORT = 5432
const DEFAULT_USER = 'postgres'

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

  let url: ParsedConnectionUrl | undefined
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
    region = regionOfMotherDuckHost(host)
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
  if (config.port !== undefined && !isConnectablePort(config.port)) {
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

/** Checks a region spelling; `source` names where it came from for the error message. */
function parseMotherDuckRegion(value: string, source: string): MotherDuckRegion {
  const region = value.trim().toLowerCase()
  if (isMotherDuckRegion(region)) return region
  throw new MotherDuckRegionError(value, source)
}
