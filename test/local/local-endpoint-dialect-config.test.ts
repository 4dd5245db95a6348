import { existsSync } from 'node:fs'
import { format, inspect } from 'node:util'
import { Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MotherDuckDialect, resolveMotherDuckConnection } from '../../src/index.js'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { localEndpointDialectConfig } from '../../src/local/local-endpoint-dialect-config.js'
import { CANARY_TOKEN, findCanary } from '../support/canary-token.js'
import { createTestCertificates, OPENSSL } from './helpers/test-certificates.js'

type AnyDB = Record<string, Record<string, unknown>>

/** The database a dialect config connects to, through Kysely. */
async function currentDatabase(config: ConstructorParameters<typeof MotherDuckDialect>[0]) {
  const db = new Kysely<AnyDB>({ dialect: new MotherDuckDialect(config) })
  try {
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db)
    return rows[0]?.name
  } finally {
    await db.destroy()
  }
}

describe('endpoint.dialectConfig()', () => {
  let endpoint: LocalEndpoint

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({
      databases: { my_db: ':memory:', other_db: ':memory:' },
      token: CANARY_TOKEN,
    })
  })

  afterAll(async () => {
    await endpoint?.stop()
  })

  it('connects new MotherDuckDialect(endpoint.dialectConfig()), to md: or a named database', async () => {
    expect(await currentDatabase(endpoint.dialectConfig())).toBe('my_db')
    expect(await currentDatabase(endpoint.dialectConfig({ database: 'other_db' }))).toBe('other_db')
    expect(
      await currentDatabase({
        ...endpoint.dialectConfig({ database: 'other_db' }),
        pool: { max: 1 },
      }),
    ).toBe('other_db')
  })

  it('sets every field, so no MOTHERDUCK_* variable changes where it connects', () => {
    const config = endpoint.dialectConfig()
    expect({ ...config }).toEqual({
      host: '127.0.0.1',
      port: endpoint.port,
      token: CANARY_TOKEN,
      database: 'md:',
      ssl: false,
    })
    const resolved = resolveMotherDuckConnection({
      ...config,
      env: {
        MOTHERDUCK_URL: 'postgresql://postgres:x@pg.example.com:1/elsewhere?sslmode=require',
        MOTHERDUCK_TOKEN: 'not-this-one',
        MOTHERDUCK_DATABASE: 'elsewhere',
        MOTHERDUCK_REGION: 'eu-central-1',
      },
    })
    expect(resolved.toJSON()).toMatchObject({
      host: '127.0.0.1',
      port: endpoint.port,
      database: 'md:',
      sslMode: 'disable',
    })
    expect(resolved.token).toBe(CANARY_TOKEN)
  })

  it('shows no token when logged or serialized, and keeps it when spread', () => {
    const config = endpoint.dialectConfig({ database: 'my_db' })
    for (const text of [
      inspect(config, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      format('%o %O %s %j', config, config, config, config),
      JSON.stringify(config),
      String(config),
    ]) {
      expect(findCanary(text)).toBeUndefined()
    }
    expect(inspect(config)).toContain('token: [Getter]')
    expect(JSON.parse(JSON.stringify(config))).toEqual({
      host: '127.0.0.1',
      port: endpoint.port,
      database: 'my_db',
      ssl: false,
    })
    expect({ ...config }.token).toBe(CANARY_TOKEN)
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('reaches a wildcard listen address over loopback', () => {
    // Not listened on here: tests listen on 127.0.0.1 only (and startLocalEndpoint refuses a wildcard
    // without TLS unless allowInsecureNetwork), so the mapping is checked on its own.
    const address = { port: 5433, token: CANARY_TOKEN, tls: false }
    expect(localEndpointDialectConfig({ ...address, host: '0.0.0.0' }).host).toBe('127.0.0.1')
    expect(localEndpointDialectConfig({ ...address, host: '::' }).host).toBe('::1')
    expect(localEndpointDialectConfig({ ...address, host: '127.0.0.1' }).host).toBe('127.0.0.1')
  })

  it.skipIf(!existsSync(OPENSSL))(
    'with TLS: verify-full by default, the CA given as ssl',
    async () => {
      const certificates = createTestCertificates()
      const tls = await startLocalEndpoint({
        token: CANARY_TOKEN,
        tls: { key: certificates.key, cert: certificates.cert },
      })
      try {
        expect(tls.dialectConfig().ssl).toBe('verify-full')
        const config = tls.dialectConfig({ ssl: { ca: certificates.ca } })
        expect(await currentDatabase({ ...config, connectRetry: false })).toBe('my_db')
      } finally {
        await tls.stop()
      }
    },
  )
})
