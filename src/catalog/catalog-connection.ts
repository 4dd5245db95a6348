import {
  type CompiledQuery,
  createQueryId,
  PostgresQueryCompiler,
  type QueryResult,
  type RawBuilder,
} from 'kysely'

/**
 * What the catalog queries need of a connection: any `Kysely<DB>` or `Transaction<DB>` fits, and so does
 * codegen's in-process DuckDB connection in tests.
 */
export interface CatalogConnection {
  executeQuery<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>>
  /** A Kysely instance's copy without its plugins (`Kysely.withoutPlugins()`), used when present. */
  withoutPlugins?(): CatalogConnection
}

// Catalog queries pass only strings as parameters, which every compiler writes as a bare `$n`: the stock
// Postgres compiler turns them into the same SQL as the dialect's, and needs no connection to do so.
const compiler = new PostgresQueryCompiler()

/**
 * Compiles `query` and returns its rows as the database sent them: on a Kysely instance, without its
 * plugins, whose result transforms (CamelCasePlugin's `column_name` → `columnName`) would rename the
 * catalog's columns.
 */
export async function readRows<Row>(db: CatalogConnection, query: RawBuilder<Row>): Promise<Row[]> {
  const compiled = compiler.compileQuery(query.toOperationNode(), createQueryId())
  const connection = typeof db.withoutPlugins === 'function' ? db.withoutPlugins() : db
  const result = await connection.executeQuery<Row>(compiled as CompiledQuery<Row>)
  return result.rows
}
