import { createHash, randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { createSecureContext } from 'node:tls'
import type { DuckDBInstance } from '@duckdb/node-api'
import { MotherDuckError } from '../errors/motherduck-error.js'
import { isLoopbackHost } from '../net/loopback-host.js'
import { requirePackages } from '../optional/optional-packages.js'
import { quoteIdentifier, quoteString } from '../sql/quote.js'
import type { MotherDuckUserInfo } from './catalog/session-identity.js'
import { lockDownInstance } from './duckdb-sandbox.js'
import {
  type LocalEndpointDialectConfig,
  type LocalEndpointDialectConfigOptions,
  localEndpointDialectConfig,
} from './local-endpoint-dialect-config.js'
import { type LocalEndpointLimitOptions, resolveEndpointLimits } from './local-endpoint-limits.js'
import { LOCAL_ENDPOINT_PACKAGES } from './local-endpoint-packages.js'
import {
  type DuckDBSettingScopes,
  readDuckDBSettingScopes,
} from './session/duckdb-setting-scopes.js'
import { deriveScramCredentials } from './startup/scram.js'
import type { LocalEndpointAuth, LocalServer } from './startup/server.js'

export type { MotherDuckUserInfo } from './catalog/session-identity.js'
export type {
  LocalEndpointDialectConfig,
  LocalEndpointDialectConfigOptions,
  LocalEndpointSsl,
} from './local-endpoint-dialect-config.js'
export type { LocalEndpointLimitOptions } from './local-endpoint-limits.js'
export type { LocalEndpointAuth } from './startup/server.js'

/**
 * The endpoint's TLS identity, PEM-encoded, as Node's `tls.createSecureContext` takes it. Clients then
 * verify it like MotherDuck's: give them the certificate authority, e.g.
 * `new MotherDuckDialect(endpoint.dialectConfig({ ssl: { ca: fs.readFileSync('ca.pem') } }))`.
 */
export interface LocalEndpointTls {
  /** The private key. */
  readonly key: string | Buffer
  /** The certificate, followed by any intermediate certificates. */
  readonly cert: string | Buffer
}

/**
 * One attached database in {@link LocalEndpointOptions.databases} with its options; a plain string is
 * `{ path }`.
 */
export interface LocalEndpointDatabase {
  /** A DuckDB file (created if missing, unless `readOnly`) or `':memory:'`. */
  readonly path: string
  /**
   * Attach it read-only, like MotherDuck's shared databases (`sample_data`): every client's writes to it
   * fail. The file must exist. Default: `false`.
   */
  readonly readOnly?: boolean
}

/** Options of {@link startLocalEndpoint}; every one is optional. The resource bounds are in {@link LocalEndpointLimitOptions}. */
export interface LocalEndpointOptions extends LocalEndpointLimitOptions {
  /** Interface to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string
  /** TCP port; `0` picks a free one, read it back from the handle. Default: `0`. */
  readonly port?: number
  /** The password clients must send (the MotherDuck token's stand-in). Default: random, returned. */
  readonly token?: string
  /** TLS key and certificate; when set, clients must connect with TLS. Default: none (plaintext). */
  readonly tls?: LocalEndpointTls
  /**
   * Listen on a `host` beyond loopback (`0.0.0.0`, a LAN address) without `tls`: the token (with
   * `auth: 'password'`), every query and every result then cross the network in clear text. Without this,
   * such a host is refused. Default: `false`.
   */
  readonly allowInsecureNetwork?: boolean
  /**
   * Databases attached side by side, name → file path, `':memory:'` or `{ path, readOnly }`; the first is
   * `md:`. Default: `{ my_db: ':memory:' }`.
   */
  readonly databases?: Readonly<Record<string, string | LocalEndpointDatabase>>
  /** Remote URL prefixes served from local directories, e.g. `{ 's3://bucket': './data' }`. Default: `{}`. */
  readonly objectStore?: Readonly<Record<string, string>>
  /**
   * Refuse what MotherDuck refuses (MD_RUN = LOCAL, COPY … FROM STDIN, local files, ATTACH…), enforced by
   * DuckDB itself: files only under the `objectStore` folders, no instance-wide `SET`. Default: `true`.
   */
  readonly strict?: boolean
  /** How clients authenticate: `'scram-sha-256'` or cleartext `'password'`. Default: `'scram-sha-256'`. */
  readonly auth?: LocalEndpointAuth
  /**
   * What `md_user_info()` (and `md_user()`) answer, MotherDuck's account functions. Default: `username`
   * is each connection's user name, `region` `'us-east-1'`, `org_name` and `org_type` `'local'`, and the
   * ids UUIDs derived from the names.
   */
  readonly userInfo?: MotherDuckUserInfo
}

/**
 * A running local endpoint, as {@link startLocalEndpoint} resolves it. `token` and `url` are getters, so
 * logging the handle does not print them. Connect Kysely with
 * `new MotherDuckDialect(endpoint.dialectConfig())`, other clients with `url` (or `host`, `port` and
 * `token`), and `stop()` it when done.
 */
export interface LocalEndpoint {
  /** The interface it listens on. */
  readonly host: string
  /** The port it listens on (the real one when `0` was asked for). */
  readonly port: number
  /** `postgresql://postgres:<token>@host:port/md:`, with `?sslmode=disable` when TLS is off. */
  readonly url: string
  /** The password clients must send. */
  readonly token: string
  /**
   * The config for `new MotherDuckDialect(endpoint.dialectConfig())`: `host`, `port`, `token`,
   * `database` and `ssl`, all set, so nothing is read from `MOTHERDUCK_*` environment variables. Spread
   * it to add dialect options: `{ ...endpoint.dialectConfig({ database: 'my_db' }), pool: { max: 4 } }`.
   * Its `token` is a getter, so logging the config does not print it either.
   */
  dialectConfig(options?: LocalEndpointDialectConfigOptions): LocalEndpointDialectConfig
  /** Closes every session, stops listening and closes DuckDB; resolves when all of it is done. */
  stop(): Promise<void>
}

/**
 * Thrown by {@link startLocalEndpoint}, before anything listens, for an option that cannot work: a port
 * outside 0–65535, an empty token, an unknown `auth`, no databases, a database name that is empty or
 * starts with `md:`, or a read-only `':memory:'` database. `option` names it; the message says what it accepts.
 */
export class LocalEndpointOptionError extends MotherDuckError {
  override readonly name = 'LocalEndpointOptionError'
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message)
  }
}

const DEFAULT_DATABASES: Readonly<Record<string, string>> = { my_db: ':memory:' }

/** A database to attach, its path resolved. */
interface AttachedDatabase {
  readonly name: string
  readonly location: string
  readonly readOnly: boolean
}

function attachedDatabase(name: string, entry: string | LocalEndpointDatabase): AttachedDatabase {
  if (name === '' || name.startsWith('md:')) {
    throw new LocalEndpointOptionError('databases', `"${name}" cannot be a database name`)
  }
  const { path, readOnly = false } = typeof entry === 'string' ? { path: entry } : entry
  if (path === ':memory:' && readOnly) {
    throw new LocalEndpointOptionError(
      'databases',
      `database "${name}" cannot be both ':memory:' and readOnly: give it a file`,
    )
  }
  return { name, location: path === ':memory:' ? path : resolve(path), readOnly }
}

/**
 * Starts a local, MotherDuck-compatible Postgres wire-protocol endpoint backed by DuckDB: the same
 * SQL, the same refusals, the same `md:` connection string, offline. Every database in `databases`
 * is attached to one DuckDB instance, so three-part names work across them; each client connection
 * gets its own DuckDB connection.
 *
 * ### Examples
 *
 * ```ts
 * import pg from 'pg'
 * import { startLocalEndpoint } from 'kysely-motherduck/local'
 *
 * const endpoint = await startLocalEndpoint({ databases: { my_db: ':memory:', other: './other.duckdb' } })
 * const client = new pg.Client({ connectionString: endpoint.url })
 * await client.connect()
 * await client.query('CREATE TABLE IF NOT EXISTS other.main.t AS SELECT 42 AS answer')
 * const { rows } = await client.query('SELECT answer FROM other.main.t') // [{ answer: 42 }]
 * await client.end()
 * await endpoint.stop()
 * ```
 *
 * With Kysely, the handle gives the dialect its config:
 *
 * ```ts
 * const db = new Kysely<DB>({ dialect: new MotherDuckDialect(endpoint.dialectConfig()) })
 * ```
 */
export async function startLocalEndpoint(
  options: LocalEndpointOptions = {},
): Promise<LocalEndpoint> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopbackHost(host) && options.tls === undefined && options.allowInsecureNetwork !== true) {
    throw new LocalEndpointOptionError(
      'host',
      `host ${host} listens beyond this machine, and without tls the token and every query would cross ` +
        "the network in clear text: give tls (a key and certificate), listen on '127.0.0.1' (the default), " +
        'or set allowInsecureNetwork: true if the network is yours alone',
    )
  }
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalEndpointOptionError(
      'port',
      `port must be an integer from 0 to 65535, got ${port}`,
    )
  }
  const token = options.token ?? randomBytes(32).toString('hex')
  if (token === '') throw new LocalEndpointOptionError('token', 'token must not be empty')
  const auth = options.auth ?? 'scram-sha-256'
  if (auth !== 'scram-sha-256' && auth !== 'password') {
    throw new LocalEndpointOptionError('auth', `auth must be 'scram-sha-256' or 'password'`)
  }
  const databases = Object.entries(options.databases ?? DEFAULT_DATABASES).map(([name, entry]) =>
    attachedDatabase(name, entry),
  )
  if (databases.length === 0) {
    throw new LocalEndpointOptionError(
      'databases',
      'databases needs at least one entry, e.g. { my_db: ":memory:" }',
    )
  }
  const objectStore = Object.fromEntries(
    Object.entries(options.objectStore ?? {}).map(([prefix, dir]) => [prefix, resolve(dir)]),
  )
  const limits = resolveEndpointLimits(options, (option, message) => {
    throw new LocalEndpointOptionError(option, message)
  })
  const secureContext =
    options.tls === undefined
      ? undefined
      : createSecureContext({ key: options.tls.key, cert: options.tls.cert })

  const { DuckDBInstance, LocalServer } = await loadDuckDBServer()
  // httpfs cannot be installed offline; trying would only stall the query that asked for it.
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
  })
  const strict = options.strict ?? true
  let server: LocalServer
  try {
    const duckDBSettings = await attachDatabases(
      instance,
      databases,
      strict ? Object.values(objectStore) : undefined,
    )
    server = await LocalServer.listen({
      host,
      port,
      secureContext,
      auth,
      credentials: await deriveScramCredentials(token),
      tokenDigest: createHash('sha256').update(token).digest(),
      databases: databases.map(({ name }) => name),
      instance,
      rules: { strict, objectStore },
      limits,
      duckDBSettings,
      userInfo: options.userInfo ?? {},
    })
  } catch (error) {
    instance.closeSync()
    throw error
  }
  return new RunningLocalEndpoint(host, server, instance, token, secureContext !== undefined)
}

/**
 * DuckDB and the server built on it, imported on the first start: `@duckdb/node-api` is an optional
 * peer dependency, so importing kysely-motherduck/local must work without it, and starting says what
 * to install.
 */
async function loadDuckDBServer(): Promise<{
  DuckDBInstance: typeof DuckDBInstance
  LocalServer: typeof LocalServer
}> {
  requirePackages('kysely-motherduck local', LOCAL_ENDPOINT_PACKAGES)
  const [{ DuckDBInstance }, { LocalServer }] = await Promise.all([
    import('@duckdb/node-api'),
    import('./startup/server.js'),
  ])
  return { DuckDBInstance, LocalServer }
}

/**
 * Attaches the databases, then, in strict mode, locks DuckDB down to the object-store folders
 * (`sandboxDirs`; see lockDownInstance). Returns DuckDB's settings and their scopes.
 */
async function attachDatabases(
  instance: DuckDBInstance,
  databases: readonly AttachedDatabase[],
  sandboxDirs: readonly string[] | undefined,
): Promise<DuckDBSettingScopes> {
  const connection = await instance.connect()
  try {
    for (const { name, location, readOnly } of databases) {
      const mode = readOnly ? ' (READ_ONLY)' : ''
      await connection.run(`ATTACH ${quoteString(location)} AS ${quoteIdentifier(name)}${mode}`)
    }
    // The instance's own in-memory catalog is not one of the user's databases: MotherDuck would not list
    // it (codegen --all-databases, the introspector). Each session starts with USE of its database.
    const [first] = databases
    if (first) await connection.run(`USE ${quoteIdentifier(first.name)}; DETACH memory`)
    if (sandboxDirs !== undefined) await lockDownInstance(connection, sandboxDirs)
    return await readDuckDBSettingScopes(connection)
  } finally {
    connection.closeSync()
  }
}

class RunningLocalEndpoint implements LocalEndpoint {
  readonly #token: string
  readonly #tls: boolean
  readonly #server: LocalServer
  readonly #instance: DuckDBInstance
  #stopping: Promise<void> | null = null
  readonly host: string
  readonly port: number

  constructor(
    host: string,
    server: LocalServer,
    instance: DuckDBInstance,
    token: string,
    tls: boolean,
  ) {
    this.host = host
    this.port = server.port
    this.#server = server
    this.#instance = instance
    this.#token = token
    this.#tls = tls
  }

  get token(): string {
    return this.#token
  }

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host
    const query = this.#tls ? '' : '?sslmode=disable'
    return `postgresql://postgres:${encodeURIComponent(this.#token)}@${host}:${this.port}/md:${query}`
  }

  dialectConfig(options?: LocalEndpointDialectConfigOptions): LocalEndpointDialectConfig {
    return localEndpointDialectConfig(
      { host: this.host, port: this.port, token: this.#token, tls: this.#tls },
      options,
    )
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#server.close()
      this.#instance.closeSync()
    })()
    return this.#stopping
  }
}
