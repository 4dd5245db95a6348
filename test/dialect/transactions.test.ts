import { type AccessMode, type IsolationLevel, Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MotherDuckDialect } from '../../src/index.js'
import { type TargetContext, targets } from './targets.js'
import type { TestDB } from './test-db.js'

/** Every level and access mode Kysely's transaction builder takes (`undefined`: not set). */
const ISOLATION_LEVELS: readonly (IsolationLevel | undefined)[] = [
  undefined,
  'read uncommitted',
  'read committed',
  'repeatable read',
  'serializable',
  'snapshot',
]
const ACCESS_MODES: readonly (AccessMode | undefined)[] = [undefined, 'read only', 'read write']

/** What the dialect sends to begin: Kysely's Postgres statement without the isolation clause. */
function expectedBegin(level: IsolationLevel | undefined, mode: AccessMode | undefined): string {
  if (level === undefined && mode === undefined) return 'begin'
  return mode === undefined ? 'start transaction' : `start transaction ${mode}`
}

for (const target of targets) {
  describe.skipIf(target.skip)(`transactions on ${target.title}`, () => {
    let ctx: TargetContext
    let db: Kysely<TestDB>
    let sent: string[]
    let nextId = 1000

    beforeAll(async () => {
      ctx = await target.start()
      await ctx.createTestSchema()
      sent = []
      db = new Kysely<TestDB>({
        dialect: new MotherDuckDialect(ctx.config),
        log: (event) => {
          if (event.level === 'query') sent.push(event.query.sql)
        },
      })
    })

    afterAll(async () => {
      await db?.destroy()
      await ctx?.stop()
    })

    /** A transaction builder with the given settings (left unset when undefined). */
    function transaction(level: IsolationLevel | undefined, mode: AccessMode | undefined) {
      let builder = db.transaction()
      if (level !== undefined) builder = builder.setIsolationLevel(level)
      if (mode !== undefined) builder = builder.setAccessMode(mode)
      return builder
    }

    for (const level of ISOLATION_LEVELS) {
      for (const mode of ACCESS_MODES) {
        it(`isolation level ${level ?? '(unset)'}, access mode ${mode ?? '(unset)'}`, async () => {
          const id = nextId++
          sent = []
          const count = await transaction(level, mode).execute((trx) =>
            trx
              .selectFrom('items')
              .select((eb) => eb.fn.countAll<bigint>().as('n'))
              .executeTakeFirstOrThrow(),
          )
          expect(count.n).toBeTypeOf('bigint')
          expect(sent).toEqual([
            expectedBegin(level, mode),
            'select count(*) as "n" from "items"',
            'commit',
          ])

          const write = transaction(level, mode).execute((trx) =>
            trx
              .insertInto('items')
              .values({ id, name: `written ${id}` })
              .execute(),
          )
          if (mode === 'read only') {
            await expect(write).rejects.toThrow(/read-only/)
          } else {
            await write
          }
          const stored = await db.selectFrom('items').select('id').where('id', '=', id).execute()
          expect(stored).toEqual(mode === 'read only' ? [] : [{ id }])
        })
      }
    }

    it('a controlled transaction (startTransaction) takes the same settings', async () => {
      sent = []
      const trx = await db
        .startTransaction()
        .setIsolationLevel('serializable')
        .setAccessMode('read only')
        .execute()
      await expect(
        trx.insertInto('items').values({ id: 1, name: 'refused' }).execute(),
      ).rejects.toThrow(/read-only/)
      await trx.rollback().execute()
      sent = []
      const writer = await db.startTransaction().setIsolationLevel('read committed').execute()
      await writer.insertInto('items').values({ id: 2, name: 'kept' }).execute()
      await writer.commit().execute()
      expect(sent[0]).toBe('start transaction')
      expect(await db.selectFrom('items').select('name').where('id', '=', 2).execute()).toEqual([
        { name: 'kept' },
      ])
    })

    it('two transactions see their own snapshots (snapshot isolation, stronger than read committed)', async () => {
      await db.insertInto('items').values({ id: 3, name: 'before' }).execute()
      const reader = await db.startTransaction().setIsolationLevel('read committed').execute()
      const first = await reader.selectFrom('items').select('name').where('id', '=', 3).execute()
      await db.updateTable('items').set({ name: 'after' }).where('id', '=', 3).execute()
      const again = await reader.selectFrom('items').select('name').where('id', '=', 3).execute()
      await reader.commit().execute()
      expect(first).toEqual([{ name: 'before' }])
      // Read committed would see 'after'; DuckDB's snapshot keeps the first read's view.
      expect(again).toEqual([{ name: 'before' }])
      const now = await sql<{ name: string }>`select name from items where id = 3`.execute(db)
      expect(now.rows).toEqual([{ name: 'after' }])
    })
  })
}
