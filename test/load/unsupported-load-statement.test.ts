import { describe, expect, it } from 'vitest'
import {
  UnsupportedLoadStatementError,
  unsupportedLoadStatement,
} from '../../src/load/unsupported-load-statement.js'

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
