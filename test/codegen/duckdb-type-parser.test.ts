import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DuckDBType,
  DuckDBTypeSyntaxError,
  parseDuckDBType,
} from '../../codegen/duckdb-type-parser.js'
import type { DuckDBScalarTypeName } from '../../src/types/duckdb-types.js'
import { fixtureStatements, TYPED_COLUMNS } from './fixture-schema.js'

const scalar = (name: DuckDBScalarTypeName, spelling: string = name): DuckDBType => ({
  kind: 'scalar',
  name,
  spelling,
})

describe('parseDuckDBType', () => {
  it('reads scalars, their aliases and their arguments', () => {
    expect(parseDuckDBType('INTEGER')).toEqual(scalar('INTEGER'))
    expect(parseDuckDBType('DECIMAL(10,2)')).toEqual(scalar('DECIMAL', 'DECIMAL(10,2)'))
    expect(parseDuckDBType('TIMESTAMP WITH TIME ZONE')).toEqual(
      scalar('TIMESTAMP_TZ', 'TIMESTAMP WITH TIME ZONE'),
    )
    expect(parseDuckDBType('TIME WITH TIME ZONE')).toEqual(scalar('TIME_TZ', 'TIME WITH TIME ZONE'))
    expect(parseDuckDBType('VARINT')).toEqual(scalar('BIGNUM', 'VARINT'))
  })

  it('keeps types it does not know as unknown', () => {
    expect(parseDuckDBType('INET')).toEqual({ kind: 'unknown', spelling: 'INET' })
  })

  it('reads lists and fixed-size arrays, nested', () => {
    expect(parseDuckDBType('INTEGER[3][]')).toEqual({
      kind: 'list',
      size: undefined,
      element: { kind: 'list', size: 3, element: scalar('INTEGER') },
    })
  })

  it('reads enum labels with quotes, commas and spaces', () => {
    expect(parseDuckDBType("ENUM('a', 'it''s, complicated', 'b c')")).toEqual({
      kind: 'enum',
      labels: ['a', "it's, complicated", 'b c'],
    })
  })

  it('reads STRUCT fields with quoted names, nested types and MAP and UNION', () => {
    const type = parseDuckDBType(
      'STRUCT("a ""b"" c" MAP(VARCHAR, INTEGER[]), u UNION(n BIGINT, s STRUCT(x DOUBLE)), t TIMESTAMP WITH TIME ZONE)[]',
    )
    const expected: DuckDBType = {
      kind: 'list',
      size: undefined,
      element: {
        kind: 'struct',
        fields: [
          {
            name: 'a "b" c',
            type: {
              kind: 'map',
              key: scalar('VARCHAR'),
              value: { kind: 'list', size: undefined, element: scalar('INTEGER') },
            },
          },
          {
            name: 'u',
            type: {
              kind: 'union',
              members: [
                { name: 'n', type: scalar('BIGINT') },
                {
                  name: 's',
                  type: { kind: 'struct', fields: [{ name: 'x', type: scalar('DOUBLE') }] },
                },
              ],
            },
          },
          { name: 't', type: scalar('TIMESTAMP_TZ', 'TIMESTAMP WITH TIME ZONE') },
        ],
      },
    }
    expect(type).toEqual(expected)
  })

  it('reports malformed spellings with their position', () => {
    expect(() => parseDuckDBType('STRUCT(a INTEGER')).toThrow(DuckDBTypeSyntaxError)
    expect(() => parseDuckDBType("ENUM('a)")).toThrow(/character 5/)
    expect(() => parseDuckDBType('')).toThrow(DuckDBTypeSyntaxError)
  })
})

describe('parseDuckDBType on the spellings DuckDB itself reports', () => {
  const instance = DuckDBInstance.create(':memory:')
  let rows: { column_name: string; data_type: string }[] = []

  beforeAll(async () => {
    const connection = await (await instance).connect()
    for (const statement of fixtureStatements()) await connection.run(statement)
    const reader = await connection.runAndReadAll(
      'SELECT column_name, data_type FROM duckdb_columns() WHERE NOT internal',
    )
    rows = reader.getRowObjectsJS() as typeof rows
    connection.closeSync()
  })
  afterAll(async () => (await instance).closeSync())

  it('reads every fixture column, and no known type comes out unknown', () => {
    expect(rows.length).toBeGreaterThan(TYPED_COLUMNS.length)
    for (const row of rows) {
      const type = parseDuckDBType(row.data_type)
      expect(JSON.stringify(type), `${row.column_name}: ${row.data_type}`).not.toContain(
        '"unknown"',
      )
    }
  })
})
