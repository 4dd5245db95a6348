import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'
import type { CompiledQuery, QueryResult } from 'kysely'
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
