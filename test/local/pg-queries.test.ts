import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { endpointForFile, rejection } from './helpers/pg-clients.js'

const { clients } = endpointForFile()

describe('simple query protocol through pg', () => {
  it('runs a query and reports rows, fields and the SELECT tag', async () => {
    const client = await clients.connect()
    const result = await client.query("SELECT 1 AS one, 'duck' AS name, 2.5::DOUBLE AS d")
    expect(result.command).toBe('SELECT')
    expect(result.rowCount).toBe(1)
    expect(result.rows).toEqual([{ one: 1, name: 'duck', d: 2.5 }])
    expect(result.fields.map((field) => [field.name, field.dataTypeID])).toEqual([
      ['one', 23],
      ['name', 25],
      ['d', 701],
    ])
  })

  it('runs several statements in one string and returns every result', async () => {
    const client = await clients.connect()
    const results = (await client.query(
      'CREATE TABLE multi (id INTEGER, s VARCHAR); INSERT INTO multi VALUES (1, $$a;b$$), (2, NULL); SELECT * FROM multi ORDER BY id',
    )) as unknown as pg.QueryResult[]
    expect(results.map((result) => [result.command, result.rowCount])).toEqual([
      ['CREATE', null],
      ['INSERT', 2],
      ['SELECT', 2],
    ])
    expect(results[2]?.rows).toEqual([
      { id: 1, s: 'a;b' },
      { id: 2, s: null },
    ])
  })

  it('answers an empty query string (comments only) with no result', async () => {
    const client = await clients.connect()
    const result = await client.query('-- nothing here\n;')
    expect(result.rows).toEqual([])
    expect((await client.query('SELECT 42 AS x')).rows).toEqual([{ x: 42 }])
  })

  it('reports DML tags the way Postgres does: INSERT 0 n, UPDATE n, DELETE n', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE tags (id INTEGER PRIMARY KEY, v INTEGER)')
    const insert = await client.query('INSERT INTO tags SELECT range, 0 FROM range(5)')
    expect([insert.command, insert.rowCount]).toEqual(['INSERT', 5])
    const update = await client.query('UPDATE tags SET v = 1 WHERE id < 3')
    expect([update.command, update.rowCount]).toEqual(['UPDATE', 3])
    const remove = await client.query('DELETE FROM tags WHERE id = 4')
    expect([remove.command, remove.rowCount]).toEqual(['DELETE', 1])
    const ctas = await client.query('CREATE TABLE tags_copy AS SELECT * FROM tags')
    expect([ctas.command, ctas.rowCount]).toEqual(['SELECT', 4])
  })

  it('returns RETURNING rows of DML', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE returning_t (id INTEGER, s VARCHAR)')
    const result = await client.query(
      "INSERT INTO returning_t VALUES (1, 'a'), (2, 'b') RETURNING id, upper(s) AS s",
    )
    expect([result.command, result.rowCount]).toEqual(['INSERT', 2])
    expect(result.rows).toEqual([
      { id: 1, s: 'A' },
      { id: 2, s: 'B' },
    ])
  })

  it('sends DuckDB errors with a SQLSTATE and keeps the connection usable', async () => {
    const client = await clients.connect()
    const error = await rejection(client.query('SELECT * FROM no_such_table'))
    expect(error.code).toBe('42P01')
    expect(error.message).toMatch(/no_such_table/)
    expect((await rejection(client.query('SELEC 1'))).code).toBe('42601')
    expect((await rejection(client.query("SELECT 'unterminated"))).code).toBe('42601')
    expect((await client.query('SELECT 7 AS x')).rows).toEqual([{ x: 7 }])
  })

  it('stops a multi-statement string at the first error', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE stop_at (id INTEGER)')
    const error = await rejection(
      client.query(
        'INSERT INTO stop_at VALUES (1); SELECT 1/0 FROM nope; INSERT INTO stop_at VALUES (2)',
      ),
    )
    expect(error.code).toBe('42P01')
    expect((await client.query('SELECT id FROM stop_at')).rows).toEqual([{ id: 1 }])
  })

  it('starts every session in UTC and in the default database', async () => {
    const client = await clients.connect()
    const result = await client.query(
      "SELECT current_setting('TimeZone') AS tz, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS ts, current_database() AS db",
    )
    expect(result.rows).toEqual([{ tz: 'UTC', ts: new Date('2024-01-02T03:04:05Z'), db: 'my_db' }])
  })
})

describe('extended query protocol through pg', () => {
  it('binds text parameters with DuckDB inferring their types', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE params (id INTEGER, name VARCHAR, day DATE)')
    await client.query('INSERT INTO params VALUES ($1, $2, $3), ($4, $5, $6)', [
      1,
      'one',
      '2024-01-01',
      2,
      null,
      '2024-02-01',
    ])
    const result = await client.query('SELECT id, name FROM params WHERE id >= $1 ORDER BY id', [1])
    expect(result.rows).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: null },
    ])
    expect(result.fields.map((field) => field.dataTypeID)).toEqual([23, 25])
  })

  it('types the result of an untyped parameter from the real result', async () => {
    const client = await clients.connect()
    const result = await client.query('SELECT $1::INTEGER + 1 AS next, $2::VARCHAR AS s', [41, 'x'])
    expect(result.rows).toEqual([{ next: 42, s: 'x' }])
  })

  it('reuses a named prepared statement', async () => {
    const client = await clients.connect()
    const query = { name: 'square', text: 'SELECT $1::INTEGER * $1::INTEGER AS sq' }
    for (const n of [2, 3, 4]) {
      expect((await client.query({ ...query, values: [n] })).rows).toEqual([{ sq: n * n }])
    }
  })

  it('returns an array row mode result and an INSERT count with parameters', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE ext_insert (id INTEGER)')
    const insert = await client.query('INSERT INTO ext_insert VALUES ($1), ($2)', [1, 2])
    expect([insert.command, insert.rowCount, insert.fields]).toEqual(['INSERT', 2, []])
    const rows = await client.query({
      text: 'SELECT id, id * 10 FROM ext_insert ORDER BY id',
      rowMode: 'array',
    })
    expect(rows.rows).toEqual([
      [1, 10],
      [2, 20],
    ])
  })

  it('refuses several statements in one prepared statement', async () => {
    const client = await clients.connect()
    const error = await rejection(client.query('SELECT $1::INTEGER; SELECT 2', [1]))
    expect(error.code).toBe('42601')
    expect((await client.query('SELECT $1::INTEGER AS x', [5])).rows).toEqual([{ x: 5 }])
  })

  it('reports a bad parameter value and recovers', async () => {
    const client = await clients.connect()
    const error = await rejection(client.query('SELECT $1::INTEGER AS x', ['not a number']))
    expect(error.code).toMatch(/^22/)
    expect((await client.query('SELECT $1::INTEGER AS x', [6])).rows).toEqual([{ x: 6 }])
  })

  it('serves parallel sessions', async () => {
    const all = await Promise.all([1, 2, 3, 4].map(() => clients.connect()))
    const results = await Promise.all(
      all.map((client, i) =>
        client.query('SELECT sum(range) AS s FROM range($1::BIGINT)', [(i + 1) * 1000]),
      ),
    )
    expect(results.map((result) => result.rows[0].s)).toEqual([
      '499500',
      '1999000',
      '4498500',
      '7998000',
    ])
  })
})
