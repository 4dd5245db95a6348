import { serialize } from 'pg-protocol'
import { describe, expect, it } from 'vitest'
import { endpointForFile, rejection } from './helpers/pg-clients.js'
import { RawClient } from './helpers/raw-client.js'

const { endpoint, clients } = endpointForFile({ auth: 'password' })

/** The transaction status byte of the ReadyForQuery that ends a simple query. */
async function statusAfter(client: RawClient, sql: string): Promise<string> {
  const reply = await client.query(sql)
  return String(reply.at(-1)?.status)
}

describe('transactions through pg', () => {
  it('commits and rolls back', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE tx_basic (id INTEGER)')
    await client.query('BEGIN')
    await client.query('INSERT INTO tx_basic VALUES (1)')
    expect((await client.query('COMMIT')).command).toBe('COMMIT')
    await client.query('BEGIN')
    await client.query('INSERT INTO tx_basic VALUES (2)')
    expect((await client.query('ROLLBACK')).command).toBe('ROLLBACK')
    expect((await client.query('SELECT id FROM tx_basic')).rows).toEqual([{ id: 1 }])
  })

  it('refuses every command in a failed transaction with 25P02; COMMIT then reports ROLLBACK', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE tx_failed (id INTEGER PRIMARY KEY)')
    await client.query('BEGIN')
    await client.query('INSERT INTO tx_failed VALUES (1)')
    expect((await rejection(client.query('INSERT INTO tx_failed VALUES (1)'))).code).toBe('23505')
    expect((await rejection(client.query('SELECT 1'))).code).toBe('25P02')
    expect((await rejection(client.query('SELECT $1::INTEGER', [1]))).code).toBe('25P02')
    const commit = await client.query('COMMIT')
    expect(commit.command).toBe('ROLLBACK')
    expect((await client.query('SELECT count(*)::INTEGER AS n FROM tx_failed')).rows).toEqual([
      { n: 0 },
    ])
  })

  it('fails the transaction on an error the parser raises too, as Postgres does', async () => {
    const client = await clients.connect()
    await client.query('BEGIN')
    expect((await rejection(client.query('SELEC 1'))).code).toBe('42601')
    expect((await rejection(client.query('SELECT 1'))).code).toBe('25P02')
    expect((await client.query('ROLLBACK')).command).toBe('ROLLBACK')
    expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }])
  })

  it('warns on COMMIT without a transaction and on BEGIN inside one', async () => {
    const client = await clients.connect()
    const notices: string[] = []
    client.on('notice', (notice) => notices.push(`${notice.code} ${notice.message}`))
    expect((await client.query('COMMIT')).command).toBe('COMMIT')
    await client.query('BEGIN')
    await client.query('BEGIN')
    await client.query('ROLLBACK')
    expect(notices).toEqual([
      '25P01 there is no transaction in progress',
      '25001 there is already a transaction in progress',
    ])
  })

  it('recovers after an error outside a transaction (autocommit keeps earlier work)', async () => {
    const client = await clients.connect()
    await client.query('CREATE TABLE tx_auto (id INTEGER PRIMARY KEY)')
    await client.query('INSERT INTO tx_auto VALUES (1)')
    expect((await rejection(client.query('INSERT INTO tx_auto VALUES (1)'))).code).toBe('23505')
    await client.query('INSERT INTO tx_auto VALUES (2)')
    expect((await client.query('SELECT id FROM tx_auto ORDER BY id')).rows).toEqual([
      { id: 1 },
      { id: 2 },
    ])
  })
})

describe('transaction status in ReadyForQuery', () => {
  it('goes I → T → E → I', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    expect(await statusAfter(client, 'SELECT 1')).toBe('I')
    expect(await statusAfter(client, 'BEGIN')).toBe('T')
    expect(await statusAfter(client, 'SELECT 1')).toBe('T')
    expect(await statusAfter(client, 'SELECT * FROM nope')).toBe('E')
    expect(await statusAfter(client, 'SELECT 1')).toBe('E')
    expect(await statusAfter(client, 'ROLLBACK')).toBe('I')
    expect(await statusAfter(client, 'BEGIN; SELECT 1; COMMIT')).toBe('I')
    expect(await statusAfter(client, 'SELECT * FROM nope')).toBe('I')
    client.close()
  })

  it('tracks the extended protocol, where an error inside a transaction also fails it', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    const extended = async (sql: string): Promise<string> => {
      client.send(
        serialize.parse({ text: sql }),
        serialize.bind({}),
        serialize.execute({}),
        serialize.sync(),
      )
      return String((await client.until('readyForQuery')).at(-1)?.status)
    }
    expect(await extended('BEGIN')).toBe('T')
    expect(await extended('SELECT 1/0 FROM nope')).toBe('E')
    expect(await extended('SELECT 1')).toBe('E')
    expect(await extended('COMMIT')).toBe('I')
    client.close()
  })

  it('keeps the portal that runs COMMIT when it was described first (what libpq and psycopg send)', async () => {
    const client = await RawClient.login(endpoint().port, endpoint().token)
    for (const sql of ['BEGIN', 'COMMIT', 'BEGIN', 'SELECT * FROM nope', 'COMMIT']) {
      client.send(
        serialize.parse({ text: sql }),
        serialize.bind({}),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      )
      const reply = await client.until('readyForQuery')
      const tag = reply.find((message) => message.name === 'commandComplete')?.text
      if (sql === 'COMMIT') expect(tag).toMatch(/^(COMMIT|ROLLBACK)$/)
    }
    expect(String((await client.query('SELECT 1')).at(-1)?.status)).toBe('I')
    client.close()
  })
})
