import { isConnectablePort } from '../net/tcp-port.js'
import type { MotherDuckSslOption } from './motherduck-dialect-config.js'
import { MotherDuckConfigError } from './motherduck-errors.js'
import {
  type OpportunisticSslMode,
  rootCertificateOptions,
  systemCaOptions,
} from './motherduck-tls.js'

/** The parts a `postgresql://` URL gives; each is absent when the URL does not name it. */
export interface ParsedConnectionUrl {
  host?: string
  port?: number
  user?: string
  /** The token. */
  password?: string
  database?: string
  /** From `sslmode` and `sslrootcert`; `allow`/`prefer` are resolved against the host later. */
  ssl?: MotherDuckSslOption | OpportunisticSslMode
  applicationName?: string
}

/**
 * Parses a `postgresql://` URL without handing it to pg: `sslrootcert=system` means "the system CAs"
 * (pg would look for a file named `system`), and errors must not echo the URL, which holds the token.
 * `source` names where the URL came from (`` `url` ``, `MOTHERDUCK_URL`) for the error messages.
 */
export function parseConnectionUrl(text: string, source: string): ParsedConnectionUrl {
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
  const parsed: ParsedConnectionUrl = {}
  if (url.hostname !== '') parsed.host = url.hostname
  if (url.port !== '') {
    const port = Number(url.port)
    if (!isConnectablePort(port)) {
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
        : rootCertificateOptions(sslrootcert, source)
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
