import pg from 'pg'
import { serialize } from 'pg-protocol'
import { Parser } from 'pg-protocol/dist/parser.js'
import { describe, expect, it } from 'vitest'
import { startLocalEndpoint } from '../../src/local/index.js'
import { endpointForFile, rejection } from './helpers/pg-clients.js'
import { RawClient } from './helpers/raw-client.js'

const { endpoint, clients } = endpointForFile({ auth: 'password' })

function fatalOf(
  messages: readonly Record<string, unknown>[],
): Record<string, unknown> | undefined {
  return messages.find((message) => message.name === 'error' && message.severity === 'FATAL')
}

describe('malformed input ends only the connection that sent it', () => {
  it('answers malformed bytes after login with FATAL 08P01 while another client keeps working', async () => {
    const bystander = await clients.connect()
    const raw = await RawClient.login(endpoint().port, endpoint().token)
    // A Query message whose length (2) is smaller than its own length field.
    raw.send(Buffer.from('5100000002', 'hex'))
    const reply = await raw.untilClosed()
    expect(fatalOf(reply)).toMatchObject({ code: '08P01' })
    expect((await bystander.query('SELECT 1 AS alive')).rows).toEqual([{ alive: 1 }])
  })

  it('refuses an oversized message from its header alone', async () => {
    const raw = await RawClient.login(endpoint().port, endpoint().token)
    const header = Buffer.alloc(5)
    header.write('Q')
    header.writeInt32BE(0x7fffffff, 1)
    raw.send(header)
    const fatal = fatalOf(await raw.untilClosed())
    expect(fatal).toMatchObject({ code: '08P01' })
    expect(String(fatal?.message)).toMatch(/exceeds the limit/)
  })

  it('refuses an unknown message type and garbage instead of a startup packet', async () => {
    const raw = await RawClient.login(endpoint().port, endpoint().token)
    raw.send(Buffer.from('7a00000004', 'hex'))
    expect(fatalOf(await raw.untilClosed())).toMatchObject({ code: '08P01' })

    const http = await RawClient.open(endpoint().port)
    http.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))
    expect(fatalOf(await http.untilClosed())?.code).toMatch(/^(08P01|0A000)$/)
    expect((await (await clients.connect()).query('SELECT 2 AS alive')).rows).toEqual([
      { alive: 2 },
    ])
  })

  it('answers GSSENCRequest, and SSLRequest when TLS is not configured, with N', async () => {
    const raw = await RawClient.open(endpoint().port)
    const answers: string[] = []
    raw.socket.once('data', (chunk) => answers.push(chunk.toString()))
    raw.send(Buffer.from('0000000804d21630', 'hex'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    raw.socket.once('data', (chunk) => answers.push(chunk.toString()))
    raw.send(serialize.requestSsl())
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(answers).toEqual(['N', 'N'])
    raw.close()
  })

  it('survives a client that disconnects in the middle of a long query', async () => {
    const raw = await RawClient.login(endpoint().port, endpoint().token)
    raw.send(serialize.query('SELECT count(*) FROM range(10000000000) WHERE range % 7 = 3'))
    await new Promise((resolve) => setTimeout(resolve, 200))
    raw.close()
    expect((await (await clients.connect()).query('SELECT 3 AS alive')).rows).toEqual([
      { alive: 3 },
    ])
  })
})

describe('streaming with backpressure', () => {
  it('does not hold a large result in memory while the client is not reading', async () => {
    const raw = await RawClient.login(endpoint().port, endpoint().token)
    global.gc?.()
    const before = process.memoryUsage().heapUsed
    raw.socket.pause()
    raw.send(
      serialize.query(
        "SELECT range AS id, 'row number ' || range AS label, range * 0.5 AS half FROM range(3000000)",
      ),
    )
    // Time for the server to fill the socket buffers and stop at backpressure.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const whilePaused = process.memoryUsage().heapUsed - before
    // Encoded as text, 3 million rows of three columns are hundreds of megabytes of strings.
    expect(whilePaused).toBeLessThan(64 * 1024 * 1024)
    let dataRows = 0
    let complete = ''
    await new Promise<void>((resolve) => {
      raw.socket.removeAllListeners('data')
      const parser = new Parser()
      raw.socket.on('data', (chunk: Buffer) =>
        parser.parse(chunk, (message) => {
          if (message.name === 'dataRow') dataRows++
          if (message.name === 'commandComplete')
            complete = String((message as { text?: string }).text)
          if (message.name === 'readyForQuery') resolve()
        }),
      )
      raw.socket.resume()
    })
    expect(dataRows).toBe(3_000_000)
    expect(complete).toBe('SELECT 3000000')
    raw.close()
  })

  it('serves other sessions while one streams a large result', async () => {
    const streaming = await clients.connect()
    const big = streaming.query('SELECT range AS id FROM range(2000000)')
    const other = await clients.connect()
    for (let i = 0; i < 5; i++) {
      expect((await other.query('SELECT $1::INTEGER AS i', [i])).rows).toEqual([{ i }])
    }
    expect((await big).rowCount).toBe(2_000_000)
  })
})

describe('stop()', () => {
  it('ends idle and busy sessions with 57P01 and resolves', async () => {
    const own = await startLocalEndpoint()
    const idle = new pg.Client({ connectionString: own.url })
    const busy = new pg.Client({ connectionString: own.url })
    const idleErrors: Error[] = []
    idle.on('error', (error) => idleErrors.push(error))
    busy.on('error', () => undefined)
    await idle.connect()
    await busy.connect()
    const long = busy.query('SELECT count(*) FROM range(10000000000) WHERE range % 7 = 3')
    long.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 200))
    await own.stop()
    const error = await rejection(long)
    expect(error.code ?? error.message).toMatch(/57P01|57014|terminat/)
    await new Promise((resolve) => setTimeout(resolve, 50))
    // pg reports the FATAL, then the closed connection.
    expect((idleErrors[0] as Error & { code?: string }).code).toBe('57P01')
    await own.stop()
  })
})
