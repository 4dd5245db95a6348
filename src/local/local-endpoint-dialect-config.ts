import type { ConnectionOptions } from 'node:tls'

/**
 * How a client encrypts its connection to the endpoint, in the words of the dialect's `ssl` option (a
 * subset of `MotherDuckSslOption`): `false` for plain text (loopback hosts only), `'verify-full'`,
 * `'require'`, or Node's `tls.ConnectionOptions`, e.g. `{ ca }` for the endpoint's own certificate
 * authority.
 */
export type LocalEndpointSsl = false | 'verify-full' | 'require' | ConnectionOptions

/** Options of {@link LocalEndpoint.dialectConfig}; every one is optional. */
export interface LocalEndpointDialectConfigOptions {
  /** The database to connect to: one of the endpoint's `databases`, or `md:` for the first. Default: `'md:'`. */
  readonly database?: string
  /** TLS for the client. Default: `false` when the endpoint has no TLS, else `'verify-full'` (pass `{ ca }` for your own CA). */
  readonly ssl?: LocalEndpointSsl
}

/**
 * The connection options of a local endpoint in the shape `MotherDuckDialectConfig` takes them, as
 * `endpoint.dialectConfig()` returns it: every field that the dialect would otherwise read from the URL or
 * the `MOTHERDUCK_*` environment variables is set. Declared here rather than imported because the endpoint
 * does not depend on the dialect; test/local/local-endpoint-dialect-config.test-d.ts checks that it stays
 * assignable to `MotherDuckDialectConfig`.
 *
 * `token` is an enumerable getter: `{ ...config }` (as the dialect copies its config) keeps it, while
 * `util.inspect` and `console.log` show `[Getter]` and `JSON.stringify` leaves it out.
 */
export interface LocalEndpointDialectConfig {
  /** The endpoint's host; a wildcard listen address (`0.0.0.0`, `::`) becomes loopback. */
  readonly host: string
  /** The endpoint's port. */
  readonly port: number
  /** The password the endpoint expects. */
  readonly token: string
  /** The database to connect to. */
  readonly database: string
  /** TLS; see {@link LocalEndpointSsl}. */
  readonly ssl: LocalEndpointSsl
}

/** What the endpoint knows of itself that a client needs. */
export interface LocalEndpointAddress {
  readonly host: string
  readonly port: number
  readonly token: string
  /** Whether the endpoint requires TLS. */
  readonly tls: boolean
}

/**
 * Builds the dialect config of a running endpoint (see {@link LocalEndpointDialectConfig}), frozen.
 *
 * ### Examples
 *
 * ```ts
 * const config = localEndpointDialectConfig(
 *   { host: '127.0.0.1', port: 5433, token, tls: false },
 *   { database: 'my_db' },
 * )
 * // { host: '127.0.0.1', port: 5433, token: [Getter], database: 'my_db', ssl: false }
 * ```
 */
export function localEndpointDialectConfig(
  endpoint: LocalEndpointAddress,
  options: LocalEndpointDialectConfigOptions = {},
): LocalEndpointDialectConfig {
  return Object.freeze(
    new EndpointDialectConfig(
      clientHost(endpoint.host),
      endpoint.port,
      endpoint.token,
      options.database ?? 'md:',
      options.ssl ?? (endpoint.tls ? 'verify-full' : false),
    ),
  )
}

/** A listen address that means "every interface" is reached through loopback. */
function clientHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::' || host === '[::]') return '::1'
  return host
}

class EndpointDialectConfig implements LocalEndpointDialectConfig {
  declare readonly host: string
  declare readonly port: number
  declare readonly token: string
  declare readonly database: string
  declare readonly ssl: LocalEndpointSsl

  constructor(host: string, port: number, token: string, database: string, ssl: LocalEndpointSsl) {
    // Own enumerable properties in this order, so the object reads (and spreads) like a plain config.
    Object.defineProperties(this, {
      host: { value: host, enumerable: true },
      port: { value: port, enumerable: true },
      // A getter, not a value: inspect prints `[Getter]` without calling it, while a spread calls it.
      token: { get: () => token, enumerable: true },
      database: { value: database, enumerable: true },
      ssl: { value: ssl, enumerable: true },
    })
  }

  /** Everything but the token: `JSON.stringify` would otherwise call the getter. */
  toJSON(): Omit<LocalEndpointDialectConfig, 'token'> {
    return { host: this.host, port: this.port, database: this.database, ssl: this.ssl }
  }
}
