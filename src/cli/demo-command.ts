import { runDemo } from '../demo/run-demo.js'

const HELP = `Usage: kysely-motherduck demo

Runs the end-to-end demo: codegen, a typed query on sample_data.hn.hacker_news, a server-side load from
Parquet (MD_RUN = REMOTE) with createTableAs, and a batched in-memory load with insertRows.

Without MOTHERDUCK_TOKEN it runs on the local MotherDuck-compatible endpoint (real DuckDB, synthetic
sample data generated once into the temp directory). With MOTHERDUCK_TOKEN (and optionally
MOTHERDUCK_REGION) it runs against MotherDuck: the scratch tables go into a database
kysely_motherduck_demo that it creates and drops; DEMO_PARQUET_URL overrides the Parquet file it loads.`

export async function run(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP)
    return 0
  }
  if (argv.length > 0) {
    console.error(`kysely-motherduck demo takes no arguments (got ${argv.join(' ')}).\n\n${HELP}`)
    return 1
  }
  try {
    await runDemo()
    return 0
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    console.error(`\nThe demo failed: ${message}`)
    return 1
  }
}
