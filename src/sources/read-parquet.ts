import { type RawBuilder, sql } from 'kysely'
import type { ReaderPaths } from '../motherduck/remote-path.js'
import type { MdRun } from './md-run.js'
import { type ReaderOptionKinds, readerCallSql } from './reader-call.js'
import type { ColumnTypes, NoExtraKeys, ReaderRow } from './reader-row.js'

/**
 * Parquet modular encryption: the name of the footer key (added with `PRAGMA add_parquet_key`) and,
 * optionally, column keys.
 */
export interface ParquetEncryptionConfig {
  /** The name of the key that decrypts the file footer. */
  footer_key: string
  [key: string]: string
}

/**
 * The named parameters of DuckDB's `read_parquet`, in DuckDB's spelling, plus MotherDuck's `MD_RUN`
 * (`mdRun`). Every one is optional; DuckDB's default applies when omitted.
 */
export interface ReadParquetOptions {
  /** Read BLOB columns as VARCHAR, for files whose writer did not mark strings as UTF-8. Default `false`. */
  binary_as_string?: boolean
  /** Decrypt an encrypted file: `{ footer_key: 'key_name' }`. Default: none (the files are not encrypted). */
  encryption_config?: ParquetEncryptionConfig
  /** Add a column with each row's file name: `true` names it `filename`, a string names it. Default `false`. */
  filename?: boolean | string
  /** Add a `file_row_number` column (BIGINT) with each row's position in its file. Default `false`. */
  file_row_number?: boolean
  /** Read `key=value` directories as partition columns; detected by default. */
  hive_partitioning?: boolean
  /** Types of hive partition columns: `{ year: 'INTEGER' }`. Default: none (detected, see `hive_types_autocast`). */
  hive_types?: ColumnTypes
  /** Detect the types of hive partition columns. Default `true`. */
  hive_types_autocast?: boolean
  /** Combine files by column name rather than position. Default `false`. */
  union_by_name?: boolean
  /** Where MotherDuck runs the read: `'REMOTE'` (default) or `'AUTO'`. `'LOCAL'` cannot work through the endpoint. */
  mdRun?: MdRun
}

const READ_PARQUET_OPTIONS = {
  binary_as_string: 'boolean',
  encryption_config: 'struct',
  filename: 'boolean-or-string',
  file_row_number: 'boolean',
  hive_partitioning: 'boolean',
  hive_types: 'struct',
  hive_types_autocast: 'boolean',
  union_by_name: 'boolean',
} as const satisfies ReaderOptionKinds & Record<Exclude<keyof ReadParquetOptions, 'mdRun'>, unknown>

/**
 * Reads Parquet files on the MotherDuck server: a typed `read_parquet(…, MD_RUN = REMOTE)` that goes
 * wherever Kysely takes a table (`selectFrom`, joins, CTEs, subqueries, `insertInto(…).expression(…)`)
 * once aliased with `.as()`. Parquet files carry their schema, so the row type is the `Row` argument
 * (include `filename` / `file_row_number` in it when you ask for them); without it, columns are `unknown`. Paths and option values are sent as escaped SQL string literals.
 *
 * ### Examples
 *
 * ```ts
 * interface Trip { id: bigint; city: string; fare: number }
 *
 * const trips = await db
 *   .selectFrom(readParquet<Trip>('s3://bucket/trips/*.parquet', { hive_partitioning: true }).as('t'))
 *   .selectAll()
 *   .execute() // Trip[]
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * select * from read_parquet('s3://bucket/trips/*.parquet', hive_partitioning = true, MD_RUN = REMOTE) as "t"
 * ```
 *
 * @param paths A URL or glob (`s3://`, `gcs://`, `gs://`, `r2://`, `azure://`, `az://`, `abfss://`,
 *   `hf://`, `http(s)://`), or a list of them. A client-local path throws `LocalPathError`.
 * @param options DuckDB's `read_parquet` parameters, and `mdRun`.
 */
export function readParquet<
  Row extends object = never,
  const O extends ReadParquetOptions = ReadParquetOptions,
>(
  paths: ReaderPaths,
  options?: O & NoExtraKeys<O, ReadParquetOptions>,
): RawBuilder<ReaderRow<Row, O>> {
  return sql.raw(readerCallSql('read_parquet', paths, options, READ_PARQUET_OPTIONS))
}
