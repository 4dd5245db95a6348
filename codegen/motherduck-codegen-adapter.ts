import {
  Adapter,
  type Definitions,
  IdentifierNode,
  type Imports,
  ModuleReferenceNode,
  type Scalars,
} from 'kysely-codegen'

/**
 * kysely-codegen's adapter for MotherDuck: where the TypeScript types of DuckDB columns come from.
 *
 * kysely-codegen adapters map a type *name* to a node. DuckDB types are trees (a STRUCT of LISTs of
 * MAPs…) that no fixed name table can hold, so `scalars` is filled per generation with one node per
 * distinct column type, built from the single type table (`buildMetadata` → `columnShapes`). Generated
 * files import `Interval` and `JsonValue` from `kysely-motherduck`; a type no parser handles is `string`.
 * It sends no SQL; {@link MotherDuckGeneratorDialect} creates it, together with the introspector that
 * fills `scalars`.
 *
 * ### Examples
 *
 * ```ts
 * const dialect = new MotherDuckGeneratorDialect({ defaultSchema: 'main' })
 * dialect.adapter.defaultSchemas // ['main']
 * ```
 */
export class MotherDuckCodegenAdapter extends Adapter {
  // pg returns the text of any type it has no parser for (createTypeParsers falls back to the text).
  override readonly defaultScalar = new IdentifierNode('string')
  override readonly defaultSchemas: string[]
  override readonly definitions: Definitions = {}
  // The run-time shapes of INTERVAL and JSON values are this package's own types.
  override readonly imports: Imports = {
    Interval: new ModuleReferenceNode('kysely-motherduck'),
    JsonValue: new ModuleReferenceNode('kysely-motherduck'),
  }
  override readonly scalars: Scalars = {}

  constructor(defaultSchema: string) {
    super()
    this.defaultSchemas = [defaultSchema]
  }
}
