import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import {
  type LocalEndpoint,
  type LocalEndpointOptions,
  startLocalEndpoint,
} from '../../../src/local/index.js'

/**
 * Connected `pg` clients for an endpoint, all ended by `endAll()` (call it in afterAll/afterEach).
 */
export function pgClients(endpoint: () => LocalEndpoint) {
  const clients: pg.Client[] = []
  return {
    async connect(config: pg.ClientConfig = {}): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: endpoint().url, ...config })
      client.on('error', () => undefined)
      await client.connect()
      clients.push(client)
      return client
    },
    async endAll(): Promise<void> {
      await Promise.allSettled(clients.splice(0).map((client) => client.end()))
    },
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise
  } catch (error) {
    return error as Error & Record<string, unknown>
  }
  throw new Error('expected the promise to reject')
}

/**
 * A local endpoint for the calling test file: started in beforeAll, stopped in afterAll together with
 * every client `clients` connected. `endpoint()` is the running endpoint.
 */
export function endpointForFile(options?: LocalEndpointOptions) {
  let running: LocalEndpoint | undefined
  const endpoint = (): LocalEndpoint => {
    if (!running) throw new Error('the test endpoint starts in beforeAll')
    return running
  }
  const clients = pgClients(endpoint)
  beforeAll(async () => {
    running = await startLocalEndpoint(options)
  })
  afterAll(async () => {
    await clients.endAll()
    await running?.stop()
  })
  return { endpoint, clients }
}
