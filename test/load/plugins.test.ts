import {
  CamelCasePlugin,
  Kysely,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  sql,
  type TableNode,
  type UnknownRow,
  WithSchemaPlugin,
} from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { readTableColumns } from '../../src/catalog/catalog-queries.js'
import { createTableAs, insertRows, MotherDuckDialect } from '../../src/index.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'

/**
 * `insertRows` and `createTableAs` go through the Kysely instance's plugins as `insertInto(…).values(…)`
 * and `db.schema.createTable(…)` do: each test runs both on the same instance and compares where the
 * rows went and the statement's head. Catalog reads (the column lookup, the introspector) see no
 * result-transforming plugin.
 */

interface Event {
  id: number
  name: string
}
/** As `codegen --camel-case` writes it: keys and columns camel-cased. */
interface CamelDB {
  events: Event
  userEvents: { userId: number; eventName: string }
  eventCopy: Event
  copyByBuilder: Event
}

/** A `transformQuery` plugin: writes every table `events` as `events_shadow`. */
class ShadowTablesPlugin implements KyselyPlugin {
  readonly #transformer = new (class extends OperationNodeTransformer {
    protected override transformTable(node: TableNode): TableNode {
      const transformed = super.transformTable(node)
      if (transformed.table.identifier.name !== 'events') return transformed
      return {
        ...transformed,
        table: {
          ...transformed.table,
          identifier: { ...transformed.table.identifier, name: 'events_shadow' },
        },
      }
    }
  })()

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node)
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

let local: TestEndpoint
let db: Kysely<CamelDB>
let sent: string[]

beforeAll(async () => {
  local = await startTestEndpoint({ databases: { my_db: ':memory:' }, database: 'my_db' })
  db = new Kysely<CamelDB>({
    dialect: new MotherDuckDialect(local.config()),
    log: (event) => {
      if (event.level === 'query') sent.push(event.query.sql)
    },
  })
})

afterAll(async () => {
  await db?.destroy()
  await local?.stop()
})

beforeEach(async () => {
  sent = []
  await sql`
    drop schema if exists analytics cascade;
    create schema analytics;
    create or replace table main.events (id integer, name varchar);
    create table analytics.events (id integer, name varchar);
    create or replace table main.events_shadow (id integer, name varchar);
    create or replace table main.user_events (user_id integer, event_name varchar);
    create table analytics.user_events (user_id integer, event_name varchar);
    drop table if exists main.event_copy; drop table if exists main."eventCopy"`.execute(
    db.withoutPlugins(),
  )
})

/** `schema.table` → its rows' ids, read without plugins. */
async function idsIn(table: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select id from ${sql.raw(table)} order by id`.execute(
    db.withoutPlugins(),
  )
  return rows.map((row) => row.id)
}

/** The `insert into … (…)` head of the statements sent, up to the rows. */
function insertHeads(): string[] {
  return sent.filter((text) => text.startsWith('insert')).map((text) => text.replace(/\) .*/s, ')'))
}

describe('insertRows and createTableAs through the instance plugins', () => {
  it("WithSchemaPlugin('analytics'): both write into analytics.events, nothing into main", async () => {
    const ws = db.withPlugin(new WithSchemaPlugin('analytics'))
    expect(await insertRows(ws, 'events', [{ id: 1, name: 'by insertRows' }])).toBe(1)
    await ws.insertInto('events').values({ id: 2, name: 'by values()' }).execute()
    expect(await idsIn('analytics.events')).toEqual([1, 2])
    expect(await idsIn('main.events')).toEqual([])
    const [byInsertRows, byValues] = insertHeads()
    expect(byInsertRows).toBe('insert into "analytics"."events" ("id", "name")')
    expect(byValues).toBe(byInsertRows)
    // An explicit schema stays, as in insertInto('main.events').
    await insertRows(ws, 'main.events' as 'events', [{ id: 3, name: 'explicit' }])
    expect(await idsIn('main.events')).toEqual([3])
  })

  it('WithSchemaPlugin: createTableAs creates where db.schema.createTable(…).as(…) does', async () => {
    const ws = db.withPlugin(new WithSchemaPlugin('analytics'))
    await ws.insertInto('events').values({ id: 7, name: 'x' }).execute()
    await createTableAs(ws, 'eventCopy', ws.selectFrom('events').selectAll())
    await ws.schema.createTable('copyByBuilder').as(ws.selectFrom('events').selectAll()).execute()
    const { rows } = await sql<{ schema_name: string; table_name: string }>`
      select schema_name, table_name from duckdb_tables()
      where table_name in ('eventCopy', 'copyByBuilder') order by table_name`.execute(
      db.withoutPlugins(),
    )
    expect(rows).toEqual([
      { schema_name: 'analytics', table_name: 'copyByBuilder' },
      { schema_name: 'analytics', table_name: 'eventCopy' },
    ])
    expect(await idsIn('analytics."eventCopy"')).toEqual([7])
    const creates = sent.filter((text) => text.startsWith('create'))
    expect(creates).toEqual([
      'create table "analytics"."eventCopy" as select * from "analytics"."events"',
      'create table "analytics"."copyByBuilder" as select * from "analytics"."events"',
    ])
  })

  it('CamelCasePlugin: the table keys and row keys codegen --camel-case emits', async () => {
    const cc = db.withPlugin(new CamelCasePlugin())
    expect(await insertRows(cc, 'userEvents', [{ userId: 1, eventName: 'signup' }])).toBe(1)
    await cc.insertInto('userEvents').values({ userId: 2, eventName: 'login' }).execute()
    const [byInsertRows, byValues] = insertHeads()
    expect(byInsertRows).toBe('insert into "user_events" ("user_id", "event_name")')
    expect(byValues).toBe(byInsertRows)
    expect(await cc.selectFrom('userEvents').selectAll().orderBy('userId').execute()).toEqual([
      { userId: 1, eventName: 'signup' },
      { userId: 2, eventName: 'login' },
    ])
    await createTableAs(cc, 'eventCopy', cc.selectFrom('userEvents').select(['userId as id']))
    expect(await idsIn('main.event_copy')).toEqual([1, 2])
  })

  it('CamelCasePlugin and WithSchemaPlugin together, inside a transaction', async () => {
    const both = db.withPlugin(new CamelCasePlugin()).withPlugin(new WithSchemaPlugin('analytics'))
    await both.transaction().execute(async (trx) => {
      await insertRows(trx, 'userEvents', [{ userId: 5, eventName: 'in trx' }])
      await trx.insertInto('userEvents').values({ userId: 6, eventName: 'values' }).execute()
    })
    const { rows } = await sql<{ user_id: number }>`
      select user_id from analytics.user_events order by user_id`.execute(db.withoutPlugins())
    expect(rows).toEqual([{ user_id: 5 }, { user_id: 6 }])
    expect(await idsIn('main.events')).toEqual([])
  })

  it('a custom transformQuery plugin rewrites insertRows and createTableAs as it rewrites values()', async () => {
    const shadow = db.withPlugin(new ShadowTablesPlugin())
    await insertRows(shadow, 'events', [{ id: 1, name: 'a' }])
    await shadow.insertInto('events').values({ id: 2, name: 'b' }).execute()
    expect(await idsIn('main.events_shadow')).toEqual([1, 2])
    expect(await idsIn('main.events')).toEqual([])
    const [byInsertRows, byValues] = insertHeads()
    expect(byInsertRows).toBe('insert into "events_shadow" ("id", "name")')
    expect(byValues).toBe(byInsertRows)
    await createTableAs(shadow, 'eventCopy', shadow.selectFrom('events').selectAll())
    expect(await idsIn('main."eventCopy"')).toEqual([1, 2])
  })

  it('an unknown key names the key and the columns, with the plugin applied', async () => {
    const cc = db.withPlugin(new CamelCasePlugin())
    await expect(insertRows(cc, 'userEvents', [{ userId: 1, nope: 'x' } as never])).rejects.toThrow(
      /has no column "nope". Its columns are: "user_id", "event_name"/,
    )
  })

  it('catalog reads see no result plugin: the column lookup under CamelCasePlugin', async () => {
    const cc = db.withPlugin(new CamelCasePlugin())
    expect(await readTableColumns(cc, { table: 'user_events' })).toEqual([
      { name: 'user_id', dataType: 'INTEGER' },
      { name: 'event_name', dataType: 'VARCHAR' },
    ])
  })
})
