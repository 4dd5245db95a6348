import { describe, expect, it } from 'vitest'
import {
  redactSecretInError,
  redactSecrets,
} from '../../src/dialect/motherduck-secret-redaction.js'

const TOKEN = 'tok_SECRET_1234567890'

describe('secret redaction (the one redactor of the dialect and the CLI)', () => {
  it('replaces every occurrence of each secret in a text', () => {
    const url = `postgresql://postgres:${TOKEN}@127.0.0.1:5432/md:`
    expect(redactSecrets(`${TOKEN} and ${url}`, [TOKEN, url])).toBe(
      '[redacted token] and postgresql://postgres:[redacted token]@127.0.0.1:5432/md:',
    )
  })

  it('leaves secrets shorter than 4 characters and undefined ones alone', () => {
    expect(redactSecrets('a b c abc', ['abc', undefined, ''])).toBe('a b c abc')
  })

  it("removes the token from an error's text fields and from its causes, in place", () => {
    const cause = Object.assign(new Error(`inner ${TOKEN}`), { detail: `detail ${TOKEN}` })
    const error = Object.assign(new Error(`outer ${TOKEN}`, { cause }), { hint: TOKEN })
    expect(redactSecretInError(error, TOKEN)).toBe(error)
    expect(error.message).toBe('outer [redacted token]')
    expect(error.hint).toBe('[redacted token]')
    expect(error.stack).not.toContain(TOKEN)
    expect(cause.message).toBe('inner [redacted token]')
    expect(cause.detail).toBe('detail [redacted token]')
  })
})
