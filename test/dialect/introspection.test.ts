import { Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  MotherDuckDialect,
  MotherDuckIntrospector,
  type MotherDuckTableMetadata,
} from '../../src/index.js'
import { type TargetContext, targets } from './targets.js'

for (const target of targets) {
  describe.skipIf(target.skip)(`introspection on ${target.title}`, () => {
    let ctx: TargetContext
    let tables: MotherDuckTableMetadata[]
    let executed: string[]

    beforeAll(async () => {
      ctx = await target.start()
      await ctx.createTestSchema()
      await sql`create view item_names as select id, name from items`.execute(ctx.db)
      await sql.raw(`comment on column items.name is 'what it is called'`).execute(ctx.db)
      if (target.local) {
        // Sequences exist locally only: MotherDuck does not support them.
        await sql`create sequence serial_ids`.execute(ctx.db)
        await sql`create table counters (id integer default nextval('serial_ids'), label varchar)`.execute(
          ctx.db,
        )
      }
      executed = []
      const logged = new Kysely<unknown>({
        dialect: new MotherDuckDialect(ctx.config),
        log: (event) => {
          executed.push(event.query.sql)
        },
      })
      tables = await (logged.introspection as MotherDuckIntrospector).getTables()
      await logged.destroy()
    })

    afterAll(async () => {
      await ctx?.stop()
    })

    it('lists tables and views of every attached database under their DB-interface keys', () => {
      const keys = tables.map((table) => table.key)
      expect(keys).toEqual(
        expect.arrayContaining([
          'items',
          'item_names',
          'audit.events',
          `${ctx.otherDatabase}:sales.orders`,
        ]),
      )
      const orders = tables.find((table) => table.key === `${ctx.otherDatabase}:sales.orders`)
      expect(orders).toMatchObject({
        name: 'orders',
        schema: `${ctx.otherDatabase}:sales`,
        database: ctx.otherDatabase,
        isView: false,
        isForeign: false,
      })
      expect(tables.find((table) => table.key === 'audit.events')).toMatchObject({
        name: 'events',
        schema: 'audit',
        database: ctx.mainDatabase,
      })
      expect(tables.find((table) => table.key === 'item_names')?.isView).toBe(true)
      expect(tables.find((table) => table.key === 'items')?.isView).toBe(false)
    })

    it('reads everything in three queries, whatever the number of tables', () => {
      expect(executed).toHaveLength(3)
      expect(executed.join('\n')).not.toMatch(
        /pg_catalog|pg_get_serial_sequence|information_schema/,
      )
    })

    it('never lists catalog schemas or system databases', () => {
      for (const table of tables) {
        expect(['system', 'temp', 'md_information_schema']).not.toContain(table.database)
        expect(table.schema).not.toMatch(/(^|:)(information_schema|pg_catalog)$/)
      }
    })

    it('describes columns in DuckDB spelling, with nullability, defaults and comments', () => {
      const items = tables.find((table) => table.key === 'items')
      expect(items?.columns).toEqual([
        {
          name: 'id',
          dataType: 'INTEGER',
          isNullable: false,
          hasDefaultValue: false,
          isAutoIncrementing: false,
        },
        {
          name: 'name',
          dataType: 'VARCHAR',
          isNullable: false,
          hasDefaultValue: false,
          isAutoIncrementing: false,
          comment: 'what it is called',
        },
        {
          name: 'price',
          dataType: 'DOUBLE',
          isNullable: true,
          hasDefaultValue: false,
          isAutoIncrementing: false,
        },
        {
          name: 'cost',
          dataType: 'DECIMAL(10,2)',
          isNullable: true,
          hasDefaultValue: false,
          isAutoIncrementing: false,
        },
        {
          name: 'qty',
          dataType: 'INTEGER',
          isNullable: true,
          hasDefaultValue: false,
          isAutoIncrementing: false,
        },
        {
          name: 'tags',
          dataType: 'VARCHAR[]',
          isNullable: true,
          hasDefaultValue: false,
          isAutoIncrementing: false,
        },
        {
          name: 'sizes',
          dataType: 'DOUBLE[]',
          isNullable: true,
          hasDefaultValue: false,
          isAutoIncrementing: false,
        },
        {
          name: 'attrs',
          dataType: 'JSON',
          isNullable: true,
          hasDefaultValue: false,
          isAutoIncrementing: false,
        },
        {
          name: 'created_at',
          dataType: 'TIMESTAMP',
          isNullable: true,
          hasDefaultValue: false,
          isAutoIncrementing: false,
        },
      ])
    })

    it.skipIf(!target.local)('marks nextval() defaults as auto-incrementing', () => {
      const counters = tables.find((table) => table.key === 'counters')
      expect(counters?.columns[0]).toEqual({
        name: 'id',
        dataType: 'INTEGER',
        isNullable: true,
        hasDefaultValue: true,
        isAutoIncrementing: true,
      })
    })

    it('lists schemas of all databases, named as Kysely and withSchema() take them', async () => {
      const schemas = (await ctx.db.introspection.getSchemas()).map((schema) => schema.name)
      expect(schemas).toEqual(
        expect.arrayContaining([
          'main',
          'audit',
          `${ctx.otherDatabase}:main`,
          `${ctx.otherDatabase}:sales`,
        ]),
      )
      expect(schemas).not.toContain('information_schema')
      expect(schemas).not.toContain('pg_catalog')
    })

    it('hides Kysely migration tables unless asked, and can be limited to some databases', async () => {
      await sql`create table kysely_migration (name varchar primary key, timestamp varchar)`.execute(
        ctx.db,
      )
      const without = await ctx.db.introspection.getTables()
      expect(without.map((table) => table.name)).not.toContain('kysely_migration')
      const withInternal = await ctx.db.introspection.getTables({ withInternalKyselyTables: true })
      expect(withInternal.map((table) => table.name)).toContain('kysely_migration')
      const onlyOther = await new MotherDuckIntrospector(ctx.db, {
        databases: [ctx.otherDatabase],
      }).getTables()
      expect(onlyOther.map((table) => table.key)).toEqual([`${ctx.otherDatabase}:sales.orders`])
      await sql`drop table kysely_migration`.execute(ctx.db)
    })
  })
}
