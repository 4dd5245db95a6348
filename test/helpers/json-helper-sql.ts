import { sql } from 'kysely'
import { jsonColumnValue } from '../../src/helpers/json-column-value.js'
import { compileOnlyDb } from '../sources/compile-only-db.js'

/*
 * The SQL the JSON helpers wrap a subquery in, for exact-SQL assertions. The per-value rewrite itself
 * (jsonColumnValue) is pinned literally in json-column-value.test.ts; here it is compiled, so that the
 * tests of the helpers' shape read as the shape.
 */

const compiler = compileOnlyDb<Record<string, never>>()

/** jsonColumnValue over `columns(*)` (less the `excluded` columns), compiled. */
export function jsonColumnsSql(excluded: readonly string[] = []): string {
  const columns =
    excluded.length === 0
      ? sql`columns(*)`
      : sql`columns(* exclude (${sql.join(excluded.map((name) => sql.id(name)))}))`
  return jsonColumnValue(columns).compile(compiler).sql
}

/** jsonArrayFrom of `subquery` without ORDER BY. */
export function unorderedArraySql(subquery: string): string {
  return `(select coalesce(to_json(list(agg)), CAST('[]' AS JSON)) from (select ${jsonColumnsSql()} from (${subquery}) as src) as agg)`
}

/** jsonArrayFrom of `subquery`, ordered by `orderBy`, with `hidden` order columns. */
export function orderedArraySql(
  orderBy: string,
  subquery: string,
  hidden: readonly string[] = [],
): string {
  return `(select coalesce(to_json(list(struct_pack(*columns(* exclude ("__kysely_motherduck_source"))) order by ${orderBy})), CAST('[]' AS JSON)) from (select ${jsonColumnsSql(hidden)}, struct_pack(*columns(*)) as "__kysely_motherduck_source" from (${subquery}) as src) as agg)`
}

/** jsonObjectFrom of `subquery`. */
export function objectSql(subquery: string): string {
  return `(select to_json(obj) from (select ${jsonColumnsSql()} from (${subquery}) as src) as obj)`
}
