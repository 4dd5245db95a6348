import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  UnsupportedLoadStatementError,
  unsupportedLoadStatement,
} from '../../src/load/unsupported-load-statement.js'
import { type LocalMotherDuck, startLocalMotherDuck } from '../sources/local-motherduck.js'

describe('statements MotherDuck refuses for loading', () => {
  it('names COPY FROM STDIN, COPY from a local file and MD_RUN = LOCAL, pointing to insertRows', () => {
    expect(unsupportedLoadStatement('copy t from stdin')?.kind).toBe('COPY FROM STDIN')
    expect(unsupportedLoadStatement('COPY my_db.main.t (a, b) FROM STDIN (FORMAT csv)')?.kind).toBe(
      'COPY FROM STDIN',
    )
    expect(unsupportedLoadStatement("copy t from './data.csv'")?.kind).toBe(
      'COPY FROM a local file',
    )
    expect(unsupportedLoadStatement("copy t from 'file:///tmp/x.csv' (header)")?.kind).toBe(
      'COPY FROM a local file',
    )
    expect(
      unsupportedLoadStatement("select * from read_parquet('s3://b/x', MD_RUN = LOCAL)")?.kind,
    ).toBe('MD_RUN = LOCAL')
    expect(
      unsupportedLoadStatement("select 1; select * from read_csv('x', md_run := local)")?.kind,
    ).toBe('MD_RUN = LOCAL')
    const error = unsupportedLoadStatement('copy t from stdin')
    expect(error).toBeInstanceOf(UnsupportedLoadStatementError)
    expect(error?.message).toMatch(/insertRows\(db, table, rows\).*object storage.*readCsv/)
  })

  it('lets supported statements through, and never mistakes strings, identifiers or comments for SQL', () => {
    for (const sql of [
      "copy t from 's3://bucket/x.csv'",
      "COPY (select * from t) TO 's3://bucket/out.parquet' (FORMAT parquet)",
      "copy t to 's3://b/x.csv'",
      "select 'copy t from stdin', 'MD_RUN = LOCAL'",
      'select "copy" from t -- copy t from stdin',
      "select * from read_parquet('s3://b/x', MD_RUN = REMOTE) /* MD_RUN = LOCAL */",
      'select md_run_local from t',
      'select * from t',
      "copy t from 'unterminated",
    ]) {
      expect(unsupportedLoadStatement(sql), sql).toBeUndefined()
    }
  })
})

describe('the dialect refuses them before sending (through Kysely and pg)', () => {
  let local: LocalMotherDuck<unknown>

  beforeAll(async () => {
    local = await startLocalMotherDuck()
  })

  afterAll(() => local.stop())

  it('throws UnsupportedLoadStatementError for COPY FROM STDIN, a local file and MD_RUN = LOCAL', async () => {
    await sql`create table loads (a integer)`.execute(local.db)
    for (const statement of [
      sql`copy loads from stdin`,
      sql`copy loads from ${sql.lit('./rows.csv')}`,
      sql`select * from read_csv(${sql.lit('s3://test-bucket/x.csv')}, MD_RUN = LOCAL)`,
      sql`select * from read_csv(${sql.lit('s3://test-bucket/x.csv')}, MD_RUN => LOCAL)`,
    ]) {
      await expect(statement.execute(local.db)).rejects.toThrow(UnsupportedLoadStatementError)
    }
    // Supported statements still run on the same pool.
    await sql`insert into loads values (1)`.execute(local.db)
    expect(
      (await sql<{ n: number }>`select count(*)::integer as n from loads`.execute(local.db)).rows,
    ).toEqual([{ n: 1 }])
  })

  it('refuses them in .stream() too', async () => {
    const stream = sql`copy loads from stdin`.compile(local.db)
    const iterator = local.db.getExecutor().stream(stream, 10)
    await expect(iterator.next()).rejects.toThrow(UnsupportedLoadStatementError)
  })
})
