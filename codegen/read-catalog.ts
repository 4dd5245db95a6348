import type { CatalogConnection } from '../src/catalog/catalog-connection.js'
import {
  type ColumnRow,
  type EnumTypeRow,
  readAttachedDatabases,
  readDatabaseColumns,
  readEnumTypes,
} from '../src/catalog/catalog-queries.js'
import { UnknownDatabaseError } from './codegen-errors.js'

/** Which databases codegen reads. */
export interface CatalogSelection {
  /** Databases to read (default: the connected one). */
  readonly databases?: readonly string[] | undefined
  /** Read every attached database (overrides `databases`). */
  readonly allDatabases?: boolean | undefined
  /** Progress messages for long introspections (a CLI prints them on stderr). */
  readonly onProgress?: ((message: string) => void) | undefined
}

/** The catalog rows codegen builds the types from, as the three catalog queries returned them. */
export interface CatalogRows {
  /** The databases read, in the order asked. */
  readonly databases: readonly string[]
  /** The connected database (its tables get one- or two-part keys). */
  readonly currentDatabase: string
  readonly columns: readonly ColumnRow[]
  readonly enumTypes: readonly EnumTypeRow[]
  /** Catalog queries sent: 3 (1 when no database is read). */
  readonly queries: number
}

/**
 * Reads what codegen needs of the catalog in three queries whatever the number of tables: the attached
 * databases, then the columns and the named ENUM types of the selected ones together. It needs nothing
 * of kysely-codegen, so a codegen run can load kysely-codegen while the server answers. A database
 * in `databases` that is not attached throws {@link UnknownDatabaseError}.
 *
 * ### Examples
 *
 * ```ts
 * const rows = await readCatalog(db, { databases: ['my_db'] })
 * rows.columns.length // one row per column of every table and view of my_db
 * ```
 */
export async function readCatalog(
  db: CatalogConnection,
  selection: CatalogSelection = {},
): Promise<CatalogRows> {
  const progress = selection.onProgress
  progress?.('Reading the attached databases…')
  const databaseRows = await readAttachedDatabases(db)
  const attached = databaseRows.map((row) => row.database_name)
  const currentDatabase = databaseRows.find((row) => row.is_current)?.database_name ?? ''
  const databases = selection.allDatabases
    ? attached
    : [...new Set(selection.databases?.length ? selection.databases : [currentDatabase])]
  for (const database of databases) {
    if (!attached.includes(database)) throw new UnknownDatabaseError(database, attached)
  }

  progress?.(`Reading the tables of ${databases.join(', ')}…`)
  const [columns, enumTypes] = await Promise.all([
    readDatabaseColumns(db, databases),
    readEnumTypes(db, databases),
  ])
  progress?.(`Read ${columns.length} columns; generating types…`)
  return { databases, currentDatabase, columns, enumTypes, queries: databases.length ? 3 : 1 }
}
