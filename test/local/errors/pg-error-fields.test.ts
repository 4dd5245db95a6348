import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EndpointError } from '../../../src/local/errors/endpoint-error.js'
import { toPgError } from '../../../src/local/errors/pg-error-fields.js'

let instance: DuckDBInstance
let connection: DuckDBConnection
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-error-fields-'))
  instance = await DuckDBInstance.create(':memory:')
  connection = await instance.connect()
  await connection.run(`
    CREATE TABLE parent (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, c INTEGER CHECK (c > 0));
    CREATE TABLE child (id INTEGER REFERENCES parent (id));
    INSERT INTO parent VALUES (1, 1, 1);
  `)
  await connection.run(
    `ATTACH '${join(dir, 'ro.duckdb')}' AS ro; CREATE TABLE ro.t (x INTEGER); DETACH ro`,
  )
  await connection.run(`ATTACH '${join(dir, 'ro.duckdb')}' AS ro (READ_ONLY)`)
})

afterAll(() => {
  connection.closeSync()
  instance.closeSync()
  rmSync(dir, { recursive: true, force: true })
})

/** The error DuckDB really raises for `sql`, mapped. */
async function pgErrorOf(sql: string) {
  try {
    await connection.run(sql)
  } catch (error) {
    return { ...toPgError(error), original: (error as Error).message }
  }
  throw new Error(`expected ${sql} to fail`)
}

describe('toPgError maps real DuckDB errors to SQLSTATEs', () => {
  const cases: [string, string][] = [
    ['SELEC 1', '42601'],
    ['SELECT * FROM no_such_table', '42P01'],
    ['INSERT INTO no_such_table VALUES (1)', '42P01'],
    ['SELECT no_such_column FROM parent', '42703'],
    ["SELECT {'a': 1}.b", '42703'],
    ['SELECT no_such_function(1)', '42883'],
    ["SELECT avg(x) FROM (SELECT 'a' AS x)", '42883'],
    ['INSERT INTO parent VALUES (1, 1, 1)', '23505'],
    ['INSERT INTO parent VALUES (2, NULL, 1)', '23502'],
    ['INSERT INTO parent VALUES (3, 1, -1)', '23514'],
    ['INSERT INTO child VALUES (99)', '23503'],
    ["SELECT 'abc'::INTEGER", '22P02'],
    ["SELECT 'abc'::DATE", '22P02'],
    ['SELECT 300::TINYINT', '22003'],
    ['SELECT 2147483647::INTEGER + 1', '22003'],
    ["SELECT 'a'::BLOB::INTEGER", '42846'],
    ['CREATE TABLE parent (x INTEGER)', '42P07'],
    ['SELECT * FROM nodb.main.t', '3D000'],
    ['USE nodb', '3D000'],
    ["SELECT * FROM read_parquet('/no/such/file.parquet')", '58P01'],
    ['INSERT INTO ro.t VALUES (1)', '42501'],
    ['ROLLBACK', '25P01'],
    ["SELECT error('boom')", '22023'],
    ['SET no_such_setting = 1', '42704'],
  ]
  for (const [sql, code] of cases) {
    it(`${code} for ${sql}`, async () => {
      const mapped = await pgErrorOf(sql)
      expect(mapped.code, mapped.original).toBe(code)
      expect(mapped.severity).toBe('ERROR')
      // DuckDB's own words are what MotherDuck users see.
      expect(mapped.message).toBe(mapped.original)
    })
  }

  it('adds a cast hint where DuckDB cannot pick a function for a literal or parameter', async () => {
    const mapped = await pgErrorOf("SELECT 1 + 'a'")
    expect(mapped.code).toBe('42883')
    expect(mapped.hint).toMatch(/CAST\(\$1 AS/)
  })

  it('57014 for an interrupted query', async () => {
    const pending = connection.run('SELECT count(*) FROM range(100000000000) a')
    setTimeout(() => connection.interrupt(), 100)
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(toPgError(error).code).toBe('57014')
  })

  it('25P02 and 0A000 by message and class', () => {
    expect(
      toPgError(
        new Error('TransactionContext Error: Current transaction is aborted (please ROLLBACK)'),
      ).code,
    ).toBe('25P02')
    expect(toPgError(new Error('Not implemented Error: nope')).code).toBe('0A000')
    expect(toPgError(new Error('Out of Memory Error: failed to allocate')).code).toBe('53200')
    const fatal = toPgError(new Error('FATAL Error: database has been invalidated'))
    expect([fatal.code, fatal.severity]).toEqual(['XX000', 'FATAL'])
  })
})

describe('EndpointError and other errors', () => {
  it('keeps the fields of an EndpointError', () => {
    const error = new EndpointError('0A000', 'No COPY FROM STDIN.', {
      hint: 'Use INSERT.',
      detail: 'd',
    })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('EndpointError')
    expect(toPgError(error)).toEqual({
      severity: 'ERROR',
      code: '0A000',
      message: 'No COPY FROM STDIN.',
      hint: 'Use INSERT.',
      detail: 'd',
    })
    expect(toPgError(new EndpointError('08P01', 'bad', { severity: 'FATAL' })).severity).toBe(
      'FATAL',
    )
  })

  it('maps anything else to XX000 with its message', () => {
    expect(toPgError(new TypeError('x is not a function'))).toEqual({
      severity: 'ERROR',
      code: 'XX000',
      message: 'x is not a function',
    })
    expect(toPgError('plain string').message).toBe('plain string')
  })
})
