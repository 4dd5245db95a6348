import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalEndpoint } from '../../src/local/index.js'
import { CatalogEpoch, StatementCache } from '../../src/local/session/statement-cache.js'
import { splitStatements } from '../../src/sql/sql-statements.js'
import { endpointForFile, pgClients, rejection } from './helpers/pg-clients.js'
import { names, RawClient, rows } from './helpers/raw-client.js'

/**
 * Sessions keep DuckDB's prepared statements by SQL text, so `pg`'s Parse of the same unnamed query
 * does not prepare it again. Reuse must never show: a statement read after the table it reads changed
 * (in this session or another) answers as a freshly prepared one would.
 */
const { endpoint, clients } = endpointForFile({ auth: 'password' })

describe('prepared statement reuse across schema changes', () => {
  it('the same text answers with the new columns after ALTER TABLE and CREATE OR REPLACE in another session', async () => {
    const reader = await clients.connect()
    const writer = await clients.connect()
    await writer.query('CREATE TABLE shifting AS SELECT 1 AS x')
    const sql = 'SELECT * FROM shifting WHERE $1::INTEGER > 0'
    expect((await reader.query(sql, [1])).rows).toEqual([{ x: 1 }])
    expect((await reader.query(sql, [1])).rows).toEqual([{ x: 1 }])

    await writer.query("ALTER TABLE shifting ADD COLUMN y VARCHAR DEFAULT 'added'")
    expect((await reader.query(sql, [1])).rows).toEqual([{ x: 1, y: 'added' }])

    await writer.query("CREATE OR REPLACE TABLE shifting AS SELECT 'now text' AS x")
    const replaced = await reader.query(sql, [1])
    expect(replaced.rows).toEqual([{ x: 'now text' }])
    expect(replaced.fields.map((field) => field.dataTypeID)).toEqual([25])
  })

  it('a parameter takes the type the changed column has now, not the one inferred before', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE keyed AS SELECT 5 AS k')
    const sql = 'SELECT count(*)::INTEGER AS n FROM keyed WHERE k = $1'
    expect((await client.query(sql, ['5'])).rows).toEqual([{ n: 1 }])
    // As VARCHAR, '5' matches only '5'; bound with the INTEGER type inferred before, it would
    // match '05' too.
    await client.query("CREATE OR REPLACE TABLE keyed AS SELECT unnest(['5', '05']) AS k")
    expect((await client.query(sql, ['5'])).rows).toEqual([{ n: 1 }])
    expect((await client.query(sql, ['05'])).rows).toEqual([{ n: 1 }])
  })

  it('a dropped table is an error (42P01) and the same text works again once it is recreated', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE comes_and_goes AS SELECT 1 AS v')
    const sql = 'SELECT v FROM comes_and_goes WHERE v = $1'
    expect((await client.query(sql, [1])).rows).toEqual([{ v: 1 }])
    await client.query('DROP TABLE comes_and_goes')
    expect((await rejection(client.query(sql, [1]))).code).toBe('42P01')
    await client.query('CREATE TABLE comes_and_goes AS SELECT 1 AS v')
    expect((await client.query(sql, [1])).rows).toEqual([{ v: 1 }])
  })

  it('DDL rolled back: statements prepared inside the transaction see the old table afterwards', async () => {
    const client = await clients.connect()
    await client.query("CREATE TABLE undone AS SELECT unnest(['5', '05']) AS k")
    const sql = 'SELECT * FROM undone WHERE k = $1'
    expect((await client.query(sql, ['5'])).rows).toEqual([{ k: '5' }])
    await client.query('BEGIN')
    await client.query("CREATE OR REPLACE TABLE undone AS SELECT 5 AS k, 'b' AS b")
    expect((await client.query(sql, ['5'])).rows).toEqual([{ k: 5, b: 'b' }])
    expect((await client.query(sql, ['5'])).rows).toEqual([{ k: 5, b: 'b' }])
    await client.query('ROLLBACK')
    // Bound as the INTEGER inferred inside the transaction, '5' would match '05' too.
    expect((await client.query(sql, ['5'])).rows).toEqual([{ k: '5' }])
  })

  it('a failed transaction rolled back by COMMIT also undoes its DDL for reused statements', async () => {
    const client = await clients.connect()
    await client.query("CREATE TABLE undone_twice AS SELECT unnest(['5', '05']) AS k")
    const sql = 'SELECT * FROM undone_twice WHERE k = $1'
    await client.query('BEGIN')
    await client.query('CREATE OR REPLACE TABLE undone_twice AS SELECT 5 AS k')
    expect((await client.query(sql, ['5'])).rows).toEqual([{ k: 5 }])
    await rejection(client.query('SELECT * FROM no_such_table'))
    expect((await client.query('COMMIT')).command).toBe('ROLLBACK')
    expect((await client.query(sql, ['5'])).rows).toEqual([{ k: '5' }])
  })

  it('USE of another database changes what an unqualified name means', async () => {
    const two = await startLocalEndpoint({ databases: { first: ':memory:', second: ':memory:' } })
    const twoClients = pgClients(() => two)
    try {
      const client = await twoClients.connect()
      await client.query("CREATE TABLE first.main.here AS SELECT 'first' AS db")
      await client.query("CREATE TABLE second.main.here AS SELECT 'second' AS db")
      const sql = 'SELECT db FROM here WHERE $1::BOOLEAN'
      expect((await client.query(sql, [true])).rows).toEqual([{ db: 'first' }])
      await client.query('USE second')
      expect((await client.query(sql, [true])).rows).toEqual([{ db: 'second' }])
    } finally {
      await twoClients.endAll()
      await two.stop()
    }
  })
})

describe('prepared statement reuse within a session', () => {
  it('two statements with the same text in one pipeline keep their own parameters', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    try {
      const text = 'SELECT $1::INTEGER * 10 AS v'
      client.send(
        serialize.parse({ name: 'a', text }),
        serialize.parse({ name: 'b', text }),
        serialize.bind({ statement: 'a', portal: 'pa', values: ['1'] }),
        serialize.bind({ statement: 'b', portal: 'pb', values: ['2'] }),
        serialize.execute({ portal: 'pa' }),
        serialize.execute({ portal: 'pb' }),
        serialize.parse({ text }),
        serialize.bind({ values: ['3'] }),
        serialize.execute({}),
        serialize.execute({ portal: 'pa' }),
        serialize.sync(),
        serialize.bind({ statement: 'a', values: ['4'] }),
        serialize.execute({}),
        serialize.bind({ statement: 'b', values: ['5'] }),
        serialize.execute({}),
        serialize.sync(),
      )
      const first = await client.until('readyForQuery')
      expect(names(first).filter((name) => name === 'error')).toEqual([])
      expect(rows(first)).toEqual([['10'], ['20'], ['30']])
      const second = await client.until('readyForQuery')
      expect(rows(second)).toEqual([['40'], ['50']])
    } finally {
      client.close()
    }
  })

  it('a statement whose run failed is prepared again, and the text keeps working', async () => {
    const client = await clients.connect()
    const sql = 'SELECT 10 // $1::INTEGER AS q'
    expect((await client.query(sql, [2])).rows).toEqual([{ q: 5 }])
    await client.query('CREATE TABLE checked (n INTEGER CHECK (n > 0))')
    const insert = 'INSERT INTO checked VALUES ($1)'
    expect((await rejection(client.query(insert, [-1]))).code).toBe('23514')
    expect((await client.query(insert, [1])).rowCount).toBe(1)
    expect((await client.query(insert, [2])).rowCount).toBe(1)
    expect((await client.query(sql, [5])).rows).toEqual([{ q: 2 }])
  })

  it('a closed named statement is gone by name, while its text runs on as another statement', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    try {
      const text = 'SELECT $1::VARCHAR AS s'
      client.send(
        serialize.parse({ name: 'named', text }),
        serialize.bind({ statement: 'named', values: ['a'] }),
        serialize.execute({}),
        serialize.close({ type: 'S', name: 'named' }),
        serialize.parse({ text }),
        serialize.bind({ values: ['b'] }),
        serialize.execute({}),
        serialize.sync(),
        serialize.bind({ statement: 'named', values: ['c'] }),
        serialize.sync(),
      )
      const first = await client.until('readyForQuery')
      expect(rows(first)).toEqual([['a'], ['b']])
      const second = await client.until('readyForQuery')
      expect(second.find((message) => message.name === 'error')?.code).toBe('26000')
    } finally {
      client.close()
    }
  })
})

describe('StatementCache', () => {
  let instance: DuckDBInstance
  let connection: DuckDBConnection

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:')
    connection = await instance.connect()
  })

  afterAll(() => {
    connection.closeSync()
    instance.closeSync()
  })

  async function entry(sql: string, epoch: CatalogEpoch) {
    return {
      prepared: await connection.prepare(sql),
      info: splitStatements(sql)[0],
      pathParameters: [],
      epoch: epoch.value,
    }
  }

  it('hands a statement out once, drops the least recently given beyond its capacity', async () => {
    const epoch = new CatalogEpoch()
    const cache = new StatementCache(epoch, 2)
    const one = await entry('SELECT 1', epoch)
    cache.give('SELECT 1', one)
    expect(cache.take('SELECT 1')).toBe(one)
    expect(cache.take('SELECT 1')).toBeUndefined()
    cache.give('SELECT 1', one)
    cache.give('SELECT 2', await entry('SELECT 2', epoch))
    cache.give('SELECT 3', await entry('SELECT 3', epoch))
    expect(cache.size).toBe(2)
    expect(cache.take('SELECT 1')).toBeUndefined()
    const three = cache.take('SELECT 3')
    expect((await three!.prepared.runAndReadAll()).getRows()).toEqual([[3]])
    cache.clear()
    expect(cache.size).toBe(0)
  })

  it('keeps only statements that cannot change the catalog, and none from before a change', async () => {
    const epoch = new CatalogEpoch()
    const cache = new StatementCache(epoch)
    cache.give(
      'CREATE TABLE never_run (i INTEGER)',
      await entry('CREATE TABLE never_run (i INTEGER)', epoch),
    )
    expect(cache.size).toBe(0)
    cache.give('SELECT 42', await entry('SELECT 42', epoch))
    epoch.bump()
    expect(cache.take('SELECT 42')).toBeUndefined()
    const stale = await entry('SELECT 43', epoch)
    epoch.bump()
    cache.give('SELECT 43', stale)
    expect(cache.size).toBe(0)
  })

  it('a second statement with a text already held is destroyed, not kept twice', async () => {
    const epoch = new CatalogEpoch()
    const cache = new StatementCache(epoch)
    const first = await entry('SELECT 7', epoch)
    cache.give('SELECT 7', first)
    cache.give('SELECT 7', await entry('SELECT 7', epoch))
    expect(cache.size).toBe(1)
    expect(cache.take('SELECT 7')).toBe(first)
  })
})
