import type { DuckDBScalarTypeName, DuckDBTypeToTs } from '../types/duckdb-types.js'

/**
 * A DuckDB type as written in SQL: a scalar name (`'BIGINT'`, `'TIMESTAMP'`) or any other spelling
 * DuckDB accepts (`'VARCHAR[]'`, `'DECIMAL(10,2)'`, `'STRUCT(a INTEGER)'`). The scalar names are
 * listed for editor completion; other strings are allowed.
 */
export type DuckDBTypeSpelling = DuckDBScalarTypeName | (string & {})

/** Column name → DuckDB type, as the `columns`, `types` and `hive_types` options take it. */
export type ColumnTypes = Readonly<Record<string, DuckDBTypeSpelling>>

/** The row a `{ column: 'DUCKDB TYPE' }` map describes, through the one type table (`DuckDBTypeToTs`). */
export type RowOfColumnTypes<C extends ColumnTypes> = {
  -readonly [K in keyof C]: DuckDBTypeToTs<C[K] & string>
}

/** The extra column the `filename` option adds: `filename` for `true`, the given name for a string. */
export type FilenameColumn<F> = [F] extends [true]
  ? { filename: string }
  : [F] extends [string]
    ? string extends F
      ? {}
      : { [K in F]: string }
    : {}

/** Flattens an intersection for readable hover types. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** Rejects keys of `O` that `Allowed` does not declare (generic parameters skip excess-property checks). */
export type NoExtraKeys<O, Allowed> = {
  [K in Exclude<keyof O, keyof Allowed>]: never
}

/** The default row of a reader whose columns are not declared: any column, type unknown. */
export type UnknownRow = Record<string, unknown>

/** The BIGINT `file_row_number` column that `file_row_number: true` adds (Parquet). */
export type FileRowNumberColumn<O> = O extends { file_row_number: true }
  ? { file_row_number: bigint }
  : {}

/**
 * The row type of a reader: the explicit `Row` when given (the whole row: TypeScript cannot infer the
 * options next to an explicit type argument), else the columns the options declare (`Declared`, from
 * `columns` / `types`) or `UnknownRow`, plus the columns the `filename` and `file_row_number` options add.
 *
 * ### Examples
 *
 * ```ts
 * readCsv('s3://bucket/x.csv', { columns: { id: 'BIGINT', at: 'TIMESTAMP' }, filename: true })
 * // RawBuilder<{ id: bigint; at: Date; filename: string }>
 * readParquet<{ id: bigint }>('s3://bucket/x.parquet') // RawBuilder<{ id: bigint }>
 * readParquet('s3://bucket/x.parquet') // RawBuilder<Record<string, unknown>>
 * ```
 */
export type ReaderRow<Row, O, Declared = never> = [Row] extends [never]
  ? Simplify<
      ([Declared] extends [never] ? UnknownRow : Declared) &
        FilenameColumn<O extends { filename: infer F } ? F : undefined> &
        FileRowNumberColumn<O>
    >
  : Row
