import { type Kysely, sql } from 'kysely'

/**
 * The witness of an injection: a table `canary` with one known row, and the catalog as it was. The
 * hostile names and values include statements that would drop `canary` or insert into it;
 * {@link CanaryTable.assertIntact} proves none of them ran.
 */
export interface CanaryTable {
  /** Fails unless `canary` holds exactly its one row and every table, schema and database of the start is still there. */
  assertIntact(): Promise<void>
}

const ROW = { id: 1, note: 'canary row: \' " ; -- /* */' }

/** Creates `canary` in the connected database's default schema and remembers the catalog. */
export async function createCanaryTable(db: Kysely<unknown>): Promise<CanaryTable> {
  await sql`create table canary (id integer, note varchar)`.execute(db)
  await sql`insert into canary values (${ROW.id}, ${ROW.note})`.execute(db)
  const catalog = async () => {
    const { rows } = await sql<{ name: string }>`
      select database_name || '.' || schema_name || '.' || table_name as name from duckdb_tables()
      union all select database_name || '.' || schema_name from duckdb_schemas() where not internal
      union all select database_name from duckdb_databases() where not internal`.execute(db)
    return rows.map((row) => row.name)
  }
  const before = await catalog()
  return {
    async assertIntact() {
      const { rows } = await sql<{
        id: number
        note: string
      }>`select id, note from canary order by id`.execute(db)
      if (rows.length !== 1 || rows[0]?.id !== ROW.id || rows[0]?.note !== ROW.note) {
        throw new Error(`the canary table changed: ${JSON.stringify(rows)}`)
      }
      const now = new Set(await catalog())
      const missing = before.filter((name) => !now.has(name))
      if (missing.length > 0) throw new Error(`objects disappeared: ${JSON.stringify(missing)}`)
    },
  }
}
