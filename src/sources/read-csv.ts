import { type RawBuilder, sql } from 'kysely'
import type { ReaderPaths } from '../motherduck/remote-path.js'
import type { MdRun } from './md-run.js'
import { type ReaderOptionKinds, readerCallSql } from './reader-call.js'
import type {
  ColumnTypes,
  DuckDBTypeSpelling,
  NoExtraKeys,
  ReaderRow,
  RowOfColumnTypes,
} from './reader-row.js'

/** How a CSV file is compressed; `'auto'` (the default) decides from the file extension. */
export type CsvCompression = 'auto' | 'none' | 'gzip' | 'zstd'

/** The character encoding of a CSV file; DuckDB's default is `'utf-8'`. */
export type CsvEncoding = 'utf-8' | 'utf-16' | 'latin-1'

/** A CSV line terminator as DuckDB's `new_line` takes it: backslash escapes, not the characters themselves. */
export type CsvNewLine = '\\n' | '\\r' | '\\r\\n'

/** A whole number DuckDB reads as BIGINT. */
type Count = number | bigint

/**
 * The named parameters of DuckDB's `read_csv`, in DuckDB's spelling, plus MotherDuck's `MD_RUN`
 * (`mdRun`). Every one is optional; DuckDB's default applies when omitted.
 */
export interface ReadCsvOptions {
  /** Read every column as VARCHAR, skipping type detection. Default `false`. */
  all_varchar?: boolean
  /** Treat a quoted value equal to `nullstr` as NULL too. Default `true`. */
  allow_quoted_nulls?: boolean
  /** Detect the dialect, header and column types by sniffing the file. Default `true`. */
  auto_detect?: boolean
  /** The types the sniffer may choose from, e.g. `['BIGINT', 'DOUBLE', 'VARCHAR']`. Default: DuckDB's own candidate list. */
  auto_type_candidates?: readonly DuckDBTypeSpelling[]
  /** The read buffer size in bytes. Default 16 × `max_line_size`. */
  buffer_size?: Count
  /** Every column with its type, in file order: `{ id: 'BIGINT', name: 'VARCHAR' }`; implies no type detection. Default: none (detected). */
  columns?: ColumnTypes
  /** The character that starts a comment line, e.g. `'#'`. Default none. */
  comment?: string
  /** The file compression. Default `'auto'` (from the extension). */
  compression?: CsvCompression
  /** The DATE format, in strftime syntax, e.g. `'%d/%m/%Y'`. Default ISO 8601. */
  dateformat?: string
  /** The decimal separator of numbers, `'.'` (default) or `','`. */
  decimal_separator?: string
  /** The column delimiter, e.g. `','` or `'\t'`; detected by default. */
  delim?: string
  /** Alias of `delim`; same default (detected). */
  sep?: string
  /** The character that escapes a quote inside a quoted value. Default `'"'`. */
  escape?: string
  /** The character encoding. Default `'utf-8'`. */
  encoding?: CsvEncoding
  /** Add a column with each row's file name: `true` names it `filename`, a string names it. Default `false`. */
  filename?: boolean | string
  /** How many files to sniff when reading several. Default 10. */
  files_to_sniff?: Count
  /** Columns whose empty values stay empty strings instead of NULL. Default: none. */
  force_not_null?: readonly string[]
  /** Whether the first line holds column names; detected by default. */
  header?: boolean
  /** Read `key=value` directories as partition columns; detected by default. */
  hive_partitioning?: boolean
  /** Types of hive partition columns: `{ year: 'INTEGER' }`. Default: none (detected, see `hive_types_autocast`). */
  hive_types?: ColumnTypes
  /** Detect the types of hive partition columns. Default `true`. */
  hive_types_autocast?: boolean
  /** Skip lines that fail to parse instead of failing. Default `false`. */
  ignore_errors?: boolean
  /** The longest line in bytes. Default 2,000,000. */
  max_line_size?: Count
  /** Alias of `max_line_size`; same default (2,000,000). */
  maximum_line_size?: Count
  /** Column names, in file order, overriding the header. Default: the header's names, else `column0`, `column1`, … */
  names?: readonly string[]
  /** Alias of `names`; same default. */
  column_names?: readonly string[]
  /** The line terminator, written with backslashes as DuckDB reads it (`'\\n'` is backslash + n); detected by default. */
  new_line?: CsvNewLine
  /** Lower-case column names and replace characters that are not alphanumeric. Default `false`. */
  normalize_names?: boolean
  /** Fill missing trailing columns with NULL instead of failing. Default `false`. */
  null_padding?: boolean
  /** The string (or strings) that mean NULL. Default the empty string. */
  nullstr?: string | readonly string[]
  /** Use the parallel CSV reader. Default `true`. */
  parallel?: boolean
  /** The quote character. Default `'"'`. */
  quote?: string
  /** The table that receives rejected lines' scan info when `store_rejects` is on. Default `'reject_scans'`. */
  rejects_scan?: string
  /** The table that receives rejected lines when `store_rejects` is on. Default `'reject_errors'`. */
  rejects_table?: string
  /** The most rejected lines to keep per file; 0 means no limit. Default 0. */
  rejects_limit?: Count
  /** How many lines the sniffer reads; -1 reads everything. Default 20,480. */
  sample_size?: Count
  /** How many lines to skip at the start of each file. Default 0. */
  skip?: Count
  /** Keep lines that fail to parse in the rejects tables instead of failing. Default `false`. */
  store_rejects?: boolean
  /** Fail on lines that do not conform to the dialect. Default `true`. */
  strict_mode?: boolean
  /** The thousands separator of numbers, e.g. `','`. Default none. */
  thousands?: string
  /** The TIMESTAMP format, in strftime syntax. Default ISO 8601. */
  timestampformat?: string
  /** Types of some columns, by position (`['BIGINT', 'VARCHAR']`) or by name (`{ id: 'BIGINT' }`); the rest are detected. Default: none (all detected). */
  types?: readonly DuckDBTypeSpelling[] | ColumnTypes
  /** Alias of `types`; same default (all detected). */
  dtypes?: readonly DuckDBTypeSpelling[] | ColumnTypes
  /** Alias of `types`; same default (all detected). */
  column_types?: readonly DuckDBTypeSpelling[] | ColumnTypes
  /** Combine files by column name rather than position. Default `false`. */
  union_by_name?: boolean
  /** Where MotherDuck runs the read: `'REMOTE'` (default) or `'AUTO'`. `'LOCAL'` cannot work through the endpoint. */
  mdRun?: MdRun
}

const READ_CSV_OPTIONS = {
  all_varchar: 'boolean',
  allow_quoted_nulls: 'boolean',
  auto_detect: 'boolean',
  auto_type_candidates: 'strings',
  buffer_size: 'integer',
  columns: 'struct',
  comment: 'string',
  compression: 'string',
  dateformat: 'string',
  decimal_separator: 'string',
  delim: 'string',
  sep: 'string',
  escape: 'string',
  encoding: 'string',
  filename: 'boolean-or-string',
  files_to_sniff: 'integer',
  force_not_null: 'strings',
  header: 'boolean',
  hive_partitioning: 'boolean',
  hive_types: 'struct',
  hive_types_autocast: 'boolean',
  ignore_errors: 'boolean',
  max_line_size: 'integer',
  maximum_line_size: 'integer',
  names: 'strings',
  column_names: 'strings',
  new_line: 'string',
  normalize_names: 'boolean',
  null_padding: 'boolean',
  nullstr: 'string-or-strings',
  parallel: 'boolean',
  quote: 'string',
  rejects_scan: 'string',
  rejects_table: 'string',
  rejects_limit: 'integer',
  sample_size: 'integer',
  skip: 'integer',
  store_rejects: 'boolean',
  strict_mode: 'boolean',
  thousands: 'string',
  timestampformat: 'string',
  types: 'strings-or-struct',
  dtypes: 'strings-or-struct',
  column_types: 'strings-or-struct',
  union_by_name: 'boolean',
} as const satisfies ReaderOptionKinds & Record<Exclude<keyof ReadCsvOptions, 'mdRun'>, unknown>

/** The columns a `read_csv` call declares by name: `columns`, else a by-name `types` (or alias). */
export type CsvDeclaredRow<O> = O extends { columns: infer C extends ColumnTypes }
  ? RowOfColumnTypes<C>
  : O extends { types: infer C extends ColumnTypes }
    ? RowOfColumnTypes<C>
    : O extends { dtypes: infer C extends ColumnTypes }
      ? RowOfColumnTypes<C>
      : O extends { column_types: infer C extends ColumnTypes }
        ? RowOfColumnTypes<C>
        : never

/**
 * Reads CSV files on the MotherDuck server: a typed `read_csv(…, MD_RUN = REMOTE)` that goes wherever
 * Kysely takes a table (`selectFrom`, joins, CTEs, subqueries, `insertInto(…).expression(…)`) once
 * aliased with `.as()`. The row type is the `Row` argument, or else the one the `columns` option (or a
 * by-name `types`) declares in DuckDB type names, mapped through the library's type table; without
 * either, columns are `unknown`. Paths and option values are sent as escaped SQL string literals.
 *
 * ### Examples
 *
 * ```ts
 * const rows = await db
 *   .selectFrom(
 *     readCsv('s3://bucket/events/*.csv', {
 *       header: true,
 *       columns: { id: 'BIGINT', tags: 'VARCHAR[]', at: 'TIMESTAMP' },
 *     }).as('e'),
 *   )
 *   .select(['e.id', 'e.at']) // { id: bigint; at: Date }[]
 *   .where('e.id', '>', 10n)
 *   .execute()
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * select "e"."id", "e"."at" from read_csv('s3://bucket/events/*.csv', header = true, columns = {'id': 'BIGINT', 'tags': 'VARCHAR[]', 'at': 'TIMESTAMP'}, MD_RUN = REMOTE) as "e" where "e"."id" > $1
 * ```
 *
 * @param paths A URL or glob (`s3://`, `gcs://`, `gs://`, `r2://`, `azure://`, `az://`, `abfss://`,
 *   `hf://`, `http(s)://`), or a list of them. A client-local path throws `LocalPathError`.
 * @param options DuckDB's `read_csv` parameters, and `mdRun`.
 */
export function readCsv<
  Row extends object = never,
  const O extends ReadCsvOptions = ReadCsvOptions,
>(
  paths: ReaderPaths,
  options?: O & NoExtraKeys<O, ReadCsvOptions>,
): RawBuilder<ReaderRow<Row, O, CsvDeclaredRow<O>>> {
  return sql.raw(readerCallSql('read_csv', paths, options, READ_CSV_OPTIONS))
}
