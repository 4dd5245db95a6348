import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as kysely from 'kysely'
import { describe, expect, it } from 'vitest'

/**
 * The dialect suites run on the Kysely that KYSELY_UNDER_TEST names (`.ci/run` sets it to kysely 0.28),
 * else on the devDependency (0.29): this checks that the tests really load that one. Kysely 0.28
 * exports its Migrator from the root; 0.29 only from `kysely/migration`.
 */
describe('the Kysely the dialect suites run on', () => {
  it('is the one KYSELY_UNDER_TEST names, or the devDependency', async () => {
    const directory =
      process.env.KYSELY_UNDER_TEST || join(import.meta.dirname, '../../node_modules/kysely')
    const { version } = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as {
      version: string
    }
    expect(version).toMatch(/^0\.(28|29)\./)
    const rootExportsMigrator = typeof (kysely as Record<string, unknown>).Migrator === 'function'
    expect(rootExportsMigrator).toBe(version.startsWith('0.28.'))
  })
})
