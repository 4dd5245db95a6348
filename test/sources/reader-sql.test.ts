import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { EmptyPathListError, LocalPathError } from '../../src/motherduck/remote-path.js'
import { InvalidReaderOptionError } from '../../src/sources/invalid-reader-option-error.js'
import { MdRunLocalError } from '../../src/sources/md-run.js'
import { readCsv } from '../../src/sources/read-csv.js'
import { readJson } from '../../src/sources/read-json.js'
import { readParquet } from '../../src/sources/read-parquet.js'
import { UnrepresentableStringError } from '../../src/sql/sql-string-literal.js'
import { compileOnlyDb } from './compile-only-db.js'

interface Trip {
  id: bigint
  city: string
  fare: number
}
interface DB {
  cities: { name: string; country: string }
  trips: Trip
}

const db = compileOnlyDb<DB>()
const text = (builder: { compile(db: never): { sql: string } }) => builder.compile(db as never).sql

describe('reader SQL', () => {
  it('reads one path with MD_RUN = REMOTE by default', () => {
    expect(text(readParquet('s3://b/trips/*.parquet'))).toBe(
      "read_parquet('s3://b/trips/*.parquet', MD_RUN = REMOTE)",
    )
    expect(text(readCsv('gs://b/x.csv'))).toBe("read_csv('gs://b/x.csv', MD_RUN = REMOTE)")
    expect(text(readJson('https://example.com/x.json'))).toBe(
      "read_json('https://example.com/x.json', MD_RUN = REMOTE)",
    )
  })

  it('reads a list of paths as a list literal', () => {
    expect(text(readParquet(['s3://b/a.parquet', 'r2://c/b.parquet']))).toBe(
      "read_parquet(['s3://b/a.parquet', 'r2://c/b.parquet'], MD_RUN = REMOTE)",
    )
  })

  it("writes MD_RUN = AUTO for mdRun: 'AUTO'", () => {
    expect(text(readCsv('s3://b/x.csv', { mdRun: 'AUTO', header: true }))).toBe(
      "read_csv('s3://b/x.csv', header = true, MD_RUN = AUTO)",
    )
  })

  it('writes every kind of option value in DuckDB syntax', () => {
    const compiled = text(
      readCsv('s3://b/x.csv', {
        header: false,
        skip: 2,
        sample_size: -1n,
        delim: '|',
        nullstr: ['NA', ''],
        force_not_null: ['a'],
        filename: 'src',
        columns: { id: 'BIGINT', "it's": 'VARCHAR[]' },
        types: ['BIGINT', 'VARCHAR'],
        compression: 'gzip',
        encoding: 'latin-1',
      }),
    )
    expect(compiled).toBe(
      "read_csv('s3://b/x.csv', header = false, skip = 2, sample_size = -1, delim = '|', " +
        "nullstr = ['NA', ''], force_not_null = ['a'], filename = 'src', " +
        "columns = {'id': 'BIGINT', 'it''s': 'VARCHAR[]'}, types = ['BIGINT', 'VARCHAR'], " +
        "compression = 'gzip', encoding = 'latin-1', MD_RUN = REMOTE)",
    )
    expect(
      text(
        readJson('s3://b/x.json', {
          format: 'newline_delimited',
          records: 'true',
          field_appearance_threshold: 0.25,
          maximum_object_size: 1048576,
          filename: true,
          dtypes: undefined,
        } as never),
      ),
    ).toBe(
      "read_json('s3://b/x.json', format = 'newline_delimited', records = 'true', " +
        'field_appearance_threshold = 0.25, maximum_object_size = 1048576, filename = true, MD_RUN = REMOTE)',
    )
    expect(
      text(
        readParquet('s3://b/*/*.parquet', {
          hive_partitioning: true,
          hive_types: { year: 'INTEGER' },
          encryption_config: { footer_key: 'k1' },
          union_by_name: true,
          file_row_number: true,
          binary_as_string: true,
          hive_types_autocast: false,
        }),
      ),
    ).toBe(
      "read_parquet('s3://b/*/*.parquet', hive_partitioning = true, hive_types = {'year': 'INTEGER'}, " +
        "encryption_config = {'footer_key': 'k1'}, union_by_name = true, file_row_number = true, " +
        'binary_as_string = true, hive_types_autocast = false, MD_RUN = REMOTE)',
    )
  })

  it('skips options that are undefined', () => {
    expect(text(readCsv('s3://b/x.csv', { header: undefined, quote: '"' }))).toBe(
      `read_csv('s3://b/x.csv', quote = '"', MD_RUN = REMOTE)`,
    )
  })

  it('sends paths and option values as data: quotes doubled, nothing else changed', () => {
    const nasty = `s3://b/it's a \\path $1 -- /* ; drop table x; */ ' or 1=1 ü 😀.csv`
    expect(text(readCsv(nasty, { comment: "'--$1\\", nullstr: '\u{1F986}' }))).toBe(
      `read_csv('s3://b/it''s a \\path $1 -- /* ; drop table x; */ '' or 1=1 ü 😀.csv', ` +
        `comment = '''--$1\\', nullstr = '\u{1F986}', MD_RUN = REMOTE)`,
    )
  })

  it('rejects NUL and lone surrogates, which SQL text cannot carry', () => {
    expect(() => readParquet('s3://b/a\0b.parquet')).toThrow(UnrepresentableStringError)
    expect(() => readCsv('s3://b/x.csv', { nullstr: 'x\0' })).toThrow(/NUL character/)
    expect(() => readCsv('s3://b/x.csv', { columns: { 'a\0': 'INTEGER' } })).toThrow(
      UnrepresentableStringError,
    )
    expect(() => readJson('s3://b/\uD800.json')).toThrow(/lone UTF-16 surrogate at index 7/)
  })

  it("rejects mdRun: 'LOCAL' at run time too, explaining what to do instead", () => {
    const run = () => readCsv('s3://b/x.csv', { mdRun: 'LOCAL' } as never)
    expect(run).toThrow(MdRunLocalError)
    expect(run).toThrow(/cannot read files on this machine.*object storage.*insertRows/)
    expect(() => readCsv('s3://b/x.csv', { mdRun: 'SOMEWHERE' } as never)).toThrow(
      InvalidReaderOptionError,
    )
  })

  it('rejects client-local paths, pointing to object storage and insertRows', () => {
    for (const path of [
      './local.parquet',
      '/tmp/x.parquet',
      'file:///tmp/x.parquet',
      'C:\\data\\x.parquet',
      'x.parquet',
      'http://localhost:8080/x.parquet',
      'https://user@127.0.0.1/x.parquet',
      'http://[::1]/x.parquet',
      'http://[0:0:0:0:0:0:0:1]:8080/x.parquet',
      'http://0.0.0.0:9000/x.parquet',
      'http://[::]/x.parquet',
      'http://minio.localhost/x.parquet',
      'HTTPS://LOCALHOST/x.parquet',
      'https://127.0.0.1/data/*.parquet',
    ]) {
      expect(() => readParquet(path), path).toThrow(LocalPathError)
    }
    // Names that only contain "localhost" are remote.
    for (const path of [
      'https://localhost.example.com/x.parquet',
      'https://mylocalhost/x.parquet',
    ]) {
      expect(() => readParquet(path), path).not.toThrow()
    }
    expect(() => readParquet(['s3://b/ok.parquet', './no.parquet'])).toThrow(
      /Upload the file to object storage.*insertRows/,
    )
    expect(() => readParquet([])).toThrow(EmptyPathListError)
  })

  it('rejects unknown options and values of the wrong kind at run time', () => {
    expect(() => readCsv('s3://b/x.csv', { hive_partitioning: 'yes' } as never)).toThrow(
      /"hive_partitioning" expects a boolean/,
    )
    expect(() => readCsv('s3://b/x.csv', { skip: 1.5 } as never)).toThrow(/expects an integer/)
    expect(() => readJson('s3://b/x.json', { field_appearance_threshold: Number.NaN })).toThrow(
      /expects a finite number/,
    )
    expect(() => readCsv('s3://b/x.csv', { columns: {} })).toThrow(/non-empty object/)
    expect(() => readParquet('s3://b/x.parquet', { header: true } as never)).toThrow(
      /"header" is not a parameter DuckDB documents/,
    )
    expect(() => readParquet('s3://b/x.parquet', { 'x = 1) --': true } as never)).toThrow(
      InvalidReaderOptionError,
    )
  })

  it('goes wherever Kysely takes a table: from, joins, CTEs, subqueries, insert … select', () => {
    expect(
      db
        .selectFrom(readParquet<Trip>('s3://b/trips/*.parquet').as('t'))
        .innerJoin('cities as c', 'c.name', 't.city')
        .select(['t.id', 'c.country'])
        .where('t.fare', '>', 10)
        .compile().sql,
    ).toBe(
      `select "t"."id", "c"."country" from read_parquet('s3://b/trips/*.parquet', MD_RUN = REMOTE) as "t" ` +
        `inner join "cities" as "c" on "c"."name" = "t"."city" where "t"."fare" > $1`,
    )
    expect(
      db
        .with('recent', (qb) =>
          qb.selectFrom(readCsv('s3://b/x.csv', { columns: { id: 'BIGINT' } }).as('x')).selectAll(),
        )
        .selectFrom('recent')
        .select('recent.id')
        .compile().sql,
    ).toBe(
      `with "recent" as (select * from read_csv('s3://b/x.csv', columns = {'id': 'BIGINT'}, MD_RUN = REMOTE) as "x") ` +
        `select "recent"."id" from "recent"`,
    )
    expect(
      db
        .selectFrom('trips')
        .selectAll()
        .where('id', 'in', (eb) =>
          eb
            .selectFrom(readJson('s3://b/ids.json', { columns: { id: 'BIGINT' } }).as('j'))
            .select('j.id'),
        )
        .compile().sql,
    ).toBe(
      `select * from "trips" where "id" in (select "j"."id" from read_json('s3://b/ids.json', ` +
        `columns = {'id': 'BIGINT'}, MD_RUN = REMOTE) as "j")`,
    )
    expect(
      db
        .insertInto('trips')
        .columns(['id', 'city', 'fare'])
        .expression(
          db
            .selectFrom(readParquet<Trip>('s3://b/new.parquet').as('n'))
            .select(['n.id', 'n.city', 'n.fare']),
        )
        .compile().sql,
    ).toBe(
      `insert into "trips" ("id", "city", "fare") select "n"."id", "n"."city", "n"."fare" ` +
        `from read_parquet('s3://b/new.parquet', MD_RUN = REMOTE) as "n"`,
    )
  })

  it('embeds in sql templates too', () => {
    expect(sql`select count(*) from ${readParquet('s3://b/x.parquet')}`.compile(db).sql).toBe(
      "select count(*) from read_parquet('s3://b/x.parquet', MD_RUN = REMOTE)",
    )
  })
})

describe('the SQL the JSDoc examples show', () => {
  // Kept in step with the `The generated SQL` blocks of read-csv.ts, read-parquet.ts and read-json.ts.
  it('is what the examples compile to', () => {
    const any = compileOnlyDb<{}>()
    expect(
      any
        .selectFrom(
          readCsv('s3://bucket/events/*.csv', {
            header: true,
            columns: { id: 'BIGINT', tags: 'VARCHAR[]', at: 'TIMESTAMP' },
          }).as('e'),
        )
        .select(['e.id', 'e.at'])
        .where('e.id', '>', 10n)
        .compile().sql,
    ).toBe(
      `select "e"."id", "e"."at" from read_csv('s3://bucket/events/*.csv', header = true, columns = {'id': 'BIGINT', 'tags': 'VARCHAR[]', 'at': 'TIMESTAMP'}, MD_RUN = REMOTE) as "e" where "e"."id" > $1`,
    )
    expect(
      any
        .selectFrom(
          readParquet<Trip>('s3://bucket/trips/*.parquet', { hive_partitioning: true }).as('t'),
        )
        .selectAll()
        .compile().sql,
    ).toBe(
      `select * from read_parquet('s3://bucket/trips/*.parquet', hive_partitioning = true, MD_RUN = REMOTE) as "t"`,
    )
    expect(
      any
        .selectFrom(
          readJson(['s3://bucket/a.ndjson', 's3://bucket/b.ndjson'], {
            format: 'newline_delimited',
            columns: { id: 'BIGINT', payload: 'JSON' },
          }).as('j'),
        )
        .selectAll()
        .compile().sql,
    ).toBe(
      `select * from read_json(['s3://bucket/a.ndjson', 's3://bucket/b.ndjson'], format = 'newline_delimited', columns = {'id': 'BIGINT', 'payload': 'JSON'}, MD_RUN = REMOTE) as "j"`,
    )
  })
})
