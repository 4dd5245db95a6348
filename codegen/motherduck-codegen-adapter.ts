import { INTERVAL_FIELDS, type TypeParsingOptions } from '../src/types/duckdb-types.js'
import {
  COLUMN_TYPE_ALIASES,
  type ColumnTypeAliasName,
  scalarTypesOfAlias,
} from './column-type-aliases.js'
import {
  Adapter,
  ArrayExpressionNode,
  ColumnTypeNode,
  type Definitions,
  type ExpressionNode,
  ExtendsClauseNode,
  GenericExpressionNode,
  IdentifierNode,
  type Imports,
  ModuleReferenceNode,
  type Scalars,
  TemplateNode,
  UnionExpressionNode,
} from './kysely-codegen.js'
import { inlineColumnTypeNode } from './shape-to-node.js'
import { columnShapes } from './ts-shape.js'

/** How the adapter writes the shared types; every option is optional. */
export interface MotherDuckCodegenAdapterOptions extends TypeParsingOptions {
  /**
   * Declare `JsonValue` and `IntervalValue` in the generated file, so that it depends on `kysely` alone
   * (true), or import them from `kysely-motherduck` (false). Default: true.
   */
  readonly selfContained?: boolean | undefined
}

/**
 * A type written out as text, for the few shapes kysely-codegen has no node for (a tuple, optional
 * properties). It names nothing the file must declare or import, so kysely-codegen need not parse it
 * (its text parser is TypeScript itself, which it then loads: see `kysely-codegen-hooks.ts`); it prints
 * as written.
 */
class TypeTextNode extends IdentifierNode {}

const id = (name: string) => new IdentifierNode(name)
/** `X | Extract<T, null>`: an array element of `ArrayType`, nullable when `T` is. */
const orNullOfT = (name: string) =>
  new ArrayExpressionNode(
    new UnionExpressionNode([
      id(name),
      new GenericExpressionNode('Extract', [id('T'), id('null')]),
    ]),
  )

/**
 * kysely-codegen's `ArrayType<T>` (a `ColumnType` of arrays when `T` is one, else `T[]`), also right
 * for a nullable element: kysely-codegen's own spreads `ArrayType<Int8 | null>` into
 * `ColumnType<…> | null[]`, as its conditional type distributes over the union.
 */
const ARRAY_TYPE = new TemplateNode(
  ['T'],
  new ExtendsClauseNode(
    new TypeTextNode('[T]'),
    new TypeTextNode('[ColumnType<infer S, infer I, infer U> | null]'),
    new ColumnTypeNode(orNullOfT('S'), orNullOfT('I'), orNullOfT('U')),
    new ArrayExpressionNode(id('T')),
  ),
)

/** The package's `Interval` and `JsonValue`, written out (kysely-codegen's split of `JsonValue`). */
const VALUE_TYPES: Definitions = {
  IntervalValue: new TypeTextNode(
    `{\n${INTERVAL_FIELDS.map((field) => `  ${field}?: number;\n`).join('')}}`,
  ),
  JsonArray: new ArrayExpressionNode(id('JsonValue')),
  // Not kysely-codegen's `JsonValue | undefined`: the package's JsonValue, and JSON.parse, have no
  // undefined. (`JsonValue` is declared whenever this is: only `JsonValue` refers to it.)
  JsonObject: new TypeTextNode('{\n  [key: string]: JsonValue;\n}'),
  // Integers beyond ±2^53 − 1 arrive as bigint (see parseJson).
  JsonPrimitive: new UnionExpressionNode(['bigint', 'boolean', 'number', 'string', 'null'].map(id)),
  JsonValue: new UnionExpressionNode(['JsonArray', 'JsonObject', 'JsonPrimitive'].map(id)),
}

const VALUE_TYPE_IMPORTS: Imports = {
  IntervalValue: new ModuleReferenceNode('kysely-motherduck', 'Interval'),
  JsonValue: new ModuleReferenceNode('kysely-motherduck'),
}

/** The body of each shared column-type alias under the given type parsing (`Int8` follows `int64`). */
function columnTypeAliasBodies(
  options: TypeParsingOptions,
): Record<ColumnTypeAliasName, ExpressionNode> {
  const bodies: Partial<Record<ColumnTypeAliasName, ExpressionNode>> = {}
  for (const alias of new Set(Object.values(COLUMN_TYPE_ALIASES))) {
    const name = scalarTypesOfAlias(alias)[0]!
    bodies[alias] = inlineColumnTypeNode(
      columnShapes({ kind: 'scalar', name, spelling: name }, options),
    )
  }
  return bodies as Record<ColumnTypeAliasName, ExpressionNode>
}

/**
 * kysely-codegen's adapter for MotherDuck: where the TypeScript types of DuckDB columns come from.
 *
 * kysely-codegen adapters map a type *name* to a node. DuckDB types are trees (a STRUCT of LISTs of
 * MAPs…) that no fixed name table can hold, so `scalars` is filled per generation with one node per
 * distinct column type, built from the single type table (`buildMetadata` → `columnShapes`). Those nodes
 * refer to the shared aliases in `definitions` (`Int8`, `Timestamp`, `ArrayType`…), which kysely-codegen
 * writes into the file when a column uses them, and only then. A type no parser handles is `string`.
 * It sends no SQL; {@link MotherDuckGeneratorDialect} creates it, together with the introspector that
 * fills `scalars`.
 *
 * ### Examples
 *
 * ```ts
 * const dialect = new MotherDuckGeneratorDialect({ defaultSchema: 'main', int64: 'number' })
 * dialect.adapter.defaultSchemas // ['main']
 * ```
 */
export class MotherDuckCodegenAdapter extends Adapter {
  // pg returns the text of any type it has no parser for (createTypeParsers falls back to the text).
  override readonly defaultScalar = new IdentifierNode('string')
  override readonly defaultSchemas: string[]
  override readonly definitions: Definitions
  override readonly imports: Imports
  override readonly scalars: Scalars = {}

  constructor(defaultSchema: string, options: MotherDuckCodegenAdapterOptions = {}) {
    super()
    this.defaultSchemas = [defaultSchema]
    const selfContained = options.selfContained ?? true
    this.definitions = {
      ArrayType: ARRAY_TYPE,
      ...columnTypeAliasBodies(options),
      ...(selfContained ? VALUE_TYPES : {}),
    }
    this.imports = selfContained ? {} : VALUE_TYPE_IMPORTS
  }
}
