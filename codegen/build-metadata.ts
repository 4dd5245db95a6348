import type { ColumnRow, EnumTypeRow } from '../src/catalog/catalog-queries.js'
import {
  motherDuckSchemaName,
  motherDuckTableKey,
  motherDuckTableKeyParts,
} from '../src/catalog/table-key.js'
import { type DuckDBType, DuckDBTypeSyntaxError, parseDuckDBType } from './duckdb-type-parser.js'
import {
  type ColumnMetadataOptions,
  DatabaseMetadata,
  EnumCollection,
  type ExpressionNode,
  RawExpressionNode,
  TableMatcher,
  type TableMetadataOptions,
  toKyselyCamelCase,
} from './kysely-codegen.js'
import { columnTypeNode } from './shape-to-node.js'
import { needsSubstituteId, SUBSTITUTE_ID_SUFFIX } from './symbol-id-substitutes.js'
import { tableKeyRoundTrips } from './table-key-round-trip.js'
import { columnShapes, type TypeMappingOptions } from './ts-shape.js'
import {
  ColumnOverrideLookup,
  type ColumnTypeOverride,
  mappedArrayNode,
  TypeMapping,
} from './user-column-types.js'

/** What decides the metadata besides the catalog rows. */
export interface BuildMetadataOptions extends TypeMappingOptions {
  /** The connected database: its tables get one- or two-part keys, other databases' three-part keys. */
  readonly currentDatabase: string
  /** The schema of the connected database whose tables are keyed by their bare name (`main`). */
  readonly defaultSchema: string
  /** Only tables matching this glob (on `table`, `schema.table` or `database.schema.table`). */
  readonly includePattern?: string | undefined
  /** Leave out tables matching this glob (same forms as `includePattern`). */
  readonly excludePattern?: string | undefined
  /** Type Kysely's migration tables too (`kysely_migration`, `kysely_migration_lock`). Default: false. */
  readonly includeKyselyTables?: boolean | undefined
  /** kysely-codegen's `typeMapping`: DuckDB type or ENUM names to TypeScript types (see `TypeMapping`). */
  readonly typeMapping?: Readonly<Record<string, string>> | undefined
  /** kysely-codegen's `overrides.columns`: a column's whole type (see `ColumnOverrideLookup`). */
  readonly columnOverrides?: Readonly<Record<string, ColumnTypeOverride>> | undefined
  /**
   * Called when a column type cannot be read (the column is typed as its text, `string`), and for
   * override keys that match no column.
   */
  readonly onWarning?: ((message: string) => void) | undefined
}

/** The tables Kysely's Migrator keeps its bookkeeping in, under their default names. */
const KYSELY_MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock'])

/** Counts for the summary line. */
export interface MetadataStats {
  readonly databases: number
  readonly tables: number
  readonly columns: number
}

/** kysely-codegen metadata, plus the type nodes its adapter must know (keyed by `ColumnMetadata.dataType`). */
export interface BuiltMetadata {
  readonly metadata: DatabaseMetadata
  readonly scalars: Readonly<Record<string, ExpressionNode>>
  readonly stats: MetadataStats
}

interface NamedEnum {
  readonly schema: string
  readonly name: string
  readonly labels: readonly string[]
}

/**
 * The key a table has in the generated `DB` interface: the dialect's own `motherDuckTableKey`, so that
 * codegen and the query compiler never disagree. `table` in the connected database's default schema,
 * `schema.table` elsewhere in it, `database:schema.table` in other databases (a `.` there would be
 * dropped by Kysely's table parser, which keeps two parts).
 *
 * ### Examples
 *
 * ```ts
 * const options = { currentDatabase: 'my_db', defaultSchema: 'main' }
 * tableKey({ database: 'my_db', schema: 'main', name: 'orders' }, options) // 'orders'
 * tableKey({ database: 'sample_data', schema: 'hn', name: 'hacker_news' }, options) // 'sample_data:hn.hacker_news'
 * ```
 */
export function tableKey(
  table: { database: string; schema: string; name: string },
  options: Pick<BuildMetadataOptions, 'currentDatabase' | 'defaultSchema'>,
): string {
  return motherDuckTableKey(...keyArguments(table, options))
}

/** {@link tableKey}'s table and connection in the form of the table-key module's functions. */
function keyArguments(
  table: { database: string; schema: string; name: string },
  options: Pick<BuildMetadataOptions, 'currentDatabase' | 'defaultSchema'>,
) {
  return [
    { database: table.database, schema: table.schema, table: table.name },
    { database: options.currentDatabase, schema: options.defaultSchema },
  ] as const
}

/**
 * kysely-codegen prints `schema.table` keys for tables outside its default schemas; a table of another
 * database is handed over with `database:schema` as its schema (the dialect's `motherDuckSchemaName`),
 * so that kysely-codegen prints exactly {@link tableKey}.
 */
function metadataSchema(database: string, schema: string, currentDatabase: string): string {
  return motherDuckSchemaName({ database, schema }, { database: currentDatabase })
}

/**
 * Matches a glob on `table`, `schema.table` or `database.schema.table`, by the number of dots in it
 * (`database:schema.table`, the keys' own form, works too).
 */
function tablePredicate(
  pattern: string,
): (database: string, schema: string, name: string) => boolean {
  const dotted = pattern.replace(':', '.')
  const matcher = new TableMatcher(dotted)
  const dots = dotted.split('.').length - 1
  return (database, schema, name) =>
    dots >= 2 ? matcher.match(`${database}.${schema}`, name) : matcher.match(schema, name)
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i])
}

function parseLabels(row: EnumTypeRow): string[] {
  const labels: unknown = JSON.parse(row.labels_json)
  return Array.isArray(labels) ? labels.map(String) : []
}

/**
 * Turns the catalog rows into kysely-codegen's `DatabaseMetadata`. Every column's TypeScript type is
 * decided here, from the single type table (`columnShapes`), and registered under a private type key that
 * the adapter resolves; only named enums go through kysely-codegen's own enum handling (so that
 * `runtimeEnums` works). Tables are sorted so that symbol names never depend on catalog order.
 *
 * ### Examples
 *
 * ```ts
 * const { metadata, scalars } = buildMetadata(columns, enumTypes, { currentDatabase: 'my_db', defaultSchema: 'main' })
 * ```
 */
export function buildMetadata(
  columns: readonly ColumnRow[],
  enumTypes: readonly EnumTypeRow[],
  options: BuildMetadataOptions,
): BuiltMetadata {
  const include = options.includePattern ? tablePredicate(options.includePattern) : undefined
  const exclude = options.excludePattern ? tablePredicate(options.excludePattern) : undefined

  const tables = new Map<
    string,
    { database: string; schema: string; name: string; isView: boolean; rows: ColumnRow[] }
  >()
  for (const row of columns) {
    const id = JSON.stringify([row.database_name, row.schema_name, row.table_name])
    let table = tables.get(id)
    if (!table) {
      if (!options.includeKyselyTables && KYSELY_MIGRATION_TABLES.has(row.table_name)) continue
      if (include && !include(row.database_name, row.schema_name, row.table_name)) continue
      if (exclude?.(row.database_name, row.schema_name, row.table_name)) continue
      table = {
        database: row.database_name,
        schema: row.schema_name,
        name: row.table_name,
        isView: row.is_view,
        rows: [],
      }
      tables.set(id, table)
    }
    table.rows.push(row)
  }
  const sortedTables = [...tables.values()]
    .sort(
      (a, b) =>
        byCodeUnits(a.database, b.database) ||
        byCodeUnits(a.schema, b.schema) ||
        byCodeUnits(a.name, b.name),
    )
    .filter((table) => {
      const key = tableKey(table, options)
      if (tableKeyRoundTrips(key, motherDuckTableKeyParts(...keyArguments(table, options)))) {
        return true
      }
      options.onWarning?.(
        `${JSON.stringify(`${table.database}.${table.schema}.${table.name}`)} is left out: its key ` +
          `${JSON.stringify(key)} would name another table in Kysely (a table reference is split at ` +
          "'.' and ' as ', a schema or database name at ':'). Rename it to query it with types, or " +
          'reach it with sql.id(database, schema, table).',
      )
      return false
    })

  // kysely-codegen resolves a column's type name against its table symbols first: a type key that equals
  // a table key would turn that column into the table's interface. Keys here avoid every table key.
  const tableKeys = new Set<string>()
  for (const table of sortedTables) {
    const key = tableKey(table, options)
    tableKeys.add(key)
    tableKeys.add(key.toLowerCase())
    tableKeys.add(toKyselyCamelCase(key))
  }
  let typeKeyPrefix = '#'
  while ([...tableKeys].some((key) => key.startsWith(typeKeyPrefix))) typeKeyPrefix += '#'

  const namedEnums = new Map<string, NamedEnum[]>()
  for (const row of enumTypes) {
    const list = namedEnums.get(row.database_name) ?? []
    list.push({ schema: row.schema_name, name: row.type_name, labels: parseLabels(row) })
    namedEnums.set(row.database_name, list)
  }

  const nestedNullability = options.nestedNullability ?? 'nullable'
  const typeMapping = new TypeMapping(
    options.typeMapping ?? {},
    [...namedEnums.values()].flat().map((e) => e.name),
  )
  const overrides = new ColumnOverrideLookup(options.columnOverrides ?? {})

  const enums = new EnumCollection()
  const scalars: Record<string, ExpressionNode> = {}
  const typeKeys = new Map<string, string>()
  const typeKeyOf = (spelling: string, node: () => ExpressionNode): string => {
    let key = typeKeys.get(spelling)
    if (key === undefined) {
      key = `${typeKeyPrefix}${typeKeys.size + 1}`
      typeKeys.set(spelling, key)
      scalars[key] = node()
    }
    return key
  }
  // Keys that hold a node of their own (an override, a mapped ENUM): never shared with a spelling.
  let ownKeys = 0
  const ownTypeKey = (node: ExpressionNode): string => {
    const key = `${typeKeyPrefix}own${++ownKeys}`
    scalars[key] = node
    return key
  }

  // Parsed once per spelling: a schema has thousands of columns but a few dozen distinct types.
  const parsedTypes = new Map<string, DuckDBType>()
  const readType = (row: ColumnRow): DuckDBType => {
    let type = parsedTypes.get(row.data_type)
    if (type === undefined) {
      try {
        type = parseDuckDBType(row.data_type)
      } catch (error) {
        if (!(error instanceof DuckDBTypeSyntaxError)) throw error
        // Quoted: a name may hold newlines or terminal escapes, and warnings go to a terminal.
        const column = `${row.database_name}.${row.schema_name}.${row.table_name}.${row.column_name}`
        options.onWarning?.(`${JSON.stringify(column)}: ${error.message}`)
        return { kind: 'unknown', spelling: row.data_type }
      }
      parsedTypes.set(row.data_type, type)
    }
    return type
  }

  const namedEnumOf = (
    database: string,
    schema: string,
    labels: readonly string[],
  ): NamedEnum | undefined => {
    const candidates = (namedEnums.get(database) ?? []).filter((e) => sameLabels(e.labels, labels))
    const sameSchema = candidates.filter((e) => e.schema === schema)
    const pick = sameSchema.length > 0 ? sameSchema : candidates
    // Two types with the same labels cannot be told apart: the column gets an inline union instead.
    return pick.length === 1 ? pick[0] : undefined
  }

  const databases = new Set<string>()
  let columnCount = 0
  const tableOptions: TableMetadataOptions[] = sortedTables.map((table) => {
    databases.add(table.database)
    const schema = metadataSchema(table.database, table.schema, options.currentDatabase)
    const rows = [...table.rows].sort((a, b) => a.column_index - b.column_index)
    columnCount += rows.length
    const key = tableKey(table, options)
    const columnOptions = rows.map((row): ColumnMetadataOptions => {
      const base = {
        name: row.column_name,
        isNullable: row.is_nullable,
        hasDefaultValue: !table.isView && row.column_default !== null,
        // A `*/` in a column comment would end the JSDoc block kysely-codegen writes it into.
        comment: row.comment?.replaceAll('*/', '*\\/') ?? null,
      }
      const override = overrides.find({
        database: table.database,
        schema: table.schema,
        table: table.name,
        column: row.column_name,
        tableKey: key,
        inCurrentDatabase: table.database === options.currentDatabase,
      })
      if (override !== undefined) {
        // The override is the whole type (a string as written; a node gets `| null` from kysely-codegen).
        const isString = typeof override === 'string'
        const node = isString ? new RawExpressionNode(override) : override
        return {
          ...base,
          isNullable: isString ? false : base.isNullable,
          hasDefaultValue: false,
          dataType: ownTypeKey(node),
        }
      }
      const type = readType(row)
      // An ENUM array is typed with the enum's name too (kysely-codegen's `ArrayType<Mood>`).
      const enumType = type.kind === 'list' ? type.element : type
      if (enumType.kind === 'enum') {
        const named = namedEnumOf(table.database, table.schema, enumType.labels)
        const mapped = named && typeMapping.ofEnum(named.name)
        if (mapped !== undefined) {
          const node =
            type.kind === 'list'
              ? mappedArrayNode(mapped, nestedNullability)
              : new RawExpressionNode(mapped)
          return { ...base, dataType: ownTypeKey(node) }
        }
        if (named) {
          const dataTypeSchema = metadataSchema(
            table.database,
            named.schema,
            options.currentDatabase,
          )
          let dataType = named.name.toLowerCase()
          const symbolId = () =>
            dataTypeSchema === options.defaultSchema ? dataType : `${dataTypeSchema}.${dataType}`
          while (tableKeys.has(symbolId()) || needsSubstituteId(symbolId())) dataType += '_enum'
          enums.set(`${dataTypeSchema}.${dataType}`, [...named.labels])
          return { ...base, dataType, dataTypeSchema, isArray: type.kind === 'list' }
        }
      }
      const node = () =>
        typeMapping.columnNode(type, nestedNullability) ??
        columnTypeNode(columnShapes(type, options))
      return { ...base, dataType: typeKeyOf(row.data_type, node) }
    })
    const id = options.camelCase ? toKyselyCamelCase(key) : key
    // kysely-codegen derives the symbol id from the name: a substitute keeps it out of harm's way.
    const name = needsSubstituteId(id) ? `${table.name}${SUBSTITUTE_ID_SUFFIX}` : table.name
    return { name, schema, isView: table.isView, columns: columnOptions }
  })

  for (const key of overrides.unmatched()) {
    options.onWarning?.(
      `overrides: ${JSON.stringify(key)} matches no column. Keys are "<table key in DB>.<column>", ` +
        '"<schema>.<table>.<column>" or "<database>.<schema>.<table>.<column>", as the database names them.',
    )
  }

  return {
    metadata: new DatabaseMetadata({ tables: tableOptions, enums }),
    scalars,
    stats: { databases: databases.size, tables: tableOptions.length, columns: columnCount },
  }
}
