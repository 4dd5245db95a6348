import { type RawBuilder, sql } from 'kysely'
import type { ReaderPaths } from '../motherduck/remote-path.js'
import type { MdRun } from './md-run.js'
import { type ReaderOptionKinds, readerCallSql } from './reader-call.js'
import type { ColumnTypes, NoExtraKeys, ReaderRow, RowOfColumnTypes } from './reader-row.js'

/** The layout of a JSON file; `'auto'` (the default) detects it. */
export type JsonFormat = 'auto' | 'unstructured' | 'newline_delimited' | 'array'

/** Whether top-level objects are rows of columns (`'true'`) or single values (`'false'`); detected by default. */
export type JsonRecords = 'auto' | 'true' | 'false'

/**
 * How a JSON file is compressed; `'auto_detect'` (the default) decides from the file extension.
 * (read_json spells these differently from read_csv.)
 */
export type JsonCompression = 'auto_detect' | 'uncompressed' | 'gzip' | 'zstd'

/**
 * The named parameters of DuckDB's `read_json`, in DuckDB's spelling, plus MotherDuck's `MD_RUN`
 * (`mdRun`). Every one is optional; DuckDB's default applies when omitted.
 */
export interface ReadJsonOptions {
  /** Detect the column names and types by sampling. Default `true`. */
  auto_detect?: boolean
  /** Every column with its type: `{ id: 'BIGINT', tags: 'VARCHAR[]' }`; implies no type detection. Default: none (detected). */
  columns?: ColumnTypes
  /** The file compression. Default `'auto_detect'` (from the extension). */
  compression?: JsonCompression
  /** Detect strings that hold integers as integers. Default `false`. */
  convert_strings_to_integers?: boolean
  /** The DATE format, in strftime syntax. Default ISO 8601. */
  dateformat?: string
  /** Alias of `dateformat`; same default (ISO 8601). */
  date_format?: string
  /** Fraction (0–1) of objects a key must appear in to become a column rather than a MAP. Default 0.1. */
  field_appearance_threshold?: number
  /** Add a column with each row's file name: `true` names it `filename`, a string names it. Default `false`. */
  filename?: boolean | string
  /** The layout of the file. Default `'auto'`. */
  format?: JsonFormat
  /** Read `key=value` directories as partition columns; detected by default. */
  hive_partitioning?: boolean
  /** Types of hive partition columns: `{ year: 'INTEGER' }`. Default: none (detected, see `hive_types_autocast`). */
  hive_types?: ColumnTypes
  /** Detect the types of hive partition columns. Default `true`. */
  hive_types_autocast?: boolean
  /** Skip values that fail to parse (newline-delimited files only). Default `false`. */
  ignore_errors?: boolean
  /** How many keys an object may have before it is read as a MAP; -1 never. Default 200. */
  map_inference_threshold?: number | bigint
  /** How deep type detection looks into nested values; -1 without limit. Default -1. */
  maximum_depth?: number | bigint
  /** The largest JSON object in bytes. Default 16,777,216. */
  maximum_object_size?: number
  /** How many files to sample for type detection; -1 all of them. Default 32. */
  maximum_sample_files?: number | bigint
  /** Whether top-level objects are rows of columns. Default `'auto'`. */
  records?: JsonRecords
  /** How many objects type detection reads; -1 all of them. Default 20,480. */
  sample_size?: number | bigint
  /** The TIMESTAMP format, in strftime syntax. Default ISO 8601. */
  timestampformat?: string
  /** Alias of `timestampformat`; same default (ISO 8601). */
  timestamp_format?: string
  /** Combine files by column name rather than position. Default `false`. */
  union_by_name?: boolean
  /** Where MotherDuck runs the read: `'REMOTE'` (default) or `'AUTO'`. `'LOCAL'` cannot work through the endpoint. */
  mdRun?: MdRun
}

const READ_JSON_OPTIONS = {
  auto_detect: 'boolean',
  columns: 'struct',
  compression: 'string',
  convert_strings_to_integers: 'boolean',
  dateformat: 'string',
  date_format: 'string',
  field_appearance_threshold: 'number',
  filename: 'boolean-or-string',
  format: 'string',
  hive_partitioning: 'boolean',
  hive_types: 'struct',
  hive_types_autocast: 'boolean',
  ignore_errors: 'boolean',
  map_inference_threshold: 'integer',
  maximum_depth: 'integer',
  maximum_object_size: 'integer',
  maximum_sample_files: 'integer',
  records: 'string',
  sample_size: 'integer',
  timestampformat: 'string',
  timestamp_format: 'string',
  union_by_name: 'boolean',
} as const satisfies ReaderOptionKinds & Record<Exclude<keyof ReadJsonOptions, 'mdRun'>, unknown>

/** The columns a `read_json` call declares by name with `columns`. */
export type JsonDeclaredRow<O> = O extends { columns: infer C extends ColumnTypes }
  ? RowOfColumnTypes<C>
  : never

/**
 * Reads JSON files (an array, newline-delimited, or concatenated objects) on the MotherDuck server: a
 * typed `read_json(…, MD_RUN = REMOTE)` that goes wherever Kysely takes a table once aliased with
 * `.as()`. The row type is the `Row` argument, or else the one the `columns` option declares in DuckDB
 * type names, mapped through the library's type table; without either, columns are `unknown`.
 * Paths and option values are sent as escaped SQL string literals.
 *
 * ### Examples
 *
 * ```ts
 * const events = await db
 *   .selectFrom(
 *     readJson(['s3://bucket/a.ndjson', 's3://bucket/b.ndjson'], {
 *       format: 'newline_delimited',
 *       columns: { id: 'BIGINT', payload: 'JSON' },
 *     }).as('j'),
 *   )
 *   .selectAll()
 *   .execute() // { id: bigint; payload: JsonValue }[]
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * select * from read_json(['s3://bucket/a.ndjson', 's3://bucket/b.ndjson'], format = 'newline_delimited', columns = {'id': 'BIGINT', 'payload': 'JSON'}, MD_RUN = REMOTE) as "j"
 * ```
 *
 * @param paths A URL or glob (`s3://`, `gcs://`, `gs://`, `r2://`, `azure://`, `az://`, `abfss://`,
 *   `hf://`, `http(s)://`), or a list of them. A client-local path throws `LocalPathError`.
 * @param options DuckDB's `read_json` parameters, and `mdRun`.
 */
export function readJson<
  Row extends object = never,
  const O extends ReadJsonOptions = ReadJsonOptions,
>(
  paths: ReaderPaths,
  options?: O & NoExtraKeys<O, ReadJsonOptions>,
): RawBuilder<ReaderRow<Row, O, JsonDeclaredRow<O>>> {
  return sql.raw(readerCallSql('read_json', paths, options, READ_JSON_OPTIONS))
}
