import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { splitStatements, tokenizeSql } from '../../src/sql/sql-tokenizer.js'

let instance: DuckDBInstance

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:')
})

afterAll(() => instance.closeSync())

/** How many statements DuckDB's own parser finds in `sql`. */
async function duckdbStatementCount(sql: string): Promise<number> {
  const connection = await instance.connect()
  try {
    return (await connection.extractStatements(sql)).count
  } finally {
    connection.closeSync()
  }
}

describe('tokenizeSql', () => {
  it.each([
    ['a -- comment ended by \\r', 'SELECT 1; -- x\r SELECT 2'],
    ['a -- comment ended by \\n', 'SELECT 1; -- x\n SELECT 2'],
    ['a -- comment ended by \\r\\n', 'SELECT 1; -- x\r\n SELECT 2'],
    ['a -- comment running to the end', 'SELECT 1; -- x SELECT 2'],
    ['a -- comment not ended by \\f or \\v', 'SELECT 1; -- x\f\v SELECT 2'],
  ])('splits statements where DuckDB does: %s', async (_, sql) => {
    expect(splitStatements(tokenizeSql(sql)).length).toBe(await duckdbStatementCount(sql))
  })

  it('ends a -- comment at \\r, as DuckDB does', () => {
    const tokens = tokenizeSql('SELECT 1 -- c\r, 2')
    expect(tokens.find((token) => token.kind === 'comment')?.text).toBe('-- c')
  })

  it.each([
    ["'it''s'", "it's"],
    ["E'a\\'b''c\\n'", "a'b'c\n"],
    ['"a""b"', 'a"b'],
    ["'tab\\t'", 'tab\\t'],
  ])('reads the value of %s', (sql, value) => {
    const [token] = tokenizeSql(sql)
    expect(token?.value).toBe(value)
    expect(token?.text).toBe(sql)
  })

  it('reads a long literal in memory proportional to its length', () => {
    const body = 'x'.repeat(4 * 1024 * 1024)
    const [token] = tokenizeSql(`'${body}'`)
    expect(token?.value).toBe(body)
  })
})
