import { sql } from 'kysely'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { CANARY_TOKEN } from './canary-token.js'
import { startTestEndpoint } from './test-endpoint.js'

type AnyDB = Record<string, Record<string, unknown>>

describe('startTestEndpoint', () => {
  it('builds Kysely instances and pools on the endpoint, and stop() ends them all', async () => {
    const local = await startTestEndpoint({
      databases: { first_db: ':memory:', second_db: ':memory:' },
      database: 'second_db',
    })
    try {
      expect(local.config()).toMatchObject({
        host: local.endpoint.host,
        port: local.endpoint.port,
        database: 'second_db',
        ssl: false,
        env: {},
      })
      expect(local.config().token).toBe(CANARY_TOKEN)
      const current = sql<{ name: string }>`select current_database() as name`
      expect((await current.execute(local.kysely<AnyDB>())).rows).toEqual([{ name: 'second_db' }])
      const first = local.kysely<AnyDB>({ database: 'first_db', pool: { max: 1 } })
      expect((await current.execute(first)).rows).toEqual([{ name: 'first_db' }])
      const pool = local.pool()
      expect((await pool.query('select current_database() as name')).rows).toEqual([
        { name: 'second_db' },
      ])
      const endedByTheTest = local.pool()
      await endedByTheTest.end()
      await local.stop()
      expect(pool.ended).toBe(true)
      const late = new pg.Client({ connectionString: local.endpoint.url })
      await expect(late.connect()).rejects.toThrow(/ECONNREFUSED/)
    } finally {
      await local.stop()
    }
  })

  it('takes another token when a test needs one', async () => {
    const local = await startTestEndpoint({ token: 'a-token-of-its-own' })
    try {
      expect(local.endpoint.token).toBe('a-token-of-its-own')
      expect(local.config().token).toBe('a-token-of-its-own')
    } finally {
      await local.stop()
    }
  })
})
