import { connect } from 'node:net'
import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { names, RawClient } from './helpers/raw-client.js'

let endpoint: LocalEndpoint

beforeAll(async () => {
  endpoint = await startLocalEndpoint({ auth: 'password' })
})

afterAll(async () => {
  await endpoint.stop()
})

/** A StartupMessage asking for protocol 3.`minor`, with extra parameters. */
function startupMessage(minor: number, parameters: Record<string, string>): Buffer {
  const body = Buffer.from(
    `${Object.entries(parameters)
      .map(([name, value]) => `${name}\0${value}\0`)
      .join('')}\0`,
  )
  const header = Buffer.alloc(8)
  header.writeInt32BE(body.length + 8, 0)
  header.writeInt32BE((3 << 16) | minor, 4)
  return Buffer.concat([header, body])
}

describe('startup', () => {
  it('announces the parameters Postgres clients rely on, echoes application_name, sends BackendKeyData', async () => {
    const client = await RawClient.open(endpoint.port)
    client.send(serialize.startup({ user: 'someone', database: 'md:', application_name: 'my-app' }))
    expect(names(await client.read(1))).toEqual(['authenticationCleartextPassword'])
    client.send(serialize.password(endpoint.token))
    const greeting = await client.until('readyForQuery')
    const status = Object.fromEntries(
      greeting
        .filter((message) => message.name === 'parameterStatus')
        .map((message) => [message.parameterName, message.parameterValue]),
    )
    expect(status).toMatchObject({
      server_version: '15.0',
      server_encoding: 'UTF8',
      client_encoding: 'UTF8',
      DateStyle: 'ISO, MDY',
      TimeZone: 'UTC',
      integer_datetimes: 'on',
      standard_conforming_strings: 'on',
      application_name: 'my-app',
    })
    expect(greeting[0]?.name).toBe('authenticationOk')
    const key = greeting.find((message) => message.name === 'backendKeyData')
    expect(key).toMatchObject({ processID: expect.any(Number), secretKey: expect.any(Number) })
    expect(greeting.at(-1)).toMatchObject({ name: 'readyForQuery', status: 'I' })
    client.close()
  })

  it('negotiates a newer protocol minor version and _pq_ options down to 3.0', async () => {
    const socket = connect({ host: '127.0.0.1', port: endpoint.port })
    await new Promise((resolve) => socket.once('connect', resolve))
    let received = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
    })
    socket.write(startupMessage(2, { user: 'postgres', database: 'md:', '_pq_.fancy': 'on' }))
    while (received.length < 33) await new Promise((resolve) => setTimeout(resolve, 10))
    // 'v', length 23, newest minor 0, 1 option, "_pq_.fancy\0"; then AuthenticationCleartextPassword.
    const option = Buffer.from('_pq_.fancy\0')
    const negotiation = Buffer.alloc(13)
    negotiation.write('v')
    negotiation.writeInt32BE(12 + option.length, 1)
    negotiation.writeInt32BE(0, 5)
    negotiation.writeInt32BE(1, 9)
    expect(received.subarray(0, 24)).toEqual(Buffer.concat([negotiation, option]))
    expect(received.subarray(24, 33).toString('hex')).toBe('520000000800000003')
    socket.destroy()
  })

  it('closes a connection that sends a query before authenticating', async () => {
    const client = await RawClient.open(endpoint.port)
    client.send(serialize.startup({ user: 'postgres', database: 'md:' }))
    await client.read(1)
    client.send(serialize.query('SELECT 1'))
    const reply = await client.untilClosed()
    expect(reply.find((message) => message.name === 'error')).toMatchObject({
      severity: 'FATAL',
      code: '08P01',
    })
  })
})
