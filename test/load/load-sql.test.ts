import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import {
  ConflictingCreateOptionsError,
  createTableAsQuery,
} from '../../src/load/create-table-as.js'
import { buildBatch, unnestSelectSql } from '../../src/load/json-batch.js'
import { columnEncoding } from '../../src/load/json-column-encoding.js'
import { InvalidRowValueError } from '../../src/load/load-errors.js'
import { readParquet } from '../../src/sources/read-parquet.js'
import { jsonValueText } from '../../src/sql/json-value-text.js'
import { compileOnlyDb } from '../sources/compile-only-db.js'

interface DB {
  trips: { id: bigint; city: string }
}
const db = compileOnlyDb<DB>()

describe('createTableAs SQL', () => {
  const query = db.selectFrom(readParquet<{ id: bigint }>('s3://b/t.parquet').as('t')).selectAll()

  it('writes CREATE TABLE … AS with each part of the name quoted', () => {
    expect(createTableAsQuery('my_db.main.trips', query).compile(db).sql).toBe(
      `create table "my_db"."main"."trips" as select * from read_parquet('s3://b/t.parquet', MD_RUN = REMOTE) as "t"`,
    )
    expect(createTableAsQuery('my_db:main.trips', query).compile(db).sql).toBe(
      createTableAsQuery('my_db.main.trips', query).compile(db).sql,
    )
    expect(createTableAsQuery('we"ird.t', query).compile(db).sql).toMatch(
      /^create table "we""ird"\."t" as select /,
    )
  })

  it('writes OR REPLACE and IF NOT EXISTS, never both', () => {
    expect(createTableAsQuery('t', query, { orReplace: true }).compile(db).sql).toMatch(
      /^create or replace table "t" as select/,
    )
    expect(createTableAsQuery('t', query, { ifNotExists: true }).compile(db).sql).toMatch(
      /^create table if not exists "t" as select/,
    )
    expect(() =>
      createTableAsQuery('t', query, { orReplace: true, ifNotExists: true } as never),
    ).toThrow(ConflictingCreateOptionsError)
  })

  it('takes any query expression, parameters included', () => {
    const compiled = createTableAsQuery(
      's.t',
      db.selectFrom('trips').select('id').where('city', '=', 'Paris'),
    ).compile(db)
    expect(compiled.sql).toBe('create table "s"."t" as select "id" from "trips" where "city" = $1')
    expect(compiled.parameters).toEqual(['Paris'])
    expect(createTableAsQuery('t', sql`select 1 as one`).compile(db).sql).toBe(
      'create table "t" as select 1 as one',
    )
  })
})

describe('JSON batch encoding', () => {
  it('writes values exactly: bigint digits, ISO UTC dates, non-finite numbers, nested values', () => {
    expect(jsonValueText(2n ** 63n - 1n)).toBe('9223372036854775807')
    expect(jsonValueText(-(2n ** 127n))).toBe('-170141183460469231731687303715884105728')
    expect(jsonValueText(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 123)))).toBe(
      '"2024-02-29T23:59:59.123Z"',
    )
    expect(jsonValueText([Number.NaN, Number.POSITIVE_INFINITY, -Infinity, 1.5, -0])).toBe(
      '["NaN","Infinity","-Infinity",1.5,-0.0]',
    )
    expect(jsonValueText({ a: [1n, null, undefined], 'b"': { c: true }, skip: undefined })).toBe(
      '{"a":[1,null,null],"b\\"":{"c":true}}',
    )
    expect(jsonValueText(new Map([['k', 1]]))).toBe('{"k":1}')
    // toJSON() as JSON.stringify honours it (Decimal.js, Luxon, …); a Date keeps its own UTC form.
    expect(
      jsonValueText({ price: { toJSON: () => '12.50' }, at: { toJSON: () => new Date(0) } }),
    ).toBe('{"price":"12.50","at":"1970-01-01T00:00:00.000Z"}')
    expect(jsonValueText('\0\u2028"\\')).toBe('"\\u0000\u2028\\"\\\\"')
  })

  it('refuses what has no JSON form, saying why', () => {
    expect(() => jsonValueText(new Date(Number.NaN))).toThrow(/invalid/)
    expect(() => jsonValueText([Buffer.from('x')])).toThrow(/BLOB column of its own/)
    expect(() => jsonValueText(sql`now()`)).toThrow(/a SQL expression cannot be sent as data/)
    expect(() => jsonValueText(() => 1)).toThrow(/function has no SQL value/)
  })

  it('reads BLOB as base64, BIT/BIGNUM as text and VARIANT as JSON, casting in SQL', () => {
    expect(columnEncoding('BLOB').valueText(Buffer.from([0, 255, 65]))).toBe('"AP9B"')
    expect(columnEncoding('BLOB').valueText(new Uint8Array([1, 2]))).toBe('"AQI="')
    expect(() => columnEncoding('BLOB').valueText('abc')).toThrow(/Buffer or Uint8Array/)
    expect(columnEncoding('BLOB').selectSql('u')).toBe('from_base64(u)')
    expect(columnEncoding('BIT').selectSql('u')).toBe('cast(u as BIT)')
    expect(columnEncoding('BIGNUM').valueText(10n ** 40n)).toBe(`"${10n ** 40n}"`)
    expect(columnEncoding('VARIANT').jsonType).toBe('JSON')
    expect(columnEncoding('DECIMAL(18,3)').jsonType).toBe('DECIMAL(18,3)')
    expect(columnEncoding('STRUCT(a INTEGER)[]').jsonType).toBe('STRUCT(a INTEGER)[]')
    expect(columnEncoding('INTERVAL').valueText({ months: 2, days: 3, seconds: 4.5 })).toBe(
      '"2 months 3 days 4.5 seconds"',
    )
  })

  const columns = [
    { key: 'id', name: 'id', dataType: 'BIGINT', encoding: columnEncoding('BIGINT') },
    { key: 'name', name: 'Name "x"', dataType: 'VARCHAR', encoding: columnEncoding('VARCHAR') },
  ]

  it('writes the rows of an INSERT as one SELECT around a single JSON parameter', () => {
    const statement = unnestSelectSql(columns)
    expect(`${statement.head}$1${statement.tail}`).toBe(
      'select unnest(j.c0), unnest(j.c1) from ' +
        `(select from_json_strict(cast($1 as varchar), '{"c0":["BIGINT"],"c1":["VARCHAR"]}') as j)`,
    )
  })

  it('serializes columns side by side and bounds batches by rows and by size', () => {
    const rows = [{ id: 1n, name: 'a' }, { id: 2n }, { id: 3n, name: "it's" }]
    expect(buildBatch('t', rows, columns, 0, Infinity, Infinity)).toEqual({
      firstRow: 0,
      rowCount: 3,
      json: `{"c0":[1,2,3],"c1":["a",null,"it's"]}`,
    })
    expect(buildBatch('t', rows, columns, 1, 1, Infinity)).toEqual({
      firstRow: 1,
      rowCount: 1,
      json: '{"c0":[2],"c1":[null]}',
    })
    // Each row here is 6 characters; the batch closes once it reaches 10.
    expect(buildBatch('t', rows, columns, 0, Infinity, 10).rowCount).toBe(2)
    // A row larger than the limit still goes, alone.
    expect(buildBatch('t', rows, columns, 0, Infinity, 1).rowCount).toBe(1)
  })

  it('names the row and column of a value it cannot send', () => {
    const blob = [{ key: 'b', name: 'b', dataType: 'BLOB', encoding: columnEncoding('BLOB') }]
    expect(() =>
      buildBatch('t', [{ b: Buffer.from('') }, { b: 'nope' }], blob, 0, Infinity, Infinity),
    ).toThrow(InvalidRowValueError)
    expect(() =>
      buildBatch('t', [{ b: Buffer.from('') }, { b: 'nope' }], blob, 0, Infinity, Infinity),
    ).toThrow(/row 1, column "b" \(BLOB\): a string cannot be a BLOB; pass a Buffer or Uint8Array/)
  })
})

describe('JSON value text of strings', () => {
  it('keeps NUL (JSON escapes it) and refuses lone surrogates, which have no UTF-8 form', () => {
    expect(jsonValueText('a\0b')).toBe('"a\\u0000b"')
    expect(jsonValueText('😀')).toBe('"😀"')
    expect(() => jsonValueText('x\uD800')).toThrow(/lone UTF-16 surrogate/)
    expect(() => jsonValueText(['\uDFFF'])).toThrow(/lone UTF-16 surrogate/)
  })
})
