import pg from 'pg'
import { describe, expect, it } from 'vitest'
import {
  LocalEndpointOptionError,
  LocalEndpointPortInUseError,
  startLocalEndpoint,
} from '../../src/local/index.js'
import { rejection } from './helpers/pg-clients.js'

describe('startLocalEndpoint options', () => {
  it('refuses options that cannot work, naming the option', async () => {
    for (const [options, option] of [
      [{ port: 70_000 }, 'port'],
      [{ port: 1.5 }, 'port'],
      [{ token: '' }, 'token'],
      [{ databases: {} }, 'databases'],
      [{ databases: { 'md:x': ':memory:' } }, 'databases'],
      [{ auth: 'md5' as 'password' }, 'auth'],
      // Beyond loopback without TLS (nothing listens: the check comes first).
      [{ host: '0.0.0.0' }, 'host'],
      [{ host: '::' }, 'host'],
      [{ host: '192.168.1.20' }, 'host'],
    ] as const) {
      const error = await rejection(startLocalEndpoint(options))
      expect(error).toBeInstanceOf(LocalEndpointOptionError)
      expect(error.option).toBe(option)
    }
    const error = await rejection(startLocalEndpoint({ host: '0.0.0.0' }))
    expect(error.message).toContain('give tls (a key and certificate)')
    expect(error.message).toContain('allowInsecureNetwork: true')
  })

  it('reports a port in use and a database file it cannot open', async () => {
    const first = await startLocalEndpoint()
    try {
      const error = await rejection(startLocalEndpoint({ port: first.port }))
      expect(error).toBeInstanceOf(LocalEndpointPortInUseError)
      expect(error).toMatchObject({ host: '127.0.0.1', port: first.port })
      expect(error.message).toBe(
        `Port ${first.port} on 127.0.0.1 is already in use by another process (a local endpoint ` +
          'left running by an earlier run?). Stop that process, or choose another port (0 picks a free one).',
      )
      expect((error.cause as NodeJS.ErrnoException).code).toBe('EADDRINUSE')
      // The first endpoint is untouched and still serves.
      const client = new pg.Client({ connectionString: first.url })
      await client.connect()
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
      await client.end()
    } finally {
      await first.stop()
    }
    const error = await rejection(
      startLocalEndpoint({ databases: { x: '/nonexistent-dir/x.duckdb' } }),
    )
    expect(error.message).toMatch(/nonexistent-dir/)
  })

  it('stops once however often stop() is called', async () => {
    const endpoint = await startLocalEndpoint()
    await Promise.all([endpoint.stop(), endpoint.stop()])
    await endpoint.stop()
  })
})
