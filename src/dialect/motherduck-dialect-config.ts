import type { ConnectionOptions } from 'node:tls'
import type { DatabaseConnection } from 'kysely'
import type { Pool, PoolConfig } from 'pg'
import type { MotherDuckRegion } from '../motherduck/regions.js'
import type { TypeParsingOptions } from '../types/duckdb-types.js'

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
 * new MotherDuckDialect(local.dialectConfig()) // local = await startLocalEndpoint() from kysely-motherduck/local
 * ```
 */
export interface MotherDuckDialectConfig {
  /** The MotherDuck access token (the password). Default: the URL's password, else `MOTHERDUCK_TOKEN`, else `motherduck_token`. */
  readonly token?: string
  /** The database to connect to: `md:` (your default database) or a database name. Default: the URL's database, else `MOTHERDUCK_DATABASE`, else `md:`. */
  readonly database?: string
  /** The region of your MotherDuck organization, AWS (`'eu-central-1'`) or Azure (`'eastus'`); unused with `host`. Default: the URL host's region, else `MOTHERDUCK_REGION`, else the token's region (best effort), else `us-east-1`. */
  readonly region?: MotherDuckRegion
  /** A host to use instead of the region's endpoint, e.g. the local endpoint's `127.0.0.1`. Default: the region's endpoint (`pg.<region>-aws.motherduck.com`, or `-azure` for an Azure region) when `region` is given, else the URL's host, else the endpoint of the region `region` defaults to. */
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
  /**
   * How BIGINT, DECIMAL-like and TIMESTAMP values are returned; `timestamp: 'string'` keeps every
   * fractional digit (a `Date` holds milliseconds). Default: `{ int64: 'bigint', numeric: 'string',
   * timestamp: 'date' }` ({@link DEFAULT_TYPE_PARSING}).
   */
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
