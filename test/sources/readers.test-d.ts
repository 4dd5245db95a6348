import { describe, expectTypeOf, it } from 'vitest'
import { readCsv } from '../../src/sources/read-csv.js'
import { readJson } from '../../src/sources/read-json.js'
import { readParquet } from '../../src/sources/read-parquet.js'
import type { JsonValue } from '../../src/types/duckdb-types.js'
import { compileOnlyDb } from './compile-only-db.js'

interface Trip {
  id: bigint
  city: string
}
interface DB {
  cities: { name: string; country: string }
}
const db = compileOnlyDb<DB>()
type RowOf<Q extends { execute(): Promise<unknown[]> }> = Awaited<ReturnType<Q['execute']>>[number]

describe('reader row types', () => {
  it('takes the row type from the Row argument', () => {
    const query = db.selectFrom(readParquet<Trip>('s3://b/t.parquet').as('t')).selectAll()
    expectTypeOf<RowOf<typeof query>>().toEqualTypeOf<{ id: bigint; city: string }>()
    const joined = db
      .selectFrom(readParquet<Trip>('s3://b/t.parquet').as('t'))
      .innerJoin('cities as c', 'c.name', 't.city')
      .select(['t.id', 'c.country'])
    expectTypeOf<RowOf<typeof joined>>().toEqualTypeOf<{ id: bigint; country: string }>()
  })

  it('infers the row from columns written with DuckDB type names', () => {
    const query = db
      .selectFrom(
        readCsv('s3://b/e.csv', {
          header: true,
          columns: { id: 'BIGINT', tags: 'VARCHAR[]', at: 'TIMESTAMP', price: 'DECIMAL(10,2)' },
        }).as('e'),
      )
      .selectAll()
    expectTypeOf<RowOf<typeof query>>().toEqualTypeOf<{
      id: bigint
      tags: string[]
      at: Date
      price: string
    }>()
    const json = db
      .selectFrom(
        readJson('s3://b/e.json', {
          columns: {
            n: 'INTEGER',
            ok: 'BOOLEAN',
            payload: 'JSON',
            s: 'STRUCT(a INTEGER)',
            d: 'DATE',
          },
        }).as('j'),
      )
      .selectAll()
    expectTypeOf<RowOf<typeof json>>().toEqualTypeOf<{
      n: number
      ok: boolean
      payload: JsonValue
      s: JsonValue
      d: string
    }>()
  })

  it('infers by-name types and adds the filename / file_row_number columns', () => {
    const csv = db
      .selectFrom(readCsv('s3://b/e.csv', { types: { k: 'SMALLINT' }, filename: true }).as('e'))
      .selectAll()
    expectTypeOf<RowOf<typeof csv>>().toEqualTypeOf<{ k: number; filename: string }>()
    const named = db
      .selectFrom(readJson('s3://b/e.json', { columns: { k: 'UUID' }, filename: 'source' }).as('e'))
      .selectAll()
    expectTypeOf<RowOf<typeof named>>().toEqualTypeOf<{ k: string; source: string }>()
    const parquet = db
      .selectFrom(readParquet('s3://b/t.parquet', { file_row_number: true }).as('t'))
      .select(['t.file_row_number', 't.other'])
    expectTypeOf<RowOf<typeof parquet>>().toEqualTypeOf<{
      file_row_number: bigint
      other: unknown
    }>()
    // An explicit Row is the whole row: TypeScript cannot infer the options next to it.
    const explicit = db
      .selectFrom(
        readParquet<Trip & { filename: string }>('s3://b/t.parquet', { filename: true }).as('t'),
      )
      .selectAll()
    expectTypeOf<RowOf<typeof explicit>>().toEqualTypeOf<{
      id: bigint
      city: string
      filename: string
    }>()
  })

  it('gives unknown columns when nothing declares them', () => {
    const query = db.selectFrom(readParquet('s3://b/t.parquet').as('t')).select('t.anything')
    expectTypeOf<RowOf<typeof query>>().toEqualTypeOf<{ anything: unknown }>()
  })

  it('checks a later select against the declared columns', () => {
    const from = db.selectFrom(readCsv('s3://b/e.csv', { columns: { id: 'BIGINT' } }).as('e'))
    from.select('e.id')
    // @ts-expect-error: no such column
    from.select('e.nope')
    const typed = db.selectFrom(readParquet<Trip>('s3://b/t.parquet').as('t'))
    // @ts-expect-error: not a Trip column
    typed.select('t.fare')
  })

  it("rejects mdRun: 'LOCAL', unknown options and values outside DuckDB's enumerations", () => {
    // @ts-expect-error: MD_RUN = LOCAL cannot work through the endpoint
    readParquet('s3://b/t.parquet', { mdRun: 'LOCAL' })
    // @ts-expect-error: also with an explicit row type
    readCsv<Trip>('s3://b/t.csv', { mdRun: 'LOCAL' })
    readJson('s3://b/t.json', { mdRun: 'AUTO' })
    // @ts-expect-error: not a read_parquet parameter
    readParquet('s3://b/t.parquet', { header: true })
    // @ts-expect-error: not a read_csv parameter
    readCsv<Trip>('s3://b/t.csv', { hive: true })
    // @ts-expect-error: not a compression read_csv knows
    readCsv('s3://b/t.csv', { compression: 'lz4' })
    // @ts-expect-error: format is an enumeration
    readJson('s3://b/t.json', { format: 'csv' })
    // @ts-expect-error: records is 'auto' | 'true' | 'false'
    readJson('s3://b/t.json', { records: true })
    // @ts-expect-error: header is a boolean
    readCsv('s3://b/t.csv', { header: 'yes' })
  })
})
