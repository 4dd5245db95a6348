import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  type SelectQueryBuilder,
} from 'kysely'
import { MotherDuckQueryCompiler } from '../src/dialect/motherduck-query-compiler.js'
import { quoteIdentifier } from '../src/sql/quote.js'

type AnyDB = Record<string, Record<string, unknown>>

// Compiles only: the dummy driver never connects.
const compiler = new Kysely<AnyDB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new MotherDuckQueryCompiler(),
  },
})

/**
 * Whether `db.selectFrom(key)` names the table `parts` (`[table]`, `[schema, table]` or
 * `[database, schema, table]`), checked by compiling it with the MotherDuck dialect's compiler. It does
 * not for names that Kysely's table parser reads as syntax: a `.` or ` as ` in any part, spaces around a
 * part that has a `.` beside it (Kysely trims them), a `:` in a schema or database name (the dialect's
 * database separator). A key that does not round-trip would silently name another table, or collide
 * with another table's key.
 *
 * ### Examples
 *
 * ```ts
 * tableKeyRoundTrips('staging.orders', ['staging', 'orders']) // true
 * tableKeyRoundTrips('x.y', ['x.y']) // false: Kysely reads schema "x", table "y"
 * ```
 *
 * The SQL it compiles (never sent): `select * from "staging"."orders"`.
 */
export function tableKeyRoundTrips(key: string, parts: readonly string[]): boolean {
  let query: SelectQueryBuilder<AnyDB, string, unknown>
  try {
    query = compiler.selectFrom(key).selectAll() as SelectQueryBuilder<AnyDB, string, unknown>
    return query.compile().sql === `select * from ${parts.map(quoteIdentifier).join('.')}`
  } catch {
    return false
  }
}
