import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'
import { pgClients, rejection } from './helpers/pg-clients.js'
import { names, RawClient } from './helpers/raw-client.js'

const run = promisify(execFile)

let local: TestEndpoint
const clients = pgClients(() => local.endpoint)

beforeAll(async () => {
  local = await startTestEndpoint({ auth: 'password', databases: { my_db: ':memory:' } })
  const setup = await clients.connect({ database: 'my_db' })
  await setup.query('CREATE TABLE items (id INTEGER)')
})

afterAll(async () => {
  await clients.endAll()
  await local.stop()
})

const connect = () => clients.connect({ database: 'my_db' })

async function show(client: Awaited<ReturnType<typeof connect>>, name: string): Promise<string> {
  return Object.values((await client.query(`SHOW ${name}`)).rows[0] as object)[0] as string
}

describe('isolation levels and access modes', () => {
  it('accepts every spelling of BEGIN / START TRANSACTION modes and reports the level asked', async () => {
    const client = await connect()
    const cases: [string, string, string][] = [
      ['BEGIN ISOLATION LEVEL SERIALIZABLE', 'serializable', 'off'],
      ['begin isolation level serializable', 'serializable', 'off'],
      ['BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ', 'repeatable read', 'off'],
      ['BEGIN WORK ISOLATION LEVEL READ COMMITTED', 'read committed', 'off'],
      ['START TRANSACTION ISOLATION LEVEL READ UNCOMMITTED', 'read uncommitted', 'off'],
      ['START TRANSACTION READ ONLY', 'read committed', 'on'],
      ['BEGIN TRANSACTION READ ONLY', 'read committed', 'on'],
      ['BEGIN READ WRITE, ISOLATION LEVEL SERIALIZABLE', 'serializable', 'off'],
      ['BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE', 'serializable', 'on'],
      ['BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY, NOT DEFERRABLE', 'repeatable read', 'on'],
      [
        'BEGIN ISOLATION LEVEL SERIALIZABLE, ISOLATION LEVEL READ COMMITTED',
        'read committed',
        'off',
      ],
    ]
    for (const [begin, isolation, readOnly] of cases) {
      await client.query(begin)
      const shown = [
        await show(client, 'transaction_isolation'),
        await show(client, 'transaction_read_only'),
      ]
      await client.query('COMMIT')
      expect([begin, ...shown]).toEqual([begin, isolation, readOnly])
    }
    expect(await show(client, 'transaction isolation level')).toBe('read committed')
    const bad = await rejection(client.query('BEGIN ISOLATION LEVEL SNAPSHOT'))
    expect([bad.code, bad.message]).toEqual(['42601', 'syntax error at or near "SNAPSHOT"'])
  })

  it('tags START TRANSACTION as Postgres does', async () => {
    const client = await connect()
    expect((await client.query('START TRANSACTION')).command).toBe('START')
    await client.query('ROLLBACK')
  })

  it('SET TRANSACTION before the first query, refused after it (25001); outside a block only warns', async () => {
    const client = await connect()
    const notices: string[] = []
    client.on('notice', (notice) => notices.push(`${notice.code} ${notice.message}`))
    await client.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE')
    expect(notices).toEqual(['25P01 SET TRANSACTION can only be used in transaction blocks'])
    await client.query('BEGIN')
    await client.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY')
    expect([
      await show(client, 'transaction_isolation'),
      await show(client, 'transaction_read_only'),
    ]).toEqual(['serializable', 'on'])
    const write = await rejection(client.query('INSERT INTO items VALUES (1)'))
    expect(write.code).toBe('25006')
    await client.query('ROLLBACK')
    await client.query('BEGIN')
    await client.query('SELECT 1')
    const late = await rejection(client.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE'))
    expect([late.code, late.message]).toEqual([
      '25001',
      'SET TRANSACTION ISOLATION LEVEL must be called before any query',
    ])
    await client.query('ROLLBACK')
  })

  it('SET SESSION CHARACTERISTICS sets the defaults the next transactions start with', async () => {
    const client = await connect()
    await client.query(
      'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
    )
    expect([
      await show(client, 'default_transaction_isolation'),
      await show(client, 'default_transaction_read_only'),
      await show(client, 'transaction_isolation'),
    ]).toEqual(['repeatable read', 'on', 'repeatable read'])
    await client.query('BEGIN')
    expect(await show(client, 'transaction_read_only')).toBe('on')
    await client.query('ROLLBACK')
    await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE')
    await client.query('INSERT INTO items VALUES (2)')
  })
})

describe('READ ONLY is enforced by DuckDB', () => {
  it('refuses writes in a READ ONLY block with 25006, reads still work', async () => {
    const client = await connect()
    await client.query('BEGIN READ ONLY')
    expect((await client.query('SELECT count(*)::INTEGER AS n FROM items')).rows).toHaveLength(1)
    const insert = await rejection(client.query('INSERT INTO items VALUES (3)'))
    expect([insert.code, insert.message]).toEqual([
      '25006',
      'cannot execute INSERT in a read-only transaction',
    ])
    await client.query('ROLLBACK')
    await client.query('BEGIN TRANSACTION READ ONLY')
    const create = await rejection(client.query('CREATE TABLE nope (i INTEGER)'))
    expect([create.code, create.message]).toEqual([
      '25006',
      'cannot execute CREATE TABLE in a read-only transaction',
    ])
    await client.query('ROLLBACK')
  })

  it('with default_transaction_read_only on, every statement outside a block is read-only (both protocols)', async () => {
    const client = await connect()
    await client.query('SET default_transaction_read_only = on')
    const simple = await rejection(client.query('UPDATE items SET id = id + 1'))
    const extended = await rejection(client.query('INSERT INTO items VALUES ($1)', [4]))
    // EXPLAIN ANALYZE runs its statement: DuckDB refuses the write inside, no statement kind is trusted.
    const analyze = await rejection(client.query('EXPLAIN ANALYZE INSERT INTO items VALUES (5)'))
    expect([simple.code, extended.code, analyze.code]).toEqual(['25006', '25006', '25006'])
    expect(extended.message).toBe('cannot execute INSERT in a read-only transaction')
    const read = await client.query('SELECT count(*)::INTEGER AS n FROM items WHERE id = $1', [4])
    expect(read.rows).toEqual([{ n: 0 }])
    await client.query('SET default_transaction_read_only = off')
    await client.query('INSERT INTO items VALUES ($1)', [4])
    const written = await client.query('SELECT count(*)::INTEGER AS n FROM items WHERE id = 4')
    expect(written.rows).toEqual([{ n: 1 }])
  })
})

describe('statement_timeout', () => {
  it('cancels a statement running longer with 57014, in both protocols; the session goes on', async () => {
    const client = await connect()
    await client.query("SET statement_timeout = '200ms'")
    const slow = 'SELECT count(*) FROM range(10000000000) WHERE range % 7 = 3'
    const simple = await rejection(client.query(slow))
    const extended = await rejection(
      client.query('SELECT count(*) FROM range($1::BIGINT) WHERE range % 7 = 3', [10000000000]),
    )
    for (const error of [simple, extended]) {
      expect([error.code, error.message]).toEqual([
        '57014',
        'canceling statement due to statement timeout',
      ])
    }
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    await client.query('RESET statement_timeout')
  })
})

describe('protocol niceties', () => {
  it('DEALLOCATE name and DEALLOCATE ALL drop protocol-level prepared statements', async () => {
    const client = await RawClient.login(local.endpoint.port, local.endpoint.token, {
      database: 'my_db',
    })
    try {
      client.send(
        serialize.parse({ name: 'one', text: 'SELECT 1' }),
        serialize.parse({ name: 'two', text: 'SELECT 2' }),
        serialize.parse({ name: 'three', text: 'SELECT 3' }),
        serialize.sync(),
      )
      await client.until('readyForQuery')
      const single = await client.query('DEALLOCATE one; DEALLOCATE PREPARE two')
      expect(single.filter((m) => m.name === 'commandComplete').map((m) => m.text)).toEqual([
        'DEALLOCATE',
        'DEALLOCATE',
      ])
      const all = await client.query('DEALLOCATE ALL')
      expect(all.find((m) => m.name === 'commandComplete')).toMatchObject({
        text: 'DEALLOCATE ALL',
      })
      for (const name of ['one', 'three']) {
        client.send(serialize.bind({ statement: name }), serialize.sync())
        const reply = await client.until('readyForQuery')
        expect(reply.find((m) => m.name === 'error')).toMatchObject({
          code: '26000',
          message: `prepared statement "${name}" does not exist`,
        })
      }
      // In the extended protocol too.
      client.send(
        serialize.parse({ name: 'four', text: 'SELECT 4' }),
        serialize.parse({ text: 'DEALLOCATE four' }),
        serialize.bind({}),
        serialize.execute(),
        serialize.sync(),
      )
      const extended = await client.until('readyForQuery')
      expect(names(extended)).toEqual([
        'parseComplete',
        'parseComplete',
        'bindComplete',
        'commandComplete',
        'readyForQuery',
      ])
    } finally {
      client.close()
    }
  })

  it('refuses SAVEPOINT, RELEASE and ROLLBACK TO with 0A000 and what to do', async () => {
    const client = await connect()
    for (const text of [
      'SAVEPOINT a',
      'RELEASE SAVEPOINT a',
      'RELEASE a',
      'ROLLBACK TO SAVEPOINT a',
      'ROLLBACK TO a',
    ]) {
      await client.query('BEGIN')
      const error = await rejection(client.query(text))
      await client.query('ROLLBACK')
      expect([text, error.code]).toEqual([text, '0A000'])
      expect(error.message).toMatch(/DuckDB has no savepoints/)
      expect(error.hint).toMatch(/ROLLBACK the whole transaction/)
    }
  })
})

describe('psycopg 3 as its users run it', () => {
  it('rolls back a transaction that prepared statements (DEALLOCATE ALL), sets the isolation level, refuses nested transactions', async () => {
    const script = `
import psycopg
conn = psycopg.connect("", prepare_threshold=0)
for _ in range(2):
    conn.execute("SELECT count(*) FROM items WHERE id = %s", [1]).fetchone()
conn.rollback()
print(conn.execute("SELECT count(*) FROM items WHERE id = %s", [1]).fetchone()[0])
conn.rollback()
conn.isolation_level = psycopg.IsolationLevel.SERIALIZABLE
conn.read_only = True
print(conn.execute("SHOW transaction_isolation").fetchone()[0], conn.execute("SHOW transaction_read_only").fetchone()[0])
conn.rollback()
conn.autocommit = True
conn.read_only = None
with conn.transaction():
    conn.execute("INSERT INTO items VALUES (%s)", [7])
try:
    with conn.transaction():
        with conn.transaction():
            pass
except psycopg.Error as error:
    # psycopg reports the refused SAVEPOINT, then its own nesting error as it leaves the outer block.
    refused = error if error.sqlstate else error.__context__
    print(refused.sqlstate)
`
    // libpq reads the connection from the environment: the token never appears in a command line.
    const env = {
      ...process.env,
      PGHOST: '127.0.0.1',
      PGPORT: String(local.endpoint.port),
      PGUSER: 'postgres',
      PGDATABASE: 'my_db',
      PGPASSWORD: local.endpoint.token,
    }
    const { stdout } = await run('/usr/bin/python3', ['-c', script], { env, timeout: 30_000 })
    expect(stdout.trim().split('\n')).toEqual(['0', 'serializable on', '0A000'])
  })
})
