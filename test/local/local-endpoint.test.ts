import { describe, expect, it } from 'vitest'
import { LocalEndpointOptionError, startLocalEndpoint } from '../../src/local/index.js'
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
    ] as const) {
      const error = await rejection(startLocalEndpoint(options))
      expect(error).toBeInstanceOf(LocalEndpointOptionError)
      expect(error.option).toBe(option)
    }
  })

  it('reports a port in use and a database file it cannot open', async () => {
    const first = await startLocalEndpoint()
    try {
      const error = await rejection(startLocalEndpoint({ port: first.port }))
      expect(error.code).toBe('EADDRINUSE')
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
