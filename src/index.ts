export {
  DEFAULT_TYPE_PARSING,
  type DuckDBScalarTypeName,
  type DuckDBTypeToTs,
  type Int64Mode,
  type Interval,
  type JsonValue,
  type NumericMode,
  type TypeParsingOptions,
} from './types/duckdb-types.js'
export { createTypeParsers, PrecisionLossError } from './types/type-parsers.js'
