export { InvalidTableNameError } from './catalog/invalid-table-name-error.js'
export { motherDuckSchemaName, motherDuckTableKey } from './catalog/table-key.js'
export { MotherDuckAdapter } from './dialect/motherduck-adapter.js'
export { InvalidColumnValueError } from './dialect/motherduck-column-values.js'
export {
  type ResolvedMotherDuckConnection,
  resolveMotherDuckConnection,
} from './dialect/motherduck-connection-resolution.js'
export { MotherDuckDialect } from './dialect/motherduck-dialect.js'
export type {
  MotherDuckConnectRetryOptions,
  MotherDuckCursorConstructor,
  MotherDuckDialectConfig,
  MotherDuckMigrationLockOptions,
  MotherDuckPoolOptions,
  MotherDuckSslOption,
} from './dialect/motherduck-dialect-config.js'
export {
  MOTHERDUCK_TOKEN_DOCS,
  MotherDuckAuthenticationError,
  MotherDuckCertificateError,
  type MotherDuckCertificateProblem,
  MotherDuckConfigError,
  MotherDuckInsecureConnectionError,
  MotherDuckInvalidRowCountError,
  MotherDuckMigrationLockTimeoutError,
  MotherDuckRegionError,
  MotherDuckTokenMissingError,
  MotherDuckUnsupportedError,
} from './dialect/motherduck-errors.js'
export {
  MotherDuckIntrospector,
  type MotherDuckIntrospectorOptions,
  type MotherDuckTableMetadata,
} from './dialect/motherduck-introspector.js'
export { UnrepresentableParameterError } from './dialect/motherduck-parameters.js'
export { createMotherDuckPool, motherDuckPoolConfig } from './dialect/motherduck-pool.js'
export { MotherDuckQueryCompiler } from './dialect/motherduck-query-compiler.js'
export { jsonArrayFrom, jsonBuildObject, jsonObjectFrom } from './helpers/json.js'
export type { JsonHelperRow, JsonHelperValue } from './helpers/json-helper-types.js'
export {
  ConflictingCreateOptionsError,
  type CreateTableAsOptions,
  createTableAs,
  createTableAsQuery,
} from './load/create-table-as.js'
export {
  DEFAULT_MAX_BATCH_BYTES,
  type InsertRowsOptions,
  type InsertRowsProgress,
  insertRows,
} from './load/insert-rows.js'
export type { KyselyHandle } from './load/kysely-handle.js'
export {
  DuplicateColumnError,
  InsertRowsError,
  InvalidRowValueError,
  TableNotFoundError,
  UnknownColumnError,
} from './load/load-errors.js'
export {
  type UnsupportedLoadKind,
  UnsupportedLoadStatementError,
  unsupportedLoadStatement,
} from './load/unsupported-load-statement.js'
export {
  DEFAULT_MOTHERDUCK_REGION,
  MOTHERDUCK_AWS_REGIONS,
  MOTHERDUCK_AZURE_REGIONS,
  MOTHERDUCK_REGIONS,
  type MotherDuckCloud,
  type MotherDuckRegion,
  motherDuckCloud,
  motherDuckHost,
  regionFromToken,
} from './motherduck/regions.js'
export {
  EmptyPathListError,
  LocalPathError,
  REMOTE_SCHEMES,
  type ReaderPaths,
} from './motherduck/remote-path.js'
export { InvalidReaderOptionError } from './sources/invalid-reader-option-error.js'
export { type MdRun, MdRunLocalError } from './sources/md-run.js'
export {
  type CsvCompression,
  type CsvEncoding,
  type CsvNewLine,
  type ReadCsvOptions,
  readCsv,
} from './sources/read-csv.js'
export {
  type JsonCompression,
  type JsonFormat,
  type JsonRecords,
  type ReadJsonOptions,
  readJson,
} from './sources/read-json.js'
export {
  type ParquetEncryptionConfig,
  type ReadParquetOptions,
  readParquet,
} from './sources/read-parquet.js'
export type { ColumnTypes, DuckDBTypeSpelling, ReaderRow } from './sources/reader-row.js'
export { UnrepresentableStringError } from './sql/sql-string-literal.js'
export {
  DEFAULT_TYPE_PARSING,
  type DuckDBScalarTypeName,
  type DuckDBTypeToTs,
  type Int64Mode,
  type Interval,
  type JsonValue,
  type NumericMode,
  type TimestampMode,
  type TypeParsingOptions,
} from './types/duckdb-types.js'
export { createTypeParsers, PrecisionLossError } from './types/type-parsers.js'
