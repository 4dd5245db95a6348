import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PostgresServer, startPostgres } from '../support/postgres-server.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'
import { RawClient, transcript } from './helpers/raw-client.js'

let local: TestEndpoint
let postgres: PostgresServer

beforeAll(async () => {
  ;[local, postgres] = await Promise.all([
    startTestEndpoint({ auth: 'password', databases: { my_db: ':memory:' } }),
    startPostgres(),
  ])
})

afterAll(async () => {
  await Promise.all([local.stop(), postgres.stop()])
})

function login(server: 'local' | 'postgres') {
  return server === 'local'
    ? RawClient.login(local.endpoint.port, local.endpoint.token, { database: 'my_db' })
    : RawClient.login(postgres.port, '', { database: 'postgres' })
}

/** The same simple queries on both servers, one session each, each reply as a transcript. */
async function onBoth(queries: readonly string[]) {
  const replies: Record<'local' | 'postgres', string[][]> = { local: [], postgres: [] }
  for (const server of ['local', 'postgres'] as const) {
    const client = await login(server)
    try {
      for (const query of queries) replies[server].push(transcript(await client.query(query)))
    } finally {
      client.close()
    }
  }
  return replies
}

async function expectSameAsPostgres(queries: readonly string[]) {
  const replies = await onBoth(queries)
  // Postgres describes the row before an error its execution raises; the endpoint fails before that.
  const errorsOnly = (reply: string[]) =>
    reply.filter((line, index) => !(line.startsWith('T ') && reply[index + 1]?.startsWith('error')))
  expect(replies.local).toEqual(replies.postgres.map(errorsOnly))
  return replies.local
}

describe('set_config and current_setting as PostgreSQL answers them', () => {
  it('answers set_config with one set_config column holding the new value, and SHOW follows', async () => {
    const replies = await expectSameAsPostgres([
      "SELECT set_config('application_name', 'billing', false)",
      'SHOW application_name',
      "SELECT current_setting('application_name') AS v",
      "select pg_catalog.set_config('statement_timeout', '10000', false) AS timeout",
      "SELECT current_setting('statement_timeout') AS v, current_setting('STATEMENT_TIMEOUT') AS v",
      "SELECT set_config('extra_float_digits', '3', false) \"Digits\"",
      "SELECT current_setting('extra_float_digits') AS v",
      "SELECT set_config('DateStyle', 'ISO, DMY', false)",
      "SELECT current_setting('datestyle') AS v",
    ])
    expect(replies[0]).toContain('D ["billing"]')
    expect(replies[3]).toContain('D ["10s"]')
  })

  it('keeps set_config local until the block ends, and a ROLLBACK undoes a session one', async () => {
    await expectSameAsPostgres([
      'BEGIN',
      "SELECT set_config('application_name', 'in_block', true)",
      "SELECT current_setting('application_name') AS v",
      'COMMIT',
      "SELECT current_setting('application_name') AS v",
      'BEGIN',
      "SELECT set_config('application_name', 'rolled_back', false)",
      "SELECT current_setting('application_name') AS v",
      'ROLLBACK',
      "SELECT current_setting('application_name') AS v, setting FROM pg_settings WHERE name = 'application_name'",
      "SELECT set_config('application_name', 'outside', true)",
      "SELECT current_setting('application_name') AS v",
      'BEGIN',
      "SET LOCAL statement_timeout = '5s'",
      "SELECT current_setting('statement_timeout') AS v",
      'COMMIT',
      "SELECT current_setting('statement_timeout') AS v",
    ])
  })

  it('reads transaction modes and the time zone as SHOW does', async () => {
    await expectSameAsPostgres([
      "SELECT current_setting('transaction_isolation') AS v",
      'BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY',
      "SELECT current_setting('transaction_isolation') AS v, current_setting('transaction_read_only') AS v",
      'ROLLBACK',
      "SELECT current_setting('transaction_isolation') AS v, current_setting('transaction_read_only') AS v",
      "SET TimeZone = 'Europe/Paris'",
      "SELECT current_setting('TimeZone') AS v, current_setting('timezone') AS v",
      "SET TimeZone = 'UTC'",
      "SELECT setting = current_setting('TimeZone') AS same FROM pg_settings WHERE name = 'TimeZone'",
      "SELECT setting = current_setting('server_version_num') AS same FROM pg_catalog.pg_settings WHERE name = 'server_version_num'",
    ])
  })

  it('answers unknown names and missing_ok as Postgres', async () => {
    await expectSameAsPostgres([
      "SELECT current_setting('no_such_setting') AS v",
      "SELECT current_setting('no_such_setting', true) IS NULL AS missing",
      "SELECT current_setting('application_name', true) AS v",
      "SELECT set_config('no_such_setting', 'x', false)",
      "SELECT set_config('server_version', '9', false)",
      "SELECT set_config('extra_float_digits', '99', false)",
    ])
  })

  it('refuses set_config inside a bigger query with 0A000 that says to use SET', async () => {
    const client = new pg.Client({ connectionString: local.endpoint.url })
    await client.connect()
    try {
      const error = await client
        .query("SELECT set_config('application_name', 'x', false), 1 AS n")
        .catch((e: unknown) => e as pg.DatabaseError)
      expect(error).toMatchObject({ code: '0A000' })
      expect((error as Error).message).toMatch(/SET name = value/)
      const parameters = await client
        .query('SELECT set_config($1, $2, false)', ['application_name', 'x'])
        .catch((e: unknown) => e as pg.DatabaseError)
      expect(parameters).toMatchObject({ code: '0A000' })
      // A prepared current_setting reads the value at each execution.
      const read = { name: 'read-setting', text: "SELECT current_setting('application_name') AS v" }
      await client.query("SET application_name = 'first'")
      expect((await client.query(read)).rows).toEqual([{ v: 'first' }])
      await client.query("SELECT set_config('application_name', 'second', false)")
      expect((await client.query(read)).rows).toEqual([{ v: 'second' }])
    } finally {
      await client.end()
    }
  })

  it('never shows one session the settings of another', async () => {
    const [first, second] = await Promise.all([login('local'), login('local')])
    try {
      await first.query("SELECT set_config('application_name', 'first_session', false)")
      await second.query("SET application_name = 'second_session'")
      expect(
        transcript(await first.query("SELECT current_setting('application_name') AS v")),
      ).toContain('D ["first_session"]')
      expect(
        transcript(
          await second.query("SELECT setting FROM pg_settings WHERE name = 'application_name'"),
        ),
      ).toContain('D ["second_session"]')
    } finally {
      first.close()
      second.close()
    }
  })
})
