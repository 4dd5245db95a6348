import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { reportFigure, stressScale } from './stress-scale.js'
import { typedMessage } from './wire/frontend-messages.js'
import {
  clientFinalMessage,
  clientFirstMessage,
  parseServerFirst,
  passwordMessage,
  type ScramClientFirst,
  type ScramServerFirst,
  type ScramTampering,
  saltedPassword,
  saslInitialResponseBody,
  scramLogin,
} from './wire/scram-client.js'
import { WireConnection, type WireMessage } from './wire/wire-connection.js'

/**
 * Issue 7, "Hostile input: authentication". Wrong, empty and almost-right tokens, and SCRAM exchanges
 * spoiled every way a client can spoil them (flipped proof bits, foreign nonces, a replayed final
 * message, a channel-binding header that disagrees, malformed attributes), against both of the local
 * endpoint's authentication methods: none may ever yield a session (no AuthenticationOk, no
 * ReadyForQuery), each ends in FATAL 28P01 or 08P01 and a closed connection, and no reply carries the
 * token. That the check's time does not depend on how much of the token matched is shown by
 * bench/auth-timing.bench.ts (the comparison is of two fixed-length digests with timingSafeEqual in
 * both paths: `cleartextPasswordMatches` in src/local/startup/server.ts, `ScramServerExchange.finish` in
 * src/local/startup/scram.ts).
 */

/** Like the endpoint's own random tokens: 64 hex digits, so "all but the last" is a long prefix. */
const TOKEN = randomBytes(32).toString('hex')
const lastSwapped = (token: string) => token.slice(0, -1) + (token.endsWith('0') ? '1' : '0')
const WRONG_TOKENS: readonly (readonly [string, string])[] = [
  ['a different token', randomBytes(32).toString('hex')],
  ['the token but its last character', lastSwapped(TOKEN)],
  ['the token without its last character', TOKEN.slice(0, -1)],
  ['the token and one more character', `${TOKEN}0`],
  ['the first half of the token', TOKEN.slice(0, 32)],
  ['the token in upper case', TOKEN.toUpperCase()],
  ['the token with a leading space', ` ${TOKEN}`],
  ['a single character', 'x'],
  ['60,000 characters starting with the token', TOKEN + 'x'.repeat(60_000 - TOKEN.length)],
  ['non-ASCII text', 'ünïcødé 🦆 token'],
]

/** Random guesses sharing a random-length prefix (0–63 characters) with the token. */
const PREFIX_GUESSES = stressScale(100, 3_000)

function prefixGuesses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const shared = i % TOKEN.length
    return (
      TOKEN.slice(0, shared) +
      lastSwapped(TOKEN.slice(shared, shared + 1)) +
      randomBytes(32)
        .toString('hex')
        .slice(0, TOKEN.length - shared - 1)
    )
  })
}

let scram: LocalEndpoint
let cleartext: LocalEndpoint
const saltedCache = new Map<string, Buffer>()

function saltedFor(password: string) {
  return (serverFirst: ScramServerFirst): Buffer => {
    const key = `${password}\0${serverFirst.salt.toString('base64')}`
    let salted = saltedCache.get(key)
    if (salted === undefined) {
      salted = saltedPassword(password, serverFirst.salt, serverFirst.iterations)
      saltedCache.set(key, salted)
    }
    return salted
  }
}

let refusals = 0

/**
 * The invariants of a refused login: the server closed the connection by itself, sent no
 * AuthenticationOk, ReadyForQuery or row, and exactly one FATAL, last, whose code is one of `codes`;
 * nothing it sent contains the token. Returns the FATAL.
 */
async function expectNoSession(
  connection: WireConnection,
  codes: readonly string[],
): Promise<WireMessage> {
  expect(await connection.waitClosed(10_000)).toBe(true)
  const replies = connection.received
  const names = replies.map((m) => m.name)
  expect(names).not.toContain('authenticationOk')
  expect(names).not.toContain('readyForQuery')
  expect(names).not.toContain('dataRow')
  const fatals = connection.fatals()
  expect(fatals).toHaveLength(1)
  expect(replies.at(-1)).toBe(fatals[0])
  expect(codes).toContain(fatals[0]?.code)
  expect(JSON.stringify(replies)).not.toContain(TOKEN)
  expect(connection.malformedReply).toBeUndefined()
  refusals++
  return fatals[0] as WireMessage
}

/** A SCRAM login up to the client-final-message, spoiled as `tampering` says. */
async function scramAttempt(
  password: string,
  options: { tampering?: ScramTampering; first?: ScramClientFirst; mechanism?: string } = {},
): Promise<{ connection: WireConnection; clientFinal?: string }> {
  const connection = await WireConnection.open(scram.port)
  const outcome = await scramLogin(connection, password, {
    ...options,
    salted: saltedFor(password),
  })
  return { connection, clientFinal: outcome.clientFinal }
}

/** Startup, then the SASLInitialResponse `body` as the answer to AuthenticationSASL. */
async function scramInitial(body: Buffer): Promise<WireConnection> {
  const connection = await WireConnection.open(scram.port)
  connection.send(serialize.startup({ user: 'postgres', database: 'md:' }))
  expect((await connection.next()).name).toBe('authenticationSASL')
  connection.send(passwordMessage(body))
  return connection
}

/** Startup, a valid client-first-message, then `final` (text) as the client-final-message. */
async function scramFinal(
  final: (first: ScramClientFirst, serverFirst: ScramServerFirst) => string,
): Promise<WireConnection> {
  const connection = await WireConnection.open(scram.port)
  connection.send(serialize.startup({ user: 'postgres', database: 'md:' }))
  expect((await connection.next()).name).toBe('authenticationSASL')
  const first = clientFirstMessage()
  connection.send(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', first.message))
  const reply = await connection.next()
  expect(reply.name).toBe('authenticationSASLContinue')
  connection.send(
    serialize.sendSCRAMClientFinalMessage(final(first, parseServerFirst(String(reply.data)))),
  )
  return connection
}

/** Startup on the cleartext endpoint, then `body` as the PasswordMessage. */
async function cleartextAttempt(body: Buffer): Promise<WireConnection> {
  const connection = await WireConnection.open(cleartext.port)
  connection.send(serialize.startup({ user: 'postgres', database: 'md:' }))
  expect((await connection.next()).name).toBe('authenticationCleartextPassword')
  connection.send(passwordMessage(body))
  return connection
}

beforeAll(async () => {
  scram = await startLocalEndpoint({ token: TOKEN })
  cleartext = await startLocalEndpoint({ token: TOKEN, auth: 'password' })
})

afterAll(async () => {
  reportFigure('authentication', `${refusals} hostile logins refused, 0 sessions opened`)
  await scram?.stop()
  await cleartext?.stop()
})

describe('SCRAM-SHA-256: never a session without the token', () => {
  it('logs in with the token (the control), and the server proves it holds the verifier', async () => {
    const connection = await WireConnection.open(scram.port)
    const outcome = await scramLogin(connection, TOKEN, { salted: saltedFor(TOKEN) })
    expect(outcome.authenticated).toBe(true)
    expect(outcome.serverVerified).toBe(true)
    expect(outcome.replies.at(-1)?.name).toBe('readyForQuery')
    connection.destroy()
  })

  it.each(WRONG_TOKENS)('refuses %s with 28P01', async (_, password) => {
    const { connection } = await scramAttempt(password)
    const fatal = await expectNoSession(connection, ['28P01'])
    expect(fatal.message).toBe('password authentication failed for user "postgres"')
  })

  it('refuses an empty token with 28P01', async () => {
    const { connection } = await scramAttempt('')
    await expectNoSession(connection, ['28P01'])
  })

  it(`refuses ${PREFIX_GUESSES} guesses that share 0–63 leading characters with the token`, async () => {
    for (const guess of prefixGuesses(PREFIX_GUESSES)) {
      expect(guess).not.toBe(TOKEN)
      const { connection } = await scramAttempt(guess)
      await expectNoSession(connection, ['28P01'])
    }
  })

  it('refuses every one of the 256 single-bit flips of a correct ClientProof with 28P01', async () => {
    for (let bit = 0; bit < 256; bit++) {
      const { connection } = await scramAttempt(TOKEN, { tampering: { flipProofBit: bit } })
      await expectNoSession(connection, ['28P01'])
    }
  })

  it('refuses a nonce other than the one the server chose with 08P01', async () => {
    const spoilers: ((nonce: string, first: ScramClientFirst) => string)[] = [
      (_, first) => first.clientNonce, // the client's part only
      (nonce) => nonce.slice(0, -1) + (nonce.endsWith('A') ? 'B' : 'A'), // last character changed
      (nonce) => `${nonce}x`,
      () => randomBytes(24).toString('base64'),
      () => '',
    ]
    for (const spoil of spoilers) {
      const connection = await scramFinal((first, serverFirst) => {
        const honest = clientFinalMessage(first, serverFirst, saltedFor(TOKEN)(serverFirst), {
          nonce: spoil(serverFirst.nonce, first),
        })
        return honest.message
      })
      const fatal = await expectNoSession(connection, ['08P01'])
      expect(fatal.message).toMatch(/nonce mismatch|malformed SCRAM message/)
    }
  })

  it('refuses a client-final-message replayed from a successful login with 08P01', async () => {
    const first = clientFirstMessage()
    const original = await WireConnection.open(scram.port)
    const login = await scramLogin(original, TOKEN, { first, salted: saltedFor(TOKEN) })
    expect(login.authenticated).toBe(true)
    original.destroy()
    // The eavesdropper sends the very same first and final messages on a new connection.
    const replayed = await scramAttempt(TOKEN, {
      first,
      tampering: { message: login.clientFinal as string },
    })
    const fatal = await expectNoSession(replayed.connection, ['08P01'])
    expect(fatal.message).toBe('malformed SCRAM message: nonce mismatch')
  })

  it('refuses a channel-binding header that disagrees with the first message with 08P01', async () => {
    for (const header of ['y,,', 'p=tls-server-end-point,,', 'n,a=admin,', 'n,', '']) {
      const { connection } = await scramAttempt(TOKEN, {
        tampering: { channelBindingHeader: header },
      })
      const fatal = await expectNoSession(connection, ['08P01'])
      expect(fatal.message).toBe(
        'malformed SCRAM message: channel-binding data does not match the GS2 header',
      )
    }
  })

  it("accepts the 'y' flag (client supports channel binding, server offered none) only with the token", async () => {
    const first = clientFirstMessage({ gs2Header: 'y,,' })
    const good = await WireConnection.open(scram.port)
    expect((await scramLogin(good, TOKEN, { first, salted: saltedFor(TOKEN) })).authenticated).toBe(
      true,
    )
    good.destroy()
    const bad = await scramAttempt(lastSwapped(TOKEN), {
      first: clientFirstMessage({ gs2Header: 'y,,' }),
    })
    await expectNoSession(bad.connection, ['28P01'])
  })

  it('refuses channel binding (p=) and other mechanisms with 08P01', async () => {
    const bound = await scramInitial(
      saslInitialResponseBody('SCRAM-SHA-256', 'p=tls-server-end-point,,n=*,r=abcdefgh'),
    )
    expect((await expectNoSession(bound, ['08P01'])).message).toBe(
      'channel binding is not supported by this server',
    )
    for (const mechanism of ['SCRAM-SHA-256-PLUS', 'PLAIN', 'scram-sha-256', '']) {
      const other = await scramInitial(saslInitialResponseBody(mechanism, 'n,,n=*,r=abcdefgh'))
      expect((await expectNoSession(other, ['08P01'])).message).toBe(
        'client selected an invalid SASL authentication mechanism',
      )
    }
  })

  it('refuses malformed client-first-messages with 08P01', async () => {
    const malformed = [
      '',
      'n,,',
      'n,,n=*',
      'n,,r=abcdefgh',
      'n,,r=abcdefgh,n=*',
      'n,,n=*,r=',
      'n,,n=*,r=abc def',
      'n,,n=*,r=abc\u0001def',
      'n,,m=ext,n=*,r=abcdefgh',
      'n,,n=*,r=abcdefgh,r=other',
      'n,,n=*,,r=abcdefgh',
      'x,,n=*,r=abcdefgh',
      'n=*,r=abcdefgh',
      'garbage',
      '\u0000\u0000\u0000',
      'n,,n=*,r=é',
    ]
    for (const response of malformed) {
      const connection = await scramInitial(saslInitialResponseBody('SCRAM-SHA-256', response))
      const fatal = await expectNoSession(connection, ['08P01'])
      expect(fatal.message, JSON.stringify(response)).toMatch(/^malformed SCRAM message: /)
    }
  })

  it('refuses a SASLInitialResponse whose framing is wrong with 08P01', async () => {
    const body = saslInitialResponseBody('SCRAM-SHA-256', 'n,,n=*,r=abcdefgh')
    const wrongLength = Buffer.from(body)
    wrongLength.writeInt32BE(1000, 'SCRAM-SHA-256\0'.length)
    const noInitialResponse = Buffer.from(body.subarray(0, 'SCRAM-SHA-256\0'.length + 4))
    noInitialResponse.writeInt32BE(-1, 'SCRAM-SHA-256\0'.length)
    for (const framed of [
      wrongLength,
      noInitialResponse,
      Buffer.from('SCRAM-SHA-256'),
      Buffer.alloc(0),
      body.subarray(0, body.length - 1),
    ]) {
      await expectNoSession(await scramInitial(framed), ['08P01'])
    }
  })

  it('refuses malformed client-final-messages with 08P01', async () => {
    const proof = Buffer.alloc(32, 7).toString('base64')
    const spoilers: ((first: ScramClientFirst, serverFirst: ScramServerFirst) => string)[] = [
      () => '',
      () => 'garbage',
      (_, s) => `c=biws,r=${s.nonce}`, // no proof
      (_, s) => `c=biws,r=${s.nonce},p=`,
      (_, s) => `c=biws,r=${s.nonce},p=${Buffer.alloc(31).toString('base64')}`,
      (_, s) => `c=biws,r=${s.nonce},p=${Buffer.alloc(33).toString('base64')}`,
      (_, s) => `c=biws,r=${s.nonce},p=${proof.replace(/=*$/, '')}!!`,
      (_, s) => `c=biws,r=${s.nonce},p=*${proof.slice(1)}`,
      (_, s) => `r=${s.nonce},c=biws,p=${proof}`, // attributes out of order
      (_, s) => `c=biws,c=biws,r=${s.nonce},p=${proof}`, // an attribute twice
      (_, s) => `c=biws,r=${s.nonce},r=${s.nonce},p=${proof}`,
      (_, s) => `c=biws,r=${s.nonce},,p=${proof}`,
      (_, s) => `c=,r=${s.nonce},p=${proof}`,
      (_, s) => `c=biws,r=${s.nonce},p=${proof},x=1`, // text after the proof
    ]
    for (const spoil of spoilers) {
      const connection = await scramFinal(spoil)
      await expectNoSession(connection, ['08P01', '28P01'])
    }
  })

  it('refuses the token sent in clear text to the SCRAM endpoint (it is not a SASL message)', async () => {
    const connection = await scramInitial(Buffer.from(`${TOKEN}\0`))
    await expectNoSession(connection, ['08P01'])
  })

  it('refuses any other message in place of the SASL response with 08P01', async () => {
    const others = [
      serialize.query('SELECT 1'),
      serialize.parse({ text: 'SELECT 1' }),
      serialize.sync(),
      serialize.end(),
      serialize.copyData(Buffer.from(TOKEN)),
      serialize.startup({ user: 'postgres' }),
      typedMessage(0x70, Buffer.alloc(10), 70_000), // a SASL message above the 64 KiB limit
    ]
    for (const message of others) {
      const connection = await WireConnection.open(scram.port)
      connection.send(serialize.startup({ user: 'postgres', database: 'md:' }))
      expect((await connection.next()).name).toBe('authenticationSASL')
      connection.send(message)
      await expectNoSession(connection, ['08P01'])
    }
  })

  it('refuses through the real pg client too, without the token in the error', async () => {
    for (const [, password] of WRONG_TOKENS.slice(0, 4)) {
      const client = new pg.Client({
        host: scram.host,
        port: scram.port,
        user: 'postgres',
        password,
        database: 'md:',
      })
      client.on('error', () => undefined)
      const error = (await client.connect().then(
        () => undefined,
        (reason: unknown) => reason,
      )) as Error & { code?: string }
      expect(error?.code).toBe('28P01')
      expect(`${error.message}${error.stack}`).not.toContain(TOKEN)
      refusals++
    }
  })
})

describe('cleartext password: never a session without the token', () => {
  it('logs in with the token (the control)', async () => {
    const connection = await cleartextAttempt(Buffer.from(`${TOKEN}\0`))
    const replies = await connection.until('readyForQuery')
    expect(replies.map((m) => m.name)).toContain('authenticationOk')
    connection.destroy()
  })

  it.each(WRONG_TOKENS)('refuses %s with 28P01', async (_, password) => {
    const connection = await cleartextAttempt(Buffer.from(`${password}\0`))
    const fatal = await expectNoSession(connection, ['28P01'])
    expect(fatal.message).toBe('password authentication failed for user "postgres"')
  })

  it('refuses an empty token with 28P01', async () => {
    await expectNoSession(await cleartextAttempt(Buffer.from('\0')), ['28P01'])
  })

  it(`refuses ${PREFIX_GUESSES} guesses that share 0–63 leading characters with the token`, async () => {
    for (const guess of prefixGuesses(PREFIX_GUESSES)) {
      await expectNoSession(await cleartextAttempt(Buffer.from(`${guess}\0`)), ['28P01'])
    }
  })

  it('refuses password packets that are not one NUL-terminated string with 08P01, even around the token', async () => {
    for (const body of [
      Buffer.from(TOKEN), // no terminator
      Buffer.from(`${TOKEN}\0junk`), // the token, then more
      Buffer.from(`${TOKEN}\0\0`),
      Buffer.from(`\0${TOKEN}\0`),
      Buffer.alloc(0),
    ]) {
      const fatal = await expectNoSession(await cleartextAttempt(body), ['08P01'])
      expect(fatal.message).toBe('invalid password packet size')
    }
  })

  it('refuses SCRAM messages sent to the cleartext endpoint', async () => {
    const body = saslInitialResponseBody('SCRAM-SHA-256', 'n,,n=*,r=abcdefgh')
    await expectNoSession(await cleartextAttempt(body), ['08P01', '28P01'])
    await expectNoSession(await cleartextAttempt(Buffer.from('c=biws,r=x,p=AAAA\0')), ['28P01'])
  })

  it('refuses a password message above the 64 KiB limit before reading it (08P01)', async () => {
    const connection = await WireConnection.open(cleartext.port)
    connection.send(serialize.startup({ user: 'postgres', database: 'md:' }))
    await connection.next()
    connection.send(typedMessage(0x70, Buffer.alloc(16), 0x7fff_ffff))
    const fatal = await expectNoSession(connection, ['08P01'])
    expect(fatal.message).toBe(
      'message of type "p" of 2147483647 bytes exceeds the limit of 65536 bytes',
    )
  })
})
