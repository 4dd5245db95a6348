import { codegenCommand } from './codegen-command.js'
import { demoCommand } from './demo-command.js'
import { localCommand } from './local-command.js'
import { packageVersion } from './package-version.js'
import type { Subcommand } from './subcommand.js'

/**
 * The subcommands of the `kysely-motherduck` bin, in the order `--help` lists them. Each module is
 * light to import: what a command needs to run (DuckDB, kysely-codegen, the demo) loads when it runs.
 */
const SUBCOMMANDS: readonly Subcommand[] = [localCommand, codegenCommand, demoCommand]

/** The bin's help: its subcommands and their summaries. */
function usage(): string {
  const width = Math.max(...SUBCOMMANDS.map(({ name }) => name.length)) + 2
  return [
    'Usage: kysely-motherduck <command> [options]',
    '',
    'Commands:',
    ...SUBCOMMANDS.map(({ name, summary }) => `  ${name.padEnd(width)}${summary}`),
    '',
    'Options:',
    '  -h, --help     print this help',
    '  -v, --version  print the version of kysely-motherduck',
    '',
    "Run `kysely-motherduck <command> --help` for a command's options.",
  ].join('\n')
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage())
    return name === undefined ? 1 : 0
  }
  if (name === '--version' || name === '-v') {
    console.log(await packageVersion())
    return 0
  }
  const command = SUBCOMMANDS.find((subcommand) => subcommand.name === name)
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`)
    return 1
  }
  return command.run(rest)
}
