process.env.TZ = 'America/New_York'

import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'

const TIMESTAMPS = sql<Record<string, unknown>>`select
  TIMESTAMP '2024-03-10 12:00:00.123456' as us,
  TIMESTAMPTZ '2024-03-10 12:00:00.654321+00' as tz,
  TIMESTAMP_NS '2024-03-10 12:00:00.123456789' as ns,
  TIMESTAMP_S '2024-03-10 12:00:01' as s,
  [TIMESTAMP '2024-03-10 00:00:00.000001'] as list`

describe("typeParsing.timestamp: 'string'", () => {
  let local: TestEndpoint
  beforeAll(async () => {
    local = await startTestEndpoint({ databases: { my_db: ':memory:' } })
  })
  afterAll(() => local?.stop())

  it('returns the text the server sent, every fractional digit kept', async () => {
    const db = local.kysely({ typeParsing: { timestamp: 'string' } })
    const { rows } = await TIMESTAMPS.execute(db)
    // The oracle: the same query through pg with no parsing at all.
    const raw = new pg.Client({
      connectionString: local.endpoint.url,
      types: { getTypeParser: () => (text: string) => text },
    })
    await raw.connect()
    try {
      const sent = (await raw.query(TIMESTAMPS.compile(db).sql)).rows[0] as Record<string, string>
      expect(rows[0]).toEqual({ ...sent, list: [sent.list!.slice(2, -2)] })
      expect(rows[0]!.us).toBe('2024-03-10 12:00:00.123456')
      expect(rows[0]!.tz).toMatch(/^2024-03-10 12:00:00\.654321\+00(:00)?$/)
      expect(rows[0]!.ns).toMatch(/^2024-03-10 12:00:00\.123456/)
    } finally {
      await raw.end()
    }
  })

  it("'date' (the default) gives Dates, read as UTC", async () => {
    const { rows } = await TIMESTAMPS.execute(local.kysely())
    expect(rows[0]!.us).toEqual(new Date(Date.UTC(2024, 2, 10, 12, 0, 0, 123)))
    expect(rows[0]!.list).toEqual([new Date(Date.UTC(2024, 2, 10))])
  })
})
