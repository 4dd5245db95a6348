/**
 * One client must never take the endpoint down: each scenario runs against an endpoint in its own
 * process, checks that the hostile client got a clear ErrorResponse (or was paused), that another
 * client still queries, that the process never exited, and that its resident memory stayed under a
 * stated bound. Without the bounds, each of these aborted the process or grew it by gigabytes.
 */
import { writeFileSync } from 'node:fs'
import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { RawClient, type RawMessage } from '../local/helpers/raw-client.js'
import { CANARY_TOKEN } from '../support/canary-token.js'
import { reportFigure, stressScale } from './stress-scale.js'
import { type EndpointProcess, mebibytes, startEndpointProcess } from './wire/endpoint-child.js'

const MiB = 1024 * 1024
/** The endpoint's resident memory may grow this much in a scenario, over its RSS before it. */
const RSS_GROWTH_BOUND = 768 * MiB
/**
 * DuckDB's own memory for `list(i)` over 40,000,000 rows (8 bytes each, held a few times while the
 * aggregate builds it): engine memory, which the endpoint's bounds do not cover.
 */
const LIST_RSS_GROWTH_BOUND = 1536 * MiB

let endpoint: EndpointProcess
let scenarioBaseline = 0

beforeAll(async () => {
  endpoint = await startEndpointProcess({ token: CANARY_TOKEN, auth: 'password' })
})

afterAll(async () => {
  await endpoint?.stop()
})

beforeEach(() => {
  // Writing 5 to clear_refs resets the process's peak RSS (VmHWM), so each scenario measures its own.
  writeFileSync(`/proc/${endpoint.pid}/clear_refs`, '5')
  scenarioBaseline = endpoint.residentMemory().rss
})

function errorOf(messages: readonly RawMessage[]): RawMessage | undefined {
  return messages.find((message) => message.name === 'error')
}

/** The endpoint is still up: the process runs and a new session answers a query. */
async function expectEndpointServes(): Promise<void> {
  expect(endpoint.exitCode()).toBeNull()
  const other = await RawClient.login(endpoint.port, endpoint.token)
  try {
    const answer = await other.query('SELECT 42 AS answer')
    expect(errorOf(answer)).toBeUndefined()
    expect(answer.find((message) => message.name === 'dataRow')?.fields).toEqual(['42'])
  } finally {
    other.close()
  }
}

/** Checks and reports the scenario's peak resident memory against the RSS before it. */
function expectResidentGrowthBounded(item: string, bound = RSS_GROWTH_BOUND): void {
  const { rss, peak } = endpoint.residentMemory()
  reportFigure(
    item,
    `endpoint RSS ${mebibytes(scenarioBaseline)} before, peak ${mebibytes(peak)}, ${mebibytes(rss)} after (bound: +${mebibytes(bound)})`,
  )
  expect(peak - scenarioBaseline).toBeLessThan(bound)
}

describe('resource bounds (endpoint in its own process)', () => {
  it('refuses a huge LIST value with 54000 instead of exhausting the heap', async () => {
    const elements = stressScale(4_000_000, 40_000_000)
    const client = await RawClient.login(endpoint.port, endpoint.token)
    try {
      const started = performance.now()
      const reply = await client.query(`SELECT list(i) AS l FROM range(${elements}) t(i)`)
      const error = errorOf(reply)
      expect(error?.code).toBe('54000')
      expect(String(error?.message)).toContain('maxValueBytes')
      reportFigure(
        'huge LIST value',
        `list of ${elements.toLocaleString('en-US')} elements refused with 54000 after ${Math.round(performance.now() - started)} ms`,
      )
      // The session goes on.
      const after = await client.query('SELECT 1')
      expect(errorOf(after)).toBeUndefined()
    } finally {
      client.close()
    }
    await expectEndpointServes()
    expectResidentGrowthBounded('huge LIST value', LIST_RSS_GROWTH_BOUND)
  })

  it('streams rows of large values in windows, every value intact', async () => {
    const client = await RawClient.login(endpoint.port, endpoint.token)
    try {
      // 2,048 rows × 16 KiB: one chunk of 32 MiB, sent in windows of about 8 MiB.
      const reply = await client.query(
        'SELECT i, repeat(chr(97 + (i % 26)::INTEGER), 16384) AS v FROM range(2048) t(i) ORDER BY i',
      )
      expect(errorOf(reply)).toBeUndefined()
      const rows = reply.filter((message) => message.name === 'dataRow')
      expect(rows).toHaveLength(2048)
      rows.forEach((row, i) => {
        expect(row.fields).toEqual([String(i), String.fromCharCode(97 + (i % 26)).repeat(16384)])
      })
    } finally {
      client.close()
    }
  })

  it('refuses a query text over maxQueryBytes and runs one of exactly that length', async () => {
    const limit = 256 * 1024
    const client = await RawClient.login(endpoint.port, endpoint.token)
    try {
      // The lexer's worst case: a token every two bytes.
      const head = 'SELECT count(*) AS n FROM range(3) t(x) WHERE x IN (0'
      const filler = ',0'.repeat(Math.floor((limit - head.length - 1) / 2))
      const longest = `${head}${filler}${' '.repeat(limit - head.length - filler.length - 1)})`
      expect(Buffer.byteLength(longest)).toBe(limit)
      const started = performance.now()
      const accepted = await client.query(longest)
      const acceptedMs = performance.now() - started
      expect(errorOf(accepted)).toBeUndefined()
      expect(accepted.find((message) => message.name === 'dataRow')?.fields).toEqual(['1'])

      const refused = errorOf(await client.query(`${longest} `))
      expect(refused?.code).toBe('54000')
      expect(String(refused?.message)).toContain('maxQueryBytes')

      const huge = stressScale(16, 60) * MiB
      const hugeError = errorOf(await client.query(`SELECT 1 -- ${'x'.repeat(huge)}`))
      expect(hugeError?.code).toBe('54000')
      // Parse is bounded too.
      client.send(serialize.parse({ text: `${longest} ` }), serialize.sync())
      expect(errorOf(await client.until('readyForQuery'))?.code).toBe('54000')
      reportFigure(
        'maximum-length query text',
        `a 256 KiB query of 131,000 tokens runs in ${Math.round(acceptedMs)} ms; 256 KiB + 1 byte and ${mebibytes(huge)} are refused with 54000`,
      )
    } finally {
      client.close()
    }
    await expectEndpointServes()
    expectResidentGrowthBounded('maximum-length query text')
  })

  it('bounds what a suspended portal spills when another statement runs', async () => {
    const rows = stressScale(5_000_000, 100_000_000)
    const client = await RawClient.login(endpoint.port, endpoint.token)
    try {
      // In a transaction, Sync keeps the portal; then another statement makes it spill.
      expect(errorOf(await client.query('BEGIN'))).toBeUndefined()
      client.send(
        serialize.parse({ text: `SELECT i, repeat('x', 100) AS pad FROM range(${rows}) t(i)` }),
        serialize.bind({ portal: 'p' }),
        serialize.execute({ portal: 'p', rows: 1 }),
        serialize.sync(),
      )
      const first = await client.until('readyForQuery')
      expect(first.map((message) => message.name)).toContain('portalSuspended')
      const started = performance.now()
      const other = await client.query('SELECT 7 AS seven')
      const spillMs = performance.now() - started
      expect(errorOf(other)).toBeUndefined()
      expect(other.find((message) => message.name === 'dataRow')?.fields).toEqual(['7'])
      // The portal gives back the rows it kept, then 54000.
      client.send(serialize.execute({ portal: 'p', rows: 0 }), serialize.sync())
      const rest = await client.until('readyForQuery')
      const kept = rest.filter((message) => message.name === 'dataRow').length
      const error = errorOf(rest)
      expect(error?.code).toBe('54000')
      expect(String(error?.message)).toContain('maxSpillBytes')
      expect(kept).toBeGreaterThan(0)
      expect(kept).toBeLessThan(rows - 1)
      expect(errorOf(await client.query('ROLLBACK'))).toBeUndefined()
      reportFigure(
        'suspended portal spill',
        `${rows.toLocaleString('en-US')}-row portal: the other statement answered after ${Math.round(spillMs)} ms; the portal returned ${kept.toLocaleString('en-US')} kept rows, then 54000`,
      )
    } finally {
      client.close()
    }
    await expectEndpointServes()
    expectResidentGrowthBounded('suspended portal spill')
  })

  it('stops reading a pipelining client at maxBufferedInputBytes', async () => {
    const client = await RawClient.login(endpoint.port, endpoint.token)
    const attempted = stressScale(128, 4096) * MiB
    // 1 MiB messages: a bound by message count (256) alone let 256 MiB wait in the endpoint.
    const message = serialize.parse({ text: `SELECT 1 -- ${'x'.repeat(MiB - 64)}` })
    let handed = 0
    try {
      // The session is busy with a long query, and the client never reads.
      client.send(serialize.query('SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 1'))
      while (handed < attempted) {
        const more = client.socket.write(message)
        handed += message.length
        if (!more) {
          const drained = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), 2_000)
            client.socket.once('drain', () => {
              clearTimeout(timer)
              resolve(true)
            })
          })
          if (!drained) break
        }
      }
      const accepted = handed - client.socket.writableLength
      reportFigure(
        'byte-heavy pipelining',
        `a client pipelining ${mebibytes(attempted)} of 1 MiB messages behind a long query: the endpoint read ${mebibytes(accepted)} (its queue, its parser and the kernel's socket buffers) and paused`,
      )
      expect(accepted).toBeLessThan(64 * MiB)
      await expectEndpointServes()
      expectResidentGrowthBounded('byte-heavy pipelining')
    } finally {
      client.close()
    }
  })
})
