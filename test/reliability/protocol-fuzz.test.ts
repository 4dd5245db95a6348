import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportFigure, stressScale } from './stress-scale.js'
import { startCaptureProxy } from './wire/capture-proxy.js'
import { type EndpointProcess, mebibytes, startEndpointProcess } from './wire/endpoint-child.js'
import { splitFrontendStream, typedMessage } from './wire/frontend-messages.js'
import { type FuzzCase, type FuzzCorpus, generateCase, messagesOf } from './wire/fuzz-cases.js'
import { FuzzFailure, type FuzzOutcome, type FuzzTarget, runCase } from './wire/fuzz-runner.js'
import { fuzzSeed, hexSeed, Prng } from './wire/prng.js'
import { type ScramServerFirst, saltedPassword, scramLogin } from './wire/scram-client.js'
import { WireConnection } from './wire/wire-connection.js'

/**
 * Issue 7, "Hostile input: protocol fuzzing". Generated and mutated frontend messages (random bytes,
 * lengths below 4 or up to 0x7fffffff, truncated messages, valid messages in the wrong state, mutations
 * of captured `pg` traffic) go to the local endpoint over many connections, before, during and after
 * authentication, while a real `pg` session beside them keeps querying. The endpoint runs in a child
 * process so that its peak resident memory is its own. Every case checks its invariants (see
 * wire/fuzz-runner.ts); a failure names the seed, the case and its bytes in hex, so that
 * `KYSELY_MOTHERDUCK_FUZZ_SEED=<seed>` replays the run.
 */

const MESSAGES = stressScale(100_000, 1_000_000)
const CONCURRENCY = stressScale(8, 16)
/** A generous bound on the endpoint's resident growth during the fuzz (the peak, VmHWM, over the start). */
const RESIDENT_GROWTH_BOUND = 384 * 1024 * 1024
const TOKEN = `fuzz-${randomBytes(24).toString('hex')}`

let endpoint: EndpointProcess
let corpus: FuzzCorpus
let salted: Buffer | undefined
let saltKey = ''

/** The salted password, derived once for the endpoint's salt (PBKDF2 per connection would dominate). */
function saltedFor(serverFirst: ScramServerFirst): Buffer {
  const key = `${serverFirst.salt.toString('base64')}:${serverFirst.iterations}`
  if (salted === undefined || key !== saltKey) {
    salted = saltedPassword(TOKEN, serverFirst.salt, serverFirst.iterations)
    saltKey = key
  }
  return salted
}

/** Real pg traffic through a recording relay: startup, SCRAM, simple and extended queries, a cursor. */
async function captureCorpus(port: number): Promise<FuzzCorpus> {
  const proxy = await startCaptureProxy('127.0.0.1', port)
  const client = new pg.Client({
    host: '127.0.0.1',
    port: proxy.port,
    user: 'postgres',
    password: TOKEN,
    database: 'md:',
  })
  client.on('error', () => undefined)
  await client.connect()
  await client.query('CREATE TABLE fuzz_sink (id INTEGER, label VARCHAR)')
  await client.query('SELECT 1 AS one')
  await client.query('SELECT $1::INTEGER + 1 AS n, $2::VARCHAR AS s', [41, 'x'])
  await client.query({ name: 'twice', text: 'SELECT $1::INTEGER * 2 AS twice', values: [3] })
  await client.query({ name: 'twice', text: 'SELECT $1::INTEGER * 2 AS twice', values: [4] })
  await client.query('INSERT INTO fuzz_sink VALUES ($1, $2)', [1, 'a'])
  await client.query('BEGIN')
  await client.query('INSERT INTO fuzz_sink VALUES ($1, $2), ($3, $4)', [2, 'b', 3, null])
  await client.query('COMMIT')
  await client.query('SELECT * FROM fuzz_missing_table').catch(() => undefined)
  const cursor = client.query(new Cursor('SELECT * FROM range(10) t(i)'))
  await cursor.read(3)
  await cursor.read(3)
  await cursor.close()
  await client.query("SELECT 'héllo 🦆' AS s, [1, 2] AS l, {'a': 1} AS st")
  await client.end()
  await proxy.stop()
  const [stream] = proxy.streams()
  if (stream === undefined) throw new Error('nothing was captured')
  const { startup, typed } = splitFrontendStream(stream)
  const passwordMessages = typed.filter((message) => message[0] === 0x70)
  return {
    startup,
    saslInitial: passwordMessages.slice(0, 1),
    session: typed.filter((message) => message[0] !== 0x70 && message[0] !== 0x58),
  }
}

/** `+8.0 MiB`, `-0.1 MiB` */
function signed(bytes: number): string {
  return `${bytes < 0 ? '-' : '+'}${mebibytes(Math.abs(bytes))}`
}

/** A real pg session that queries all along, checking its own writes: the bystander. */
function startBystander(url: string) {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => undefined)
  const failures: Error[] = []
  let queries = 0
  let inserted = 0
  let stopped = false
  const running = (async () => {
    await client.connect()
    await client.query('CREATE TABLE bystander_log (n INTEGER)')
    queries++
    while (!stopped) {
      try {
        await client.query('INSERT INTO bystander_log VALUES ($1)', [inserted + 1])
        inserted++
        queries++
        if (inserted % 10 === 0) {
          const { rows } = await client.query('SELECT count(*)::INTEGER AS n FROM bystander_log')
          queries++
          if (rows[0]?.n !== inserted)
            throw new Error(`expected ${inserted} rows, read ${rows[0]?.n}`)
        }
      } catch (error) {
        failures.push(error as Error)
        if (failures.length > 10) break
      }
      await sleep(5)
    }
  })()
  return {
    async stop() {
      stopped = true
      await running.catch((error: unknown) => failures.push(error as Error))
      const { rows } = await client.query('SELECT count(*)::INTEGER AS n FROM bystander_log')
      await client.end()
      return { queries, inserted, counted: rows[0]?.n as number, failures }
    },
  }
}

beforeAll(async () => {
  endpoint = await startEndpointProcess({ token: TOKEN })
  corpus = await captureCorpus(endpoint.port)
})

afterAll(async () => {
  await endpoint?.stop()
})

describe('protocol fuzzing of the local endpoint', () => {
  it(`survives ${MESSAGES.toLocaleString('en-US')} generated and mutated frontend messages over many connections`, async () => {
    expect(corpus.session.length).toBeGreaterThan(20)
    expect(corpus.saslInitial).toHaveLength(1)
    const seed = fuzzSeed()
    console.log(
      `[fuzz] seed ${hexSeed(seed)} — replay with KYSELY_MOTHERDUCK_FUZZ_SEED=${hexSeed(seed)}`,
    )
    const target: FuzzTarget = { port: endpoint.port, token: TOKEN, salted: saltedFor, seed }
    const master = new Prng(seed)
    const before = endpoint.residentMemory()
    const bystander = startBystander(endpoint.url)

    let generated = 0
    let index = 0
    const nextCase = (): FuzzCase | undefined => {
      if (generated >= MESSAGES) return undefined
      const fuzzCase = generateCase(index++, master.uint32(), corpus)
      generated += messagesOf(fuzzCase)
      return fuzzCase
    }
    const outcomes: FuzzOutcome[] = []
    const failures: Error[] = []
    const started = performance.now()
    const worker = async (): Promise<void> => {
      for (let fuzzCase = nextCase(); fuzzCase !== undefined; fuzzCase = nextCase()) {
        if (failures.length >= 20 || endpoint.exitCode() !== null) return
        try {
          outcomes.push(await runCase(fuzzCase, target))
        } catch (error) {
          failures.push(
            error instanceof FuzzFailure
              ? error
              : new FuzzFailure(fuzzCase, seed, `the case threw: ${String(error)}`, []),
          )
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const seconds = (performance.now() - started) / 1000
    const health = await bystander.stop()

    // The endpoint is alive and still accepts new sessions.
    expect(endpoint.exitCode(), endpoint.crashes.join('\n')).toBeNull()
    const after = new pg.Client({ connectionString: endpoint.url })
    after.on('error', () => undefined)
    await after.connect()
    expect((await after.query('SELECT 42 AS answer')).rows).toEqual([{ answer: 42 }])
    await after.end()
    const memory = endpoint.residentMemory()

    const sent = outcomes.reduce((sum, outcome) => sum + outcome.messages, 0)
    const endings = new Map<string, number>()
    const phases = new Map<string, number>()
    for (const outcome of outcomes) {
      endings.set(outcome.ending, (endings.get(outcome.ending) ?? 0) + 1)
      phases.set(outcome.fuzzCase.phase, (phases.get(outcome.fuzzCase.phase) ?? 0) + 1)
    }
    const list = (counts: Map<string, number>) =>
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([name, count]) => `${name} ${count}`)
        .join(', ')
    reportFigure(
      'protocol fuzz',
      `seed ${hexSeed(seed)}: ${sent.toLocaleString('en-US')} messages over ${outcomes.length.toLocaleString('en-US')} connections ` +
        `(${list(phases)}) in ${seconds.toFixed(1)} s = ${Math.round(sent / seconds).toLocaleString('en-US')} messages/s, ` +
        `${CONCURRENCY} at a time; ${failures.length} failures`,
    )
    reportFigure('protocol fuzz endings', list(endings))
    reportFigure(
      'protocol fuzz bystander',
      `${health.queries} queries, ${health.failures.length} failed; ${health.inserted} rows written, ${health.counted} counted`,
    )
    reportFigure(
      'protocol fuzz endpoint memory',
      `resident ${mebibytes(before.rss)} before, peak ${mebibytes(memory.peak)} (growth ${mebibytes(memory.peak - before.rss)}, bound ${mebibytes(RESIDENT_GROWTH_BOUND)})`,
    )

    expect(failures.map((failure) => failure.message).slice(0, 5)).toEqual([])
    expect(sent).toBeGreaterThanOrEqual(MESSAGES)
    expect(health.failures.map(String)).toEqual([])
    expect(health.queries).toBeGreaterThan(10)
    expect(health.counted).toBe(health.inserted)
    expect(memory.peak - before.rss).toBeLessThan(RESIDENT_GROWTH_BOUND)
  })

  it('holds memory for the bytes that arrived, not for the lengths clients claim', async () => {
    const connections = stressScale(64, 256)
    const claimed = 64 * 1024 * 1024 - 1
    const sessions: WireConnection[] = []
    const logins: WireConnection[] = []
    for (let i = 0; i < connections; i++) {
      const session = await WireConnection.open(endpoint.port)
      sessions.push(session)
      expect((await scramLogin(session, TOKEN, { salted: saltedFor })).authenticated).toBe(true)
      const login = await WireConnection.open(endpoint.port)
      logins.push(login)
      login.send(serialize.startup({ user: 'postgres', database: 'md:' }))
      expect((await login.next()).name).toBe('authenticationSASL')
    }
    /** The server has read what came before once a fresh session gets an answer after it. */
    const settle = async () => {
      const check = new pg.Client({ connectionString: endpoint.url })
      check.on('error', () => undefined)
      await check.connect()
      await check.query('SELECT 1')
      await check.end()
      await sleep(200)
    }
    await settle()
    const before = await endpoint.memoryUsage()
    const residentBefore = endpoint.residentMemory().rss
    // A Query claiming 64 MiB of which 1 KiB is sent; before authentication, a password message
    // claiming the 64 KiB limit of which 5 bytes are sent.
    for (const session of sessions)
      session.send(typedMessage(0x51, Buffer.alloc(1019, 0x61), claimed))
    for (const login of logins) login.send(typedMessage(0x70, Buffer.alloc(5), 65_536))
    await settle()
    const after = await endpoint.memoryUsage()
    const held = after.arrayBuffers - before.arrayBuffers
    reportFigure(
      'claimed lengths',
      `${connections} sessions claiming ${mebibytes(claimed)} and ${connections} logins claiming 64 KiB: ` +
        `endpoint ArrayBuffers ${signed(held)}, resident ${signed(endpoint.residentMemory().rss - residentBefore)} ` +
        `(one buffer per claim would be ${mebibytes(connections * (claimed + 65_536))})`,
    )
    // At most the parser's first buffer (64 KiB) per connection, whatever the claim, plus 1 MiB for what
    // the settle() sessions leave (their DuckDB results, pooled socket buffers): one buffer per claim
    // would be 4 GiB. Without that allowance the bound was met with 0–0.8 % to spare and failed once.
    expect(held).toBeLessThanOrEqual(2 * connections * 64 * 1024 + 1024 * 1024)
    const open = [...sessions, ...logins]
    for (const connection of open) connection.end()
    for (const connection of open) expect(await connection.waitClosed(15_000)).toBe(true)
  })

  it('regression: a client that keeps sending after a protocol violation still gets its FATAL (was lost to a TCP reset)', async () => {
    const attempts = stressScale(40, 400)
    let complete = 0
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = worker; i < attempts; i += 8) {
          const connection = await WireConnection.open(endpoint.port)
          await scramLogin(connection, TOKEN, { salted: saltedFor })
          const before = connection.received.length
          const syncs = Buffer.concat(Array.from({ length: 220 }, () => serialize.sync()))
          connection.send(Buffer.concat([syncs, typedMessage(0x51, Buffer.alloc(8), 2)]))
          // Input the server has not read when it closes made the kernel reset the connection.
          const junk = setInterval(() => connection.send(Buffer.alloc(64, 0x53)), 0)
          const closed = await connection.waitClosed(15_000)
          clearInterval(junk)
          expect(closed).toBe(true)
          const replies = connection.received.slice(before)
          expect(replies.filter((m) => m.name === 'readyForQuery')).toHaveLength(220)
          expect(replies.at(-1)).toMatchObject({ name: 'error', severity: 'FATAL', code: '08P01' })
          complete++
        }
      }),
    )
    expect(complete).toBe(attempts)
  })

  /** Byte fixtures of what earlier fuzz runs found (each also has a unit test in frontend-parser.test.ts). */
  const REGRESSIONS: readonly {
    readonly name: string
    readonly hex: string
    readonly expect: FuzzCase['expect']
    readonly ending: string
    readonly errors: readonly string[]
  }[] = [
    {
      name: 'a FunctionCall with arguments gets ERROR 0A000 and the session lives on (was FATAL 08P01)',
      hex: '460000000e00000001000000000000' + '5300000004',
      expect: 'healthy',
      ending: 'session still answers',
      errors: ['0A000'],
    },
    {
      name: 'a header with type byte 0x00 (a StartupMessage after login) is refused at once (was a wait for 2 KiB)',
      hex: '0000000804',
      expect: 'fatal-08P01',
      ending: 'FATAL 08P01',
      errors: [],
    },
    {
      name: "a 'p' header after login (a SASL response outside authentication) is refused at once",
      hex: '7000100000',
      expect: 'fatal-08P01',
      ending: 'FATAL 08P01',
      errors: [],
    },
  ]

  it.each(REGRESSIONS)(
    'regression: $name',
    async ({ name, hex, expect: expected, ending, errors }) => {
      const bytes = Buffer.from(hex, 'hex')
      const outcome = await runCase(
        {
          index: 0,
          seed: 0,
          phase: 'session',
          family: name,
          steps: [{ kind: 'send', bytes, splits: [], messages: 1 }],
          expect: expected,
        },
        { port: endpoint.port, token: TOKEN, salted: saltedFor, seed: 0 },
      )
      expect(outcome.ending).toBe(ending)
      expect(outcome.errorCodes).toEqual(errors)
    },
  )
})
