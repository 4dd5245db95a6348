import { inspect } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { rejection } from './helpers/pg-clients.js'

const TOKEN = 'local-test-token/with?odd&chars'

async function connectAndSelect(config: pg.ClientConfig): Promise<unknown> {
  const client = new pg.Client(config)
  client.on('error', () => undefined)
  await client.connect()
  try {
    return (await client.query('SELECT 1 AS ok')).rows
  } finally {
    await client.end()
  }
}

describe('SCRAM-SHA-256 (the default)', () => {
  let endpoint: LocalEndpoint

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ token: TOKEN })
  })

  afterAll(async () => {
    await endpoint.stop()
  })

  it('accepts the token through the URL, whatever the user name', async () => {
    expect(await connectAndSelect({ connectionString: endpoint.url })).toEqual([{ ok: 1 }])
    expect(
      await connectAndSelect({
        host: endpoint.host,
        port: endpoint.port,
        user: 'anyone',
        password: TOKEN,
        database: 'md:',
      }),
    ).toEqual([{ ok: 1 }])
  })

  it('refuses a wrong token with 28P01 and no session', async () => {
    const error = await rejection(
      connectAndSelect({
        host: endpoint.host,
        port: endpoint.port,
        user: 'postgres',
        password: 'wrong',
        database: 'md:',
      }),
    )
    expect(error.code).toBe('28P01')
    expect(error.message).toBe('password authentication failed for user "postgres"')
    expect(error.message).not.toContain(TOKEN)
  })

  it('keeps the token out of inspect and JSON of the handle', () => {
    expect(endpoint.token).toBe(TOKEN)
    expect(endpoint.url).toBe(
      `postgresql://postgres:${encodeURIComponent(TOKEN)}@127.0.0.1:${endpoint.port}/md:?sslmode=disable`,
    )
    expect(inspect(endpoint)).not.toContain('token')
    expect(JSON.stringify(endpoint)).not.toContain('odd')
  })

  it('gives a random token when none is set', async () => {
    const other = await startLocalEndpoint()
    try {
      expect(other.token).toMatch(/^[0-9a-f]{64}$/)
      expect(other.token).not.toBe(endpoint.token)
      expect(await connectAndSelect({ connectionString: other.url })).toEqual([{ ok: 1 }])
    } finally {
      await other.stop()
    }
  })
})

describe('cleartext password', () => {
  let endpoint: LocalEndpoint

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ token: TOKEN, auth: 'password' })
  })

  afterAll(async () => {
    await endpoint.stop()
  })

  it('accepts the token and refuses anything else with 28P01', async () => {
    expect(await connectAndSelect({ connectionString: endpoint.url })).toEqual([{ ok: 1 }])
    const error = await rejection(
      connectAndSelect({
        host: endpoint.host,
        port: endpoint.port,
        password: `${TOKEN}x`,
        database: 'md:',
      }),
    )
    expect(error.code).toBe('28P01')
  })
})
