/**
 * Removing the token (and other secrets, such as a URL holding it) from text the user will see: errors the
 * dialect rethrows, and the CLI's messages. One rule for both: every occurrence is replaced by
 * {@link REDACTED}; secrets shorter than 4 characters are left alone, since replacing them would mangle
 * ordinary text without protecting anything.
 */

/** What replaces a secret wherever it would appear. */
const REDACTED = '[redacted token]'

const MIN_SECRET_LENGTH = 4

/** The error fields that may carry text (pg's DatabaseError has all of them). */
const TEXT_FIELDS = ['message', 'stack', 'detail', 'hint', 'where', 'internalQuery'] as const

/** `text` with every occurrence of each secret replaced by {@link REDACTED}. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let redacted = text
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH && redacted.includes(secret)) {
      redacted = redacted.split(secret).join(REDACTED)
    }
  }
  return redacted
}

/**
 * Removes every occurrence of the secret from an error's text fields (message, stack, detail, hint…)
 * and from those of its causes, in place, and returns the error. pg itself never puts the password in an
 * error; this covers servers, proxies and user code that might echo it.
 */
export function redactSecretInError<E>(error: E, secret: string | undefined): E {
  if (secret === undefined || typeof error !== 'object' || error === null) return error
  const record = error as Record<string, unknown>
  for (const field of TEXT_FIELDS) {
    const value = record[field]
    if (typeof value !== 'string') continue
    const redacted = redactSecrets(value, [secret])
    if (redacted === value) continue
    try {
      record[field] = redacted
    } catch {
      // a read-only field: leave it
    }
  }
  const cause = record.cause
  if (cause !== undefined && cause !== error) redactSecretInError(cause, secret)
  return error
}
