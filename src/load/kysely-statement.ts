import {
  ColumnNode,
  createQueryId,
  InsertQueryNode,
  type Kysely,
  type OperationNodeSource,
  type QueryResult,
  type RootOperationNode,
  TableNode,
} from 'kysely'
import { qualifiedSchemaParts, type TableName } from '../catalog/table-key.js'

/*
 * `insertRows` and `createTableAs` build their statements as Kysely operation nodes and run them through
 * the Kysely instance's executor, so the instance's plugins (WithSchemaPlugin, CamelCasePlugin, any
 * `transformQuery` plugin) see and rewrite them exactly as they would `db.insertInto(…)` and
 * `db.schema.createTable(…)`.
 */

// biome-ignore lint/suspicious/noExplicitAny: any database type will do, as for Kysely's own helpers.
type AnyKysely = Kysely<any>

/**
 * The table node Kysely's builders make for a name: `'my_db:main.t'` (or `'my_db.main.t'`) has the
 * schema `my_db:main`, which the MotherDuck compiler writes as `"my_db"."main"."t"`.
 */
export function tableNode(name: TableName): TableNode {
  if (name.schema === undefined) return TableNode.create(name.table)
  const schema = name.database === undefined ? name.schema : `${name.database}:${name.schema}`
  return TableNode.createWithSchema(schema, name.table)
}

/** Where an `INSERT` of the given keys goes once the instance's plugins have named it. */
export interface InsertTarget {
  /** `insert into <table> (<keys>)` before the plugins: what the instance transforms on each execution. */
  readonly node: InsertQueryNode
  /** The table as the plugins name it (e.g. with WithSchemaPlugin's schema): the one to look up. */
  readonly table: TableName
  /** Each key's column name as the plugins write it (e.g. CamelCasePlugin's `userId` → `user_id`). */
  readonly columnNames: ReadonlyMap<string, string>
}

/**
 * Names an `insert into <name> (<keys>)` as `db.insertInto(name).columns(keys)` would: runs the
 * instance's plugins over the statement and reads the table and column names they wrote.
 */
export function insertTarget(
  db: AnyKysely,
  name: TableName,
  keys: readonly string[],
): InsertTarget {
  const node = InsertQueryNode.cloneWith(InsertQueryNode.create(tableNode(name)), {
    columns: keys.map((key) => ColumnNode.create(key)),
  })
  const named = db.getExecutor().transformQuery(node, createQueryId())
  const columns = named.columns ?? []
  const columnNames = new Map(
    keys.map((key, index) => [key, columns[index]?.column.name ?? key] as const),
  )
  return { node, table: tableName(named.into ?? node.into!), columnNames }
}

/** Runs `insert into <target> (<keys>) <rows>` through the instance (its plugins, its connection). */
export function executeInsert(
  db: AnyKysely,
  target: InsertTarget,
  rows: OperationNodeSource,
): Promise<QueryResult<unknown>> {
  return executeNode(db, InsertQueryNode.cloneWith(target.node, { values: rows.toOperationNode() }))
}

/** Transforms (plugins), compiles and executes a statement as Kysely's builders do. */
export function executeNode(db: AnyKysely, node: RootOperationNode): Promise<QueryResult<unknown>> {
  const executor = db.getExecutor()
  const queryId = createQueryId()
  return executor.executeQuery(
    executor.compileQuery(executor.transformQuery(node, queryId), queryId),
  )
}

/** A table node's name in the parts the catalog looks up. */
function tableName(node: TableNode): TableName {
  const table = node.table.identifier.name
  const schema = node.table.schema?.name
  if (schema === undefined) return { table, parts: [table] }
  const [database, inDatabase] = qualifiedSchemaParts(schema) ?? []
  if (database !== undefined && inDatabase !== undefined) {
    return { database, schema: inDatabase, table, parts: [database, inDatabase, table] }
  }
  return { schema, table, parts: [schema, table] }
}
