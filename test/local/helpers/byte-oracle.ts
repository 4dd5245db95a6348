import { type PostgresServer, startPostgres } from '../../support/postgres-server.js'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'
import { ByteClient } from './byte-client.js'

/** A real PostgreSQL and a local endpoint side by side, each with a raw byte client (TimeZone UTC). */
export interface ByteOracle {
  readonly postgres: PostgresServer
  readonly local: TestEndpoint
  /** Connected to PostgreSQL's `postgres` database. */
  readonly oracle: ByteClient
  /** Connected to the endpoint's `main_db`. */
  readonly endpoint: ByteClient
  /** Closes both clients and stops both servers. */
  stop(): Promise<void>
}

/** Starts the pair the byte-for-byte tests compare: PostgreSQL as the oracle, the endpoint under test. */
export async function startByteOracle(): Promise<ByteOracle> {
  const postgres = await startPostgres()
  const local = await startTestEndpoint({ auth: 'password', databases: { main_db: ':memory:' } })
  const oracle = await ByteClient.connect(postgres.port, {
    database: 'postgres',
    parameters: { TimeZone: 'UTC' },
  })
  const endpoint = await ByteClient.connect(local.endpoint.port, {
    database: 'main_db',
    password: local.endpoint.token,
  })
  return {
    postgres,
    local,
    oracle,
    endpoint,
    async stop() {
      oracle.close()
      endpoint.close()
      await local.stop()
      await postgres.stop()
    },
  }
}
