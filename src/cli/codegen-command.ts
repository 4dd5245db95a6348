import { readFile } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { parseEnv } from 'node:util'
import {
  CODEGEN_OPTION_NAMES,
  CODEGEN_OPTIONS,
  checkCodegenOptionCombinations,
  codegenOptionFlag,
} from '../../codegen/codegen-options.js'
import { type CodegenConfig, loadCodegenConfig } from '../../codegen/config-file.js'
import type { CodegenResult } from '../../codegen/generate-types.js'
import { redactSecrets } from '../dialect/motherduck-secret-redaction.js'
import { MissingPackageError, requirePackages } from '../optional/optional-packages.js'
import { CODEGEN_OPTION_FLAGS, optionsFromFlags } from './codegen-flags.js'
import { CODEGEN_PACKAGES } from './optional-peers.js'
import { ProgressLine } from './progress-line.js'
import { defineSubcommand, type SubcommandFlags, type SubcommandIo } from './subcommand.js'

/** Where the command reads and writes; tests pass their own. */
export interface CodegenCommandIo extends SubcommandIo {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
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

/** The variables of `envFile` (default `.env`, which may be missing; an explicit file must exist). */
async function readEnvFile(
  cwd: string,
  envFile: string | undefined,
): Promise<Record<string, string>> {
  const path = resolve(cwd, envFile ?? CODEGEN_OPTIONS.envFile.default)
  try {
    return parseEnv(await readFile(path, 'utf8')) as Record<string, string>
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    if (envFile === undefined) return {}
    throw new Error(`The env file ${path} does not exist: check --env-file (or "envFile").`)
  }
}

type LogLevel = (typeof CODEGEN_OPTIONS.logLevel.values)[number]

/** Whether a message of level `at` is printed under `level` (kysely-codegen's order of levels). */
function prints(level: LogLevel | undefined, at: Exclude<LogLevel, 'silent'>): boolean {
  const levels: readonly LogLevel[] = CODEGEN_OPTIONS.logLevel.values
  return levels.indexOf(level ?? CODEGEN_OPTIONS.logLevel.default) >= levels.indexOf(at)
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

/**
 * The generator, imported when the command runs: kysely-codegen and the `typescript` package it loads
 * are optional peer dependencies, so a missing one is named with the command that installs it.
 */
async function loadGenerator(): Promise<typeof import('../../codegen/generate-types.js')> {
  requirePackages('kysely-motherduck codegen', CODEGEN_PACKAGES)
  return import('../../codegen/generate-types.js')
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

/** `text` in lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1]
    if (last !== undefined && last.length + 1 + word.length <= width) {
      lines[lines.length - 1] = `${last} ${word}`
    } else {
      lines.push(word)
    }
  }
  return lines
}

/** Where the environment holds tokens, which no line of the command may show. */
function tokenVariables(env: Readonly<Record<string, string | undefined>>): (string | undefined)[] {
  return [env.MOTHERDUCK_TOKEN, env.motherduck_token, env.MOTHERDUCK_URL]
}

/**
 * `kysely-motherduck codegen`: its flags are the codegen options of `codegen/codegen-options.ts` and
 * `--config-file`. Resolves to 0, or 1 on an error or (with `--verify`) stale types.
 *
 * ### Examples
 *
 * ```ts
 * const exitCode = await codegenCommand.run(['--out-file', 'src/db.ts', '--verify'])
 * ```
 */
export const codegenCommand = defineSubcommand<CodegenCommandIo>({
  name: 'codegen',
  summary: 'generate Kysely table types from a MotherDuck database',
  description:
    'Generates the Kysely `DB` interface of a MotherDuck database (or of the local endpoint).',
  flags: [
    ...CODEGEN_OPTION_FLAGS,
    {
      name: 'config-file',
      kind: 'string',
      valueName: '<path>',
      defaultText: 'kysely-motherduck.config.{json,ts}, else the kysely-codegen config',
      description: 'Read options from this file; flags win over it.',
    },
  ],
  notes: [
    'Connection, as the dialect: --url, else MOTHERDUCK_URL, else MOTHERDUCK_TOKEN + MOTHERDUCK_REGION',
    '(default us-east-1) + MOTHERDUCK_DATABASE (default md:). A .env file in the working directory (or',
    '--env-file) is read; the environment wins over it.',
    '',
    'A config file holds the same options by these names (url may be env(VARIABLE)):',
    ...wrap(`${CODEGEN_OPTION_NAMES.join(', ')}.`, 100),
  ].join('\n'),
  examples: [
    'kysely-motherduck codegen --out-file src/db.ts',
    'kysely-motherduck codegen --out-file src/db.ts --verify',
    'kysely-motherduck codegen --database my_db --database sample_data --camel-case --print',
  ],
  defaultIo,
  formatError: (message, io) =>
    `kysely-motherduck codegen: ${redactSecrets(message, secretsOf(tokenVariables(io.env)))}`,
  run: runCodegenCommand,
})

async function runCodegenCommand(flags: SubcommandFlags, out: CodegenCommandIo): Promise<number> {
  let secrets = secretsOf(tokenVariables(out.env))
  // Until the options are read, errors print whatever the level.
  let level: LogLevel | undefined
  const log = (at: Exclude<LogLevel, 'silent'>, text: string, to = out.stderr) => {
    if (prints(level, at)) to(redactSecrets(text, secrets))
  }
  try {
    const configFile = flags['config-file']
    const found = await loadCodegenConfig(
      out.cwd,
      typeof configFile === 'string' ? configFile : undefined,
    )
    // Flags over the config file.
    const options: CodegenConfig = { ...found?.config, ...optionsFromFlags(flags) }
    level = options.logLevel
    const env = { ...(await readEnvFile(out.cwd, options.envFile)), ...out.env }
    const url = resolveUrl(options.url, env)
    secrets = secretsOf([...tokenVariables(env), url, options.url])
    log('debug', `config: ${found ? relative(out.cwd, found.path) || found.path : '(none)'}\n`)

    if (options.outFile === undefined && !options.print) {
      throw new Error('Say where the types go: --out-file <path>, or --print.')
    }
    checkCodegenOptionCombinations(options, (name) => `--${codegenOptionFlag(name)}`)

    const progress = new ProgressLine(
      prints(level, 'info') ? out : { ...out, stderr: () => {} },
      prints(level, 'debug') ? 0 : out.progressDelayMs,
    )
    let result: CodegenResult
    try {
      const { runCodegen } = await loadGenerator()
      // The options generateTypes shares with the CLI pass as they are; `url` (after env(…)),
      // `outFile` (from the working directory) and `print` are the command's, like the log options.
      const {
        print,
        url: _configuredUrl,
        outFile,
        logLevel: _logLevel,
        envFile: _envFile,
        ...shared
      } = options
      result = await runCodegen({
        ...shared,
        url,
        connection: { env },
        outFile:
          outFile === undefined || (print && !options.verify)
            ? undefined
            : resolve(out.cwd, outFile),
        onProgress: (message) => progress.update(message),
        onWarning: (message) => log('warn', `warning: ${message}\n`),
      })
    } finally {
      progress.done()
    }

    if (options.print) out.stdout(result.text)
    log(
      'debug',
      `catalog: ${result.queries} queries, read in ${Math.round(result.introspectionMs)} ms\n`,
    )
    const summary = summaryLine(result, options, out.cwd)
    if (result.upToDate === false) {
      log('error', `${result.diff ?? ''}\n`)
      log(
        'error',
        'Generated types are not up-to-date! Run the same command without --verify to update ' +
          `${relative(out.cwd, result.outFile ?? '')}.\n`,
      )
      log('info', summary)
      return 1
    }
    // With --print the types own stdout (to pipe them); the summary goes to stderr.
    log('info', summary, options.print ? out.stderr : out.stdout)
    return 0
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    // MissingPackageError's message starts with the command's name already.
    const context = error instanceof MissingPackageError ? '' : 'kysely-motherduck codegen: '
    log('error', `${context}${message}\n`)
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
      log(
        'error',
        'Could not reach the server: check --url / MOTHERDUCK_URL (or MOTHERDUCK_REGION), and that ' +
          'the local endpoint runs if you meant it (`kysely-motherduck local`).\n',
      )
    }
    return 1
  }
}
