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

/** jsonColumnValue over the SQL expression `value` (e.g. `v.f0` in jsonBuildObject), compiled. */
export function jsonValueSqlOf(value: string): string {
  return jsonColumnValue(sql.raw(value)).compile(compiler).sql
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

/**
 * The SQL with each per-value rewrite (`case when regexp_full_match(typeof(x), …) … else to_json(x) end`)
 * written as `<json of x>`, the notation of the helpers' JSDoc.
 */
export function abbreviateJsonValues(text: string): string {
  return text.replace(
    /case when regexp_full_match\(typeof\((.+?)\), '[\s\S]*? else to_json\(\1\) end/g,
    (_, value: string) => `<json of ${value}>`,
  )
}
