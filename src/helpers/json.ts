import {
  type Expression,
  type RawBuilder,
  type ShallowDehydrateObject,
  type ShallowDehydrateValue,
  type Simplify,
  sql,
} from 'kysely'

/*
 * DuckDB versions of kysely/helpers/postgres (same signatures). Postgres' json_agg and json_build_object do
 * not exist in DuckDB; to_json(list(…)) and json_object do. The results are JSON values (wire type json),
 * which this library parses with integers beyond 2^53 − 1 kept as bigint. Inside JSON, values follow
 * DuckDB's to_json: BIGINT, HUGEINT and DECIMAL become JSON numbers, DATE/TIMESTAMP/UUID/BLOB strings.
 */

/**
 * A subquery's rows as one JSON array of objects, e.g. to nest related rows in each result row; no rows
 * give `[]`. Mind the order: DuckDB does not promise that `list()` receives the rows in the subquery's
 * `order by` order. Small subqueries come out in order in practice, but a large one that DuckDB reads
 * with several threads does not (measured: 2,000,000 rows, 4 threads), so sort in JavaScript when the
 * order matters.
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
 * select "id", (select coalesce(to_json(list(agg)), CAST('[]' AS JSON)) from (select "pet"."id" as "pet_id",
 * "pet"."name" from "pet" where "pet"."owner_id" = "person"."id" order by "pet"."name") as agg) as "pets"
 * from "person"
 * ```
 */
export function jsonArrayFrom<O>(
  expr: Expression<O>,
): RawBuilder<Simplify<ShallowDehydrateObject<O>>[]> {
  return sql`(select coalesce(to_json(list(agg)), CAST('[]' AS JSON)) from ${expr} as agg)`
}

/**
 * A subquery's row as a JSON object, or `null` when it has no rows. The subquery must return at most one
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
 * select "id", (select to_json(obj) from (select "pet"."id" as "pet_id", "pet"."name" from "pet"
 * where "pet"."owner_id" = "person"."id" and "pet"."is_favorite" = $1) as obj) as "favorite_pet"
 * from "person"
 * ```
 */
export function jsonObjectFrom<O>(
  expr: Expression<O>,
): RawBuilder<Simplify<ShallowDehydrateObject<O>> | null> {
  return sql`(select to_json(obj) from ${expr} as obj)`
}

/**
 * A JSON object built from named expressions, with DuckDB's `json_object` (Postgres: `json_build_object`);
 * the keys are written as string literals, the values as the expressions compile.
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
 * select "id", json_object('first', "first_name", 'last', "last_name", 'full', first_name || ' ' || last_name) as "name"
 * from "person"
 * ```
 */
export function jsonBuildObject<O extends Record<string, Expression<unknown>>>(
  obj: O,
): RawBuilder<
  Simplify<{
    [K in keyof O]: O[K] extends Expression<infer V> ? ShallowDehydrateValue<V> : never
  }>
> {
  return sql`json_object(${sql.join(Object.keys(obj).flatMap((key) => [sql.lit(key), obj[key]]))})`
}
