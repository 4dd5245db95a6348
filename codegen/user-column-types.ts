import { type DuckDBScalarTypeName, scalarTypeOf } from '../src/types/duckdb-types.js'
import { CodegenOptionError } from './codegen-errors.js'
import type { DuckDBType } from './duckdb-type-parser.js'
import {
  type ExpressionNode,
  GenericExpressionNode,
  IdentifierNode,
  RawExpressionNode,
  UnionExpressionNode,
} from './kysely-codegen.js'
import type { NestedNullability } from './ts-shape.js'

/**
 * A column's type as the user wrote it in `overrides`: a string is the whole type, printed as it is
 * (`| null` included or not, as written); an expression node (from `generateTypes()`, e.g.
 * kysely-codegen's `JsonColumnTypeNode`) gets `| null` when the column is nullable, as in kysely-codegen.
 */
export type ColumnTypeOverride = string | ExpressionNode

/**
 * kysely-codegen's `typeMapping`, read against DuckDB: each key is a DuckDB type name in any of its
 * spellings (`timestamptz`, `TIMESTAMP WITH TIME ZONE`, `int8`, `uuid`, `decimal`), or the name of a
 * named ENUM type. A key that is neither is refused, naming it.
 */
export class TypeMapping {
  private readonly byScalar = new Map<DuckDBScalarTypeName, string>()
  private readonly byEnumName = new Map<string, string>()

  /**
   * `enumNames` are the named ENUM types of the databases read; `mapping` is the option as given.
   * Throws {@link CodegenOptionError} for a key that names no type, or two keys for one type.
   */
  constructor(mapping: Readonly<Record<string, string>>, enumNames: Iterable<string>) {
    const enums = new Set([...enumNames].map((name) => name.toLowerCase()))
    const keyOf = new Map<DuckDBScalarTypeName, string>()
    for (const [key, tsType] of Object.entries(mapping)) {
      const scalar = scalarTypeOf(key)
      if (scalar !== undefined) {
        const earlier = keyOf.get(scalar)
        if (earlier !== undefined && this.byScalar.get(scalar) !== tsType) {
          throw new CodegenOptionError(
            'typeMapping',
            `typeMapping: "${earlier}" and "${key}" both name DuckDB's ${scalar} with different types; keep one.`,
          )
        }
        keyOf.set(scalar, key)
        this.byScalar.set(scalar, tsType)
      } else if (enums.has(key.toLowerCase())) {
        this.byEnumName.set(key.toLowerCase(), tsType)
      } else {
        throw new CodegenOptionError(
          'typeMapping',
          `typeMapping: "${key}" names no DuckDB type and no ENUM type of the databases read. Keys are ` +
            'DuckDB type names (timestamptz, uuid, json, decimal…) or ENUM type names.',
        )
      }
    }
  }

  /** The TypeScript type mapped to a scalar type, if any. */
  ofScalar(name: DuckDBScalarTypeName): string | undefined {
    return this.byScalar.get(name)
  }

  /** The TypeScript type mapped to a named ENUM type, if any. */
  ofEnum(name: string): string | undefined {
    return this.byEnumName.get(name.toLowerCase())
  }

  /**
   * The node of a column whose type, or whose list's element type, is mapped: `Mapped`, or
   * `ArrayType<Mapped | null>` for a list (`ArrayType<Mapped>` with `nestedNullability: 'non-null'`).
   * As in kysely-codegen, a mapping applies to the column's type (and a list's element, which travels
   * as a Postgres array), not inside a STRUCT, MAP or UNION, whose values arrive as JSON.
   */
  columnNode(type: DuckDBType, nestedNullability: NestedNullability): ExpressionNode | undefined {
    if (type.kind === 'scalar') {
      const mapped = this.ofScalar(type.name)
      return mapped === undefined ? undefined : new RawExpressionNode(mapped)
    }
    if (type.kind === 'list' && type.element.kind === 'scalar') {
      const mapped = this.ofScalar(type.element.name)
      return mapped === undefined ? undefined : mappedArrayNode(mapped, nestedNullability)
    }
    return undefined
  }
}

/** `ArrayType<Mapped | null>`, or `ArrayType<Mapped>` when nested values are typed non-null. */
export function mappedArrayNode(
  mapped: string,
  nestedNullability: NestedNullability,
): ExpressionNode {
  const element = new RawExpressionNode(mapped)
  return new GenericExpressionNode('ArrayType', [
    nestedNullability === 'non-null'
      ? element
      : new UnionExpressionNode([element, new IdentifierNode('null')]),
  ])
}

/** Where a column sits, for {@link ColumnOverrideLookup.find}. */
export interface ColumnPlace {
  readonly database: string
  readonly schema: string
  readonly table: string
  readonly column: string
  /** The table's key in the generated `DB` interface (before camelCase). */
  readonly tableKey: string
  /** Whether the table is in the connected database. */
  readonly inCurrentDatabase: boolean
}

/**
 * kysely-codegen's `overrides.columns`, looked up by the keys a DuckDB column can have: the table's key
 * in `DB` and the column (`orders.meta`, `analytics.events.payload`, `sample_data:hn.stories.title`),
 * `schema.table.column` in the connected database (kysely-codegen's PostgreSQL form, `main.orders.meta`),
 * or `database.schema.table.column`. Names are the database's, not camelCased.
 */
export class ColumnOverrideLookup {
  private readonly unused: Set<string>
  private readonly none: boolean

  constructor(private readonly columns: Readonly<Record<string, ColumnTypeOverride>>) {
    this.unused = new Set(Object.keys(columns))
    this.none = this.unused.size === 0
  }

  /** The override of a column, if one of its keys has one. */
  find(place: ColumnPlace): ColumnTypeOverride | undefined {
    if (this.none) return undefined
    const keys = [
      `${place.tableKey}.${place.column}`,
      ...(place.inCurrentDatabase ? [`${place.schema}.${place.table}.${place.column}`] : []),
      `${place.database}.${place.schema}.${place.table}.${place.column}`,
    ]
    for (const key of keys) {
      if (Object.hasOwn(this.columns, key)) {
        this.unused.delete(key)
        return this.columns[key]
      }
    }
    return undefined
  }

  /** The keys that matched no column so far: a typo, or a table left out by the patterns. */
  unmatched(): string[] {
    return [...this.unused]
  }
}
