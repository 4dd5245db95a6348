import {
  FlagError,
  type FlagSpec,
  type FlagValue,
  formatFlagHelp,
  parseFlags,
} from './flag-parser.js'

/** Where a subcommand writes. A subcommand's own io extends it; tests pass their own. */
export interface SubcommandIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

/** The flags of one run, by long name: only those given. */
export type SubcommandFlags = Readonly<Record<string, FlagValue>>

/** What a subcommand module declares; {@link defineSubcommand} turns it into a {@link Subcommand}. */
export interface SubcommandDeclaration<Io extends SubcommandIo> {
  /** The word after `kysely-motherduck`. */
  readonly name: string
  /** One line for `kysely-motherduck --help`. */
  readonly summary: string
  /** What the command does: the paragraph under the usage line of its `--help`. */
  readonly description: string
  /** Its flags, without `-h, --help`, which every subcommand has. */
  readonly flags: readonly FlagSpec[]
  /** The paragraph after the options in `--help` (environment, where output goes). */
  readonly notes?: string
  /** Example command lines for `--help`. */
  readonly examples?: readonly string[]
  /** The terminal's io. */
  defaultIo(): Io
  /**
   * How an error line is written: codegen runs inside build scripts, so its lines say whose they are,
   * and hide the tokens of its environment. Default: the message as it is.
   */
  formatError?(message: string, io: Io): string
  /**
   * Runs the command with the flags the parser accepted; resolves to the exit code. A {@link FlagError}
   * it throws (a value the parser cannot check, such as `--port x`) is reported like the parser's own.
   */
  run(flags: SubcommandFlags, io: Io): Promise<number>
}

/** A subcommand of the `kysely-motherduck` bin, run by `src/cli/cli.ts` or by tests directly. */
export interface Subcommand<Io extends SubcommandIo = SubcommandIo> {
  readonly name: string
  readonly summary: string
  /** Every flag it accepts, `--help` included. */
  readonly flags: readonly FlagSpec[]
  /** Its `--help` text, generated from the declaration. */
  help(): string
  /**
   * Runs it with `argv` (the arguments after its name) and resolves to the exit code: `--help` prints
   * the help (0); unknown flags, bad values and stray arguments print what is wrong and point to
   * `--help` (1).
   */
  run(argv: readonly string[], io?: Partial<Io>): Promise<number>
}

const HELP_FLAG: FlagSpec = {
  name: 'help',
  short: 'h',
  kind: 'boolean',
  description: 'Print this help.',
}

/**
 * The scaffold every subcommand shares: flag parsing, `--help` and usage errors, from its declaration.
 *
 * ### Examples
 *
 * ```ts
 * export const helloCommand = defineSubcommand({
 *   name: 'hello',
 *   summary: 'say hello',
 *   description: 'Says hello.',
 *   flags: [{ name: 'name', kind: 'string', valueName: '<name>', description: 'Whom to greet.' }],
 *   defaultIo: () => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }),
 *   run: async (flags, io) => {
 *     io.stdout(`Hello, ${flags.name ?? 'world'}!\n`)
 *     return 0
 *   },
 * })
 * ```
 */
export function defineSubcommand<Io extends SubcommandIo>(
  declaration: SubcommandDeclaration<Io>,
): Subcommand<Io> {
  const { name } = declaration
  const flags = [...declaration.flags, HELP_FLAG]
  const help = (): string =>
    [
      `Usage: kysely-motherduck ${name} [options]`,
      '',
      declaration.description,
      '',
      'Options:',
      formatFlagHelp(flags),
      ...(declaration.notes === undefined ? [] : ['', declaration.notes]),
      ...(declaration.examples?.length
        ? ['', 'Examples:', ...declaration.examples.map((example) => `  ${example}`)]
        : []),
    ].join('\n')

  return {
    name,
    summary: declaration.summary,
    flags,
    help,
    async run(argv, io = {}) {
      const out: Io = { ...declaration.defaultIo(), ...io }
      try {
        const parsed = parseFlags(flags, argv)
        if (parsed.flags.help === true) {
          out.stdout(`${help()}\n`)
          return 0
        }
        const [stray] = parsed.positionals
        if (stray !== undefined) {
          throw new FlagError(stray, `Unexpected argument "${stray}": options are flags.`)
        }
        return await declaration.run(parsed.flags, out)
      } catch (error) {
        if (!(error instanceof FlagError)) throw error
        const line = declaration.formatError?.(error.message, out) ?? error.message
        out.stderr(`${line}\nRun \`kysely-motherduck ${name} --help\` for the options.\n`)
        return 1
      }
    },
  }
}
