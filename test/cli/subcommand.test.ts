import { readFile } from 'node:fs/promises'
import { describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/cli.js'
import { FlagError } from '../../src/cli/flag-parser.js'
import { defineSubcommand, type SubcommandFlags } from '../../src/cli/subcommand.js'

/** A subcommand that records its runs; `outcome` decides what its run does. */
function hello(outcome: (flags: SubcommandFlags) => Promise<number> = async () => 0) {
  const runs: SubcommandFlags[] = []
  const output = { stdout: '', stderr: '' }
  const command = defineSubcommand({
    name: 'hello',
    summary: 'say hello',
    description: 'Says hello.',
    flags: [{ name: 'name', kind: 'string', valueName: '<name>', description: 'Whom to greet.' }],
    notes: 'Greets the world by default.',
    examples: ['kysely-motherduck hello --name you'],
    defaultIo: () => ({
      stdout: (text: string) => {
        output.stdout += text
      },
      stderr: (text: string) => {
        output.stderr += text
      },
    }),
    formatError: (message) => `hello: ${message}`,
    run: (flags) => {
      runs.push(flags)
      return outcome(flags)
    },
  })
  return { command, runs, output }
}

describe('defineSubcommand', () => {
  it('generates the help from the declaration, with -h/--help added', () => {
    const { command } = hello()
    expect(command.flags.map((flag) => flag.name)).toEqual(['name', 'help'])
    expect(command.help()).toBe(
      [
        'Usage: kysely-motherduck hello [options]',
        '',
        'Says hello.',
        '',
        'Options:',
        '      --name <name>  Whom to greet.',
        '  -h, --help         Print this help.',
        '',
        'Greets the world by default.',
        '',
        'Examples:',
        '  kysely-motherduck hello --name you',
      ].join('\n'),
    )
  })

  it('prints the help for --help and -h without running', async () => {
    const { command, runs, output } = hello()
    expect(await command.run(['--help'])).toBe(0)
    expect(await command.run(['-h', '--name', 'x'])).toBe(0)
    expect(output.stdout).toBe(`${command.help()}\n${command.help()}\n`)
    expect(runs).toEqual([])
  })

  it('runs with the parsed flags and returns its exit code', async () => {
    const { command, runs } = hello(async () => 3)
    expect(await command.run(['--name=you'])).toBe(3)
    expect(runs).toEqual([{ name: 'you' }])
  })

  it('refuses unknown flags, missing values and stray arguments without running', async () => {
    const { command, runs, output } = hello()
    for (const [argv, message] of [
      [['--nme', 'x'], 'Unknown flag --nme.'],
      [['--name'], '--name needs a value: --name <name>.'],
      [['world'], 'Unexpected argument "world": options are flags.'],
    ] as const) {
      output.stderr = ''
      expect(await command.run(argv)).toBe(1)
      expect(output.stderr).toBe(
        `hello: ${message}\nRun \`kysely-motherduck hello --help\` for the options.\n`,
      )
    }
    expect(runs).toEqual([])
  })

  it("reports a FlagError thrown by run like the parser's; other errors propagate", async () => {
    const flagError = hello(async () => {
      throw new FlagError('name', '--name must not be empty.')
    })
    expect(await flagError.command.run(['--name='])).toBe(1)
    expect(flagError.output.stderr).toContain('hello: --name must not be empty.\nRun `')

    const failure = hello(async () => {
      throw new Error('boom')
    })
    await expect(failure.command.run([])).rejects.toThrow('boom')
  })

  it('lets a test replace part of the io', async () => {
    const { command, output } = hello()
    const replaced: string[] = []
    await command.run(['--help'], { stdout: (text) => void replaced.push(text) })
    expect(replaced).toEqual([`${command.help()}\n`])
    expect(output.stdout).toBe('')
  })
})

describe('runCli', () => {
  async function cli(argv: string[]) {
    const logs: string[] = []
    const errors: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void logs.push(text))
    const error = vi
      .spyOn(console, 'error')
      .mockImplementation((text: string) => void errors.push(text))
    try {
      const code = await runCli(argv)
      return { code, stdout: logs.join('\n'), stderr: errors.join('\n') }
    } finally {
      log.mockRestore()
      error.mockRestore()
    }
  }

  it('lists every subcommand with its summary', async () => {
    const { code, stdout } = await cli(['--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('  local    start the local MotherDuck-compatible endpoint')
    expect(stdout).toContain('  codegen  generate Kysely table types from a MotherDuck database')
    expect(stdout).toContain('  demo     run the end-to-end demo')
    expect((await cli([])).code).toBe(1)
  })

  it("prints the package's version with --version and -v", async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string }
    for (const flag of ['--version', '-v']) {
      const { code, stdout, stderr } = await cli([flag])
      expect(code).toBe(0)
      expect(stdout).toBe(manifest.version)
      expect(stderr).toBe('')
    }
    expect((await cli(['--help'])).stdout).toContain('  -v, --version  print the version')
  })

  it('refuses an unknown command, and passes the rest to the subcommand', async () => {
    const unknown = await cli(['serve'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('Unknown command "serve".')
    const help = await cli(['demo', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: kysely-motherduck demo [options]')
  })
})
