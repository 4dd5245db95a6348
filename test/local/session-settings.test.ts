import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PostgresServer, startPostgres } from '../support/postgres-server.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'
import { pgClients, rejection } from './helpers/pg-clients.js'
import { RawClient, transcript } from './helpers/raw-client.js'

let local: TestEndpoint
let postgres: PostgresServer
const clients = pgClients(() => local.endpoint)

beforeAll(async () => {
  ;[local, postgres] = await Promise.all([
    startTestEndpoint({ auth: 'password', databases: { my_db: ':memory:' } }),
    startPostgres(),
  ])
})

afterAll(async () => {
  await clients.endAll()
  await Promise.all([local.stop(), postgres.stop()])
})

/** A raw session on the local endpoint (`'local'`) or on the real PostgreSQL (`'postgres'`). */
function login(server: 'local' | 'postgres', parameters: Record<string, string> = {}) {
  return server === 'local'
    ? RawClient.login(local.endpoint.port, local.endpoint.token, {
        database: 'my_db',
        ...parameters,
      })
    : RawClient.login(postgres.port, '', { database: 'postgres', ...parameters })
}

/** The same simple queries on both servers, each reply as a transcript. */
async function onBoth(queries: readonly string[], parameters: Record<string, string> = {}) {
  const replies: Record<'local' | 'postgres', string[][]> = { local: [], postgres: [] }
  for (const server of ['local', 'postgres'] as const) {
    const client = await login(server, parameters)
    try {
      for (const query of queries) replies[server].push(transcript(await client.query(query)))
    } finally {
      client.close()
    }
  }
  return replies
}

describe('SET, SHOW, RESET as PostgreSQL answers them', () => {
  it('names SHOW columns like Postgres, in every spelling, as text', async () => {
    const shows = [
      'SHOW application_name',
      'SHOW APPLICATION_NAME',
      'SHOW "application_name"',
      'SHOW TimeZone',
      'SHOW timezone',
      'SHOW TIME ZONE',
      'SHOW transaction isolation level',
      'SHOW transaction_isolation',
      'SHOW transaction_read_only',
      'SHOW default_transaction_isolation',
      'SHOW default_transaction_read_only',
      'SHOW standard_conforming_strings',
      'SHOW client_encoding',
      'SHOW datestyle',
      'SHOW extra_float_digits',
      'SHOW statement_timeout',
      'SHOW integer_datetimes',
      'SHOW server_encoding',
      'SHOW IntervalStyle',
      'SHOW search_path',
      'SHOW server_version',
      'SHOW server_version_num',
      'SHOW is_superuser',
    ]
    const replies = await onBoth(shows)
    const header = (reply: string[]) => [reply[0], reply.slice(2)]
    expect(replies.local.map(header)).toEqual(replies.postgres.map(header))
    // The values both servers share (not the version, the time zone's name or the schema).
    const shared = (reply: string[], index: number) =>
      /time ?zone|search_path|server_version|is_superuser/i.test(shows[index]!) ? null : reply[1]
    expect(replies.local.map(shared)).toEqual(replies.postgres.map(shared))
  })

  it("reads encoding names as Postgres does, with all but letters and digits left out (asyncpg sends 'utf-8', quoted)", async () => {
    const queries = ["SET client_encoding = 'Utf_8'", 'SHOW client_encoding']
    const replies = await onBoth(queries, { client_encoding: "'utf-8'" })
    expect(replies.local).toEqual(replies.postgres)
    expect(replies.local[1]!.join(' ')).toContain('UTF8')
  })

  it('sends ParameterStatus when a reported setting changes: SET, RESET, RESET ALL, ROLLBACK, the end of SET LOCAL', async () => {
    const queries = [
      "SET application_name = 'one'",
      "SET application_name = 'one'",
      'SHOW application_name',
      'RESET application_name',
      "SET SESSION application_name TO 'two'",
      'RESET ALL',
      'BEGIN',
      "SET LOCAL application_name = 'local'",
      'SHOW application_name',
      'COMMIT',
      'SHOW application_name',
      'BEGIN',
      "SET application_name = 'rolled back'",
      'ROLLBACK',
      'SHOW application_name',
      'BEGIN',
      "SET application_name = 'kept'",
      "SET LOCAL application_name = 'for now'",
      'COMMIT',
      'SHOW application_name',
      "SET LOCAL application_name = 'outside a block'",
      'SHOW application_name',
      'BEGIN',
      "SET application_name = 'in a failed block'",
      'SELECT * FROM no_such_table',
      'ROLLBACK',
      'SHOW application_name',
      'SET extra_float_digits = 3',
      "SET application_name = 'a'; SET application_name = 'b'; SET application_name = 'a'",
    ]
    const replies = await onBoth(queries)
    expect(replies.local).toEqual(replies.postgres)
    expect(replies.local.flat()).toContain('S application_name=kept')
  })

  it("undoes a failed block's SETs as it fails, DuckDB's TimeZone too, as Postgres aborts it", async () => {
    const client = await login('local')
    try {
      await client.query('BEGIN')
      await client.query("SET TimeZone = 'Asia/Tokyo'")
      expect(transcript(await client.query('SELECT * FROM no_such_table'))).toEqual([
        'error 42P01',
        'S TimeZone=UTC',
        'Z E',
      ])
      expect(transcript(await client.query('ROLLBACK'))).toEqual(['C ROLLBACK', 'Z I'])
      const shown = await client.query(
        "SELECT current_setting('TimeZone') AS tz, TIMESTAMPTZ '2024-01-01 12:00:00+00'::VARCHAR AS ts",
      )
      expect(transcript(shown)[1]).toBe('D ["UTC","2024-01-01 12:00:00+00"]')
    } finally {
      client.close()
    }
  })

  it('applies TimeZone to DuckDB, with the canonical name, announced; SET LOCAL lasts to the end of the block', async () => {
    const client = await clients.connect({ database: 'my_db' })
    await client.query("SET TIME ZONE 'europe/paris'")
    const paris = await client.query(
      "SHOW TimeZone; SELECT TIMESTAMPTZ '2024-01-01 12:00:00+00'::VARCHAR AS ts",
    )
    const [show, select] = paris as unknown as { rows: Record<string, string>[] }[]
    expect(show!.rows).toEqual([{ TimeZone: 'Europe/Paris' }])
    expect(select!.rows).toEqual([{ ts: '2024-01-01 13:00:00+01' }])
    await client.query('BEGIN')
    await client.query("SET LOCAL TimeZone = 'Asia/Tokyo'")
    const inside = await client.query("SELECT current_setting('TimeZone') AS tz")
    await client.query('COMMIT')
    const after = await client.query("SELECT current_setting('TimeZone') AS tz")
    expect([inside.rows, after.rows]).toEqual([[{ tz: 'Asia/Tokyo' }], [{ tz: 'Europe/Paris' }]])
    const bad = await rejection(client.query("SET TimeZone = 'Not/AZone'"))
    expect([bad.code, bad.message]).toEqual([
      '22023',
      'invalid value for parameter "TimeZone": "Not/AZone"',
    ])
  })

  it('maps search_path to DuckDB (SET, SHOW, SET LOCAL), and keeps strict mode away from temp', async () => {
    const client = await clients.connect({ database: 'my_db' })
    await client.query(
      'CREATE SCHEMA IF NOT EXISTS other; CREATE OR REPLACE TABLE other.here (i INTEGER)',
    )
    await client.query("SET search_path = 'other'")
    expect((await client.query('SHOW search_path')).rows).toEqual([{ search_path: 'my_db.other' }])
    expect((await client.query('SELECT count(*)::INTEGER AS n FROM here')).rows).toEqual([{ n: 0 }])
    await client.query('RESET search_path')
    await client.query('BEGIN')
    await client.query("SET LOCAL search_path = 'other'")
    await client.query('SELECT * FROM here')
    await client.query('COMMIT')
    expect((await client.query('SHOW search_path')).rows).toEqual([{ search_path: 'my_db.main' }])
    const temp = await rejection(client.query("SET search_path = 'temp.main'"))
    expect(temp.code).toBe('0A000')
  })

  it('answers SHOW in the extended protocol: Describe reports the column, Execute the value', async () => {
    const messages: Record<'local' | 'postgres', string[]> = { local: [], postgres: [] }
    for (const server of ['local', 'postgres'] as const) {
      const client = await login(server, { application_name: 'extended' })
      try {
        client.send(
          serialize.parse({ name: 'show', text: 'SHOW application_name' }),
          serialize.describe({ type: 'S', name: 'show' }),
          serialize.bind({ statement: 'show' }),
          serialize.describe({ type: 'P' }),
          serialize.execute(),
          serialize.bind({ statement: 'show', portal: 'p' }),
          serialize.execute({ portal: 'p' }),
          serialize.sync(),
        )
        messages[server] = transcript(await client.until('readyForQuery'))
      } finally {
        client.close()
      }
    }
    expect(messages.local).toEqual(messages.postgres)
    expect(messages.local).toContain('D ["extended"]')
    const client = await clients.connect({ database: 'my_db' })
    const described = await client.query({ text: 'SHOW transaction isolation level', values: [] })
    expect(described.fields.map((field) => [field.name, field.dataTypeID])).toEqual([
      ['transaction_isolation', 25],
    ])
    expect(described.rows).toEqual([{ transaction_isolation: 'read committed' }])
  })

  it('refuses unknown settings (42704), fixed ones (55P02) and values the endpoint cannot honour', async () => {
    const client = await clients.connect({ database: 'my_db' })
    const cases: [string, string, string][] = [
      [
        'SET no_such_setting = 1',
        '42704',
        'unrecognized configuration parameter "no_such_setting"',
      ],
      ['SHOW no_such_setting', '42704', 'unrecognized configuration parameter "no_such_setting"'],
      ["SET server_version = '1'", '55P02', 'parameter "server_version" cannot be changed'],
      ["SET client_encoding = 'LATIN1'", '0A000', 'client_encoding'],
      ['SET extra_float_digits = 5', '22023', 'outside the valid range'],
      ["SET statement_timeout = 'soon'", '22023', 'statement_timeout'],
      ["SET DateStyle = 'German'", '0A000', 'ISO'],
    ]
    for (const [text, code, message] of cases) {
      const error = await rejection(client.query(text))
      expect([text, error.code]).toEqual([text, code])
      expect(error.message).toContain(message)
    }
    // DuckDB's own SHOW still describes tables.
    await client.query('CREATE OR REPLACE TABLE shown (i INTEGER)')
    expect((await client.query('SHOW shown')).rows[0]).toMatchObject({ column_name: 'i' })
  })

  it('shows statement_timeout in the units Postgres shows', async () => {
    const client = await clients.connect({ database: 'my_db' })
    const shown: string[] = []
    for (const value of ['12345', "'1min'", "'1500ms'", "'2s'", "'3600000'", '0']) {
      await client.query(`SET statement_timeout = ${value}`)
      shown.push((await client.query('SHOW statement_timeout')).rows[0].statement_timeout)
    }
    expect(shown).toEqual(['12345ms', '1min', '1500ms', '2s', '1h', '0'])
  })
})

describe('settings are per session', () => {
  it("one session's SETs change nothing another session sees", async () => {
    const changer = await clients.connect({ database: 'my_db' })
    const other = await clients.connect({ database: 'my_db' })
    for (const text of [
      "SET application_name = 'changer'",
      "SET TimeZone = 'Asia/Tokyo'",
      "SET search_path = 'my_db.main'",
      'SET statement_timeout = 1',
      'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY',
      'SET extra_float_digits = 3',
    ]) {
      await changer.query(text)
    }
    const fresh = await clients.connect({ database: 'my_db' })
    for (const client of [other, fresh]) {
      const shown = await client.query(
        "SELECT current_setting('TimeZone') AS tz, TIMESTAMPTZ '2024-01-01 12:00:00+00'::VARCHAR AS ts",
      )
      expect(shown.rows).toEqual([{ tz: 'UTC', ts: '2024-01-01 12:00:00+00' }])
      const values = []
      for (const name of [
        'application_name',
        'statement_timeout',
        'transaction_isolation',
        'default_transaction_read_only',
        'extra_float_digits',
      ]) {
        values.push(Object.values((await client.query(`SHOW ${name}`)).rows[0])[0])
      }
      expect(values).toEqual(['', '0', 'read committed', 'off', '1'])
      await client.query('CREATE OR REPLACE TABLE writable (i INTEGER)')
    }
  })
})

describe('startup settings', () => {
  it('applies options (-c and --, escaped spaces) and parameters, which RESET goes back to', async () => {
    const client = await clients.connect({
      database: 'my_db',
      application_name: 'from a parameter',
      options:
        '-c statement_timeout=5s --default-transaction-isolation=serializable -c TimeZone=America/New_York -capplication_name=with\\ space',
    })
    const values = []
    for (const name of [
      'statement_timeout',
      'default_transaction_isolation',
      'TimeZone',
      'application_name',
    ]) {
      values.push(Object.values((await client.query(`SHOW ${name}`)).rows[0])[0])
    }
    expect(values).toEqual(['5s', 'serializable', 'America/New_York', 'with space'])
    await client.query("SET application_name = 'changed'")
    await client.query('RESET application_name')
    expect((await client.query('SHOW application_name')).rows).toEqual([
      { application_name: 'with space' },
    ])
  })

  it("accepts asyncpg's documented jit = off, which changes nothing in DuckDB", async () => {
    const client = await clients.connect({ database: 'my_db', options: '-c jit=off' })
    expect((await client.query('SHOW jit')).rows).toEqual([{ jit: 'off' }])
    await expect(client.query("SET jit = 'maybe'")).rejects.toMatchObject({ code: '22023' })
  })

  it('ends a startup naming a setting Postgres does not know (FATAL 42704), as Postgres does', async () => {
    const cases: Record<string, string>[] = [
      { options: '-c no_such_setting=1' },
      { no_such_setting: '1' },
    ]
    for (const parameters of cases) {
      const errors: string[] = []
      for (const server of ['local', 'postgres'] as const) {
        const client = await RawClient.open(
          server === 'local' ? local.endpoint.port : postgres.port,
        )
        const database = server === 'local' ? 'my_db' : 'postgres'
        client.send(serialize.startup({ user: 'postgres', database, ...parameters }))
        const [request] = await client.read(1)
        if (request?.name === 'authenticationCleartextPassword') {
          client.send(serialize.password(local.endpoint.token))
        }
        const error = (await client.untilClosed()).find((message) => message.name === 'error')
        errors.push(`${error?.severity} ${error?.code} ${error?.message}`)
      }
      expect(errors[0]).toBe('FATAL 42704 unrecognized configuration parameter "no_such_setting"')
      expect(errors[0]).toBe(errors[1])
    }
  })
})
