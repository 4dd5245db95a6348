import { runDemo } from '../demo/run-demo.js'
import { FlagError, type FlagSpec, formatFlagHelp, parseFlags } from './flag-parser.js'

/** The `demo` subcommand's flags: parsed and documented from this one list. */
export const DEMO_FLAGS: readonly FlagSpec[] = [
  { name: 'help', short: 'h', kind: 'boolean', description: 'Print this help.' },
]

/** The help text, generated from {@link DEMO_FLAGS}. */
export function demoHelp(): string {
  return `Usage: kysely-motherduck demo [options]

Runs the end-to-end demo: codegen, a typed query on sample_data.hn.hacker_news, a server-side load from
Parquet (MD_RUN = REMOTE) with createTableAs, and a batched in-memory load with insertRows.

Options:
${formatFlagHelp(DEMO_FLAGS)}

Without MOTHERDUCK_TOKEN it runs on the local MotherDuck-compatible endpoint (real DuckDB, synthetic
sample data generated once into the temp directory). With MOTHERDUCK_TOKEN (and MOTHERDUCK_REGION when
not us-east-1) it runs against MotherDuck: the scratch tables go into a database kysely_motherduck_demo
that it creates and drops; DEMO_PARQUET_URL chooses the Parquet file it loads.`
}

export async function run(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>
  try {
    parsed = parseFlags(DEMO_FLAGS, argv)
    if (parsed.positionals.length > 0) {
      throw new FlagError(
        parsed.positionals[0] ?? '',
        `Unexpected argument "${parsed.positionals[0]}".`,
      )
    }
  } catch (error) {
    if (!(error instanceof FlagError)) throw error
    console.error(`${error.message}\nRun \`kysely-motherduck demo --help\` for the options.`)
    return 1
  }
  if (parsed.flags.help === true) {
    console.log(demoHelp())
    return 0
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
