import { isIP } from 'node:net'

/**
 * Two questions about a host name, answered in one place because they share the parsing (brackets, case)
 * and must not drift apart:
 *
 * - {@link isLoopbackHost}: may the token travel in plain text to it? Only for names that cannot leave
 *   this machine whatever DNS says: `localhost`, `127.0.0.0/8`, `::1`. `foo.localhost` is not among them:
 *   RFC 6761 reserves it, but Node resolves it through the system resolver, which may ask DNS.
 * - {@link refersToThisMachine}: does a URL's host point at the user's machine rather than somewhere the
 *   MotherDuck server could reach? Broader: also `*.localhost` and the unspecified addresses `0.0.0.0` / `::`,
 *   which clients treat as "this host".
 */
function bareHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return bare.toLowerCase()
}

/** True for `localhost`, `127.0.0.0/8` and `::1` (bracketed or not): the only hosts plain text may go to. */
export function isLoopbackHost(host: string): boolean {
  const bare = bareHost(host)
  if (bare === 'localhost') return true
  const version = isIP(bare)
  if (version === 4) return bare.startsWith('127.')
  if (version === 6) return isIpv6Loopback(bare)
  return false
}

/** True for loopback hosts, `*.localhost`, `0.0.0.0` and `::`: names that mean this machine. */
export function refersToThisMachine(host: string): boolean {
  if (isLoopbackHost(host)) return true
  const bare = bareHost(host).replace(/\.$/, '')
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  if (isIP(bare) === 4) return bare === '0.0.0.0'
  if (isIP(bare) === 6) return canonicalIpv6(bare) === '::'
  return false
}

/** An IPv6 address in WHATWG URL's canonical form: `0:0:0:0:0:0:0:1` → `::1`, `::ffff:127.0.0.1` → `::ffff:7f00:1`. */
function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1)
}

function isIpv6Loopback(address: string): boolean {
  const canonical = canonicalIpv6(address)
  // ::1, or an IPv4-mapped address in 127.0.0.0/8.
  return canonical === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(canonical)
}
