import type {
  ColumnMetadata,
  DatabaseIntrospector,
  DatabaseMetadataOptions,
  Kysely,
  SchemaMetadata,
  TableMetadata,
} from 'kysely'
import {
  readConnectedLocation,
  readUserColumns,
  readUserSchemas,
  readUserTables,
} from '../catalog/catalog-queries.js'
import { motherDuckSchemaName, motherDuckTableKey } from '../catalog/table-key.js'

// biome-ignore lint/suspicious/noExplicitAny: like Kysely's own introspectors, any Kysely<DB> will do.
type AnyKysely = Kysely<any>

/**
 * The Migrator's default table names (`DEFAULT_MIGRATION_TABLE`, `DEFAULT_MIGRATION_LOCK_TABLE`), written
 * out: kysely 0.29 exports them from `kysely/migration`, which 0.28 lacks, and 0.28 from the root, where
 * 0.29 keeps only a deprecation stub. The introspection and migration tests check them on both versions.
 */
const KYSELY_MIGRATION_TABLES: readonly string[] = ['kysely_migration', 'kysely_migration_lock']

/** A table or view as {@link MotherDuckIntrospector} reports it: Kysely's metadata plus where it lives. */
export interface MotherDuckTableMetadata extends TableMetadata {
  /** The schema in Kysely's form: `'main'`, `'other_schema'`, or `'database:schema'` for another database. */
  readonly schema: string
  /** The attached database the table is in. */
  readonly database: string
  /** The table's key in the `DB` interface, see {@link motherDuckTableKey}. */
  readonly key: string
}

/** Options of {@link MotherDuckIntrospector}. */
export interface MotherDuckIntrospectorOptions {
  /** Only these attached databases. Default: every database except DuckDB's and MotherDuck's own. */
  readonly databases?: readonly string[]
}

/**
 * Reads schemas, tables, views and columns of every attached database (`db.introspection`, the Migrator
 * and codegen use it) from DuckDB's `duckdb_schemas()`, `duckdb_tables()`, `duckdb_views()` and
 * `duckdb_columns()`: these see all attached databases, unlike the Postgres catalog that the stock
 * PostgresIntrospector reads (and whose `pg_get_serial_sequence` DuckDB lacks). Always three queries,
 * whatever the number of tables. Schemas and tables of the connected database are named as they are;
 * those of other databases get the schema `'database:schema'`, so that `schema.name` is the table's key
 * in the `DB` interface (see {@link motherDuckTableKey}). Data types are DuckDB's spelling
 * (`INTEGER`, `DECIMAL(10,2)`, `VARCHAR[]`, `STRUCT(a INTEGER)`); a column is auto-incrementing when its
 * default is `nextval(…)`.
 *
 * ### Examples
 *
 * ```ts
 * const tables = await db.introspection.getTables()
 * // [{ name: 'orders', schema: 'main', key: 'orders', database: 'my_db', isView: false, columns: [...] },
 * //  { name: 'hacker_news', schema: 'sample_data:hn', key: 'sample_data:hn.hacker_news', ... }]
 *
 * // Only some databases:
 * const mine = await new MotherDuckIntrospector(db, { databases: ['my_db'] }).getTables()
 * ```
 *
 * The generated SQL of `getTables()`: the connected database and schema, then the tables and views and
 * all their columns (sent together). The parameters leave out DuckDB's and MotherDuck's own databases
 * (`'system'`, `'temp'`, `'md_information_schema'`) and the catalog schemas (`'information_schema'`,
 * `'pg_catalog'`); with the `databases` option, `database_name in (…)` lists those databases instead.
 *
 * ```sql
 * select current_database() as database, current_schema() as schema
 *
 * select database_name, schema_name, table_name, false as is_view from duckdb_tables()
 * where not internal and not temporary and database_name not in ($1, $2, $3)
 * and database_name in (select database_name from duckdb_databases() where not internal) and schema_name not in ($4, $5)
 * union all
 * select database_name, schema_name, view_name, true from duckdb_views()
 * where not internal and not temporary and database_name not in ($6, $7, $8)
 * and database_name in (select database_name from duckdb_databases() where not internal) and schema_name not in ($9, $10)
 * order by database_name, schema_name, table_name
 *
 * select database_name, schema_name, table_name, column_name, column_default, is_nullable, data_type, comment
 * from duckdb_columns()
 * where not internal and database_name not in ($1, $2, $3)
 * and database_name in (select database_name from duckdb_databases() where not internal) and schema_name not in ($4, $5)
 * order by database_name, schema_name, table_name, column_index
 * ```
 */
export class MotherDuckIntrospector implements DatabaseIntrospector {
  readonly #db: AnyKysely
  readonly #databases: readonly string[] | undefined

  constructor(db: AnyKysely, options: MotherDuckIntrospectorOptions = {}) {
    this.#db = db
    this.#databases = options.databases
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const connected = await readConnectedLocation(this.#db)
    const rows = await readUserSchemas(this.#db, this.#databases)
    return rows.map((row) => ({
      name: motherDuckSchemaName(
        { database: row.database_name, schema: row.schema_name },
        connected,
      ),
    }))
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<MotherDuckTableMetadata[]> {
    const connected = await readConnectedLocation(this.#db)
    const [objects, columns] = await Promise.all([
      readUserTables(this.#db, this.#databases),
      readUserColumns(this.#db, this.#databases),
    ])

    const columnsByTable = new Map<string, ColumnMetadata[]>()
    for (const row of columns) {
      const id = objectId(row)
      let list = columnsByTable.get(id)
      if (list === undefined) {
        list = []
        columnsByTable.set(id, list)
      }
      list.push({
        name: row.column_name,
        dataType: row.data_type,
        isNullable: row.is_nullable,
        hasDefaultValue: row.column_default !== null,
        isAutoIncrementing:
          row.column_default !== null && /^\s*nextval\s*\(/i.test(row.column_default),
        ...(row.comment === null || row.comment === '' ? {} : { comment: row.comment }),
      })
    }

    const internalTables = new Set(KYSELY_MIGRATION_TABLES)
    return objects
      .filter((row) => options.withInternalKyselyTables || !internalTables.has(row.table_name))
      .map((row) => {
        const location = { database: row.database_name, schema: row.schema_name }
        return {
          name: row.table_name,
          schema: motherDuckSchemaName(location, connected),
          database: row.database_name,
          key: motherDuckTableKey({ ...location, table: row.table_name }, connected),
          isView: row.is_view,
          isForeign: false,
          columns: columnsByTable.get(objectId(row)) ?? [],
        }
      })
  }

  /**
   * The tables, as kysely 0.28's `DatabaseIntrospector` requires (deprecated there, gone in 0.29):
   * `{ tables: await getTables(options) }`.
   */
  async getMetadata(
    options?: DatabaseMetadataOptions,
  ): Promise<{ tables: MotherDuckTableMetadata[] }> {
    return { tables: await this.getTables(options) }
  }
}

function objectId(row: { database_name: string; schema_name: string; table_name: string }): string {
  return JSON.stringify([row.database_name, row.schema_name, row.table_name])
}
