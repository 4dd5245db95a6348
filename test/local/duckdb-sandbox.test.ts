import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lockDownInstance } from '../../src/local/duckdb-sandbox.js'

/**
 * What DuckDB itself enforces after lockDownInstance, checked on DuckDB directly: the facts strict mode
 * is built on, so that a DuckDB upgrade that changes one of them fails here first.
 */

let root: string
let instance: DuckDBInstance
let first: DuckDBConnection
let second: DuckDBConnection

async function failure(connection: DuckDBConnection, sql: string): Promise<string> {
  try {
    await connection.run(sql)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error(`expected DuckDB to refuse: ${sql}`)
}

async function value(connection: DuckDBConnection, sql: string): Promise<unknown> {
  return (await connection.runAndReadAll(sql)).getRowsJS()[0]?.[0]
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kysely-motherduck-duckdb-sandbox-'))
  mkdirSync(join(root, 'bucket'))
  mkdirSync(join(root, 'db'))
  writeFileSync(join(root, 'bucket', 'in.txt'), 'inside')
  writeFileSync(join(root, 'db', '.env'), 'outside')
  instance = await DuckDBInstance.create(':memory:')
  const setup = await instance.connect()
  await setup.run(`ATTACH '${join(root, 'db', 'main.duckdb')}' AS main_db; USE main_db`)
  await lockDownInstance(setup, [join(root, 'bucket')])
  setup.closeSync()
  first = await instance.connect()
  second = await instance.connect()
  for (const connection of [first, second]) await connection.run('USE main_db')
})

afterAll(() => {
  first.closeSync()
  second.closeSync()
  instance.closeSync()
  rmSync(root, { recursive: true, force: true })
})

describe('DuckDB after lockDownInstance', () => {
  it('reads and writes under the object-store folders only, .. resolved', async () => {
    expect(await value(first, `SELECT content FROM read_text('${root}/bucket/in.txt')`)).toBe(
      'inside',
    )
    await first.run(`COPY (SELECT 1 AS x) TO '${root}/bucket/out.csv'`)
    for (const sql of [
      `SELECT * FROM read_text('${root}/db/.env')`,
      `SELECT * FROM read_text('${root}/bucket/../db/.env')`,
      `COPY (SELECT 1) TO '${root}/out.csv'`,
      `ATTACH '${root}/other.duckdb' AS other`,
    ]) {
      expect(await failure(first, sql)).toMatch(/disabled by configuration/)
    }
    expect(readdirSync(root).sort()).toEqual(['bucket', 'db'])
  })

  it('keeps writing the attached database (its WAL) without its folder allowed', async () => {
    await first.run('CREATE TABLE t AS SELECT range AS i FROM range(1000)')
    await first.run('CHECKPOINT')
    await first.run('INSERT INTO t VALUES (1000)')
    expect(await value(second, 'SELECT count(*)::INTEGER FROM t')).toBe(1001)
    expect(readdirSync(join(root, 'db'))).toContain('main.duckdb.wal')
  })

  it('refuses every instance setting, and external access cannot come back', async () => {
    for (const sql of [
      'SET threads = 1',
      "SET memory_limit = '1MB'",
      "SET default_order = 'DESC'",
      'SET enable_external_access = true',
      "SET allowed_directories = ['/']",
      'SET lock_configuration = false',
      'RESET lock_configuration',
      `SET profiling_output = '${root}/p.json'`,
    ]) {
      expect(await failure(first, sql)).toMatch(/the configuration has been locked/)
    }
  })

  it('lets each connection set its own TimeZone, which the other does not see', async () => {
    await first.run("SET SESSION TimeZone = 'Asia/Tokyo'")
    await second.run("SET SESSION TimeZone = 'UTC'")
    expect(await value(first, "SELECT current_setting('TimeZone')")).toBe('Asia/Tokyo')
    expect(await value(second, "SELECT current_setting('TimeZone')")).toBe('UTC')
  })

  it('still lets enable_logging() through the lock (why strict mode refuses it by name)', async () => {
    await first.run("CALL enable_logging('QueryLog')")
    await second.run("SELECT 'the other session' AS s")
    const logged = await value(
      first,
      "SELECT count(*)::INTEGER FROM duckdb_logs WHERE message LIKE '%the other session%'",
    )
    await first.run('CALL disable_logging()')
    expect(logged).toBeGreaterThan(0)
  })

  it('lets DETACH through (why strict mode refuses it by statement type)', async () => {
    await first.run(`ATTACH ':memory:' AS scratch`)
    await second.run('DETACH scratch')
    expect(
      await value(
        first,
        "SELECT count(*)::INTEGER FROM duckdb_databases() WHERE database_name = 'scratch'",
      ),
    ).toBe(0)
  })
})
