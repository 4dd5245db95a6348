import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ReadCsvOptions, readCsv } from '../../src/sources/read-csv.js'
import { type ReadJsonOptions, readJson } from '../../src/sources/read-json.js'
import { type ReadParquetOptions, readParquet } from '../../src/sources/read-parquet.js'
import { BUCKET, type LocalMotherDuck, startLocalMotherDuck } from './local-motherduck.js'
import { writeReaderFixtures } from './reader-fixtures.js'

/**
 * Every named parameter, each with a value that DuckDB accepts for the fixture, so the spelling and
 * literal form of each one is checked by DuckDB itself. The record types make the lists complete.
 */
const CSV_OPTIONS: Record<keyof ReadCsvOptions, ReadCsvOptions & { path?: string }> = {
  all_varchar: { all_varchar: true },
  allow_quoted_nulls: { allow_quoted_nulls: false },
  auto_detect: { auto_detect: true },
  auto_type_candidates: { auto_type_candidates: ['BIGINT', 'VARCHAR'] },
  buffer_size: { buffer_size: 1_048_576 },
  columns: {
    columns: { id: 'BIGINT', name: 'VARCHAR', tags: 'VARCHAR', at: 'VARCHAR' },
    header: true,
    delim: '|',
  },
  comment: { comment: '#' },
  compression: { compression: 'none' },
  dateformat: { dateformat: '%Y-%m-%d' },
  decimal_separator: { decimal_separator: ',' },
  delim: { delim: '|' },
  sep: { sep: '|' },
  escape: { escape: '"' },
  encoding: { encoding: 'latin-1' },
  filename: { filename: 'source' },
  files_to_sniff: { files_to_sniff: 1 },
  force_not_null: { force_not_null: ['name'], delim: '|', header: true },
  header: { header: true },
  hive_partitioning: { hive_partitioning: false },
  hive_types: {
    hive_types: { year: 'INTEGER' },
    hive_partitioning: true,
    path: 'hive-csv/*/*.csv',
  },
  hive_types_autocast: { hive_types_autocast: false },
  ignore_errors: { ignore_errors: true },
  max_line_size: { max_line_size: 4096 },
  maximum_line_size: { maximum_line_size: 4096n },
  names: { names: ['a', 'b', 'c', 'd'] },
  column_names: { column_names: ['a', 'b', 'c', 'd'] },
  new_line: { new_line: '\\n' },
  normalize_names: { normalize_names: true },
  null_padding: { null_padding: true },
  nullstr: { nullstr: ['NA', 'null'] },
  parallel: { parallel: false },
  quote: { quote: '"' },
  rejects_scan: { store_rejects: true, rejects_scan: 'csv_scans', rejects_table: 'csv_errors' },
  rejects_table: {
    store_rejects: true,
    rejects_table: 'csv_errors_2',
    rejects_scan: 'csv_scans_2',
  },
  rejects_limit: { store_rejects: true, rejects_table: 'e3', rejects_scan: 's3', rejects_limit: 5 },
  sample_size: { sample_size: -1 },
  skip: { skip: 1 },
  store_rejects: { store_rejects: true, rejects_table: 'e4', rejects_scan: 's4' },
  strict_mode: { strict_mode: false },
  thousands: { thousands: ',', delim: '|' },
  timestampformat: { timestampformat: '%Y-%m-%d %H:%M:%S' },
  types: { types: ['BIGINT'], delim: '|' },
  dtypes: { dtypes: { id: 'BIGINT' }, delim: '|' },
  column_types: { column_types: { id: 'INTEGER' }, delim: '|' },
  union_by_name: { union_by_name: true },
  mdRun: { mdRun: 'AUTO' },
}

const PARQUET_OPTIONS: Record<
  Exclude<keyof ReadParquetOptions, 'encryption_config'>,
  ReadParquetOptions
> = {
  binary_as_string: { binary_as_string: true },
  filename: { filename: true },
  file_row_number: { file_row_number: true },
  hive_partitioning: { hive_partitioning: true },
  hive_types: { hive_partitioning: true, hive_types: { year: 'BIGINT' } },
  hive_types_autocast: { hive_types_autocast: false },
  union_by_name: { union_by_name: true },
  mdRun: { mdRun: 'AUTO' },
}

const JSON_OPTIONS: Record<keyof ReadJsonOptions, ReadJsonOptions & { path?: string }> = {
  auto_detect: { auto_detect: true },
  columns: { columns: { id: 'BIGINT' } },
  compression: { compression: 'uncompressed' },
  convert_strings_to_integers: { convert_strings_to_integers: true },
  dateformat: { dateformat: '%Y-%m-%d' },
  date_format: { date_format: '%Y-%m-%d' },
  field_appearance_threshold: { field_appearance_threshold: 0.5 },
  filename: { filename: true },
  format: { format: 'newline_delimited' },
  hive_partitioning: { hive_partitioning: false },
  hive_types: {
    hive_types: { year: 'INTEGER' },
    hive_partitioning: true,
    path: 'hive-json/*/*.json',
  },
  hive_types_autocast: { hive_types_autocast: false },
  ignore_errors: { ignore_errors: true },
  map_inference_threshold: { map_inference_threshold: 10 },
  maximum_depth: { maximum_depth: 2 },
  maximum_object_size: { maximum_object_size: 1_048_576 },
  maximum_sample_files: { maximum_sample_files: 1 },
  records: { records: 'auto' },
  sample_size: { sample_size: 100 },
  timestampformat: { timestampformat: '%Y-%m-%d %H:%M:%S' },
  timestamp_format: { timestamp_format: '%Y-%m-%d %H:%M:%S' },
  union_by_name: { union_by_name: true },
  mdRun: { mdRun: 'AUTO' },
}

let local: LocalMotherDuck<Record<string, never>>
beforeAll(async () => {
  local = await startLocalMotherDuck()
  await writeReaderFixtures(local.bucketDir)
  const { mkdir, writeFile } = await import('node:fs/promises')
  const { join } = await import('node:path')
  await mkdir(join(local.bucketDir, 'hive-csv/year=2024'), { recursive: true })
  await writeFile(join(local.bucketDir, 'hive-csv/year=2024/a.csv'), 'id\n1\n')
  await mkdir(join(local.bucketDir, 'hive-json/year=2024'), { recursive: true })
  await writeFile(join(local.bucketDir, 'hive-json/year=2024/a.json'), '{"id": 1}\n')
})
afterAll(() => local?.stop())

const countRows = async (from: { as(alias: 'f'): unknown }) =>
  (await sql<{ n: bigint }>`select count(*) as n from ${from.as('f') as never}`.execute(local.db))
    .rows[0]!.n

describe('every reader option is accepted by DuckDB, as written', () => {
  it.each(Object.entries(CSV_OPTIONS))('read_csv %s', async (_name, { path, ...options }) => {
    const n = await countRows(readCsv(`${BUCKET}/${path ?? 'events/events_1.csv'}`, options))
    expect(n).toBeGreaterThan(0n)
  })

  it.each(Object.entries(PARQUET_OPTIONS))('read_parquet %s', async (_name, options) => {
    expect(await countRows(readParquet(`${BUCKET}/trips/*/*.parquet`, options))).toBe(6n)
  })

  it('read_parquet encryption_config (DuckDB looks up the named key)', async () => {
    await expect(
      countRows(
        readParquet(`${BUCKET}/parts/a.parquet`, { encryption_config: { footer_key: "it's" } }),
      ),
    ).rejects.toThrow(/No key with name "it's" exists/)
  })

  it.each(Object.entries(JSON_OPTIONS))('read_json %s', async (_name, { path, ...options }) => {
    const n = await countRows(readJson(`${BUCKET}/${path ?? 'events.ndjson'}`, options))
    expect(n).toBeGreaterThan(0n)
  })
})
