import pg from 'pg'
import { type LocalEndpoint, startLocalEndpoint } from '../../../src/local/index.js'
import { CANARY_TOKEN } from '../../support/canary-token.js'
import { fixtureStatements, OTHER_DATABASE } from '../fixture-schema.js'

/** The local endpoint with the codegen fixture built through it (my_db connected, fixture_other beside). */
export async function startFixtureEndpoint(): Promise<LocalEndpoint> {
  const endpoint = await startLocalEndpoint({
    databases: { my_db: ':memory:', [OTHER_DATABASE]: ':memory:' },
    token: CANARY_TOKEN,
  })
  const client = new pg.Client({ connectionString: endpoint.url })
  await client.connect()
  try {
    for (const statement of fixtureStatements({ attach: false })) await client.query(statement)
  } finally {
    await client.end()
  }
  return endpoint
}

/** Runs `statements` on the endpoint through pg. */
export async function runStatements(url: string, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (const statement of statements) await client.query(statement)
  } finally {
    await client.end()
  }
}
