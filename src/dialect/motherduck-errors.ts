/**
 * The errors the MotherDuck dialect raises itself. Each one says what to do; none ever contains the token.
 */

/** Where MotherDuck documents how to create and use an access token. */
export const MOTHERDUCK_TOKEN_DOCS =
  'https://motherduck.com/docs/key-tasks/authenticating-and-connecting-to-motherduck/authenticating-to-motherduck/'

/** A configuration value is invalid (the message names the option and the accepted values). */
export class MotherDuckConfigError extends Error {
  override readonly name: string = 'MotherDuckConfigError'
  constructor(
    message: string,
    /** The option (or environment variable) that is wrong. */
    readonly option: string,
  ) {
    super(message)
  }
}

/** No token was found in the config, the URL or the environment. */
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

/** The region is not one of the AWS regions MotherDuck runs in. */
export class MotherDuckRegionError extends MotherDuckConfigError {
  override readonly name = 'MotherDuckRegionError'
  constructor(
    readonly region: string,
    readonly regions: readonly string[],
    source: string,
  ) {
    super(
      `Unknown MotherDuck region ${JSON.stringify(region)} (from ${source}). ` +
        `Use one of: ${regions.join(', ')}.`,
      source,
    )
  }
}

/** A plain-text (or otherwise unsafe) connection was asked for where it is not allowed. */
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

/** MotherDuck (or the local endpoint) rejected the token: SQLSTATE 28P01 / 28000. */
export class MotherDuckAuthenticationError extends Error {
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

/** A Kysely feature that DuckDB (and so MotherDuck) does not have, refused at compile time. */
export class MotherDuckUnsupportedError extends Error {
  override readonly name = 'MotherDuckUnsupportedError'
  constructor(
    /** What was asked for, e.g. `for update`. */
    readonly feature: string,
    message: string,
  ) {
    super(message)
  }
}

/** Another migrator held the migration lock for longer than the configured timeout. */
export class MotherDuckMigrationLockTimeoutError extends Error {
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
