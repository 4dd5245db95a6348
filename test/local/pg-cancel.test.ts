import { connect } from 'node:net'
import type pg from 'pg'
import { serialize } from 'pg-protocol'
import { describe, expect, it } from 'vitest'
import { endpointForFile, rejection } from './helpers/pg-clients.js'

const { endpoint, clients } = endpointForFile()

/** Sends a CancelRequest for `client` on a new connection, as libpq's PQcancel does. */
async function sendCancel(client: pg.Client, secretKey?: number): Promise<void> {
  const { processID, secretKey: key } = client as unknown as {
    processID: number
    secretKey: number
  }
  const socket = connect({ host: '127.0.0.1', port: endpoint().port })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  socket.write(serialize.cancel(processID, secretKey ?? key))
  // The server answers a CancelRequest by closing the connection.
  await new Promise((resolve) => socket.once('close', resolve))
}

/** A query that runs for minutes unless it is cancelled. */
function startLongQuery(
  client: pg.Client,
  sql = 'SELECT count(*) FROM range(10000000000) WHERE range % 7 = 3',
  values?: unknown[],
): Promise<unknown> {
  const long = client.query(sql, values)
  long.catch(() => undefined)
  return long
}

/**
 * Cancels until the query ends: a CancelRequest that arrives before the query reached the server is
 * ignored (as in Postgres), so a loaded machine may need a second one.
 */
async function cancelUntilSettled(client: pg.Client, query: Promise<unknown>): Promise<void> {
  let settled = false
  query.then(
    () => (settled = true),
    () => (settled = true),
  )
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    if (!settled) await sendCancel(client)
  }
}

describe('CancelRequest', () => {
  it('interrupts the running query with 57014 and the connection keeps working', async () => {
    const client = await clients.connect()
    const long = startLongQuery(client)
    await cancelUntilSettled(client, long)
    const error = await rejection(long)
    expect(error.code).toBe('57014')
    expect(error.message).toBe('canceling statement due to user request')
    expect((await client.query('SELECT 1 AS still_works')).rows).toEqual([{ still_works: 1 }])
  })

  it('interrupts a query of the extended protocol', async () => {
    const client = await clients.connect()
    const long = startLongQuery(
      client,
      'SELECT count(*) FROM range($1::BIGINT) WHERE range % 7 = 3',
      [10_000_000_000],
    )
    await cancelUntilSettled(client, long)
    expect((await rejection(long)).code).toBe('57014')
    expect((await client.query('SELECT $1::INTEGER AS x', [2])).rows).toEqual([{ x: 2 }])
  })

  it('ignores a CancelRequest with the wrong secret key', async () => {
    const client = await clients.connect()
    const short = client.query('SELECT count(*)::INTEGER AS n FROM range(3000000)')
    const { secretKey } = client as unknown as { secretKey: number }
    await sendCancel(client, secretKey ^ 1)
    expect((await short).rows).toEqual([{ n: 3_000_000 }])
  })

  it('only cancels its own session', async () => {
    const victim = await clients.connect()
    const bystander = await clients.connect()
    const long = startLongQuery(victim)
    expect((await bystander.query('SELECT 42 AS answer')).rows).toEqual([{ answer: 42 }])
    await cancelUntilSettled(victim, long)
    expect((await rejection(long)).code).toBe('57014')
  })
})
