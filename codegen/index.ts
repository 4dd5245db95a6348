export type { ColumnRow, DatabaseRow, EnumTypeRow } from '../src/catalog/catalog-queries.js'
export { tableKey } from './build-metadata.js'
export type { CodegenConnectionOptions } from './codegen-connection.js'
export {
  CodegenOptionError,
  GeneratedTypesOutOfDateError,
  NoTablesMatchedError,
  UnknownDatabaseError,
} from './codegen-errors.js'
export type { ColumnTypeOverrides } from './codegen-options.js'
export { type CodegenConfig, CodegenConfigError, loadCodegenConfig } from './config-file.js'
export {
  type DuckDBField,
  type DuckDBType,
  DuckDBTypeSyntaxError,
  parseDuckDBType,
} from './duckdb-type-parser.js'
export {
  type CodegenResult,
  type GenerateTypesOptions,
  generateTypes,
  runCodegen,
} from './generate-types.js'
export {
  MotherDuckCodegenAdapter,
  type MotherDuckCodegenAdapterOptions,
} from './motherduck-codegen-adapter.js'
export { MotherDuckCodegenIntrospector } from './motherduck-codegen-introspector.js'
export {
  MotherDuckCodegenSerializer,
  type MotherDuckCodegenSerializerOptions,
} from './motherduck-codegen-serializer.js'
export { MotherDuckGeneratorDialect } from './motherduck-generator-dialect.js'
export type { NestedNullability } from './ts-shape.js'
export type { ColumnTypeOverride } from './user-column-types.js'
