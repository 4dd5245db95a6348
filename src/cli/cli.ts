/** Subcommands of the `kysely-motherduck` bin; each lives in its own module and is loaded on demand. */
const SUBCOMMANDS = {
  local: {
    summary: 'start the local MotherDuck-compatible endpoint',
    load: () => import('./local-command.js'),
  },
  codegen: {
    summary: 'generate Kysely table types from a MotherDuck database',
    load: () => import('./codegen-command.js'),
  },
  demo: {
    summary: 'run the end-to-end demo (local endpoint unless MOTHERDUCK_TOKEN is set)',
    load: () => import('./demo-command.js'),
  },
} as const

type SubcommandName = keyof typeof SUBCOMMANDS

export function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(
    ([name, { summary }]) => `  ${name.padEnd(9)}${summary}`,
  )
  return [
    'Usage: kysely-motherduck <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run `kysely-motherduck <command> --help` for a command's options.",
  ].join('\n')
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage())
    return command === undefined ? 1 : 0
  }
  if (!(command in SUBCOMMANDS)) {
    console.error(`Unknown command "${command}".\n\n${usage()}`)
    return 1
  }
  const module = await SUBCOMMANDS[command as SubcommandName].load()
  return module.run(rest)
}
