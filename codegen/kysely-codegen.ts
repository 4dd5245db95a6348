/**
 * The parts of kysely-codegen codegen uses, from their own modules: its index loads its CLI, config
 * schema (zod) and every dialect's introspector, which a run needs none of. Every codegen module imports
 * kysely-codegen through this file, which first routes kysely-codegen's `kysely` and `typescript`
 * requires (see `kysely-codegen-hooks.ts`). kysely-codegen has no `exports` map; these paths are the
 * ones of its 0.20 line, which package.json pins.
 */
import './kysely-codegen-hooks.js'

export {
  Adapter,
  type Definitions,
  type Imports,
  type Scalars,
} from 'kysely-codegen/dist/generator/adapter.js'
export { ArrayExpressionNode } from 'kysely-codegen/dist/generator/ast/array-expression-node.js'
export { ColumnTypeNode } from 'kysely-codegen/dist/generator/ast/column-type-node.js'
export type { ExpressionNode } from 'kysely-codegen/dist/generator/ast/expression-node.js'
export { ExtendsClauseNode } from 'kysely-codegen/dist/generator/ast/extends-clause-node.js'
export { GenericExpressionNode } from 'kysely-codegen/dist/generator/ast/generic-expression-node.js'
export { IdentifierNode } from 'kysely-codegen/dist/generator/ast/identifier-node.js'
export { InferClauseNode } from 'kysely-codegen/dist/generator/ast/infer-clause-node.js'
export { LiteralNode } from 'kysely-codegen/dist/generator/ast/literal-node.js'
export { MappedTypeNode } from 'kysely-codegen/dist/generator/ast/mapped-type-node.js'
export { ModuleReferenceNode } from 'kysely-codegen/dist/generator/ast/module-reference-node.js'
export { ObjectExpressionNode } from 'kysely-codegen/dist/generator/ast/object-expression-node.js'
export { PropertyNode } from 'kysely-codegen/dist/generator/ast/property-node.js'
export { RawExpressionNode } from 'kysely-codegen/dist/generator/ast/raw-expression-node.js'
export type { RuntimeEnumDeclarationNode } from 'kysely-codegen/dist/generator/ast/runtime-enum-declaration-node.js'
export { TemplateNode } from 'kysely-codegen/dist/generator/ast/template-node.js'
export { UnionExpressionNode } from 'kysely-codegen/dist/generator/ast/union-expression-node.js'
export { GeneratorDialect } from 'kysely-codegen/dist/generator/dialect.js'
export { DiffChecker } from 'kysely-codegen/dist/generator/generator/diff-checker.js'
export { serializeFromMetadata } from 'kysely-codegen/dist/generator/generator/generate.js'
export type { RuntimeEnumsStyle } from 'kysely-codegen/dist/generator/generator/runtime-enums-style.js'
export {
  type SerializeFileOptions,
  TypeScriptSerializer,
} from 'kysely-codegen/dist/generator/generator/serializer.js'
export { GLOBAL_DEFINITIONS } from 'kysely-codegen/dist/generator/transformer/definitions.js'
export { GLOBAL_IMPORTS } from 'kysely-codegen/dist/generator/transformer/imports.js'
export {
  toKyselyCamelCase,
  toKyselyPascalCase,
  toPascalCase,
  toScreamingSnakeCase,
} from 'kysely-codegen/dist/generator/utils/case-converter.js'
export type { CreateKyselyDialectOptions } from 'kysely-codegen/dist/introspector/dialect.js'
export { EnumCollection } from 'kysely-codegen/dist/introspector/enum-collection.js'
export {
  type IntrospectOptions,
  Introspector,
} from 'kysely-codegen/dist/introspector/introspector.js'
export type { ColumnMetadataOptions } from 'kysely-codegen/dist/introspector/metadata/column-metadata.js'
export { DatabaseMetadata } from 'kysely-codegen/dist/introspector/metadata/database-metadata.js'
export type { TableMetadataOptions } from 'kysely-codegen/dist/introspector/metadata/table-metadata.js'
export { TableMatcher } from 'kysely-codegen/dist/introspector/table-matcher.js'
