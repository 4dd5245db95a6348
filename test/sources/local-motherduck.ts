import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kysely } from 'kysely'
import { MotherDuckDialect } from '../../src/dialect/motherduck-dialect.js'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { CANARY_TOKEN } from '../support/canary-token.js'

/** The local endpoint with a temp directory served as `s3://test-bucket`, and a Kysely on it. */
export interface LocalMotherDuck<DB> {
  readonly db: Kysely<DB>
  readonly endpoint: LocalEndpoint
  /** The directory behind `s3://test-bucket`. */
  readonly bucketDir: string
  stop(): Promise<void>
}

export const BUCKET = 's3://test-bucket'

/** Starts the local endpoint (strict, like MotherDuck) and a MotherDuck-dialect Kysely on it. */
export async function startLocalMotherDuck<DB>(
  options: { databases?: Record<string, string> } = {},
): Promise<LocalMotherDuck<DB>> {
  const bucketDir = await mkdtemp(join(tmpdir(), 'kysely-motherduck-bucket-'))
  const endpoint = await startLocalEndpoint({
    databases: options.databases ?? { my_db: ':memory:' },
    objectStore: { [BUCKET]: bucketDir },
    strict: true,
    token: CANARY_TOKEN,
  })
  const db = new Kysely<DB>({
    dialect: new MotherDuckDialect({
      host: endpoint.host,
      port: endpoint.port,
      token: endpoint.token,
      ssl: false,
    }),
  })
  return {
    db,
    endpoint,
    bucketDir,
    async stop() {
      await db.destroy()
      await endpoint.stop()
      await rm(bucketDir, { recursive: true, force: true })
    },
  }
}
