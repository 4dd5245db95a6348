import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { pgClients, rejection } from './helpers/pg-clients.js'

let endpoint: LocalEndpoint
let dir: string
const clients = pgClients(() => endpoint)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kysely-motherduck-db-'))
  // A database file with data in it before the endpoint starts, attached by path.
  const instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'))
  const setup = await instance.connect()
  await setup.run(
    'CREATE TABLE main.prices AS SELECT * FROM (VALUES (1, 9.5), (2, 20.0)) t(item_id, price)',
  )
  setup.closeSync()
  instance.closeSync()
  endpoint = await startLocalEndpoint({
    databases: { shop: ':memory:', warehouse: join(dir, 'warehouse.duckdb') },
  })
  const client = await clients.connect()
  await client.query(
    "CREATE TABLE items AS SELECT * FROM (VALUES (1, 'duck'), (2, 'goose')) t(id, name)",
  )
})

afterAll(async () => {
  await clients.endAll()
  await endpoint.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('databases attached side by side', () => {
  it('makes the first database the default (md:)', async () => {
    const client = await clients.connect()
    expect((await client.query('SELECT current_database() AS db')).rows).toEqual([{ db: 'shop' }])
  })

  it('lists only the configured databases, not the DuckDB instance catalog', async () => {
    const client = await clients.connect()
    const result = await client.query(
      'SELECT database_name FROM duckdb_databases() WHERE NOT internal ORDER BY database_name',
    )
    expect(result.rows.map((row) => row.database_name)).toEqual(['shop', 'warehouse'])
  })

  it('joins across databases with three-part names', async () => {
    const client = await clients.connect()
    const result = await client.query(
      'SELECT i.name, p.price FROM shop.main.items AS i JOIN warehouse.main.prices AS p ON p.item_id = i.id ORDER BY i.id',
    )
    expect(result.rows).toEqual([
      { name: 'duck', price: '9.5' },
      { name: 'goose', price: '20.0' },
    ])
  })

  it('starts in the database the dbname names, with or without md:', async () => {
    for (const database of ['warehouse', 'md:warehouse', 'WAREHOUSE']) {
      const client = await clients.connect({ connectionString: undefined, ...connection(database) })
      const result = await client.query(
        'SELECT current_database() AS db, count(*)::INTEGER AS n FROM prices',
      )
      expect(result.rows).toEqual([{ db: 'warehouse', n: 2 }])
    }
  })

  it('refuses an unknown database with 3D000 and names the ones there are', async () => {
    const error = await rejection(
      clients.connect({ connectionString: undefined, ...connection('nope') }),
    )
    expect(error.code).toBe('3D000')
    expect(error.message).toBe('database "nope" does not exist')
    expect(error.hint).toMatch(/shop, warehouse/)
  })
})

function connection(database: string) {
  return {
    host: endpoint.host,
    port: endpoint.port,
    user: 'postgres',
    password: endpoint.token,
    database,
  }
}
