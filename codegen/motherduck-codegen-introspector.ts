import type { CatalogConnection } from '../src/catalog/catalog-connection.js'
import { type BuildMetadataOptions, buildMetadata, type MetadataStats } from './build-metadata.js'
import { type DatabaseMetadata, type IntrospectOptions, Introspector } from './kysely-codegen.js'
import type { MotherDuckCodegenAdapter } from './motherduck-codegen-adapter.js'
import { type CatalogRows, type CatalogSelection, readCatalog } from './read-catalog.js'

/** Which databases to read, and how to type them. */
export interface CodegenIntrospectionOptions
  extends Omit<BuildMetadataOptions, 'currentDatabase' | 'includePattern' | 'excludePattern'>,
    CatalogSelection {}

/** The metadata, the numbers for the summary line, and how many queries it took. */
export interface IntrospectionResult {
  readonly metadata: DatabaseMetadata
  readonly stats: MetadataStats & { readonly queries: number }
  readonly databases: readonly string[]
}

/**
 * kysely-codegen's introspector for MotherDuck: three catalog queries whatever the schema's size
 * (`readAttachedDatabases`, then `readDatabaseColumns` and `readEnumTypes` together), then `buildMetadata`. The column types it decides are
 * handed to the adapter, which kysely-codegen's transformer asks for them. A database in `databases`
 * that is not attached throws {@link UnknownDatabaseError}.
 *
 * ### Examples
 *
 * ```ts
 * const dialect = new MotherDuckGeneratorDialect({ defaultSchema: 'main', databases: ['my_db'] })
 * const { metadata, stats } = await dialect.introspector.read(db)
 * // stats, e.g.: { databases: 1, tables: 3, columns: 12, queries: 3 }
 * ```
 *
 * The generated SQL (the last two queries have one parameter per database, here `'my_db'`):
 *
 * ```sql
 * SELECT database_name, database_name = current_database() AS is_current FROM duckdb_databases() WHERE NOT internal ORDER BY database_name
 *
 * SELECT c.database_name, c.schema_name, c.table_name, c.column_name, c.column_index, c.data_type, c.column_default, c.is_nullable, c.comment, v.view_name IS NOT NULL AS is_view
 * FROM duckdb_columns() AS c LEFT JOIN duckdb_views() AS v ON v.database_name = c.database_name AND v.schema_name = c.schema_name AND v.view_name = c.table_name
 * WHERE NOT c.internal AND c.database_name IN ($1)
 *
 * SELECT database_name, schema_name, type_name, CAST(to_json(labels) AS VARCHAR) AS labels_json FROM duckdb_types() WHERE logical_type = 'ENUM' AND NOT internal AND database_name IN ($1)
 * ```
 */
export class MotherDuckCodegenIntrospector extends Introspector<unknown> {
  constructor(
    private readonly adapter: MotherDuckCodegenAdapter,
    private readonly options: CodegenIntrospectionOptions,
  ) {
    super()
  }

  override async introspect(options: IntrospectOptions<unknown>): Promise<DatabaseMetadata> {
    const result = await this.read(options.db, {
      includePattern: options.includePattern ?? undefined,
      excludePattern: options.excludePattern ?? undefined,
    })
    return result.metadata
  }

  /** Reads the catalog through `db` (any Kysely instance on MotherDuck or the local endpoint). */
  async read(
    db: CatalogConnection,
    patterns: { includePattern?: string | undefined; excludePattern?: string | undefined } = {},
  ): Promise<IntrospectionResult> {
    return this.fromCatalog(await readCatalog(db, this.options), patterns)
  }

  /** The metadata of catalog rows already read ({@link readCatalog}); hands the column types to the adapter. */
  fromCatalog(
    catalog: CatalogRows,
    patterns: { includePattern?: string | undefined; excludePattern?: string | undefined } = {},
  ): IntrospectionResult {
    const built = buildMetadata(catalog.columns, catalog.enumTypes, {
      ...this.options,
      ...patterns,
      currentDatabase: catalog.currentDatabase,
    })
    for (const [key, node] of Object.entries(built.scalars)) this.adapter.scalars[key] = node
    return {
      metadata: built.metadata,
      stats: { ...built.stats, databases: catalog.databases.length, queries: catalog.queries },
      databases: catalog.databases,
    }
  }
}
