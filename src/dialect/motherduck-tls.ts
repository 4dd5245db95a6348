import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import * as tls from 'node:tls'
import { isLoopbackHost } from '../net/loopback-host.js'
import type { MotherDuckSslOption } from './motherduck-dialect-config.js'
import { MotherDuckConfigError, MotherDuckInsecureConnectionError } from './motherduck-errors.js'

/**
 * The TLS policy of the dialect and the loading of the certificate authorities a URL names. The policy:
 * every host that is not loopback is verified (certificate chain and host name) unless the user asked
 * for `'require'` explicitly; plain text only ever goes to a loopback host.
 */

/**
 * libpq's sslmode=allow/prefer: TLS if the server offers it, unverified, else plain text. Resolved
 * against the host (see {@link resolveSsl}), because a secure default must not depend on a URL's habits.
 */
export type OpportunisticSslMode = 'allow' | 'prefer'

/** How a resolved connection is encrypted: `custom` stands for a `tls.ConnectionOptions` object. */
export type ResolvedSslMode = 'verify-full' | 'require' | 'disable' | 'custom'

/**
 * The options handed to Node's TLS (or `false` for plain text) for an `ssl` option, a URL's sslmode, or
 * nothing (the host's default), and the mode they amount to. Throws a
 * {@link MotherDuckInsecureConnectionError} for plain text to a host that is not loopback.
 */
export function resolveSsl(
  option: MotherDuckSslOption | OpportunisticSslMode | undefined,
  host: string,
): { ssl: false | ConnectionOptions; mode: ResolvedSslMode } {
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
 * `sslrootcert=system` (libpq ≥ 16): trust the operating system's certificate authorities, plus Node's
 * bundled ones, with full verification. Node < 22.15 has no `getCACertificates`: its defaults are used.
 */
export function systemCaOptions(): MotherDuckSslOption {
  const getCaCertificates = (
    tls as { getCACertificates?: (type: 'default' | 'system') => string[] }
  ).getCACertificates
  if (getCaCertificates === undefined) return 'verify-full'
  const ca = [...new Set([...getCaCertificates('default'), ...getCaCertificates('system')])]
  return { ca, rejectUnauthorized: true }
}

/**
 * `sslrootcert=<path>`: the file's certificate authorities, with full verification. `source` names where
 * the path came from (`url`, `MOTHERDUCK_URL`) for the error when the file cannot be read.
 */
export function rootCertificateOptions(path: string, source: string): MotherDuckSslOption {
  let ca: Buffer
  try {
    ca = readFileSync(path)
  } catch (error) {
    throw new MotherDuckConfigError(
      `${source} has sslrootcert=${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). ` +
        'Use sslrootcert=system for the system certificate authorities.',
      source,
    )
  }
  return { ca, rejectUnauthorized: true }
}
