import { inspect } from 'node:util'
import { type InflightQueryAbortStrategy, Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  MotherDuckAuthenticationError,
  MotherDuckDialect,
  type MotherDuckDialectConfig,
} from '../../src/index.js'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { createTestCertificates } from '../local/helpers/test-certificates.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'
import { KYSELY_ABORTS_QUERIES } from './kysely-features.js'
import { type TargetContext, targets } from './targets.js'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js'

type AnyDB = Record<string, Record<string, unknown>>

/** A query that runs for minutes unless it is cancelled. */
const ENDLESS = sql<{ total: bigint }>`select sum(hash(i)) as total from range(1000000000000) t(i)`

function leaks(value: unknown, token: string): boolean {
  const error = value as { message?: unknown; stack?: unknown }
  return [
    inspect(value, { depth: 10, showHidden: true }),
    JSON.stringify(value) ?? '',
    String(error?.message),
    String(error?.stack),
  ].some((text) => text.includes(token))
}

for (const target of targets) {
  describe.skipIf(target.skip)(`connections on ${target.title}`, () => {
    let ctx: TargetContext
    let token: string

    beforeAll(async () => {
      ctx = await target.start()
      token = ctx.config.token ?? process.env.MOTHERDUCK_TOKEN ?? ''
    })

    afterAll(async () => {
      await ctx?.stop()
    })

    it('a rejected token is reported without the token, pointing at token and region', async () => {
      const wrong = `${token.slice(0, 8)}-definitely-wrong-${Date.now()}`
      const db = new Kysely<AnyDB>({
        dialect: new MotherDuckDialect({ ...ctx.config, token: wrong }),
      })
      const error = await sql`select 1`.execute(db).catch((e: unknown) => e)
      await db.destroy()
      expect(error).toBeInstanceOf(MotherDuckAuthenticationError)
      expect((error as MotherDuckAuthenticationError).code).toBe('28P01')
      expect((error as Error).message).toMatch(/rejected the MotherDuck token/)
      expect((error as Error).message).toMatch(/tokens are region-specific/)
      expect(leaks(error, wrong)).toBe(false)
      expect(leaks(error, token)).toBe(false)
    })

    it('removes the token from query errors that would echo it', async () => {
      const error = await sql`select cast(${token} as integer) as n`
        .execute(ctx.db)
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toContain('[redacted token]')
      expect(leaks(error, token)).toBe(false)
    })

    it
      .skipIf(!KYSELY_ABORTS_QUERIES)
      .each(['cancel query', 'kill session'] satisfies InflightQueryAbortStrategy[])(
      'aborts a running query (%s) with a protocol CancelRequest',
      async (strategy) => {
        // One connection: if the server kept running the query, the next query would wait for it.
        const db = new Kysely<AnyDB>({
          dialect: new MotherDuckDialect({ ...ctx.config, pool: { max: 1 } }),
        })
        try {
          expect((await sql`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }])
          const controller = new AbortController()
          const running = db.executeQuery(ENDLESS.compile(db), {
            signal: controller.signal,
            inflightQueryAbortStrategy: strategy,
          })
          setTimeout(() => controller.abort(new Error('user gave up')), 300)
          await expect(running).rejects.toThrow('user gave up')
          expect((await sql`select 2 as two`.execute(db)).rows).toEqual([{ two: 2 }])
        } finally {
          await db.destroy()
        }
      },
    )
  })
}

// The endpoint stopping, connections cut or closed by the server, and what an abort does on the server
// are in test/reliability/faults.test.ts (issue 7, "Faults").
describe.skipIf(targets[0]?.skip)('connect retries on the local endpoint', () => {
  let local: TestEndpoint
  let proxy: TcpProxy
  let config: MotherDuckDialectConfig

  beforeAll(async () => {
    local = await startTestEndpoint({ databases: { main_db: ':memory:' }, database: 'main_db' })
    proxy = await startTcpProxy(local.endpoint.host, local.endpoint.port)
    config = local.config({ port: proxy.port })
  })

  afterAll(async () => {
    await proxy?.stop()
    await local?.stop()
  })

  it('retries a connect that failed on a transient network error', async () => {
    const db = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect({ ...config, connectRetry: { initialDelayMs: 10 } }),
    })
    try {
      const before = proxy.connections
      proxy.resetNext(2)
      expect((await sql`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }])
      expect(proxy.connections - before).toBe(3)
    } finally {
      await db.destroy()
    }
  })

  it('does not retry when retries are off, nor ever for a rejected token', async () => {
    const noRetry = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect({ ...config, connectRetry: false }),
    })
    let before = proxy.connections
    proxy.resetNext(1)
    await expect(sql`select 1`.execute(noRetry)).rejects.toThrow()
    expect(proxy.connections - before).toBe(1)
    await noRetry.destroy()

    const wrongToken = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect({ ...config, token: 'wrong-token-value' }),
    })
    before = proxy.connections
    await expect(sql`select 1`.execute(wrongToken)).rejects.toThrow(MotherDuckAuthenticationError)
    expect(proxy.connections - before).toBe(1)
    await wrongToken.destroy()
  })
})

describe.skipIf(targets[0]?.skip)('TLS on the local endpoint', () => {
  let endpoint: LocalEndpoint
  let ca: string

  beforeAll(async () => {
    const certificates = createTestCertificates()
    ca = certificates.ca
    endpoint = await startLocalEndpoint({
      databases: { main_db: ':memory:' },
      tls: { key: certificates.key, cert: certificates.cert },
    })
  })

  afterAll(async () => {
    await endpoint?.stop()
  })

  it('verifies the certificate against a given CA and host name', async () => {
    const db = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect({
        host: 'localhost',
        port: endpoint.port,
        token: endpoint.token,
        ssl: { ca },
        env: {},
      }),
    })
    try {
      expect((await sql`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }])
      if (!KYSELY_ABORTS_QUERIES) return
      // Cancellation goes over TLS too.
      const controller = new AbortController()
      const running = db.executeQuery(ENDLESS.compile(db), {
        signal: controller.signal,
        inflightQueryAbortStrategy: 'cancel query',
      })
      setTimeout(() => controller.abort(new Error('stop')), 300)
      await expect(running).rejects.toThrow('stop')
    } finally {
      await db.destroy()
    }
  })

  it("ssl: 'require' encrypts without verifying", async () => {
    const db = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect({
        host: '127.0.0.1',
        port: endpoint.port,
        token: endpoint.token,
        ssl: 'require',
        env: {},
      }),
    })
    try {
      expect((await sql`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }])
    } finally {
      await db.destroy()
    }
  })

  it('a URL with sslrootcert=system verifies against the system CAs (no file named "system")', async () => {
    const db = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect({
        env: {
          MOTHERDUCK_URL: `postgresql://postgres:${endpoint.token}@localhost:${endpoint.port}/md:?sslmode=verify-full&sslrootcert=system`,
        },
      }),
    })
    try {
      const error = await sql`select 1`.execute(db).catch((e: unknown) => e)
      // The test CA is not a system CA: the handshake fails on verification, not on a missing file.
      expect((error as NodeJS.ErrnoException).code).not.toBe('ENOENT')
      expect(String((error as Error).message)).toMatch(/certificate/i)
      expect(leaks(error, endpoint.token)).toBe(false)
    } finally {
      await db.destroy()
    }
  })
})
