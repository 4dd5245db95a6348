import {
  type Expression,
  type OperationNode,
  type OperationNodeSource,
  type RawBuilder,
  type Simplify,
  sql,
} from 'kysely'
import { assertRepresentable } from '../sql/sql-string-literal.js'
import { planJsonArray, SOURCE_ROW_COLUMN } from './json-array-order.js'
import { jsonColumnValue } from './json-column-value.js'
import type { JsonHelperRow, JsonHelperValue } from './json-helper-types.js'

const KEY_HINT =
  'Remove it from the key: JSON object keys are written into the SQL as string literals.'

/*
 * DuckDB versions of kysely/helpers/postgres (same signatures). Postgres' json_agg and json_build_object do
 * not exist in DuckDB; to_json(list(…)) and json_object do. Each value is written so that it arrives as the
 * row type says (json-column-value.ts, json-helper-types.ts): exact numbers and timestamps as strings, not
 * as to_json's numbers and zone-less text. A subquery's columns are rewritten one by one with DuckDB's
 * COLUMNS(*), which keeps their names: `select <value of COLUMNS(*)> from (subquery) as src`.
 */

/** Each column of the subquery `src` as JSON (see jsonColumnValue), under its own name. */
function jsonColumns(excluded: readonly string[] = []): RawBuilder<unknown> {
  const columns =
    excluded.length === 0
      ? sql`columns(*)`
      : sql`columns(* exclude (${sql.join(excluded.map((name) => sql.id(name)))}))`
  return jsonColumnValue(columns)
}

/**
 * A subquery's rows as one JSON array of objects, e.g. to nest related rows in each result row; no rows
 * give `[]`. The array is in the subquery's `orderBy` order: DuckDB's `list()` is a parallel aggregate that
 * does not receive the rows in that order (a million ordered rows come out shuffled), so the order is
 * moved into the aggregate, `list(agg order by …)`, which DuckDB sorts itself, with each item's direction,
 * `nulls first/last` and collation (the subquery keeps its own `orderBy` only where it picks the rows:
 * with `limit`, `offset` or `distinctOn`). An item that names an output column of the subquery (a selected
 * column, by its qualified name or its alias; any column of a `selectAll()` from one table; a column
 * position) orders by that column; any other item (an expression, a column that is not selected, an
 * alias that a `*` next to it could also output) is selected as well under the name
 * `__kysely_motherduck_order_N`, ordered by, and left out of the objects (DuckDB's `*columns(* exclude …)`).
 * Each value arrives as the row type ({@link JsonHelperRow}) says, whatever the process time zone:
 * BIGINT, HUGEINT and DECIMAL as strings with every digit, TIMESTAMP/TIMESTAMPTZ as the ISO text of the
 * `Date` the column gives at top level (`2024-03-10T12:00:00.000Z`), BLOB as `\x…` hex, INTERVAL as
 * DuckDB's text; a list of those element by element; other values as at top level.
 * Limits: ties come in no particular order, and the array is not ordered (as with plain `list()`) for a
 * `distinct()` subquery (or one with another front modifier) with an item of the second kind, for a
 * `union`/`intersect`/`except` ordered by anything but an output name or position, and for an argument
 * that is not a Kysely select query (e.g. a raw `sql` subquery).
 *
 * ### Examples
 *
 * ```ts
 * import { jsonArrayFrom } from 'kysely-motherduck'
 *
 * const people = await db
 *   .selectFrom('person')
 *   .select((eb) => [
 *     'id',
 *     jsonArrayFrom(
 *       eb.selectFrom('pet').select(['pet.id as pet_id', 'pet.name'])
 *         .whereRef('pet.owner_id', '=', 'person.id').orderBy('pet.name'),
 *     ).as('pets'),
 *   ])
 *   .execute()
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * select "id", (select coalesce(to_json(list(struct_pack(*columns(* exclude ("__kysely_motherduck_source")))
 * order by agg."__kysely_motherduck_source"."name")), CAST('[]' AS JSON)) from (select <json of columns(*)>,
 * struct_pack(*columns(*)) as "__kysely_motherduck_source" from (select "pet"."id" as "pet_id", "pet"."name"
 * from "pet" where "pet"."owner_id" = "person"."id") as src) as agg) as "pets" from "person"
 * ```
 *
 * where `<json of x>` is the value rewrite of the JSON helpers (see {@link JsonHelperValue}), a `case` on
 * `typeof(x)`.
 */
export function jsonArrayFrom<O>(expr: Expression<O>): RawBuilder<JsonHelperRow<O>[]> {
  const plan = planJsonArray(expr.toOperationNode())
  if (plan.kind === 'unordered') {
    return sql`(select coalesce(to_json(list(agg)), CAST('[]' AS JSON)) from (select ${jsonColumns()} from ${expr} as src) as agg)`
  }
  const subquery = nodeSource(plan.subquery)
  const orderBy = sql.join(plan.orderBy.map(nodeSource))
  // The JSON columns but hidden ones, and the source row that the ORDER BY items read.
  const source = sql.id(SOURCE_ROW_COLUMN)
  return sql`(select coalesce(to_json(list(struct_pack(*columns(* exclude (${source}))) order by ${orderBy})), CAST('[]' AS JSON)) from (select ${jsonColumns(plan.hiddenColumns)}, struct_pack(*columns(*)) as ${source} from ${subquery} as src) as agg)`
}

function nodeSource(node: OperationNode): OperationNodeSource {
  return { toOperationNode: () => node }
}

/**
 * A subquery's row as a JSON object, or `null` when it has no rows; values as in {@link jsonArrayFrom}. The subquery must return at most one
 * row: DuckDB fails the query with "More than one row returned by a subquery used as an expression"
 * otherwise, so add `.limit(1)` when several rows may match.
 *
 * ### Examples
 *
 * ```ts
 * import { jsonObjectFrom } from 'kysely-motherduck'
 *
 * const people = await db
 *   .selectFrom('person')
 *   .select((eb) => [
 *     'id',
 *     jsonObjectFrom(
 *       eb.selectFrom('pet').select(['pet.id as pet_id', 'pet.name'])
 *         .whereRef('pet.owner_id', '=', 'person.id').where('pet.is_favorite', '=', true),
 *     ).as('favorite_pet'),
 *   ])
 *   .execute()
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * select "id", (select to_json(obj) from (select <json of columns(*)> from (select "pet"."id" as "pet_id",
 * "pet"."name" from "pet" where "pet"."owner_id" = "person"."id" and "pet"."is_favorite" = $1) as src)
 * as obj) as "favorite_pet" from "person"
 * ```
 *
 * where `<json of x>` is the value rewrite of the JSON helpers (see {@link jsonArrayFrom}).
 */
export function jsonObjectFrom<O>(expr: Expression<O>): RawBuilder<JsonHelperRow<O> | null> {
  return sql`(select to_json(obj) from (select ${jsonColumns()} from ${expr} as src) as obj)`
}

/**
 * A JSON object built from named expressions, with DuckDB's `json_object` (Postgres: `json_build_object`);
 * values arrive as in {@link jsonArrayFrom}; the keys are written as string literals (quotes escaped; a key with a NUL character or a lone UTF-16
 * surrogate, which SQL text cannot carry, throws `UnrepresentableStringError`), the values as the
 * expressions compile.
 *
 * ### Examples
 *
 * ```ts
 * import { sql } from 'kysely'
 * import { jsonBuildObject } from 'kysely-motherduck'
 *
 * const result = await db
 *   .selectFrom('person')
 *   .select((eb) => [
 *     'id',
 *     jsonBuildObject({
 *       first: eb.ref('first_name'),
 *       last: eb.ref('last_name'),
 *       full: sql<string>`first_name || ' ' || last_name`,
 *     }).as('name'),
 *   ])
 *   .execute()
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * select "id", [json_object('first', <json of v.f0>, 'last', <json of v.f1>, 'full', <json of v.f2>) for v in
 * [struct_pack(f0 := "first_name", f1 := "last_name", f2 := first_name || ' ' || last_name)]][1] as "name"
 * from "person"
 * ```
 *
 * where `<json of x>` is the value rewrite of the JSON helpers (see {@link jsonArrayFrom}): each expression
 * is written once, in the struct.
 */
export function jsonBuildObject<O extends Record<string, Expression<unknown>>>(
  obj: O,
): RawBuilder<
  Simplify<{
    [K in keyof O]: O[K] extends Expression<infer V> ? JsonHelperValue<V> : never
  }>
> {
  const keys = Object.keys(obj)
  for (const key of keys) assertRepresentable(key, 'jsonBuildObject key', KEY_HINT)
  if (keys.length === 0) return sql`json_object()`
  // Each expression once, in a struct (field i is the i-th value); the list comprehension names it `v`,
  // so that the JSON rewrite can repeat v.fi without repeating the expression.
  const fields = keys.map((key, i) => sql`${sql.raw(`f${i}`)} := ${obj[key]}`)
  const values = keys.flatMap((key, i) => [sql.lit(key), jsonColumnValue(sql.raw(`v.f${i}`))])
  return sql`[json_object(${sql.join(values)}) for v in [struct_pack(${sql.join(fields)})]][1]`
}
