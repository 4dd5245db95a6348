/**
 * Long queries must not starve the endpoint. Every DuckDB call holds a thread of libuv's pool, which
 * logins need too: with the pool's 4 threads, four long queries froze every other session and every
 * login. The endpoint runs in its own process with an 8-thread pool, so it admits 6 DuckDB calls at
 * once (maxConcurrentQueries' default: the pool's size minus 2) and keeps 2 threads for the rest.
 */
import { connect } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CANARY_TOKEN } from '../support/canary-token.js'
import { reportFigure } from './stress-scale.js'
import { type EndpointProcess, startEndpointProcess } from './wire/endpoint-child.js'
import { cancelRequest } from './wire/frontend-messages.js'

const POOL_THREADS = 8
const ADMITTED = POOL_THREADS - 2
/** Generous: a login or a short query takes milliseconds; frozen, they never answered. */
const ANSWER_BOUND_MS = 5_000
const LONG_QUERY = 'SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 1'

let endpoint: EndpointProcess
const clients: pg.Client[] = []

beforeAll(async () => {
  endpoint = await startEndpointProcess(
    { token: CANARY_TOKEN },
    { UV_THREADPOOL_SIZE: String(POOL_THREADS) },
  )
})

afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.end()))
  await endpoint?.stop()
})

async function newClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: endpoint.url })
  client.on('error', () => undefined)
  await client.connect()
  clients.push(client)
  return client
}

/** Resolves with how long `work` took; rejects when it takes over the bound. */
async function withinBound(what: string, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${ANSWER_BOUND_MS} ms`)),
      ANSWER_BOUND_MS,
    )
  })
  try {
    await Promise.race([work(), late])
  } finally {
    clearTimeout(timer)
  }
  return performance.now() - started
}

/** Sends a CancelRequest for `client`'s running query, on a new connection, as pg does. */
function cancel(client: pg.Client): Promise<void> {
  const { processID, secretKey } = client as unknown as { processID: number; secretKey: number }
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: endpoint.port }, () => {
      socket.end(cancelRequest(processID, secretKey))
    })
    socket.on('close', () => resolve())
    socket.on('error', reject)
  })
}

/** Starts `count` long queries on new sessions; each settles (57014) once cancelled. */
async function startLongQueries(count: number) {
  const sessions = await Promise.all(Array.from({ length: count }, () => newClient()))
  const queries = sessions.map((client) =>
    client.query(LONG_QUERY).then(
      () => 'finished',
      (error: { code?: string }) => error.code,
    ),
  )
  // Let them reach DuckDB.
  await new Promise((resolve) => setTimeout(resolve, 500))
  return { sessions, queries }
}

describe('long queries do not starve the endpoint', () => {
  it(`answers logins and short queries while 4 long queries run (the count that froze it), and logins while ${ADMITTED} run`, async () => {
    const four = await startLongQueries(4)
    const loginMs = await withinBound('a login', () => newClient())
    const short = await newClient()
    const shortMs = await withinBound('a short query', () => short.query('SELECT 42 AS answer'))
    expect((await short.query('SELECT 42 AS answer')).rows).toEqual([{ answer: 42 }])

    // Up to the admission limit: every DuckDB slot is taken; logins still answer.
    const more = await startLongQueries(ADMITTED - 4)
    const fullLoginMs = await withinBound('a login with every slot taken', () => newClient())
    // A short query now waits its turn; cancelling one long query hands it the slot.
    const waiting = short.query('SELECT 7 AS seven')
    const cancelMs = await withinBound('a cancel and the waiting query', async () => {
      await cancel(four.sessions[0]!)
      expect((await waiting).rows).toEqual([{ seven: 7 }])
    })
    await Promise.all([...four.sessions, ...more.sessions].map((client) => cancel(client)))
    const outcomes = await Promise.all([...four.queries, ...more.queries])
    expect(outcomes).toEqual(Array(ADMITTED).fill('57014'))
    expect(endpoint.exitCode()).toBeNull()
    reportFigure(
      'starvation',
      `4 long queries running: a login answered in ${Math.round(loginMs)} ms, a short query in ${Math.round(shortMs)} ms; ${ADMITTED} (every admitted slot): a login in ${Math.round(fullLoginMs)} ms, a queued short query ${Math.round(cancelMs)} ms after a cancel freed a slot (bound ${ANSWER_BOUND_MS} ms)`,
    )
  })
})
