import { randomBytes } from 'node:crypto'

/**
 * The canary token: one random token for a whole test run, used as the token (password) of the local
 * endpoints the shared test helpers start (test/support/test-endpoint.ts, which test/dialect/targets.ts and
 * test/sources/local-motherduck.ts build on, and test/codegen/helpers/fixture-endpoint.ts) and of every
 * failure path test/reliability/canary.test.ts drives. It must never be printed, logged, thrown or
 * written: the setup module (test/setup/canary-token.ts) fails any test file whose output shows it, in
 * any of {@link canaryEncodings}.
 *
 * vitest.config.ts draws it once per run and hands it to every worker (and, through the environment, to
 * the child processes tests spawn) in {@link CANARY_TOKEN_ENV}; it is deliberately not MOTHERDUCK_TOKEN,
 * which would switch on the tests against real MotherDuck.
 */
export const CANARY_TOKEN_ENV = 'KYSELY_MOTHERDUCK_TEST_CANARY_TOKEN'

/**
 * A new canary token: random, and with characters (`/ + = @ :`) that URL encoding and base64 change, so
 * that an encoded leak does not look like the token itself.
 */
export function newCanaryToken(): string {
  return `kmd-canary-${randomBytes(12).toString('hex')}/+=@:`
}

/** The environment variable that carries when the run drew its token (milliseconds since the epoch). */
export const CANARY_ISSUED_AT_ENV = 'KYSELY_MOTHERDUCK_TEST_CANARY_ISSUED_AT'

const inherited = process.env[CANARY_TOKEN_ENV]
const fresh = inherited === undefined || inherited === ''

/** The run's canary token. */
export const CANARY_TOKEN: string = fresh ? newCanaryToken() : inherited

/** When the run drew the token: files written since then may hold it only by a leak. */
export const CANARY_ISSUED_AT: number = fresh
  ? Date.now()
  : Number(process.env[CANARY_ISSUED_AT_ENV] ?? Date.now())

// Outside vitest (a script importing a helper) the token is this process's own: children inherit it.
process.env[CANARY_TOKEN_ENV] = CANARY_TOKEN
process.env[CANARY_ISSUED_AT_ENV] = String(CANARY_ISSUED_AT)

/** The environment that hands the run's token to test workers (vitest.config.ts `test.env`). */
export function canaryTestEnv(): Record<string, string> {
  return {
    [CANARY_TOKEN_ENV]: CANARY_TOKEN,
    [CANARY_ISSUED_AT_ENV]: String(CANARY_ISSUED_AT),
  }
}

/** One form in which the token could leak. */
export interface CanaryEncoding {
  /** `raw`, `url`, `json`, `hex`, `base64+1` (base64 of the token after one other byte), … */
  readonly name: string
  readonly text: string
}

/**
 * The substrings that betray the token: itself, URL-encoded (`encodeURIComponent` and `encodeURI`),
 * JSON-escaped, hex, and base64 / base64url at each of the three byte alignments it can have inside a
 * longer encoded text (the characters the neighbouring bytes share are left out).
 */
export function canaryEncodings(token: string = CANARY_TOKEN): readonly CanaryEncoding[] {
  const bytes = Buffer.from(token, 'utf8')
  const encodings: CanaryEncoding[] = [
    { name: 'raw', text: token },
    { name: 'url', text: encodeURIComponent(token) },
    { name: 'uri', text: encodeURI(token) },
    { name: 'json', text: JSON.stringify(token).slice(1, -1) },
    { name: 'hex', text: bytes.toString('hex') },
  ]
  for (const alphabet of ['base64', 'base64url'] as const) {
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet)
      // Whole 4-character groups made of token bytes only: skip the first group when it holds a
      // neighbour's byte and the last one, which may.
      const start = offset === 0 ? 0 : 4
      const end = Math.floor((offset + bytes.length) / 3) * 4
      encodings.push({ name: `${alphabet}+${offset}`, text: encoded.slice(start, end) })
    }
  }
  const seen = new Set<string>()
  return encodings.filter(({ text }) => text.length >= 16 && !seen.has(text) && seen.add(text))
}

const ENCODINGS = canaryEncodings()

/** The first encoding of the run's token that `text` contains, or undefined. */
export function findCanary(text: string | Uint8Array): CanaryEncoding | undefined {
  if (typeof text === 'string') return ENCODINGS.find((encoding) => text.includes(encoding.text))
  const buffer = Buffer.from(text.buffer, text.byteOffset, text.byteLength)
  return ENCODINGS.find((encoding) => buffer.includes(encoding.text))
}

/** `text` with every encoding of the run's token replaced by `<canary:name>`, for failure messages. */
export function redactCanary(text: string): string {
  let redacted = text
  for (const encoding of ENCODINGS) {
    redacted = redacted.split(encoding.text).join(`<canary:${encoding.name}>`)
  }
  return redacted
}

/** Up to `radius` characters either side of the canary in `text`, redacted: where a leak was seen. */
export function canaryExcerpt(text: string, radius = 160): string {
  const encoding = findCanary(text)
  if (encoding === undefined) return ''
  const at = text.indexOf(encoding.text)
  const start = Math.max(0, at - radius)
  return redactCanary(text.slice(start, at + encoding.text.length + radius))
}
