import { readFile } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { parseEnv } from 'node:util'
import type { CodegenConfig } from '../../codegen/config-file.js'
import { loadCodegenConfig } from '../../codegen/config-file.js'
import type { CodegenResult } from '../../codegen/generate-types.js'
import { redactSecrets } from '../dialect/motherduck-secret-redaction.js'
import { type FlagSpec, type FlagValue, formatFlagHelp, parseFlags } from './flag-parser.js'

/** The `codegen` subcommand's flags: parsed and documented from this one list. */
export const CODEGEN_FLAGS: readonly FlagSpec[] = [
  {
    name: 'out-file',
    kind: 'string',
    valueName: '<path>',
    description:
      'Write the types to this file (directories are created; unchanged files are not rewritten).',
  },
  {
    name: 'print',
    kind: 'boolean',
    description: 'Print the types on stdout instead of writing them.',
  },
  {
    name: 'verify',
    kind: 'boolean',
    description:
      'Write nothing; exit 1 and print a diff when --out-file differs from the database (for CI).',
  },
  {
    name: 'url',
    kind: 'string',
    valueName: '<postgresql://…>',
    defaultText: 'MOTHERDUCK_URL, else MOTHERDUCK_TOKEN + MOTHERDUCK_REGION + MOTHERDUCK_DATABASE',
    description: 'Connection URL; the token is the password.',
  },
  {
    name: 'database',
    kind: 'repeatable',
    valueName: '<name>',
    defaultText: 'the connected database',
    description: 'Generate types for this database.',
  },
  {
    name: 'all-databases',
    kind: 'boolean',
    description: 'Generate types for every attached database.',
  },
  {
    name: 'default-schema',
    kind: 'string',
    valueName: '<schema>',
    defaultText: 'main',
    description:
      "Key this schema's tables as 'table'; other schemas as 'schema.table', other databases as 'database:schema.table'.",
  },
  {
    name: 'include-pattern',
    kind: 'string',
    valueName: '<glob>',
    description:
      "Only tables matching the glob: on 'table', 'schema.table' or 'database.schema.table' (by its dots).",
  },
  {
    name: 'exclude-pattern',
    kind: 'string',
    valueName: '<glob>',
    description: 'Leave out tables matching the glob (same forms as --include-pattern).',
  },
  {
    name: 'camel-case',
    kind: 'boolean',
    description: "Column and STRUCT field names as Kysely's CamelCasePlugin returns them.",
  },
  {
    name: 'runtime-enums',
    kind: 'optional-value',
    valueName: '<style>',
    values: ['screaming-snake-case', 'pascal-case'],
    description: 'Named ENUM types as TypeScript enums instead of unions of their labels.',
  },
  {
    name: 'type-only-imports',
    kind: 'boolean',
    defaultText: 'true',
    description: 'Write `import type { … }`; --no-type-only-imports writes plain imports.',
  },
  {
    name: 'int64',
    kind: 'string',
    valueName: '<mode>',
    values: ['bigint', 'number', 'string'],
    defaultText: 'bigint',
    description: "BIGINT and UINTEGER as the dialect's typeParsing.int64 returns them.",
  },
  {
    name: 'numeric',
    kind: 'string',
    valueName: '<mode>',
    values: ['string', 'number'],
    defaultText: 'string',
    description:
      "DECIMAL, HUGEINT, UHUGEINT, UBIGINT, BIGNUM as the dialect's typeParsing.numeric returns them.",
  },
  {
    name: 'config-file',
    kind: 'string',
    valueName: '<path>',
    defaultText: 'kysely-motherduck.config.{json,ts}, else the kysely-codegen config',
    description: 'Read options from this file; flags win over it.',
  },
  { name: 'help', short: 'h', kind: 'boolean', description: 'Print this help.' },
]

/** The help text, generated from {@link CODEGEN_FLAGS}. */
export function codegenHelp(): string {
  return [
    'Usage: kysely-motherduck codegen [options]',
    '',
    'Generates the Kysely `DB` interface of a MotherDuck database (or of the local endpoint).',
    '',
    'Options:',
    formatFlagHelp(CODEGEN_FLAGS),
    '',
    'Connection, as the dialect: --url, else MOTHERDUCK_URL, else MOTHERDUCK_TOKEN + MOTHERDUCK_REGION',
    '(default us-east-1) + MOTHERDUCK_DATABASE (default md:). A .env file in the working directory is read;',
    'the environment wins over it.',
    '',
    'Examples:',
    '  kysely-motherduck codegen --out-file src/db.ts',
    '  kysely-motherduck codegen --out-file src/db.ts --verify',
    '  kysely-motherduck codegen --database my_db --database sample_data --camel-case --print',
  ].join('\n')
}

/** Where the command reads and writes; tests pass their own. */
export interface CodegenCommandIo {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** Whether stderr is a terminal: progress is then rewritten in place. */
  readonly stderrIsTTY: boolean
  /** Progress is shown only for introspections that take longer than this. */
  readonly progressDelayMs: number
}

function defaultIo(): CodegenCommandIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    progressDelayMs: 1000,
  }
}

async function readDotEnv(cwd: string): Promise<Record<string, string>> {
  try {
    return parseEnv(await readFile(resolve(cwd, '.env'), 'utf8')) as Record<string, string>
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw error
  }
}

/** kysely-codegen's config writes URLs as `env(NAME)`. */
function resolveUrl(
  url: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const match = url === undefined ? null : /^env\((\w+)\)$/.exec(url.trim())
  return match ? env[match[1]!] : url
}

/** Every secret that could end up in a message: tokens and URL passwords. */
function secretsOf(values: readonly (string | undefined)[]): string[] {
  const secrets = new Set<string>()
  for (const value of values) {
    if (!value) continue
    try {
      const url = new URL(value)
      if (url.password) {
        secrets.add(url.password)
        secrets.add(decodeURIComponent(url.password))
      }
      secrets.add(value)
    } catch {
      secrets.add(value)
    }
  }
  return [...secrets].filter((s) => s.length >= 4)
}

/** Shows progress on stderr once an introspection has run for `delayMs`; silent for fast ones. */
class Progress {
  private latest: string | undefined
  private shown = false
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly io: CodegenCommandIo,
    delayMs: number,
  ) {
    this.timer = setTimeout(() => {
      this.shown = true
      if (this.latest !== undefined) this.write(this.latest)
    }, delayMs)
    this.timer.unref()
  }

  update(message: string): void {
    this.latest = message
    if (this.shown) this.write(message)
  }

  done(): void {
    clearTimeout(this.timer)
    if (this.shown && this.io.stderrIsTTY) this.io.stderr('\r\x1b[K')
  }

  private write(message: string): void {
    this.io.stderr(this.io.stderrIsTTY ? `\r\x1b[K${message}` : `${message}\n`)
  }
}

const str = (value: FlagValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined
const bool = (value: FlagValue | undefined): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined

/** Flags over the config file: the options of one run. */
function mergeOptions(
  flags: Readonly<Record<string, FlagValue>>,
  config: CodegenConfig,
): CodegenConfig {
  const runtimeEnums = flags['runtime-enums']
  const databases = flags.database
  return {
    ...config,
    ...defined({
      outFile: str(flags['out-file']),
      print: bool(flags.print),
      verify: bool(flags.verify),
      url: str(flags.url),
      databases: Array.isArray(databases) ? databases : undefined,
      allDatabases: bool(flags['all-databases']),
      defaultSchema: str(flags['default-schema']),
      includePattern: str(flags['include-pattern']),
      excludePattern: str(flags['exclude-pattern']),
      camelCase: bool(flags['camel-case']),
      runtimeEnums: runtimeEnums as CodegenConfig['runtimeEnums'],
      typeOnlyImports: bool(flags['type-only-imports']),
      int64: str(flags.int64) as CodegenConfig['int64'],
      numeric: str(flags.numeric) as CodegenConfig['numeric'],
    }),
  }
}

function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * kysely-codegen loads the `typescript` package when it is imported, without declaring it: say so plainly
 * instead of a module-resolution stack trace.
 */
async function loadGenerator(): Promise<typeof import('../../codegen/generate-types.js')> {
  try {
    return await import('../../codegen/generate-types.js')
  } catch (error) {
    const message = error instanceof Error ? error.message : ''
    if (/Cannot find (module|package) 'typescript'/.test(message)) {
      throw new Error(
        'Codegen needs the `typescript` package (kysely-codegen loads it): npm install --save-dev typescript',
      )
    }
    throw error
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

function summaryLine(result: CodegenResult, options: CodegenConfig, cwd: string): string {
  const where =
    options.print || result.outFile === undefined
      ? 'printed'
      : `${relative(cwd, result.outFile) || result.outFile} ${
          result.upToDate === true
            ? 'is up to date'
            : result.upToDate === false
              ? 'is out of date'
              : result.written
                ? 'written'
                : 'unchanged'
        }`
  return (
    `kysely-motherduck codegen: ${plural(result.databases.length, 'database')} ` +
    `(${result.databases.join(', ')}), ${plural(result.tables, 'table')}, ${plural(result.columns, 'column')} ` +
    `in ${(result.totalMs / 1000).toFixed(2)} s → ${where}\n`
  )
}

/**
 * `kysely-motherduck codegen`: runs codegen with `argv` (the arguments after `codegen`) and resolves to
 * the exit code: 0, or 1 on an error or (with `--verify`) stale types.
 *
 * ### Examples
 *
 * ```ts
 * const exitCode = await run(['--out-file', 'src/db.ts', '--verify'])
 * ```
 */
export async function run(
  argv: readonly string[],
  io: Partial<CodegenCommandIo> = {},
): Promise<number> {
  const out: CodegenCommandIo = { ...defaultIo(), ...io }
  let secrets = secretsOf([
    out.env.MOTHERDUCK_TOKEN,
    out.env.motherduck_token,
    out.env.MOTHERDUCK_URL,
  ])
  try {
    const { flags, positionals } = parseFlags(CODEGEN_FLAGS, argv)
    if (flags.help === true) {
      out.stdout(`${codegenHelp()}\n`)
      return 0
    }
    if (positionals.length > 0) {
      throw new Error(`Unexpected argument "${positionals[0]}". Options are flags: see --help.`)
    }

    const env = { ...(await readDotEnv(out.cwd)), ...out.env }
    const warn = (message: string) => out.stderr(`warning: ${message}\n`)
    const found = await loadCodegenConfig(out.cwd, str(flags['config-file']), warn)
    const options = mergeOptions(flags, found?.config ?? {})
    const url = resolveUrl(options.url, env)
    secrets = secretsOf([
      env.MOTHERDUCK_TOKEN,
      env.motherduck_token,
      env.MOTHERDUCK_URL,
      url,
      options.url,
    ])

    if (options.outFile === undefined && !options.print) {
      throw new Error('Say where the types go: --out-file <path>, or --print.')
    }
    if (options.verify && options.outFile === undefined) {
      throw new Error('--verify compares with a file: add --out-file <path>.')
    }
    if (options.allDatabases && options.databases?.length) {
      throw new Error('--all-databases and --database exclude each other: use one of them.')
    }

    const progress = new Progress(out, out.progressDelayMs)
    let result: CodegenResult
    try {
      const { runCodegen } = await loadGenerator()
      result = await runCodegen({
        url,
        connection: { env },
        outFile:
          options.outFile === undefined || (options.print && !options.verify)
            ? undefined
            : resolve(out.cwd, options.outFile),
        verify: options.verify,
        databases: options.databases,
        allDatabases: options.allDatabases,
        defaultSchema: options.defaultSchema,
        includePattern: options.includePattern,
        excludePattern: options.excludePattern,
        camelCase: options.camelCase,
        runtimeEnums: options.runtimeEnums,
        typeOnlyImports: options.typeOnlyImports,
        int64: options.int64,
        numeric: options.numeric,
        onProgress: (message) => progress.update(message),
        onWarning: warn,
      })
    } finally {
      progress.done()
    }

    if (options.print) out.stdout(result.text)
    const summary = redactSecrets(summaryLine(result, options, out.cwd), secrets)
    if (result.upToDate === false) {
      out.stderr(`${redactSecrets(result.diff ?? '', secrets)}\n`)
      out.stderr(
        'Generated types are not up-to-date! Run the same command without --verify to update ' +
          `${relative(out.cwd, result.outFile ?? '')}.\n`,
      )
      out.stderr(summary)
      return 1
    }
    // With --print the types own stdout (to pipe them); the summary goes to stderr.
    if (options.print) out.stderr(summary)
    else out.stdout(summary)
    return 0
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    out.stderr(`kysely-motherduck codegen: ${redactSecrets(message, secrets)}\n`)
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
      out.stderr(
        'Could not reach the server: check --url / MOTHERDUCK_URL (or MOTHERDUCK_REGION), and that ' +
          'the local endpoint runs if you meant it (`kysely-motherduck local`).\n',
      )
    }
    if (error instanceof Error && error.name === 'FlagError') {
      out.stderr('Run `kysely-motherduck codegen --help` for the options.\n')
    }
    return 1
  }
}
