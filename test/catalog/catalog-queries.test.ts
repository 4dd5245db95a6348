import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  readAttachedDatabases,
  readConnectedLocation,
  readDatabaseColumns,
  readEnumTypes,
  readTableColumns,
  readUserColumns,
  readUserSchemas,
  readUserTables,
} from '../../src/catalog/catalog-queries.js'
import { inProcessCatalog } from '../codegen/helpers/in-process-catalog.js'

// The catalog questions on an in-process DuckDB: the same SQL the introspector, insertRows and codegen
// send over the wire (test/dialect/introspection.test.ts and test/docs cover the wire).
describe('catalog queries', () => {
  let instance: DuckDBInstance
  let connection: DuckDBConnection
  let db: ReturnType<typeof inProcessCatalog>

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:')
    connection = await instance.connect()
    for (const statement of [
      `attach ':memory:' as other`,
      'create table items (id integer, "Name" varchar)',
      'create schema audit',
      'create view audit.item_ids as select id from items',
      'create schema other.sales',
      `create type other.sales.mood as enum ('ok', 'sad')`,
      'create table other.sales.orders (id integer, feeling other.sales.mood)',
      'create temp table scratch (x integer)',
    ]) {
      await connection.run(statement)
    }
    db = inProcessCatalog(connection)
  })

  afterAll(() => {
    connection?.closeSync()
    instance?.closeSync()
  })

  it('reads the connected database and schema', async () => {
    expect(await readConnectedLocation(db)).toEqual({ database: 'memory', schema: 'main' })
  })

  it("lists the user's schemas, tables and columns, never DuckDB's own", async () => {
    const schemas = await readUserSchemas(db)
    expect(schemas).toContainEqual({ database_name: 'other', schema_name: 'sales' })
    expect(schemas).toContainEqual({ database_name: 'memory', schema_name: 'audit' })
    for (const row of schemas) {
      expect(['system', 'temp']).not.toContain(row.database_name)
      expect(['information_schema', 'pg_catalog']).not.toContain(row.schema_name)
    }
    expect(await readUserTables(db)).toEqual([
      { database_name: 'memory', schema_name: 'audit', table_name: 'item_ids', is_view: true },
      { database_name: 'memory', schema_name: 'main', table_name: 'items', is_view: false },
      { database_name: 'other', schema_name: 'sales', table_name: 'orders', is_view: false },
    ])
    const columns = await readUserColumns(db)
    expect(columns.map((row) => `${row.table_name}.${row.column_name}`)).toEqual([
      'item_ids.id',
      'items.id',
      'items.Name',
      'orders.id',
      'orders.feeling',
    ])
  })

  it('limits to the databases given, and to none for an empty list', async () => {
    const tables = await readUserTables(db, ['other'])
    expect(tables.map((row) => row.table_name)).toEqual(['orders'])
    expect(await readUserSchemas(db, [])).toEqual([])
    expect(await readUserTables(db, [])).toEqual([])
    expect(await readUserColumns(db, [])).toEqual([])
  })

  it('finds one table by name case-insensitively, in the current database unless named', async () => {
    expect(await readTableColumns(db, { table: 'ITEMS' })).toEqual([
      { name: 'id', dataType: 'INTEGER' },
      { name: 'Name', dataType: 'VARCHAR' },
    ])
    expect(
      (await readTableColumns(db, { database: 'Other', schema: 'SALES', table: 'orders' })).map(
        (column) => column.name,
      ),
    ).toEqual(['id', 'feeling'])
    expect(await readTableColumns(db, { table: 'orders' })).toEqual([])
  })

  it("answers codegen's questions, sending nothing for no databases", async () => {
    const databases = await readAttachedDatabases(db)
    expect(databases).toEqual([
      { database_name: 'memory', is_current: true },
      { database_name: 'other', is_current: false },
    ])
    const columns = await readDatabaseColumns(db, ['memory'])
    expect(columns.filter((row) => row.is_view).map((row) => row.table_name)).toEqual(['item_ids'])
    expect(await readEnumTypes(db, ['other'])).toEqual([
      {
        database_name: 'other',
        schema_name: 'sales',
        type_name: 'mood',
        labels_json: '["ok","sad"]',
      },
    ])
    const sent = db.queries
    expect(await readDatabaseColumns(db, [])).toEqual([])
    expect(await readEnumTypes(db, [])).toEqual([])
    expect(db.queries).toBe(sent)
  })
})
