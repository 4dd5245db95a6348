import { Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MotherDuckDialect, MotherDuckMigrationLockTimeoutError } from '../../src/index.js'
import {
  type Migration,
  type MigrationProvider,
  Migrator,
  NO_MIGRATIONS,
} from './kysely-migration.js'
import { type TargetContext, targets } from './targets.js'

/** Migrations that count how often each one ran. */
function countingMigrations(runs: Map<string, number>): MigrationProvider {
  const counted = (name: string, up: Migration['up'], down: Migration['down']): Migration => ({
    async up(db) {
      runs.set(name, (runs.get(name) ?? 0) + 1)
      await up(db)
    },
    down,
  })
  return {
    async getMigrations() {
      return {
        '001_schema_and_table': counted(
          '001_schema_and_table',
          async (db) => {
            await db.schema.createSchema('app').ifNotExists().execute()
            await db.schema
              .createTable('app.users')
              .addColumn('id', 'integer', (col) => col.primaryKey())
              .addColumn('email', 'varchar', (col) => col.notNull().unique())
              .execute()
          },
          async (db) => {
            await db.schema.dropTable('app.users').execute()
            await db.schema.dropSchema('app').ifExists().execute()
          },
        ),
        '002_add_column_and_rows': counted(
          '002_add_column_and_rows',
          async (db) => {
            await db.schema.alterTable('app.users').addColumn('name', 'varchar').execute()
            await db
              .insertInto('app.users' as never)
              .values({ id: 1, email: 'a@example.com', name: 'A' } as never)
              .execute()
          },
          // Not `delete` then `alter` of the same table: DuckDB cannot commit DML followed by ALTER of
          // one table in one transaction (see the adapter's documentation).
          async (db) => {
            await db.schema.alterTable('app.users').dropColumn('name').execute()
          },
        ),
      }
    },
  }
}

async function tableNames(db: Kysely<unknown>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
  return tables.map((table) => `${table.schema}.${table.name}`).sort()
}

for (const target of targets) {
  describe.skipIf(target.skip)(`migrations on ${target.title}`, () => {
    let ctx: TargetContext
    let db: Kysely<unknown>

    beforeAll(async () => {
      ctx = await target.start()
      db = ctx.db as unknown as Kysely<unknown>
    })

    afterAll(async () => {
      await ctx?.stop()
    })

    it('runs migrations up and down with the lock row (no advisory locks)', async () => {
      const runs = new Map<string, number>()
      const migrator = new Migrator({ db, provider: countingMigrations(runs) })

      const up = await migrator.migrateToLatest()
      expect(up.error).toBeUndefined()
      expect(up.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual([
        ['001_schema_and_table', 'Up', 'Success'],
        ['002_add_column_and_rows', 'Up', 'Success'],
      ])
      expect(await tableNames(db)).toEqual([
        'app.users',
        'main.kysely_migration',
        'main.kysely_migration_lock',
      ])
      expect((await sql<{ name: string }>`select name from app.users`.execute(db)).rows).toEqual([
        { name: 'A' },
      ])
      const lock = await sql<{ id: string; is_locked: number }>`
        select id, is_locked from kysely_migration_lock`.execute(db)
      expect(lock.rows).toEqual([{ id: 'migration_lock', is_locked: 0 }])

      const down = await migrator.migrateDown()
      expect(down.error).toBeUndefined()
      expect(down.results?.map((r) => [r.migrationName, r.status])).toEqual([
        ['002_add_column_and_rows', 'Success'],
      ])
      const columns = (await db.introspection.getTables()).find((t) => t.name === 'users')?.columns
      expect(columns?.map((column) => column.name)).toEqual(['id', 'email'])

      const toNone = await migrator.migrateDown()
      expect(toNone.error).toBeUndefined()
      expect(await tableNames(db)).toEqual(['main.kysely_migration', 'main.kysely_migration_lock'])
      expect(runs).toEqual(
        new Map([
          ['001_schema_and_table', 1],
          ['002_add_column_and_rows', 1],
        ]),
      )
    })

    // Migrators racing (N migrators, M migrations, several rounds) are in
    // test/reliability/faults.test.ts (issue 7, "Faults").

    it('a migrator that cannot get the lock in time fails clearly', async () => {
      const impatient = new Kysely<unknown>({
        dialect: new MotherDuckDialect({
          ...ctx.config,
          migrationLock: { timeoutMs: 300, pollIntervalMs: 50 },
        }),
      })
      try {
        // Make sure the lock table exists, then hold the lock as a crashed migrator would.
        await new Migrator({ db, provider: { getMigrations: async () => ({}) } }).migrateToLatest()
        await sql`update kysely_migration_lock set is_locked = 1`.execute(db)
        const result = await new Migrator({
          db: impatient,
          provider: countingMigrations(new Map()),
        }).migrateToLatest()
        expect(result.error).toBeInstanceOf(MotherDuckMigrationLockTimeoutError)
        expect(String((result.error as Error).message)).toContain(
          "UPDATE kysely_migration_lock SET is_locked = 0 WHERE id = 'migration_lock'",
        )
        // Kysely's Migrator releases the lock in a `finally`, also after acquiring it failed: the lock
        // belongs to another migrator and must stay taken, or a third one would run beside it.
        const lock = await sql<{ is_locked: number }>`
          select is_locked from kysely_migration_lock`.execute(db)
        expect(lock.rows).toEqual([{ is_locked: 1 }])
      } finally {
        await sql`update kysely_migration_lock set is_locked = 0`.execute(db)
        await impatient.destroy()
      }
    })

    it('keeps its tables in another schema (migrationTableSchema)', async () => {
      const migrator = new Migrator({
        db,
        provider: countingMigrations(new Map()),
        migrationTableSchema: 'migrations',
      })
      const up = await migrator.migrateToLatest()
      expect(up.error).toBeUndefined()
      expect(await tableNames(db)).toEqual(
        expect.arrayContaining([
          'app.users',
          'migrations.kysely_migration',
          'migrations.kysely_migration_lock',
        ]),
      )
      const again = await migrator.migrateToLatest()
      expect(again.results).toEqual([])
      const down = await migrator.migrateTo(NO_MIGRATIONS)
      expect(down.error).toBeUndefined()
    })
  })
}
