import {
  CreateTableNode,
  type Expression,
  type Kysely,
  type OperationNode,
  type RawBuilder,
  RawNode,
  sql,
} from 'kysely'
import { parseTableName, type TableKey } from '../catalog/table-key.js'
import { MotherDuckError } from '../errors/motherduck-error.js'
import type { KyselyHandle } from './kysely-handle.js'
import { tableNode } from './kysely-statement.js'

/**
 * How `createTableAs` treats an existing table: replace it (`orReplace`), keep it (`ifNotExists`),
 * or (by default) fail. DuckDB rejects both at once, so the type allows only one.
 */
export type CreateTableAsOptions =
  | {
      /** `create or replace table`: drop an existing table of that name first. Default: `false`. */
      readonly orReplace?: boolean
      /** `create table if not exists`: leave an existing table as it is. Default: `false`. */
      readonly ifNotExists?: false
    }
  | {
      /** `create or replace table`: drop an existing table of that name first. Default: `false`. */
      readonly orReplace?: false
      /** `create table if not exists`: leave an existing table as it is. Default: `false`. */
      readonly ifNotExists?: boolean
    }

/**
 * Thrown by `createTableAs` / `createTableAsQuery`, before anything is sent, when given both `orReplace`
 * and `ifNotExists` (the types prevent it; untyped callers can still get here). Pass only one of them.
 */
export class ConflictingCreateOptionsError extends MotherDuckError {
  override readonly name = 'ConflictingCreateOptionsError'
  constructor(readonly table: string) {
    super(
      `createTableAs(${JSON.stringify(table)}): orReplace and ifNotExists exclude each other (DuckDB rejects ` +
        'CREATE OR REPLACE TABLE IF NOT EXISTS); pass only one of them.',
    )
  }
}

/**
 * Creates a table from a query on the server — `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] … AS <query>` —
 * the loading path MotherDuck recommends (pair it with `readParquet` / `readCsv` / `readJson` to load
 * files in object storage without moving rows through the client). `table` may name the database and
 * schema (`'my_db.main.trips'` or `'my_db:main.trips'`); each part is quoted as an identifier. Resolves to
 * the same `db`, typed with the new table (columns = the query's selection) under the key the MotherDuck
 * dialect reads as three parts (`'my_db:main.trips'`), so the next query can use it. The statement is
 * Kysely's `CreateTableNode`, so the instance's plugins name the table as `db.schema.createTable(table)`
 * would (WithSchemaPlugin's schema when `table` names none, CamelCasePlugin's snake case).
 *
 * ### Examples
 *
 * ```ts
 * const db2 = await createTableAs(
 *   db,
 *   'my_db.main.trips',
 *   db.selectFrom(readParquet<Trip>('s3://bucket/trips/*.parquet').as('t')).selectAll(),
 *   { orReplace: true },
 * )
 * const count = await db2.selectFrom('my_db:main.trips').select((eb) => eb.fn.countAll().as('n')).execute()
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * create or replace table "my_db"."main"."trips" as select * from read_parquet('s3://bucket/trips/*.parquet', MD_RUN = REMOTE) as "t"
 * ```
 */
export async function createTableAs<DB, const N extends string, O>(
  db: KyselyHandle<DB>,
  table: N,
  query: Expression<O>,
  options: CreateTableAsOptions = {},
): Promise<Kysely<DB & { [K in TableKey<N>]: O }>> {
  await createTableAsQuery(table, query, options).execute(db as Kysely<DB>)
  // The same connection handle: only its type learns about the new table.
  return db as unknown as Kysely<DB & { [K in TableKey<N>]: O }>
}

/**
 * The `CREATE TABLE … AS` statement `createTableAs` runs, as a `RawBuilder` to compile or execute
 * yourself, e.g. inside a migration (where the database type does not matter) or to log the SQL. The
 * table name is parsed like `createTableAs`'s (an invalid one throws `InvalidTableNameError`). It holds
 * Kysely's `CreateTableNode`, which the plugins of the instance that executes it rewrite.
 *
 * ### Examples
 *
 * ```ts
 * await createTableAsQuery(
 *   'my_db.main.logins',
 *   db.selectFrom('my_db:main.events').select(['id', 'at']).where('name', '=', 'login'),
 *   { ifNotExists: true },
 * ).execute(db)
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * create table if not exists "my_db"."main"."logins" as select "id", "at" from "my_db"."main"."events" where "name" = $1
 * ```
 */
export function createTableAsQuery(
  table: string,
  query: Expression<unknown>,
  options: CreateTableAsOptions = {},
): RawBuilder<never> {
  const name = parseTableName(table)
  if (options.orReplace && options.ifNotExists) throw new ConflictingCreateOptionsError(table)
  let node = CreateTableNode.cloneWith(CreateTableNode.create(tableNode(name)), {
    selectQuery: query.toOperationNode(),
    ...(options.ifNotExists ? { ifNotExists: true } : {}),
  })
  if (options.orReplace) {
    node = CreateTableNode.cloneWithFrontModifier(node, RawNode.createWithSql('or replace'))
  }
  return sql<never>`${nodeSource(node)}`
}

/** Embeds an operation node in a `sql` template as it is. */
function nodeSource(node: OperationNode) {
  return { toOperationNode: () => node }
}
