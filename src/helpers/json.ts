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
 * A subquery's rows as one JSON array, e.g. to nest related rows in each result row. The rows keep the
 * subquery's order (DuckDB's `list()` aggregates in input order); no rows give `[]`.
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
 * A subquery's first row as a JSON object, or `null` when it has no rows.
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
 * A JSON object built from named expressions, with DuckDB's `json_object` (Postgres: `json_build_object`).
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
