/**
 * Whether the local endpoint's password check takes longer the more of the token a guess gets right:
 * the time to refuse a token that "matches all but the last character" over the time to refuse one
 * that "matches nothing" (every character differs), for both authentication paths — the cleartext
 * check (`cleartextPasswordMatches`: SHA-256 of the guess against the token's, 32-byte digests compared
 * with timingSafeEqual) and the SCRAM check (`ScramServerExchange` start + finish: the stored key
 * derived from the proof against the verifier's, timingSafeEqual again) — measured in-process, and
 * end to end over TCP (password sent → FATAL 28P01 received). A third ratio takes the token minus its
 * last character (63 characters, all of them right): a length check before the comparison would
 * refuse it early. (Guesses of very different lengths differ by SHA-256 blocks hashed — the guess's
 * own length, which the client knows anyway.) Expect ~1.0 for every ratio; an early-exit comparison
 * would show up as a ratio above 1 growing with the prefix.
 * Rounds alternate between the two guesses, so a neighbour's load affects both sides alike; in-process
 * the fastest round of each side is compared, over TCP the median attempt. Run: `npx tsx bench/auth-timing.bench.ts`.
 */
import { createHash, randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { serialize } from 'pg-protocol'
import { startLocalEndpoint } from '../src/local/index.js'
import { deriveScramCredentials, ScramServerExchange } from '../src/local/startup/scram.js'
import { cleartextPasswordMatches } from '../src/local/startup/server.js'
import {
  clientFinalMessage,
  clientFirstMessage,
  parseServerFirst,
  passwordMessage,
  saltedPassword,
} from '../test/reliability/wire/scram-client.js'
import { WireConnection } from '../test/reliability/wire/wire-connection.js'
import { type BenchResult, runWhenMain } from './bench-result.js'

const IN_PROCESS_ROUNDS = 61
const CALLS_PER_ROUND = 5_000
const WIRE_ATTEMPTS = 150
/** In-process: the two times must agree within 10 %; over TCP, within 25 % (network jitter). */
const IN_PROCESS_BOUNDS = [0.9, 1.1] as const
const WIRE_BOUNDS = [0.75, 1.25] as const

const TOKEN = randomBytes(32).toString('hex')
/** Every character changed: a hex digit shifted by 8 differs from the token's at each position. */
const MATCHES_NOTHING = [...TOKEN]
  .map((c) => ((Number.parseInt(c, 16) + 8) % 16).toString(16))
  .join('')
const ALL_BUT_LAST = TOKEN.slice(0, -1) + MATCHES_NOTHING.slice(-1)
/** One character short: a length check before the comparison would refuse it early. */
const TRUNCATED = TOKEN.slice(0, -1)

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/**
 * Time per check of each side: the fastest of IN_PROCESS_ROUNDS rounds of `calls` checks, rounds
 * alternating between the two sides. The fastest round is the least disturbed by other processes on a
 * shared machine, so it is the cost of the check itself.
 */
function compareInProcess(
  near: () => unknown,
  far: () => unknown,
  calls = CALLS_PER_ROUND,
): { near: number; far: number } {
  const time = (check: () => unknown): number => {
    const start = performance.now()
    for (let i = 0; i < calls; i++) check()
    return (performance.now() - start) / calls
  }
  time(near)
  time(far)
  const nearTimes: number[] = []
  const farTimes: number[] = []
  for (let round = 0; round < IN_PROCESS_ROUNDS; round++) {
    if (round % 2 === 0) {
      nearTimes.push(time(near))
      farTimes.push(time(far))
    } else {
      farTimes.push(time(far))
      nearTimes.push(time(near))
    }
  }
  return { near: Math.min(...nearTimes), far: Math.min(...farTimes) }
}

function result(
  name: string,
  times: { near: number; far: number },
  bounds: readonly [number, number],
): BenchResult {
  const ratio = times.near / times.far
  console.error(
    `  ${name}: ${(times.near * 1000).toFixed(2)} µs vs ${(times.far * 1000).toFixed(2)} µs`,
  )
  return {
    name,
    ratio,
    target: `${bounds[0]}–${bounds[1]}`,
    pass: ratio >= bounds[0] && ratio <= bounds[1],
  }
}

/** One refused login over TCP: milliseconds from the password message to the FATAL. */
async function refusalTime(port: number, body: Buffer): Promise<number> {
  const connection = await WireConnection.open(port)
  connection.send(serialize.startup({ user: 'postgres', database: 'md:' }))
  await connection.next()
  return timeRefusal(connection, passwordMessage(body))
}

/** Milliseconds from sending the last authentication message to the FATAL 28P01 it must get. */
async function timeRefusal(connection: WireConnection, message: Buffer): Promise<number> {
  const start = performance.now()
  connection.send(message)
  const reply = await connection.next()
  const elapsed = performance.now() - start
  if (reply.name !== 'error' || reply.code !== '28P01') {
    throw new Error(`expected FATAL 28P01, got ${reply.name}`)
  }
  connection.destroy()
  return elapsed
}

/** One refused SCRAM login over TCP: milliseconds from the client-final-message to the FATAL. */
async function scramRefusalTime(
  port: number,
  password: string,
  salted: Map<string, Buffer>,
): Promise<number> {
  const connection = await WireConnection.open(port)
  connection.send(serialize.startup({ user: 'postgres', database: 'md:' }))
  await connection.next()
  const first = clientFirstMessage()
  connection.send(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', first.message))
  const serverFirst = parseServerFirst(String((await connection.next()).data))
  let key = salted.get(password)
  if (key === undefined) {
    key = saltedPassword(password, serverFirst.salt, serverFirst.iterations)
    salted.set(password, key)
  }
  const final = serialize.sendSCRAMClientFinalMessage(
    clientFinalMessage(first, serverFirst, key).message,
  )
  return timeRefusal(connection, final)
}

async function compareOverTcp(
  attempt: (guess: string) => Promise<number>,
): Promise<{ near: number; far: number }> {
  await attempt(ALL_BUT_LAST)
  await attempt(MATCHES_NOTHING)
  const near: number[] = []
  const far: number[] = []
  for (let i = 0; i < WIRE_ATTEMPTS; i++) {
    if (i % 2 === 0) {
      near.push(await attempt(ALL_BUT_LAST))
      far.push(await attempt(MATCHES_NOTHING))
    } else {
      far.push(await attempt(MATCHES_NOTHING))
      near.push(await attempt(ALL_BUT_LAST))
    }
  }
  return { near: median(near), far: median(far) }
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = []

  // Cleartext, in-process: exactly the function the server calls.
  const digest = createHash('sha256').update(TOKEN).digest()
  const packet = (guess: string) => Buffer.from(`${guess}\0`)
  const [nearPacket, farPacket, shortPacket] = [ALL_BUT_LAST, MATCHES_NOTHING, TRUNCATED].map(
    packet,
  )
  results.push(
    result(
      'cleartext check, in-process: all-but-last-char / matches-nothing',
      compareInProcess(
        () => cleartextPasswordMatches(nearPacket as Buffer, digest),
        () => cleartextPasswordMatches(farPacket as Buffer, digest),
      ),
      IN_PROCESS_BOUNDS,
    ),
  )
  results.push(
    result(
      'cleartext check, in-process: token minus last char (63) / matches-nothing (64)',
      compareInProcess(
        () => cleartextPasswordMatches(shortPacket as Buffer, digest),
        () => cleartextPasswordMatches(farPacket as Buffer, digest),
      ),
      IN_PROCESS_BOUNDS,
    ),
  )

  // SCRAM, in-process: a whole server exchange (start + finish) per check, pinned nonces.
  const credentials = await deriveScramCredentials(TOKEN)
  const serverNonce = randomBytes(18).toString('base64')
  const first = clientFirstMessage({ nonce: 'bench-client-nonce' })
  const serverFirst = parseServerFirst(
    new ScramServerExchange(credentials, serverNonce).start(first.message),
  )
  const finalFor = (guess: string) =>
    clientFinalMessage(
      first,
      serverFirst,
      saltedPassword(guess, serverFirst.salt, serverFirst.iterations),
    ).message
  const [nearFinal, farFinal] = [finalFor(ALL_BUT_LAST), finalFor(MATCHES_NOTHING)]
  const scramCheck = (final: string) => () => {
    const exchange = new ScramServerExchange(credentials, serverNonce)
    exchange.start(first.message)
    if (exchange.finish(final) !== null) throw new Error('a wrong token was accepted')
  }
  results.push(
    result(
      'SCRAM check, in-process: all-but-last-char / matches-nothing',
      compareInProcess(scramCheck(nearFinal), scramCheck(farFinal), CALLS_PER_ROUND / 2),
      IN_PROCESS_BOUNDS,
    ),
  )

  // End to end, over TCP, on the two kinds of endpoint.
  const cleartext = await startLocalEndpoint({ token: TOKEN, auth: 'password' })
  const scram = await startLocalEndpoint({ token: TOKEN })
  try {
    results.push(
      result(
        'cleartext login over TCP: all-but-last-char / matches-nothing',
        await compareOverTcp((guess) => refusalTime(cleartext.port, packet(guess))),
        WIRE_BOUNDS,
      ),
    )
    const salted = new Map<string, Buffer>()
    results.push(
      result(
        'SCRAM login over TCP: all-but-last-char / matches-nothing',
        await compareOverTcp((guess) => scramRefusalTime(scram.port, guess, salted)),
        WIRE_BOUNDS,
      ),
    )
  } finally {
    await cleartext.stop()
    await scram.stop()
  }
  return results
}

await runWhenMain(import.meta.url, run)
