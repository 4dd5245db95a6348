import { Kysely } from 'kysely'
import { MotherDuckDialect } from 'kysely-motherduck'
import { runSmokeQueries } from './smoke-queries.js'
import { type SmokeDatabase, smokeReportLine } from './smoke-schema.js'

/*
 * The smoke app for Cloudflare Workers, as a Worker module: one Kysely per request (a Worker must not
 * keep sockets across requests), with a pool of one connection, destroyed before the response is done.
 * `workerd test` calls `test()`, which serves one request through `fetch()`.
 */

/** The Worker's bindings: the connection URL, e.g. from `wrangler secret put MOTHERDUCK_URL`. */
interface Env {
  readonly MOTHERDUCK_URL: string
}

async function handle(env: Env): Promise<Response> {
  const db = new Kysely<SmokeDatabase>({
    dialect: new MotherDuckDialect({ url: env.MOTHERDUCK_URL, pool: { max: 1 } }),
  })
  try {
    return new Response(smokeReportLine(await runSmokeQueries(db)))
  } finally {
    await db.destroy()
  }
}

export default {
  fetch: (_request: Request, env: Env): Promise<Response> => handle(env),
  async test(_controller: unknown, env: Env): Promise<void> {
    const response = await this.fetch(new Request('http://worker/smoke'), env)
    console.log(await response.text())
  },
}
