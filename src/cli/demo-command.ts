import { LOCAL_ENDPOINT_PACKAGES } from '../local/local-endpoint-packages.js'
import { listOf, missingPackages } from '../optional/optional-packages.js'
import { CODEGEN_PACKAGES } from './optional-peers.js'
import { defineSubcommand, type SubcommandIo } from './subcommand.js'

/** A `console` method that takes whole lines: the final newline of a write is its own. */
const lines =
  (write: (line: string) => void) =>
  (text: string): void =>
    write(text.endsWith('\n') ? text.slice(0, -1) : text)

/** The optional packages the demo loads: codegen's, and DuckDB's unless it runs on MotherDuck. */
function demoPackages(env: Readonly<Record<string, string | undefined>>): readonly string[] {
  return env.MOTHERDUCK_TOKEN ? CODEGEN_PACKAGES : [...LOCAL_ENDPOINT_PACKAGES, ...CODEGEN_PACKAGES]
}

/**
 * What to run when the demo's packages are missing (`npx kysely-motherduck demo` installs only the
 * runtime library): the one command that brings them for this run, or the project install.
 */
function missingPackagesMessage(needed: readonly string[], missing: readonly string[]): string {
  return [
    `kysely-motherduck demo needs ${listOf(missing)}: optional peer dependencies, which`,
    '`npm install kysely-motherduck` leaves out to keep the install small. Run the demo with them, in one command:',
    '',
    `  npx -p kysely-motherduck ${needed.map((name) => `-p ${name}`).join(' ')} kysely-motherduck demo`,
    '',
    `or add them to this project: npm install -D ${missing.join(' ')}`,
    '',
  ].join('\n')
}

/** `kysely-motherduck demo`: runs the end-to-end demo; exits 1 when a step fails. */
export const demoCommand = defineSubcommand<SubcommandIo>({
  name: 'demo',
  summary: 'run the end-to-end demo (local endpoint unless MOTHERDUCK_TOKEN is set)',
  description: [
    'Runs the end-to-end demo: codegen, a typed query on sample_data.hn.hacker_news, a server-side load from',
    'Parquet (MD_RUN = REMOTE) with createTableAs, and a batched in-memory load with insertRows.',
  ].join('\n'),
  flags: [],
  notes: [
    'Without MOTHERDUCK_TOKEN it runs on the local MotherDuck-compatible endpoint (real DuckDB, synthetic',
    'sample data generated once into kysely-motherduck-demo-<uid> in the temp directory, a folder that must be',
    'yours and writable by no one else). With MOTHERDUCK_TOKEN (and MOTHERDUCK_REGION when',
    'not us-east-1) it runs against MotherDuck: the scratch tables go into a database kysely_motherduck_demo',
    'that it creates and drops; DEMO_PARQUET_URL chooses the Parquet file it loads.',
    '',
    'It loads the optional packages @duckdb/node-api (without MOTHERDUCK_TOKEN), kysely-codegen and typescript;',
    'one command brings them for a run: npx -p kysely-motherduck -p @duckdb/node-api -p kysely-codegen \\',
    '  -p typescript kysely-motherduck demo',
  ].join('\n'),
  // The demo prints through `console`, as runDemo does by default.
  defaultIo: () => ({ stdout: lines(console.log), stderr: lines(console.error) }),
  run: async (_flags, io) => {
    const needed = demoPackages(process.env)
    const missing = missingPackages(needed)
    if (missing.length > 0) {
      io.stderr(missingPackagesMessage(needed, missing))
      return 1
    }
    try {
      // Loaded here, not at the top: `kysely-motherduck --help` should not load the demo's dependencies.
      const { runDemo } = await import('../demo/run-demo.js')
      await runDemo({ print: (text) => io.stdout(`${text}\n`) })
      return 0
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      io.stderr(`\nThe demo failed: ${message}\n`)
      return 1
    }
  },
})
