import Cursor from 'pg-cursor'
import { serialize } from 'pg-protocol'
import { describe, expect, it } from 'vitest'
import { endpointForFile, rejection } from './helpers/pg-clients.js'
import { names, RawClient, rows } from './helpers/raw-client.js'

const { endpoint, clients } = endpointForFile({ auth: 'password' })

function read<T>(cursor: Cursor<T>, count: number): Promise<T[]> {
  return cursor.read(count)
}

describe('pg-cursor: row limits and PortalSuspended', () => {
  it('reads a result in batches and ends with an empty read', async () => {
    const client = await clients.connect()
    const cursor = client.query(new Cursor('SELECT range AS n FROM range($1::BIGINT)', [10]))
    const batches: number[][] = []
    for (;;) {
      const batch = await read(cursor, 4)
      if (batch.length === 0) break
      batches.push(batch.map((row) => Number((row as { n: bigint | string }).n)))
    }
    expect(batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ])
    await cursor.close()
    expect((await client.query('SELECT 1 AS after')).rows).toEqual([{ after: 1 }])
  })

  it('reads limits that cross DuckDB chunk boundaries (2,048 rows)', async () => {
    const client = await clients.connect()
    const cursor = client.query(new Cursor('SELECT range AS n FROM range(10000)'))
    let total = 0
    let expected = 0
    for (;;) {
      const batch = await read(cursor, 1500)
      if (batch.length === 0) break
      for (const row of batch) expect(Number((row as { n: string }).n)).toBe(expected++)
      total += batch.length
    }
    expect(total).toBe(10_000)
    await cursor.close()
  })

  it('closes a cursor early and keeps the connection usable', async () => {
    const client = await clients.connect()
    const cursor = client.query(new Cursor('SELECT range AS n FROM range(100000)'))
    expect(await read(cursor, 3)).toHaveLength(3)
    await cursor.close()
    expect((await client.query('SELECT 2 AS x')).rows).toEqual([{ x: 2 }])
  })

  it('delivers an error to a cursor that is waiting for rows (Flush pushes it out)', async () => {
    const client = await clients.connect()
    const cursor = client.query(new Cursor('SELECT * FROM missing_for_cursor'))
    const error = await rejection(read(cursor, 10))
    expect(error.code).toBe('42P01')
    expect((await client.query('SELECT 3 AS x')).rows).toEqual([{ x: 3 }])
  })

  it('runs a cursor inside a transaction', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE cursor_tx (id INTEGER)')
    await client.query('BEGIN')
    await client.query('INSERT INTO cursor_tx SELECT range FROM range(5)')
    const cursor = client.query(new Cursor('SELECT id FROM cursor_tx ORDER BY id'))
    expect(await read(cursor, 2)).toEqual([{ id: 0 }, { id: 1 }])
    expect(await read(cursor, 10)).toEqual([{ id: 2 }, { id: 3 }, { id: 4 }])
    await cursor.close()
    await client.query('COMMIT')
    expect((await client.query('SELECT count(*)::INTEGER AS n FROM cursor_tx')).rows).toEqual([
      { n: 5 },
    ])
  })
})

describe('extended protocol on the wire', () => {
  it('answers a pipeline of Parse/Bind/Describe/Execute/Sync in order', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    client.send(
      serialize.parse({ name: 'double', text: 'SELECT $1::INTEGER * 2 AS d' }),
      serialize.describe({ type: 'S', name: 'double' }),
      serialize.bind({ statement: 'double', values: ['21'] }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
      serialize.bind({ statement: 'double', values: ['50'] }),
      serialize.execute({}),
      serialize.sync(),
      serialize.parse({ text: '' }),
      serialize.bind({}),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    )
    const first = await client.until('readyForQuery')
    expect(names(first)).toEqual([
      'parseComplete',
      'parameterDescription',
      'rowDescription',
      'bindComplete',
      'rowDescription',
      'dataRow',
      'commandComplete',
      'readyForQuery',
    ])
    expect(first[1]).toMatchObject({ dataTypeIDs: [23] })
    expect(rows(first)).toEqual([['42']])
    const second = await client.until('readyForQuery')
    expect(names(second)).toEqual(['bindComplete', 'dataRow', 'commandComplete', 'readyForQuery'])
    expect(rows(second)).toEqual([['100']])
    const empty = await client.until('readyForQuery')
    expect(names(empty)).toEqual([
      'parseComplete',
      'bindComplete',
      'noData',
      'emptyQuery',
      'readyForQuery',
    ])
    client.close()
  })

  it('describes a statement: declared OIDs, inferred ones, and NoData for DML', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    await client.query('CREATE TABLE described (id INTEGER, s VARCHAR)')
    client.send(
      serialize.parse({
        name: 'q',
        text: 'SELECT id, s FROM described WHERE id = $1 AND s = $2',
        types: [20],
      }),
      serialize.describe({ type: 'S', name: 'q' }),
      serialize.parse({ name: 'i', text: 'INSERT INTO described VALUES ($1, $2)' }),
      serialize.describe({ type: 'S', name: 'i' }),
      serialize.parse({ name: 'r', text: 'INSERT INTO described VALUES (1, $1) RETURNING id' }),
      serialize.describe({ type: 'S', name: 'r' }),
      serialize.sync(),
    )
    const messages = await client.until('readyForQuery')
    expect(names(messages)).toEqual([
      'parseComplete',
      'parameterDescription',
      'rowDescription',
      'parseComplete',
      'parameterDescription',
      'noData',
      'parseComplete',
      'parameterDescription',
      'rowDescription',
      'readyForQuery',
    ])
    expect(messages[1]).toMatchObject({ dataTypeIDs: [20, 25] })
    expect(messages[2]).toMatchObject({
      fields: [
        { name: 'id', dataTypeID: 23 },
        { name: 's', dataTypeID: 25 },
      ],
    })
    expect(messages[4]).toMatchObject({ dataTypeIDs: [23, 25] })
    client.close()
  })

  it('suspends a portal at its row limit and resumes it after other statements ran', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    client.send(
      serialize.parse({ text: 'SELECT range AS n FROM range(5000)' }),
      serialize.bind({ portal: 'big' }),
      serialize.execute({ portal: 'big', rows: 3 }),
      // Another statement runs on the same DuckDB connection while "big" is suspended.
      serialize.parse({ name: 'other', text: 'SELECT 99 AS x' }),
      serialize.bind({ portal: 'small', statement: 'other' }),
      serialize.execute({ portal: 'small' }),
      serialize.execute({ portal: 'big', rows: 2 }),
      serialize.execute({ portal: 'big' }),
      serialize.execute({ portal: 'big' }),
      serialize.sync(),
    )
    const messages = await client.until('readyForQuery')
    const summary = names(messages).filter((name) => name !== 'dataRow')
    expect(summary).toEqual([
      'parseComplete',
      'bindComplete',
      'portalSuspended',
      'parseComplete',
      'bindComplete',
      'commandComplete',
      'portalSuspended',
      'commandComplete',
      'commandComplete',
      'readyForQuery',
    ])
    const values = rows(messages).map((row) => row[0])
    expect(values.slice(0, 3)).toEqual(['0', '1', '2'])
    expect(values[3]).toBe('99')
    expect(values.slice(4, 6)).toEqual(['3', '4'])
    expect(values.slice(6)).toEqual(Array.from({ length: 4995 }, (_, i) => String(i + 5)))
    const tags = messages.filter((message) => message.name === 'commandComplete').map((m) => m.text)
    expect(tags).toEqual(['SELECT 1', 'SELECT 4995', 'SELECT 0'])
    client.close()
  })

  it('discards messages after an error until Sync, and Flush still sends the error', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    client.send(
      serialize.parse({ text: 'SELECT * FROM nowhere' }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.flush(),
    )
    const beforeSync = await client.until('error')
    expect(names(beforeSync)).toEqual(['error'])
    expect(beforeSync[0]).toMatchObject({ code: '42P01' })
    client.send(serialize.sync(), serialize.query('SELECT 5 AS x'))
    expect(names(await client.until('readyForQuery'))).toEqual(['readyForQuery'])
    expect(rows(await client.until('readyForQuery'))).toEqual([['5']])
    client.close()
  })

  it('reports unknown statements and portals, duplicates and wrong parameter counts', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    const codeOf = async (...messages: Buffer[]): Promise<unknown> => {
      client.send(...messages, serialize.sync())
      const reply = await client.until('readyForQuery')
      return reply.find((message) => message.name === 'error')?.code
    }
    expect(await codeOf(serialize.bind({ statement: 'nope' }))).toBe('26000')
    expect(await codeOf(serialize.execute({ portal: 'nope' }))).toBe('34000')
    expect(await codeOf(serialize.describe({ type: 'P', name: 'nope' }))).toBe('34000')
    expect(
      await codeOf(
        serialize.parse({ name: 'dup', text: 'SELECT 1' }),
        serialize.parse({ name: 'dup', text: 'SELECT 2' }),
      ),
    ).toBe('42P05')
    expect(
      await codeOf(serialize.parse({ text: 'SELECT $1::INTEGER' }), serialize.bind({ values: [] })),
    ).toBe('08P01')
    expect(
      await codeOf(
        serialize.close({ type: 'S', name: 'dup' }),
        serialize.parse({ name: 'dup', text: 'SELECT 3' }),
      ),
    ).toBeUndefined()
    client.close()
  })

  it('sends binary results when Bind asks for them (test/local/binary-results.test.ts has the bytes)', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    client.send(
      serialize.parse({ text: 'SELECT 1' }),
      serialize.bind({ binary: true }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    )
    const reply = await client.until('readyForQuery')
    expect(reply.find((message) => message.name === 'error')).toBeUndefined()
    const description = reply.find((message) => message.name === 'rowDescription')
    expect(description?.fields).toMatchObject([{ dataTypeID: 23, format: 'binary' }])
    expect(rows(reply)).toEqual([['\u0000\u0000\u0000\u0001']])
    client.close()
  })
})
