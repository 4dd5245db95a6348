import {
  MotherDuckAuthenticationError,
  MotherDuckCertificateError,
  type MotherDuckCertificateProblem,
} from './motherduck-errors.js'
import { redactSecretInError } from './motherduck-secret-redaction.js'

/** SQLSTATEs of a rejected password/token. */
const AUTHENTICATION_CODES = new Set(['28P01', '28000'])

/** Node's (OpenSSL's) certificate verification codes, by what they mean for the user. */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, MotherDuckCertificateProblem>> = {
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted-ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted-ca',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted-ca',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted-ca',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted-ca',
  CERT_UNTRUSTED: 'untrusted-ca',
  CERT_REJECTED: 'untrusted-ca',
  CERT_SIGNATURE_FAILURE: 'untrusted-ca',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'untrusted-ca',
  INVALID_CA: 'untrusted-ca',
  CERT_CHAIN_TOO_LONG: 'untrusted-ca',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-host',
  HOSTNAME_MISMATCH: 'wrong-host',
  IP_ADDRESS_MISMATCH: 'wrong-host',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'expired',
}

/** Network errors after which a new connect may well succeed. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  // SQLSTATEs: cannot_connect_now, too_many_connections, connection failures.
  '57P03',
  '53300',
  '08001',
  '08006',
])

/**
 * The error the dialect rethrows for one pg error: a {@link MotherDuckAuthenticationError} for a
 * rejected token, a {@link MotherDuckCertificateError} for a server certificate that failed
 * verification (saying whether the CA, the host name or the dates were wrong), otherwise the same
 * error with the token removed.
 */
export function translateError(error: unknown, token: string | undefined, host: string): unknown {
  redactSecretInError(error, token)
  const code = errorCode(error)
  if (code !== undefined && AUTHENTICATION_CODES.has(code)) {
    const message = error instanceof Error ? error.message : String(error)
    return new MotherDuckAuthenticationError(code, host, message)
  }
  const problem = code === undefined ? undefined : CERTIFICATE_PROBLEMS[code]
  if (code !== undefined && problem !== undefined) {
    const details = error as { host?: unknown; cert?: { subjectaltname?: unknown } }
    const checked = typeof details.host === 'string' ? details.host : host
    const names = details.cert?.subjectaltname
    return new MotherDuckCertificateError(
      problem,
      host,
      checked,
      typeof names === 'string' ? names : undefined,
      code,
      { cause: error },
    )
  }
  return error
}

/** Whether a failed connect is worth retrying: transient network trouble, never a rejected token. */
export function isTransientConnectError(error: unknown): boolean {
  const code = errorCode(error)
  if (code !== undefined) {
    if (AUTHENTICATION_CODES.has(code)) return false
    if (TRANSIENT_NETWORK_CODES.has(code)) return true
  }
  const message = error instanceof Error ? error.message : ''
  return /Connection terminated unexpectedly|Connection terminated due to connection timeout|socket hang up/i.test(
    message,
  )
}

/** Whether an error means the connection itself is gone (so it must not go back to the pool). */
export function isConnectionLost(error: unknown): boolean {
  const code = errorCode(error)
  if (code !== undefined) {
    if (/^(08|57P0[123])/.test(code)) return true
    if (TRANSIENT_NETWORK_CODES.has(code) && code.startsWith('E')) return true
  }
  const message = error instanceof Error ? error.message : ''
  return /Connection terminated|Client has encountered a connection error|not queryable|socket/i.test(
    message,
  )
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code : undefined
}
