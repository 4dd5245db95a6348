/**
 * Kysely's migration module on either supported Kysely: 0.29 exports it as `kysely/migration`, 0.28 from
 * the root (CI runs the dialect suites on both). Type imports are erased, so they may name 0.29's path.
 */
import type * as KyselyMigration from 'kysely/migration'

async function loadMigrationModule(): Promise<typeof KyselyMigration> {
  try {
    return await import('kysely/migration')
  } catch {
    // kysely 0.28: no such subpath; the same classes come from the root.
    return (await import('kysely')) as unknown as typeof KyselyMigration
  }
}

const migration = await loadMigrationModule()

export const { Migrator, NO_MIGRATIONS } = migration
export type { Migration, MigrationProvider } from 'kysely/migration'
