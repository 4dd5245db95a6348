import type { CatalogConnection } from '../src/catalog/catalog-connection.js'
import {
  readAttachedDatabases,
  readDatabaseColumns,
  readEnumTypes,
} from '../src/catalog/catalog-queries.js'
import { type BuildMetadataOptions, buildMetadata, type MetadataStats } from './build-metadata.js'
import { UnknownDatabaseError } from './codegen-errors.js'
import { type DatabaseMetadata, type IntrospectOptions, Introspector } from './kysely-codegen.js'
import type { MotherDuckCodegenAdapter } from './motherduck-codegen-adapter.js'

/** Which databases to read, and how to type them. */
export interface CodegenIntrospectionOptions
  extends Omit<BuildMetadataOptions, 'currentDatabase' | 'includePattern' | 'excludePattern'> {
  /** Databases to read (default: the connected one). */
  readonly databases?: readonly string[] | undefined
  /** Read every attached database (overrides `databases`). */
  readonly allDatabases?: boolean | undefined
  /** Progress messages for long introspections (a CLI prints them on stderr). */
  readonly onProgress?: ((message: string) => void) | undefined
}

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
    const progress = this.options.onProgress
    progress?.('Reading the attached databases…')
    const databaseRows = await readAttachedDatabases(db)
    const attached = databaseRows.map((row) => row.database_name)
    const currentDatabase = databaseRows.find((row) => row.is_current)?.database_name ?? ''
    const databases = this.options.allDatabases
      ? attached
      : [...new Set(this.options.databases?.length ? this.options.databases : [currentDatabase])]
    for (const database of databases) {
      if (!attached.includes(database)) throw new UnknownDatabaseError(database, attached)
    }

    progress?.(`Reading the tables of ${databases.join(', ')}…`)
    const [columns, enumTypes] = await Promise.all([
      readDatabaseColumns(db, databases),
      readEnumTypes(db, databases),
    ])
    progress?.(`Read ${columns.length} columns; generating types…`)

    const built = buildMetadata(columns, enumTypes, {
      ...this.options,
      ...patterns,
      currentDatabase,
    })
    for (const [key, node] of Object.entries(built.scalars)) this.adapter.scalars[key] = node
    return {
      metadata: built.metadata,
      stats: { ...built.stats, databases: databases.length, queries: databases.length ? 3 : 1 },
      databases,
    }
  }
}
