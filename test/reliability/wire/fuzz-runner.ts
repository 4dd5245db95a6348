import { setImmediate as nextTurn } from 'node:timers/promises'
import { serialize } from 'pg-protocol'
import { startupMessage } from './frontend-messages.js'
import { type FuzzCase, messagesOf, probeQuery } from './fuzz-cases.js'
import { hexSeed } from './prng.js'
import {
  clientFinalMessage,
  clientFirstMessage,
  parseServerFirst,
  type ScramClientFirst,
  type ScramServerFirst,
  scramLogin,
} from './scram-client.js'
import { WireConnection, type WireMessage } from './wire-connection.js'

/** The endpoint under fuzz, and what a client needs to log in to it quickly. */
export interface FuzzTarget {
  readonly port: number
  readonly token: string
  /** The salted password for the endpoint's salt (PBKDF2 once, not per connection). */
  readonly salted: (serverFirst: ScramServerFirst) => Buffer
  /** The master seed, named in failures. */
  readonly seed: number
}

/** FATAL codes a hostile client may get: protocol violation, unsupported protocol, wrong password, unknown database. */
export const SENSIBLE_FATAL_CODES: ReadonlySet<string> = new Set([
  '08P01',
  '0A000',
  '28P01',
  '3D000',
])

/** The deadline for the server to answer or close at each step; it is a "no hang" bound, not a speed target. */
const STEP_TIMEOUT_MS = 15_000

/** How one case ended. */
export interface FuzzOutcome {
  readonly fuzzCase: FuzzCase
  readonly messages: number
  /** `FATAL 08P01`, `closed without a word`, `session still answers`. */
  readonly ending: string
  /** SQLSTATEs of the non-fatal ErrorResponses on the way. */
  readonly errorCodes: readonly string[]
}

/** A broken invariant, with everything needed to replay it. */
export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure'
  constructor(
    readonly fuzzCase: FuzzCase,
    readonly seed: number,
    reason: string,
    replies: readonly WireMessage[],
  ) {
    const sent = bytesOf(fuzzCase)
    const shown = sent.subarray(0, 2048).toString('hex')
    super(
      `${reason}\n  case #${fuzzCase.index} (${fuzzCase.family}, ${fuzzCase.phase}, expect ${fuzzCase.expect}); ` +
        `replay: KYSELY_MOTHERDUCK_FUZZ_SEED=${hexSeed(seed)} (case seed ${hexSeed(fuzzCase.seed)})\n` +
        `  steps: ${fuzzCase.steps.map((step) => step.kind).join(', ')}\n` +
        `  bytes (${sent.length}): ${shown}${sent.length > 2048 ? '…' : ''}\n` +
        `  replies: ${replies.map(describeReply).join(', ') || 'none'}`,
    )
  }
}

/** Everything a case writes, in order (what a failure shows in hex). */
export function bytesOf(fuzzCase: FuzzCase): Buffer {
  const parts: Buffer[] = []
  for (const step of fuzzCase.steps) {
    if (step.kind === 'send') parts.push(step.bytes)
    else if (step.kind === 'negotiate') parts.push(step.request, step.trailing ?? Buffer.alloc(0))
  }
  return Buffer.concat(parts)
}

function describeReply(message: WireMessage): string {
  if (message.name === 'error' || message.name === 'notice') {
    return `${message.name}(${String(message.severity)} ${String(message.code)}: ${String(message.message).slice(0, 120)})`
  }
  return message.name
}

/**
 * Runs one case on a fresh connection and checks every invariant; throws a {@link FuzzFailure} when
 * one breaks. The connection is always closed when it returns.
 */
export async function runCase(fuzzCase: FuzzCase, target: FuzzTarget): Promise<FuzzOutcome> {
  const connection = await WireConnection.open(target.port)
  const fail = (reason: string): never => {
    throw new FuzzFailure(fuzzCase, target.seed, reason, connection.received)
  }
  try {
    let loginReplies = 0
    if (fuzzCase.phase === 'session') {
      const login = await scramLogin(connection, target.token, {
        salted: target.salted,
        timeoutMs: STEP_TIMEOUT_MS,
      })
      if (!login.authenticated || login.replies.at(-1)?.name !== 'readyForQuery') {
        fail('the login with the right token failed')
      }
      loginReplies = connection.received.length
    } else if (fuzzCase.phase === 'authentication') {
      connection.send(startupMessage())
      const request = await connection.next(STEP_TIMEOUT_MS)
      if (request.name !== 'authenticationSASL')
        fail(`expected AuthenticationSASL, got ${request.name}`)
    }

    let first: ScramClientFirst | undefined
    let serverFirst: ScramServerFirst | undefined
    for (const step of fuzzCase.steps) {
      if (connection.closed) break
      switch (step.kind) {
        case 'send': {
          let from = 0
          for (const cut of [...step.splits, step.bytes.length]) {
            connection.send(step.bytes.subarray(from, cut))
            from = cut
            if (cut < step.bytes.length) await nextTurn()
          }
          break
        }
        case 'negotiate': {
          const answer = await connection.negotiate(step.request, step.trailing, STEP_TIMEOUT_MS)
          if (step.trailing === undefined && answer !== 'N') {
            fail(`expected 'N' to an encryption request, got ${answer}`)
          }
          break
        }
        case 'scram-first': {
          first = clientFirstMessage()
          connection.send(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', first.message))
          const reply = await connection.next(STEP_TIMEOUT_MS)
          if (reply.name !== 'authenticationSASLContinue') {
            fail(`expected AuthenticationSASLContinue, got ${reply.name}`)
          }
          serverFirst = parseServerFirst(String(reply.data))
          break
        }
        case 'scram-final': {
          if (first === undefined || serverFirst === undefined)
            fail('scram-final before scram-first')
          const final = clientFinalMessage(
            first as ScramClientFirst,
            serverFirst as ScramServerFirst,
            target.salted(serverFirst as ScramServerFirst),
            step.tampering,
          )
          connection.send(serialize.sendSCRAMClientFinalMessage(final.message))
          break
        }
      }
    }

    let ending: string
    const probe = 1_000_000 + fuzzCase.index
    if (fuzzCase.expect === 'healthy') {
      connection.send(probeQuery(probe))
      try {
        await connection.waitUntil(
          () => probeAnswered(connection.received, probe) || connection.closed,
          STEP_TIMEOUT_MS,
          'the probe query',
        )
      } catch {
        fail(`the session did not answer the probe within ${STEP_TIMEOUT_MS} ms`)
      }
      if (!probeAnswered(connection.received, probe))
        fail('the session closed instead of answering the probe')
      connection.send(serialize.end())
      ending = 'session still answers'
    } else if (fuzzCase.expect === 'fatal-08P01' || fuzzCase.expect === 'fatal-28P01') {
      // The server must close by itself: nothing more is sent.
      ending = ''
    } else {
      connection.send(probeQuery(probe))
      connection.end()
      ending = ''
    }
    if (!(await connection.waitClosed(STEP_TIMEOUT_MS))) {
      fail(`the server neither closed the connection nor answered within ${STEP_TIMEOUT_MS} ms`)
    }

    const replies = connection.received
    if (connection.malformedReply !== undefined) {
      fail(`the server sent bytes pg cannot parse: ${connection.malformedReply.message}`)
    }
    const fatals = replies.filter((m) => m.name === 'error' && m.severity === 'FATAL')
    if (fatals.length > 1) fail('more than one FATAL')
    const fatal = fatals[0]
    if (fatal !== undefined) {
      if (!SENSIBLE_FATAL_CODES.has(String(fatal.code)))
        fail(`FATAL with code ${String(fatal.code)}`)
      if (replies.at(-1) !== fatal) fail('the server sent more after a FATAL')
    }
    const internal = replies.find((m) => m.name === 'error' && m.code === 'XX000')
    if (internal !== undefined) fail(`an internal error (XX000): ${String(internal.message)}`)
    if (fuzzCase.phase !== 'session') {
      if (replies.some((m) => m.name === 'authenticationOk' || m.name === 'readyForQuery')) {
        fail('a session was opened without the token')
      }
    }
    if (fuzzCase.expect === 'fatal-08P01' && fatal?.code !== '08P01') fail('expected FATAL 08P01')
    if (fuzzCase.expect === 'fatal-28P01' && fatal?.code !== '28P01') fail('expected FATAL 28P01')
    if (fuzzCase.expect === 'healthy' && fatal !== undefined) fail('a FATAL in a healthy case')

    if (ending === '') {
      ending =
        fatal !== undefined
          ? `FATAL ${String(fatal.code)}`
          : probeAnswered(replies, probe)
            ? 'session still answers'
            : 'closed without a word'
    }
    const errorCodes = replies
      .slice(loginReplies)
      .filter((m) => m.name === 'error' && m.severity !== 'FATAL')
      .map((m) => String(m.code))
    return { fuzzCase, messages: messagesOf(fuzzCase), ending, errorCodes }
  } finally {
    connection.destroy()
  }
}

function probeAnswered(replies: readonly WireMessage[], probe: number): boolean {
  const text = String(probe)
  const at = replies.findIndex(
    (m) => m.name === 'dataRow' && Array.isArray(m.fields) && m.fields[0] === text,
  )
  return at !== -1 && replies.slice(at).some((m) => m.name === 'readyForQuery')
}
