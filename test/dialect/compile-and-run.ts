import type { Compilable } from 'kysely'

/** Compiles and executes: the dialect tests assert both the SQL and what DuckDB does with it. */
export async function compileAndRun<R>(query: Compilable<R> & { execute(): Promise<R[]> }) {
  const { sql, parameters } = query.compile()
  const rows = await query.execute()
  return { sql, parameters, rows }
}
