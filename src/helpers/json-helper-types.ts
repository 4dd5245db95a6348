import type { Simplify } from 'kysely'
import type { Interval, JsonValue } from '../types/duckdb-types.js'

/*
 * The row types of jsonArrayFrom / jsonObjectFrom / jsonBuildObject: Kysely's ShallowDehydrateValue idiom
 * (kysely/helpers/postgres: a column's select type → the type its value has after the trip through JSON),
 * adjusted to what these helpers make DuckDB send (json-column-value.ts) under the default type parsing:
 * - `Date` (TIMESTAMP, TIMESTAMPTZ) → `string`, the Date's `toISOString()` text;
 * - `bigint` (BIGINT, UINTEGER) → `string`, every digit: a JSON number would arrive as a `number` or a
 *   `bigint` depending on its size (Kysely's `number` loses digits beyond 2^53 − 1);
 * - `Uint8Array` / `Buffer` (BLOB) → `string`, Postgres' bytea text `\x…`;
 * - {@link Interval} (INTERVAL) → `string`, DuckDB's interval text (`1 year 2 months 03:00:00`);
 * - a list of those → a list of strings. Lists of lists, STRUCT, MAP and JSON already travel as JSON at
 *   top level; they arrive the same (their type is unchanged), as do `string` (VARCHAR, DECIMAL, HUGEINT,
 *   UBIGINT, DATE, TIME, UUID, …), `number` and `boolean`.
 * `NonDehydrateable<T>` (Kysely's opt-out, a `__kysely_dehydrate__` key) keeps T, as in Kysely.
 */

/** True when T is {@link Interval} (both ways assignable: any object type with optional fields is not). */
type IsInterval<T> = [T] extends [Interval] ? ([Interval] extends [T] ? true : false) : false

/**
 * The type a value of select type `T` arrives as inside the JSON of `jsonArrayFrom`, `jsonObjectFrom`
 * and `jsonBuildObject`: `Date`, `bigint`, `Buffer` and {@link Interval} become `string`, element by
 * element in a list; everything else is unchanged.
 *
 * ### Examples
 *
 * ```ts
 * type A = JsonHelperValue<Date | null> // string | null
 * type B = JsonHelperValue<bigint[]> // string[]
 * type C = JsonHelperValue<string> // string (DECIMAL, VARCHAR, …)
 * ```
 */
export type JsonHelperValue<T> = [JsonValue] extends [T]
  ? T // JSON, STRUCT, MAP: JSON at top level too (its bigints are JSON numbers beyond 2^53 − 1)
  : DehydratedMember<T>

/** {@link JsonHelperValue} of each member of a union. */
type DehydratedMember<T> = T extends null | undefined
  ? T
  : '__kysely_dehydrate__' extends keyof T
    ? T
    : T extends Date | bigint | Uint8Array
      ? string
      : T extends readonly (infer E)[]
        ? [E] extends [readonly unknown[]]
          ? T
          : JsonHelperValue<E>[]
        : IsInterval<T> extends true
          ? string
          : T

/** A row of `O` as it arrives inside the JSON of `jsonArrayFrom` and `jsonObjectFrom`. */
export type JsonHelperRow<O> = Simplify<{ [K in keyof O]: JsonHelperValue<O[K]> }>
