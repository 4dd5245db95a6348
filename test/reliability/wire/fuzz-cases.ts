import { serialize } from 'pg-protocol'
import {
  cancelRequest,
  cstring,
  FRONTEND_TYPE_BYTES,
  FRONTEND_TYPES,
  functionCall,
  GSSENC_REQUEST,
  int32,
  SSL_REQUEST,
  startupMessage,
  startupWithVersion,
  typedMessage,
  untypedMessage,
} from './frontend-messages.js'
import { Prng } from './prng.js'
import type { ScramTampering } from './scram-client.js'

/**
 * The generated cases of the protocol fuzzer. A case is one connection: where it starts (before the
 * StartupMessage, during authentication, or in an authenticated session), the bytes it sends, and what
 * the server must do about them. Each case is built from its own seed, so a failure that prints the
 * seed (and the bytes, in hex) can be rebuilt with {@link generateCase}.
 */

/** Where a case's bytes go in. */
export type FuzzPhase = 'pre-startup' | 'authentication' | 'session'

/**
 * What the server must do, on top of the invariants every case checks (a reply that parses, FATAL
 * codes from a short list, at most one FATAL and nothing after it, the connection closed in time, no
 * session without the token):
 * - `healthy`: the session still answers a query after the messages (errors on the way are fine);
 * - `fatal-08P01`: a FATAL 08P01 arrives and the server closes the connection by itself;
 * - `fatal-28P01`: a FATAL 28P01 (wrong password) arrives and the server closes;
 * - `any`: nothing more (a mutation may or may not break the protocol).
 */
export type FuzzExpectation = 'healthy' | 'fatal-08P01' | 'fatal-28P01' | 'any'

export type FuzzStep =
  /** Bytes written in pieces cut at `splits` (offsets), with a turn of the event loop between them. */
  | {
      readonly kind: 'send'
      readonly bytes: Buffer
      readonly splits: readonly number[]
      readonly messages: number
    }
  /** An SSLRequest/GSSENCRequest and its one-byte answer, with `trailing` bytes in the same write. */
  | { readonly kind: 'negotiate'; readonly request: Buffer; readonly trailing?: Buffer }
  /** A valid SASLInitialResponse; the server answers with its first message. */
  | { readonly kind: 'scram-first' }
  /** The client-final-message computed from the token, spoiled as `tampering` says. */
  | { readonly kind: 'scram-final'; readonly tampering: ScramTampering }

export interface FuzzCase {
  readonly index: number
  readonly seed: number
  readonly phase: FuzzPhase
  readonly family: string
  readonly steps: readonly FuzzStep[]
  readonly expect: FuzzExpectation
}

/** Real `pg` traffic cut into messages (see capture-proxy.ts), the material for mutations. */
export interface FuzzCorpus {
  /** Untyped startup-phase messages (StartupMessage, SSLRequest). */
  readonly startup: readonly Buffer[]
  /** The SASLInitialResponse `pg` sent. */
  readonly saslInitial: readonly Buffer[]
  /** Typed messages of authenticated sessions (Query, Parse, Bind, Describe, Execute, Sync, …). */
  readonly session: readonly Buffer[]
}

/** The number of frontend messages a case sends (counted by the fuzzer's figure). */
export function messagesOf(fuzzCase: FuzzCase): number {
  let count = 0
  for (const step of fuzzCase.steps) {
    if (step.kind === 'send') count += step.messages
    else count += 1
  }
  return count
}

type Family = (prng: Prng, corpus: FuzzCorpus) => Omit<FuzzCase, 'index' | 'seed' | 'phase'>

/** Builds case number `index` from its seed. */
export function generateCase(index: number, seed: number, corpus: FuzzCorpus): FuzzCase {
  const prng = new Prng(seed)
  const phase = prng.weighted<FuzzPhase>([
    [20, 'pre-startup'],
    [15, 'authentication'],
    [65, 'session'],
  ])
  const families =
    phase === 'pre-startup'
      ? PRE_STARTUP_FAMILIES
      : phase === 'authentication'
        ? AUTHENTICATION_FAMILIES
        : SESSION_FAMILIES
  const family = prng.weighted(families)
  return { index, seed, phase, ...family(prng, corpus) }
}

// ------------------------------------------------------------------------------------------------
// Mutations

const INTERESTING_LENGTHS = [
  0,
  1,
  3,
  4,
  5,
  7,
  8,
  9,
  -1,
  -4,
  0x7fff_ffff,
  0x8000_0000 | 0,
  0xffff,
  0x1_0000,
  0x1_0001,
  10_000,
  10_001,
  64 * 1024 * 1024,
  64 * 1024 * 1024 + 1,
]

/** One to three random edits of a message: bits, bytes, its length field, cuts, insertions. */
export function mutate(prng: Prng, message: Buffer, lengthAt: number): Buffer {
  let bytes: Buffer = Buffer.from(message)
  const edits = prng.between(1, 3)
  for (let edit = 0; edit < edits; edit++) {
    if (bytes.length === 0) bytes = prng.bytes(prng.between(1, 8))
    const at = prng.int(bytes.length)
    switch (prng.int(9)) {
      case 0:
        bytes[at] = (bytes[at] as number) ^ (1 << prng.int(8))
        break
      case 1:
        bytes[at] = prng.int(256)
        break
      case 2:
        bytes[at] = prng.pick([0x00, 0xff, 0x7f, 0x80])
        break
      case 3: {
        if (bytes.length >= lengthAt + 4) {
          const length = prng.chance(0.7)
            ? prng.pick(INTERESTING_LENGTHS)
            : bytes.readInt32BE(lengthAt) + prng.between(-8, 8)
          bytes.writeInt32BE(length | 0, lengthAt)
        }
        break
      }
      case 4:
        bytes = bytes.subarray(0, at)
        break
      case 5: {
        // Cut the content and fix the length field: the declared content no longer fits.
        bytes = Buffer.from(bytes.subarray(0, Math.max(at, lengthAt + 4)))
        if (bytes.length >= lengthAt + 4) bytes.writeInt32BE(bytes.length - lengthAt, lengthAt)
        break
      }
      case 6:
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          prng.bytes(prng.between(1, 16)),
          bytes.subarray(at),
        ])
        break
      case 7: {
        // Counts and lengths inside the body: 16/32-bit values that are large, negative or zero.
        if (at + 2 <= bytes.length) {
          if (prng.chance(0.5)) bytes.writeUInt16BE(prng.pick([0, 0xffff, 0x8000, 0x7fff, 1]), at)
          else if (at + 4 <= bytes.length)
            bytes.writeInt32BE(prng.pick([-1, -2, 0, 0x7fff_ffff, 1 << 20]), at)
        }
        break
      }
      default: {
        const end = Math.min(bytes.length, at + prng.between(1, 16))
        bytes = Buffer.concat([bytes.subarray(0, end), bytes.subarray(at)])
        break
      }
    }
  }
  return bytes
}

function send(prng: Prng, bytes: Buffer, messages = 1): FuzzStep {
  const pieces =
    bytes.length < 2
      ? 0
      : prng.weighted([
          [60, 0],
          [25, 1],
          [10, 3],
          [5, 8],
        ])
  const splits = Array.from({ length: pieces }, () => prng.between(1, bytes.length - 1)).sort(
    (a, b) => a - b,
  )
  return { kind: 'send', bytes, splits, messages }
}

// ------------------------------------------------------------------------------------------------
// Before the StartupMessage

const PRE_STARTUP_FAMILIES: readonly (readonly [number, Family])[] = [
  [
    15,
    (prng) => ({
      family: 'pre-startup: random bytes',
      steps: [send(prng, prng.bytes(prng.between(1, 300)))],
      expect: 'any',
    }),
  ],
  [
    15,
    (prng) => {
      const body = startupMessage().subarray(4)
      const length = prng.chance(0.5)
        ? prng.between(-10, 7)
        : prng.pick([10_001, 0x7fff_ffff, 1 << 20])
      return {
        family: 'pre-startup: startup length out of bounds',
        steps: [send(prng, untypedMessage(body, length))],
        expect: 'fatal-08P01',
      }
    },
  ],
  [
    20,
    (prng, corpus) => ({
      family: 'pre-startup: mutated startup',
      steps: [send(prng, mutate(prng, prng.pick(corpus.startup), 0))],
      expect: 'any',
    }),
  ],
  [
    8,
    (prng) => {
      const startup = startupMessage()
      return {
        family: 'pre-startup: truncated startup',
        steps: [send(prng, startup.subarray(0, prng.between(1, startup.length - 1)))],
        expect: 'any',
      }
    },
  ],
  [
    8,
    (prng) => {
      const version = prng.pick([
        0x0002_0000,
        0x0004_0000,
        0x0003_0001,
        0x0003_ffff,
        0,
        -1,
        prng.uint32() | 0,
      ])
      const parameters: Record<string, string> = { user: 'postgres', database: 'md:' }
      if (prng.chance(0.3)) parameters['_pq_.x'] = 'y'
      return {
        family: 'pre-startup: protocol version',
        steps: [send(prng, startupWithVersion(version, parameters))],
        expect: 'any',
      }
    },
  ],
  [
    10,
    (prng, corpus) => {
      const request = prng.chance(0.5) ? SSL_REQUEST : GSSENC_REQUEST
      const follow = prng.pick([
        () => startupMessage(),
        () => mutate(prng, prng.pick(corpus.startup), 0),
        () => SSL_REQUEST,
        () => prng.bytes(prng.between(1, 64)),
      ])()
      return {
        family: 'pre-startup: encryption request, then',
        steps: [{ kind: 'negotiate', request }, send(prng, follow)],
        expect: 'any',
      }
    },
  ],
  [
    6,
    (prng) => ({
      family: 'pre-startup: bytes after an encryption request, before the answer',
      steps: [
        {
          kind: 'negotiate',
          request: prng.chance(0.5) ? SSL_REQUEST : GSSENC_REQUEST,
          trailing: prng.chance(0.5) ? startupMessage() : prng.bytes(prng.between(1, 32)),
        },
      ],
      expect: 'fatal-08P01',
    }),
  ],
  [
    8,
    (prng) => {
      const cancel = cancelRequest(prng.uint32() | 0, prng.uint32() | 0)
      const bytes = prng.chance(0.5)
        ? cancel
        : untypedMessage(Buffer.concat([cancel.subarray(4), prng.bytes(prng.between(1, 4))]))
      return {
        family: 'pre-startup: cancel request',
        steps: [send(prng, bytes)],
        expect: bytes === cancel ? 'any' : 'fatal-08P01',
      }
    },
  ],
  [
    4,
    (prng) => ({
      family: 'pre-startup: another protocol',
      steps: [
        send(
          prng,
          Buffer.from(
            prng.pick([
              'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
              '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
              'SSH-2.0-OpenSSH_9.6\r\n',
              '*1\r\n$4\r\nPING\r\n',
            ]),
            'latin1',
          ),
        ),
      ],
      expect: 'any',
    }),
  ],
  [
    6,
    (prng) => {
      const parameters: Record<string, string> = { user: 'postgres' }
      const count = prng.between(1, 400)
      for (let i = 0; i < count; i++) parameters[`p${i}`] = 'v'.repeat(prng.between(0, 40))
      parameters.database = prng.pick(['md:', 'nope', '', 'md:nope', 'x'.repeat(300)])
      return {
        family: 'pre-startup: many or odd startup parameters',
        steps: [send(prng, startupMessage(parameters))],
        expect: 'any',
      }
    },
  ],
]

// ------------------------------------------------------------------------------------------------
// During authentication (the server has sent AuthenticationSASL)

const AUTHENTICATION_FAMILIES: readonly (readonly [number, Family])[] = [
  [
    15,
    (prng) => ({
      family: 'authentication: password message with random content',
      steps: [send(prng, typedMessage(FRONTEND_TYPES.password, prng.bytes(prng.between(0, 200))))],
      expect: 'any',
    }),
  ],
  [
    20,
    (prng, corpus) => ({
      family: 'authentication: mutated SASLInitialResponse',
      steps: [send(prng, mutate(prng, prng.pick(corpus.saslInitial), 1))],
      expect: 'any',
    }),
  ],
  [
    15,
    (prng) => ({
      family: 'authentication: another message instead of the password',
      steps: [
        send(
          prng,
          prng.pick([
            () => serialize.query('SELECT 1'),
            () => serialize.parse({ text: 'SELECT 1' }),
            () => serialize.bind({}),
            () => serialize.execute({}),
            () => serialize.sync(),
            () => serialize.flush(),
            () => serialize.end(),
            () => serialize.copyData(Buffer.from('x')),
            () => startupMessage(),
            () => SSL_REQUEST,
            () => functionCall(),
          ])(),
        ),
      ],
      expect: 'fatal-08P01',
    }),
  ],
  [
    10,
    (prng) => ({
      family: 'authentication: password message length out of bounds',
      steps: [
        send(
          prng,
          typedMessage(
            FRONTEND_TYPES.password,
            prng.bytes(prng.between(0, 32)),
            prng.pick([0, 1, 3, -1, 0x1_0001, 1 << 20, 64 * 1024 * 1024, 0x7fff_ffff]),
          ),
        ),
      ],
      expect: 'fatal-08P01',
    }),
  ],
  [
    10,
    (prng) => ({
      family: 'authentication: SASLInitialResponse naming another mechanism',
      steps: [
        send(
          prng,
          serialize.sendSASLInitialResponseMessage(
            prng.pick(['SCRAM-SHA-256-PLUS', 'PLAIN', 'SCRAM-SHA-1', '', 'scram-sha-256']),
            'n,,n=*,r=abcdefghijklmnop',
          ),
        ),
      ],
      expect: 'fatal-08P01',
    }),
  ],
  [
    15,
    (prng) => ({
      family: 'authentication: garbage client-final-message',
      steps: [
        { kind: 'scram-first' },
        send(
          prng,
          prng.chance(0.5)
            ? typedMessage(FRONTEND_TYPES.password, prng.bytes(prng.between(0, 120)))
            : serialize.sendSCRAMClientFinalMessage(
                prng.pick([
                  '',
                  'c=biws',
                  'c=biws,r=x,p=',
                  'p=AAAA',
                  `c=biws,r=${'A'.repeat(prng.between(0, 64))},p=${Buffer.alloc(32).toString('base64')}`,
                  'x'.repeat(prng.between(1, 500)),
                ]),
              ),
        ),
      ],
      expect: 'any',
    }),
  ],
  [
    15,
    (prng) => ({
      family: 'authentication: client-final-message with a flipped proof bit',
      steps: [
        { kind: 'scram-first' },
        { kind: 'scram-final', tampering: { flipProofBit: prng.int(256) } },
      ],
      expect: 'fatal-28P01',
    }),
  ],
]

// ------------------------------------------------------------------------------------------------
// After authentication

const NAMES = ['', '', 's1', 'p1', 'nope']
const SQL_TEXTS = [
  'SELECT 1',
  'SELECT $1::INTEGER + 1 AS n',
  'SELECT * FROM range(5)',
  "SELECT 'x' || $1 AS s",
  'SELEC oops',
  '',
  'SELECT 1; SELECT 2',
  'SELECT 1/0',
  'SELECT * FROM fuzz_missing_table',
]
const SIMPLE_QUERIES = [
  'SELECT 1',
  '',
  ';',
  'BEGIN',
  'ROLLBACK',
  'COMMIT',
  'SELECT 1/0',
  'SELECT * FROM fuzz_missing_table',
  'SELECT 1; SELECT 2',
  'SELECT * FROM range(3)',
]

/** One message that is valid by itself, sent in whatever state the session happens to be in. */
function stateMessage(prng: Prng): { bytes: Buffer; messages: number } {
  const one = (bytes: Buffer) => ({ bytes, messages: 1 })
  const values = () => (prng.chance(0.3) ? [] : prng.chance(0.5) ? ['7'] : ['7', null])
  return prng.weighted<() => { bytes: Buffer; messages: number }>([
    [12, () => one(serialize.parse({ name: prng.pick(NAMES), text: prng.pick(SQL_TEXTS) }))],
    [
      12,
      () =>
        one(
          serialize.bind({
            portal: prng.pick(NAMES),
            statement: prng.pick(NAMES),
            values: values(),
            binary: prng.chance(0.1),
          }),
        ),
    ],
    [
      6,
      () =>
        one(serialize.describe({ type: prng.pick(['S', 'P'] as const), name: prng.pick(NAMES) })),
    ],
    [
      10,
      // By hand: pg-protocol refuses a negative row limit.
      () =>
        one(
          typedMessage(
            FRONTEND_TYPES.execute,
            Buffer.concat([cstring(prng.pick(NAMES)), int32(prng.pick([0, 0, 1, 2, -1]))]),
          ),
        ),
    ],
    [
      4,
      () => one(serialize.close({ type: prng.pick(['S', 'P'] as const), name: prng.pick(NAMES) })),
    ],
    [4, () => one(serialize.flush())],
    [6, () => one(serialize.sync())],
    [8, () => one(serialize.query(prng.pick(SIMPLE_QUERIES)))],
    [
      4,
      () =>
        one(
          prng.pick([
            () => serialize.copyData(prng.bytes(prng.between(0, 64))),
            () => serialize.copyDone(),
            () => serialize.copyFail('fuzz'),
          ])(),
        ),
    ],
    [2, () => one(functionCall())],
    [
      2,
      () => {
        const count = prng.between(20, 300)
        const storm = prng.chance(0.7) ? serialize.sync() : serialize.flush()
        return { bytes: Buffer.concat(Array.from({ length: count }, () => storm)), messages: count }
      },
    ],
  ])()
}

/** Batches of messages in random states, most ending in Sync (as clients pipeline them). */
function stateMessages(prng: Prng, batches: number): FuzzStep[] {
  const steps: FuzzStep[] = []
  for (let batch = 0; batch < batches; batch++) {
    const parts: Buffer[] = []
    let messages = 0
    const size = prng.between(1, 6)
    for (let i = 0; i < size; i++) {
      const message = stateMessage(prng)
      parts.push(message.bytes)
      messages += message.messages
    }
    if (prng.chance(0.85)) {
      parts.push(serialize.sync())
      messages++
    }
    steps.push(send(prng, Buffer.concat(parts), messages))
  }
  return steps
}

const SESSION_FAMILIES: readonly (readonly [number, Family])[] = [
  [
    40,
    (prng) => ({
      family:
        'session: valid messages in random states (Bind before Parse, unknown portals, storms…)',
      steps: stateMessages(prng, prng.between(3, 12)),
      expect: 'healthy',
    }),
  ],
  [
    8,
    (prng, corpus) => {
      const start = prng.int(corpus.session.length)
      const run = corpus.session.slice(start, start + prng.between(3, 40))
      return {
        family: 'session: captured pg traffic replayed',
        steps: [send(prng, Buffer.concat([...run, serialize.sync()]), run.length + 1)],
        expect: 'healthy',
      }
    },
  ],
  [
    25,
    (prng, corpus) => {
      const steps = stateMessages(prng, prng.between(0, 4))
      const valid = Array.from({ length: prng.between(0, 6) }, () => prng.pick(corpus.session))
      const mutated = mutate(prng, prng.pick(corpus.session), 1)
      steps.push(send(prng, Buffer.concat([...valid, mutated]), valid.length + 1))
      return { family: 'session: mutated pg traffic', steps, expect: 'any' }
    },
  ],
  [
    8,
    (prng) => {
      const steps = stateMessages(prng, prng.between(0, 3))
      const type = prng.chance(0.6) ? prng.pick(FRONTEND_TYPE_BYTES) : prng.int(256)
      steps.push(send(prng, typedMessage(type, prng.bytes(prng.between(0, 64)))))
      return { family: 'session: random type byte and body', steps, expect: 'any' }
    },
  ],
  [
    7,
    (prng) => {
      const steps = stateMessages(prng, prng.between(0, 3))
      const type = prng.chance(0.8) ? prng.pick(FRONTEND_TYPE_BYTES) : prng.int(256)
      const length = prng.chance(0.4)
        ? prng.pick([0, 1, 2, 3, -1, -5, 0x8000_0000 | 0])
        : prng.between(64 * 1024 * 1024 + 1, 0x7fff_ffff)
      steps.push(send(prng, typedMessage(type, prng.bytes(prng.between(0, 16)), length)))
      return { family: 'session: length below 4 or above the limit', steps, expect: 'fatal-08P01' }
    },
  ],
  [
    6,
    (prng, corpus) => {
      const steps = stateMessages(prng, prng.between(0, 3))
      const bytes = prng.pick([
        () => startupMessage(),
        () => prng.pick(corpus.startup),
        () => SSL_REQUEST,
        () => GSSENC_REQUEST,
        () => cancelRequest(1, 2),
        () => serialize.password('token'),
        () => prng.pick(corpus.saslInitial),
        () => serialize.sendSCRAMClientFinalMessage('c=biws,r=x,p=AAAA'),
        () => typedMessage(prng.pick([0x00, 0x01, 0x7a, 0xff, 0x21, 0x70]), cstring('x')),
      ])()
      steps.push(send(prng, bytes))
      return {
        family: 'session: startup, SSL, cancel or SASL messages after login',
        steps,
        expect: 'fatal-08P01',
      }
    },
  ],
  [
    4,
    (prng, corpus) => {
      const steps = stateMessages(prng, prng.between(0, 3))
      const message = prng.pick(corpus.session)
      if (message.length > 1)
        steps.push(send(prng, message.subarray(0, prng.between(1, message.length - 1))))
      return {
        family: 'session: truncated message, then the end of the stream',
        steps,
        expect: 'any',
      }
    },
  ],
  [
    2,
    (prng) => ({
      family: 'session: a large length claimed, a few bytes sent',
      steps: [
        ...stateMessages(prng, prng.between(0, 2)),
        send(
          prng,
          typedMessage(
            prng.pick(FRONTEND_TYPE_BYTES),
            prng.bytes(prng.between(0, 256)),
            prng.between(65_536, 64 * 1024 * 1024),
          ),
        ),
      ],
      expect: 'any',
    }),
  ],
  [
    3,
    (prng) => ({
      family: 'session: random bytes',
      steps: [send(prng, prng.bytes(prng.between(1, 300)))],
      expect: 'any',
    }),
  ],
]

/** The end of a `healthy` case: Sync, ROLLBACK (in case a BEGIN was left open), then a query echoing `value`. */
export function probeQuery(value: number): Buffer {
  return Buffer.concat([
    serialize.sync(),
    serialize.query('ROLLBACK'),
    serialize.query(`SELECT ${value} AS probe`),
  ])
}
