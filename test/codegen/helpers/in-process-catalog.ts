import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api'
import type { CompiledQuery, QueryResult } from 'kysely'
import { type GenerateTypesOptions, generateTypes } from '../../../codegen/generate-types.js'
import type { CatalogConnection } from '../../../src/catalog/catalog-connection.js'

/**
 * Runs codegen's catalog queries on an in-process DuckDB connection: the same SQL as over the wire,
 * for unit tests of the pure parts (metadata, type mapping, serialization) without a server.
 */
export function inProcessCatalog(connection: DuckDBConnection): CatalogConnection & {
  queries: number
} {
  const catalog = {
    queries: 0,
    async executeQuery<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>> {
      catalog.queries++
      const reader = await connection.runAndReadAll(
        query.sql,
        query.parameters as readonly DuckDBValue[] as DuckDBValue[],
      )
      return { rows: reader.getRowObjectsJS() as Row[] }
    },
  }
  return catalog
}

/** The generated file for a database built by `statements` (in-process DuckDB, in memory). */
export async function generateFor(
  statements: readonly string[],
  options: GenerateTypesOptions = {},
): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    for (const statement of statements) await connection.run(statement)
    return await generateTypes({ db: inProcessCatalog(connection), ...options })
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}
