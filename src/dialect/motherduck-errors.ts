import { MotherDuckError } from '../errors/motherduck-error.js'
import {
  MOTHERDUCK_AWS_REGIONS,
  MOTHERDUCK_AZURE_REGIONS,
  MOTHERDUCK_REGIONS,
  type MotherDuckRegion,
} from '../motherduck/regions.js'
/**
 * The errors the MotherDuck dialect raises itself. Each one says what to do; none ever contains the token.
 */

/** Where MotherDuck documents how to create and use an access token; the token errors link to it. */
export const MOTHERDUCK_TOKEN_DOCS =
  'https://motherduck.com/docs/key-tasks/authenticating-and-connecting-to-motherduck/authenticating-to-motherduck/'

/**
 * A configuration value is invalid; the message names the option and the values it accepts, and
 * `option` names the option (or environment variable). Explicit options are checked when the dialect
 * (or `motherDuckPoolConfig`, `createMotherDuckPool`) is constructed; the URL and `MOTHERDUCK_*`
 * variables when the first connection is opened. Fix the named option; the subclasses below are the
 * cases with more to say.
 *
 * ### Examples
 *
 * ```ts
 * try {
 *   new MotherDuckDialect({ port: 70000 })
 * } catch (error) {
 *   if (error instanceof MotherDuckConfigError) console.error(error.option, error.message)
 *   // port `port` must be an integer from 1 to 65535, got 70000.
 * }
 * ```
 */
export class MotherDuckConfigError extends MotherDuckError {
  override readonly name: string = 'MotherDuckConfigError'
  constructor(
    message: string,
    /** The option (or environment variable) that is wrong. */
    readonly option: string,
  ) {
    super(message)
  }
}

/**
 * No token was found in the config (`token`), the URL's password or the environment
 * (`MOTHERDUCK_TOKEN`). `new MotherDuckDialect()` does not throw it: the first query does, when the
 * connection is resolved (as do `motherDuckPoolConfig()` and `resolveMotherDuckConnection()` right
 * away). Set `MOTHERDUCK_TOKEN`, or pass `token`; the message links to {@link MOTHERDUCK_TOKEN_DOCS}.
 */
export class MotherDuckTokenMissingError extends MotherDuckConfigError {
  override readonly name = 'MotherDuckTokenMissingError'
  constructor() {
    super(
      'No MotherDuck token found. Set the MOTHERDUCK_TOKEN environment variable, pass `token` in the ' +
        'MotherDuckDialect / motherDuckPoolConfig config, or give a MOTHERDUCK_URL whose password is the ' +
        `token. How to create a token: ${MOTHERDUCK_TOKEN_DOCS}`,
      'token',
    )
  }
}

/**
 * The region (the `region` option or `MOTHERDUCK_REGION`) is not one of the regions MotherDuck runs in:
 * the AWS ones ({@link MOTHERDUCK_AWS_REGIONS}) or the Azure ones ({@link MOTHERDUCK_AZURE_REGIONS});
 * `regions` lists both ({@link MOTHERDUCK_REGIONS}). Use the region your organization was created in
 * (`SELECT region FROM md_user_info()` shows it): a token only authenticates in its own region.
 */
export class MotherDuckRegionError extends MotherDuckConfigError {
  override readonly name = 'MotherDuckRegionError'
  readonly regions: readonly MotherDuckRegion[] = MOTHERDUCK_REGIONS
  constructor(
    readonly region: string,
    source: string,
  ) {
    super(
      `Unknown MotherDuck region ${JSON.stringify(region)} (from ${source}). Use one of the AWS ` +
        `regions ${MOTHERDUCK_AWS_REGIONS.join(', ')} or the Azure regions ` +
        `${MOTHERDUCK_AZURE_REGIONS.join(', ')}.`,
      source,
    )
  }
}

/**
 * A plain-text connection was asked for (`ssl: false`, or `sslmode=disable` in the URL) to a host that
 * is not loopback: the token is the password and would cross the network in clear text. Remove the
 * option to verify the certificate (the default), or use `ssl: 'require'` to encrypt without
 * verification; `ssl: false` is for the local endpoint on `localhost`, `127.0.0.0/8` or `::1`.
 */
export class MotherDuckInsecureConnectionError extends MotherDuckConfigError {
  override readonly name = 'MotherDuckInsecureConnectionError'
  constructor(readonly host: string) {
    super(
      `Refusing an unencrypted connection to ${host}: the token is the password and would travel in ` +
        'clear text. `ssl: false` (or sslmode=disable) is only allowed for loopback hosts (localhost, ' +
        "127.0.0.0/8, ::1). Remove it to verify the certificate, or use `ssl: 'require'` to encrypt " +
        'without verification.',
      'ssl',
    )
  }
}

/**
 * MotherDuck (or the local endpoint) rejected the token (SQLSTATE 28P01 or 28000) when a connection was
 * opened; it is never retried. Check the token, and that the region matches it: a token only
 * authenticates in its own region, so set `region` or `MOTHERDUCK_REGION`. `serverMessage` has the
 * server's words with the token removed.
 */
export class MotherDuckAuthenticationError extends MotherDuckError {
  override readonly name = 'MotherDuckAuthenticationError'
  constructor(
    /** The SQLSTATE the server sent (28P01 invalid password, 28000 invalid authorization). */
    readonly code: string,
    readonly host: string,
    /** The server's message, with the token removed. */
    readonly serverMessage: string,
  ) {
    super(
      `The server at ${host} rejected the MotherDuck token (SQLSTATE ${code}: ${serverMessage}). ` +
        'Check the token, and that the region matches it: tokens are region-specific, so a token ' +
        `of one region fails on another (set MOTHERDUCK_REGION or \`region\`). See ${MOTHERDUCK_TOKEN_DOCS}`,
    )
  }
}

/** What was wrong with the server's TLS certificate (see {@link MotherDuckCertificateError}). */
export type MotherDuckCertificateProblem = 'untrusted-ca' | 'wrong-host' | 'expired'

/**
 * The server's TLS certificate failed verification when a connection was opened, so nothing was sent
 * to it (not the token either); it is never retried. `problem` says which check failed:
 * - `'untrusted-ca'`: no trusted certificate authority signed it (a self-signed or private CA). Pass
 *   that CA: `ssl: { ca: fs.readFileSync('ca.pem') }`, or `sslrootcert=<file>` in the URL;
 * - `'wrong-host'`: it is valid, but for other names (`certificateNames`) than the one connected to
 *   (`expectedName`): check the host or region, or set `ssl.servername` to a name it carries;
 * - `'expired'`: it expired or is not valid yet (check the server, and this machine's clock).
 * `ssl: 'require'` skips all of this, which lets anyone on the network path read the token.
 *
 * ### Examples
 *
 * ```ts
 * try {
 *   await db.selectFrom('events').selectAll().execute()
 * } catch (error) {
 *   if (error instanceof MotherDuckCertificateError) console.error(error.problem, error.message)
 * }
 * ```
 */
export class MotherDuckCertificateError extends MotherDuckError {
  override readonly name = 'MotherDuckCertificateError'
  constructor(
    readonly problem: MotherDuckCertificateProblem,
    /** The host connected to. */
    readonly host: string,
    /** The name the certificate was checked against: `ssl.servername`, else the host. */
    readonly expectedName: string,
    /** The names the certificate is for (its subjectAltName, e.g. `DNS:localhost, IP Address:127.0.0.1`), when known. */
    readonly certificateNames: string | undefined,
    /** Node's verification code, e.g. `SELF_SIGNED_CERT_IN_CHAIN` or `ERR_TLS_CERT_ALTNAME_INVALID`. */
    readonly tlsCode: string,
    options?: { readonly cause?: unknown },
  ) {
    super(certificateMessage(problem, host, expectedName, certificateNames, tlsCode), options)
  }
}

function certificateMessage(
  problem: MotherDuckCertificateProblem,
  host: string,
  expectedName: string,
  certificateNames: string | undefined,
  tlsCode: string,
): string {
  const unverified =
    "ssl: 'require' (sslmode=require) would encrypt without verifying, letting anyone on the network path read the token."
  switch (problem) {
    case 'untrusted-ca':
      return (
        `The TLS certificate of ${host} is not signed by a trusted certificate authority (${tlsCode}), so the ` +
        'server could not be verified and the token was not sent. If the server uses its own CA (e.g. the ' +
        "local endpoint with TLS), pass it: ssl: { ca: fs.readFileSync('ca.pem') }, or sslrootcert=<file> " +
        `in the URL. ${unverified}`
      )
    case 'wrong-host':
      return (
        `The TLS certificate presented by ${host} is for ${certificateNames ?? 'other names'}, not for ` +
        `${expectedName} (${tlsCode}), so the token was not sent. Check the host (or region) you connect ` +
        'to; if you reach the server under a name its certificate does not carry (an IP address, a tunnel), ' +
        `set ssl: { servername: '<a name it carries>' }. ${unverified}`
      )
    case 'expired':
      return (
        `The TLS certificate of ${host} has expired or is not valid yet (${tlsCode}), so the token was not ` +
        `sent. Check the server's certificate, and this machine's clock. ${unverified}`
      )
  }
}

/**
 * A Kysely feature that DuckDB (and so MotherDuck) does not have, refused before anything is sent: row
 * locks (`forUpdate()`, `forShare()`, `skipLocked()`, …) when the query is compiled. `feature` names it;
 * the message says what to remove and why nothing replaces it (DuckDB's transactions are
 * snapshot-isolated).
 *
 * ### Examples
 *
 * ```ts
 * db.selectFrom('events').selectAll().forUpdate().compile()
 * // MotherDuckUnsupportedError: DuckDB (and so MotherDuck) has no row locks: remove .forUpdate() from the query. …
 * ```
 */
export class MotherDuckUnsupportedError extends MotherDuckError {
  override readonly name = 'MotherDuckUnsupportedError'
  constructor(
    /** What was asked for, e.g. `for update`. */
    readonly feature: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * A `limit()` or `offset()` value that is not a row count, refused when the query is compiled. The
 * dialect writes LIMIT and OFFSET as integer literals (DuckDB needs constants there inside correlated
 * subqueries such as `jsonObjectFrom(… .limit(1))`), so each must be a non-negative safe integer
 * (`number` or `bigint`); `limit(null)` means no limit.
 *
 * ### Examples
 *
 * ```ts
 * db.selectFrom('events').selectAll().limit(-1).compile()
 * // MotherDuckInvalidRowCountError: .limit(-1): LIMIT takes a non-negative safe integer …
 * ```
 */
export class MotherDuckInvalidRowCountError extends MotherDuckError {
  override readonly name = 'MotherDuckInvalidRowCountError'
  constructor(
    /** `limit` or `offset`. */
    readonly clause: 'limit' | 'offset',
    /** The value as given. */
    readonly value: unknown,
  ) {
    super(
      `.${clause}(${describeValue(value)}): ${clause.toUpperCase()} takes a non-negative safe integer ` +
        `(a number or bigint from 0 to ${Number.MAX_SAFE_INTEGER}), written into the SQL as a constant. ` +
        `Pass a whole number${clause === 'limit' ? ', or null for no limit' : ''}.`,
    )
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
  if (value === null || value === undefined) return String(value)
  return `a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}`
}

/**
 * Kysely's Migrator waited longer than `migrationLock.timeoutMs` (10 minutes by default) for the
 * migration lock that another migrator holds (see `MotherDuckAdapter`). Wait for that migrator to finish;
 * if one crashed while holding the lock, release it with the `UPDATE` statement the message gives.
 */
export class MotherDuckMigrationLockTimeoutError extends MotherDuckError {
  override readonly name = 'MotherDuckMigrationLockTimeoutError'
  constructor(
    readonly lockTable: string,
    readonly lockRowId: string,
    readonly timeoutMs: number,
  ) {
    super(
      `Could not acquire the migration lock within ${timeoutMs} ms: another migrator holds the row ` +
        `id = '${lockRowId}' in ${lockTable}. Wait for it to finish, or, if a migrator crashed while ` +
        `holding the lock, release it with: UPDATE ${lockTable} SET is_locked = 0 WHERE id = '${lockRowId}'. ` +
        'The timeout is the dialect option `migrationLock.timeoutMs`.',
    )
  }
}
