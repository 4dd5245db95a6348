import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { CatalogConnection } from '../src/catalog/catalog-connection.js'
import type { TypeParsingOptions } from '../src/types/duckdb-types.js'
import { type CodegenConnectionOptions, openCatalogConnection } from './codegen-connection.js'
import { GeneratedTypesOutOfDateError, NoTablesMatchedError } from './codegen-errors.js'
import {
  type CodegenOptionValues,
  checkCodegenOptionCombinations,
  type GenerateTypesOptionName,
} from './codegen-options.js'
import { type CatalogRows, readCatalog } from './read-catalog.js'
import type { ColumnTypeOverride } from './user-column-types.js'

/**
 * Options of {@link generateTypes}; every one is optional. Those it shares with the CLI and the config
 * file (every option of the table in `codegen-options.ts` but `print`, and `url`, which comes with the
 * connection options) are described there with their defaults. Without `outFile` nothing is written
 * and the text is only returned; with `verify`, `generateTypes` throws for a stale `outFile`
 * ({@link GeneratedTypesOutOfDateError}) where `runCodegen` returns the diff.
 */
export interface GenerateTypesOptions
  // TypeParsingOptions and the table both declare `int64` and `numeric`: TypeScript refuses to extend
  // both if their values ever differ.
  extends TypeParsingOptions,
    CodegenConnectionOptions,
    Omit<Pick<CodegenOptionValues, GenerateTypesOptionName>, 'overrides'> {
  /**
   * kysely-codegen's `overrides`: `{ columns: { 'orders.meta': type } }`, where a type is a string
   * written as it is, or an expression node (`new JsonColumnTypeNode(new RawExpressionNode('{ a: 1 }'))`)
   * that gets `| null` on a nullable column. Keys: see the `overrides` option.
   */
  readonly overrides?:
    | { readonly columns?: Readonly<Record<string, ColumnTypeOverride>> }
    | undefined
  /**
   * Read the catalog through this Kysely instance (on MotherDuck or the local endpoint) instead of
   * opening a connection; it is left open. Default: a connection from `url` / `connection` / the environment.
   */
  readonly db?: CatalogConnection | undefined
  /** Progress messages while the catalog is read. Default: none. */
  readonly onProgress?: ((message: string) => void) | undefined
  /** Warnings (e.g. a column type codegen cannot read, typed `string`). Default: none. */
  readonly onWarning?: ((message: string) => void) | undefined
}

/** What one {@link runCodegen} run did, for the summary line. */
export interface CodegenResult {
  /** The generated file's text. */
  readonly text: string
  /** The absolute path of `outFile`, if one was given. */
  readonly outFile: string | undefined
  /** Whether the file was (re)written; false when unchanged, verifying, or without `outFile`. */
  readonly written: boolean
  /** With `verify`: whether the file on disk matches. */
  readonly upToDate: boolean | undefined
  /** With `verify` and a stale file: the unified diff from the file (`-`) to the database (`+`). */
  readonly diff: string | undefined
  /** The databases whose types were generated. */
  readonly databases: readonly string[]
  /** How many tables and views the file types. */
  readonly tables: number
  /** How many columns the file types. */
  readonly columns: number
  /** Catalog queries sent (3, whatever the number of tables). */
  readonly queries: number
  /** Time spent reading the catalog and building metadata, in milliseconds. */
  readonly introspectionMs: number
  /** Time of the whole run, in milliseconds. */
  readonly totalMs: number
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Runs codegen and reports what it did: the text, whether the file was written or is up to date (with
 * `verify`, a diff instead of an error), and the counts and times of the summary line.
 * {@link generateTypes} is the same with a plain result; both send the same three catalog queries.
 *
 * ### Examples
 *
 * ```ts
 * const result = await runCodegen({ outFile: 'src/db.ts', verify: true })
 * if (!result.upToDate) console.error(result.diff)
 * console.log(`${result.tables} tables, ${result.queries} queries, ${Math.round(result.totalMs)} ms`)
 * ```
 */
export async function runCodegen(options: GenerateTypesOptions = {}): Promise<CodegenResult> {
  const start = performance.now()
  checkCodegenOptionCombinations(options, (name) => `\`${name}\``)

  const connection = options.db ? undefined : await openCatalogConnection(options)
  let catalog: CatalogRows
  let toTypes: typeof import('./catalog-to-types.js')
  try {
    // kysely-codegen loads while the server answers the catalog queries.
    ;[catalog, toTypes] = await Promise.all([
      readCatalog(options.db ?? connection!.db, options),
      import('./catalog-to-types.js'),
    ])
  } finally {
    await connection?.close()
  }
  const introspectionMs = performance.now() - start
  const { text, introspection } = toTypes.catalogToTypes(catalog, options)
  if (introspection.stats.tables === 0) {
    const error = new NoTablesMatchedError(introspection.databases, options)
    if (options.failOnEmpty || options.verify) throw error
    options.onWarning?.(error.message)
  }

  const outFile = options.outFile === undefined ? undefined : resolve(options.outFile)
  let written = false
  let upToDate: boolean | undefined
  let diff: string | undefined
  if (outFile !== undefined) {
    const existing = await readIfExists(outFile)
    if (options.verify) {
      upToDate = existing === text
      if (!upToDate) diff = toTypes.unifiedDiff(existing ?? '', text)
    } else if (existing !== text) {
      await mkdir(dirname(outFile), { recursive: true })
      await writeFile(outFile, text)
      written = true
    }
  }

  const { stats } = introspection
  return {
    text,
    outFile,
    written,
    upToDate,
    diff,
    databases: introspection.databases,
    tables: stats.tables,
    columns: stats.columns,
    queries: stats.queries,
    introspectionMs,
    totalMs: performance.now() - start,
  }
}

/**
 * Generates the Kysely `DB` interface of a MotherDuck database (or the local endpoint's) and returns the
 * file text; writes it to `outFile` when given. Types follow what the dialect returns at run time
 * (`int64` and `numeric` must match the dialect's `typeParsing`). With `verify`, nothing is written and a
 * stale `outFile` throws {@link GeneratedTypesOutOfDateError}, whose `diff` says what changed.
 *
 * ### Examples
 *
 * ```ts
 * import { generateTypes } from 'kysely-motherduck/codegen'
 *
 * // Connects like the dialect: MOTHERDUCK_URL, or MOTHERDUCK_TOKEN (+ MOTHERDUCK_REGION, MOTHERDUCK_DATABASE).
 * await generateTypes({ outFile: 'src/db.ts', databases: ['my_db', 'sample_data'] })
 * ```
 *
 * The catalog queries it sends (three, whatever the number of tables; the last two have one
 * parameter per database, here `'my_db', 'sample_data'`):
 *
 * ```sql
 * SELECT database_name, database_name = current_database() AS is_current FROM duckdb_databases() WHERE NOT internal ORDER BY database_name
 *
 * SELECT c.database_name, c.schema_name, c.table_name, c.column_name, c.column_index, c.data_type, c.column_default, c.is_nullable, c.comment, v.view_name IS NOT NULL AS is_view
 * FROM duckdb_columns() AS c LEFT JOIN duckdb_views() AS v ON v.database_name = c.database_name AND v.schema_name = c.schema_name AND v.view_name = c.table_name
 * WHERE NOT c.internal AND c.database_name IN ($1, $2)
 *
 * SELECT database_name, schema_name, type_name, CAST(to_json(labels) AS VARCHAR) AS labels_json FROM duckdb_types() WHERE logical_type = 'ENUM' AND NOT internal AND database_name IN ($1, $2)
 * ```
 */
export async function generateTypes(options: GenerateTypesOptions = {}): Promise<string> {
  const result = await runCodegen(options)
  if (result.upToDate === false) {
    throw new GeneratedTypesOutOfDateError(result.outFile ?? '', result.diff ?? '')
  }
  return result.text
}
