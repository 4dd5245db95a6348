import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { LocalEndpoint } from '../../src/local/index.js'
import { startTestEndpoint } from '../support/test-endpoint.js'

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
  const local = await startTestEndpoint({
    databases: options.databases ?? { my_db: ':memory:' },
    objectStore: { [BUCKET]: bucketDir },
    strict: true,
  })
  return {
    db: local.kysely<DB>(),
    endpoint: local.endpoint,
    bucketDir,
    async stop() {
      await local.stop()
      await rm(bucketDir, { recursive: true, force: true })
    },
  }
}
