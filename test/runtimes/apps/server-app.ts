import { Kysely } from 'kysely'
import { MotherDuckDialect } from 'kysely-motherduck'
import { runSmokeQueries } from './smoke-queries.js'
import { type SmokeDatabase, smokeReportLine } from './smoke-schema.js'

/*
 * The smoke app for server runtimes (Bun, Deno): a script as an application writes it, configured by
 * `MOTHERDUCK_URL` from the environment, with one Kysely for the process, destroyed at the end.
 */

const db = new Kysely<SmokeDatabase>({ dialect: new MotherDuckDialect() })
try {
  console.log(smokeReportLine(await runSmokeQueries(db)))
} finally {
  await db.destroy()
}
