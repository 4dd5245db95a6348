import { readFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MotherDuckError } from '../src/errors/motherduck-error.js'
import {
  CODEGEN_OPTION_NAMES,
  type CodegenOptionSpec,
  type CodegenOptionValues,
  codegenOption,
} from './codegen-options.js'

/**
 * The codegen options a config file may hold: every option of the table in `codegen-options.ts`, by
 * its camelCase name (`outFile` for `--out-file`, `databases` for `--database`). Flags given on the
 * command line win over the file.
 */
export type CodegenConfig = CodegenOptionValues

/**
 * Thrown by {@link loadCodegenConfig} (and so by `kysely-motherduck codegen`) for a config file that
 * cannot be read or parsed, or that holds an unknown option or a value of the wrong type. The message
 * starts with the file's path and names the option and what it accepts.
 */
export class CodegenConfigError extends MotherDuckError {
  override readonly name = 'CodegenConfigError'
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`)
  }
}

/** Where the config is looked for, in order; the first file that exists wins. */
const OWN_CONFIG_FILES = [
  'kysely-motherduck.config.json',
  'kysely-motherduck.config.ts',
  'kysely-motherduck.config.mjs',
  'kysely-motherduck.config.js',
] as const

/** kysely-codegen's config (the subset of its cosmiconfig places that holds plain data or a module). */
const KYSELY_CODEGEN_CONFIG_FILES = [
  '.kysely-codegenrc.json',
  '.kysely-codegenrc',
  'kysely-codegen.config.ts',
  'kysely-codegen.config.mjs',
  'kysely-codegen.config.js',
] as const

type Check = (value: unknown) => boolean
const isString: Check = (v) => typeof v === 'string'
const isBoolean: Check = (v) => typeof v === 'boolean'

/** `'a', 'b' or 'c'`: the values a config file may hold, as its error message lists them. */
function alternatives(values: readonly unknown[]): string {
  const quoted = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v)))
  return quoted.length < 2
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`
}

/** What a config file may hold for `spec`, and how its error message says it. */
function checkOf(spec: CodegenOptionSpec): [Check, string] {
  switch (spec.kind) {
    case 'boolean':
      return [isBoolean, 'a boolean']
    case 'string':
      return [isString, spec.accepts]
    case 'string-list':
      return [(v) => Array.isArray(v) && v.every(isString), spec.accepts]
    case 'choice':
      return [(v) => spec.values.includes(v as string), alternatives(spec.values)]
    case 'boolean-or-choice': {
      const values = [true, false, ...spec.values]
      return [(v) => values.includes(v as string | boolean), alternatives(values)]
    }
    case 'json':
      return [spec.check, `${spec.accepts}, e.g. ${spec.example}`]
  }
}

const OPTION_CHECKS = new Map(
  CODEGEN_OPTION_NAMES.map((name) => [name as string, checkOf(codegenOption(name))]),
)

/**
 * kysely-codegen options that have no counterpart here, each with what to do instead: a kysely-codegen
 * config that sets one is refused, naming it, so that nothing it asks for is silently dropped.
 */
const KYSELY_CODEGEN_UNSUPPORTED: Readonly<Record<string, string>> = {
  dialect: "the catalog read is always DuckDB's (MotherDuck or the local endpoint); remove it",
  logger: 'set "logLevel" instead',
  postprocess:
    'read the catalog with generateTypes() from kysely-motherduck/codegen and edit its text, or use "overrides"',
  serializer:
    'the file is written by kysely-motherduck\'s serializer; use "overrides" or "typeMapping"',
}

/** kysely-codegen options that change nothing on DuckDB, which has no domains and no partitioned tables. */
const KYSELY_CODEGEN_NO_EFFECT = new Set(['domains', 'partitions'])

/**
 * kysely-codegen's parsers that name a run-time type (`numericParser`, `dateParser`): the value that
 * matches the dialect's own is taken (into `numeric`, or nothing for DATE, always a string), any other
 * is refused.
 */
function mapKyselyCodegenParser(
  path: string,
  key: string,
  value: unknown,
  config: Record<string, unknown>,
): void {
  if (key === 'numericParser' && (value === 'string' || value === 'number')) {
    config.numeric = value
  } else if (key === 'dateParser' && value === 'string') {
    // DATE columns are strings (`DateString`) already.
  } else {
    const accepted = key === 'numericParser' ? "'string' or 'number' (as \"numeric\")" : "'string'"
    throw new CodegenConfigError(
      path,
      `the kysely-codegen option "${key}" cannot be ${JSON.stringify(value)} here: the dialect accepts ${accepted}.`,
    )
  }
}

/** A kysely-codegen option without a name of its own here: mapped, accepted or refused. */
function readKyselyCodegenOption(
  path: string,
  key: string,
  value: unknown,
  config: Record<string, unknown>,
): boolean {
  if (key === 'defaultSchemas') {
    if (!Array.isArray(value) || value.length > 1 || !value.every(isString)) {
      throw new CodegenConfigError(path, 'defaultSchemas must hold exactly one schema name here.')
    }
    if (value[0] !== undefined) config.defaultSchema = value[0]
    return true
  }
  if (key === 'numericParser' || key === 'dateParser') {
    mapKyselyCodegenParser(path, key, value, config)
    return true
  }
  if (KYSELY_CODEGEN_NO_EFFECT.has(key)) return true
  const instead = KYSELY_CODEGEN_UNSUPPORTED[key]
  if (instead !== undefined) {
    throw new CodegenConfigError(
      path,
      `the kysely-codegen option "${key}" is not supported by kysely-motherduck codegen: ${instead}.`,
    )
  }
  return false
}

function validate(path: string, raw: unknown, fromKyselyCodegen: boolean): CodegenConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CodegenConfigError(path, 'the config must be an object of options.')
  }
  const config: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue
    if (fromKyselyCodegen && readKyselyCodegenOption(path, key, value, config)) continue
    const check = OPTION_CHECKS.get(key)
    if (!check) {
      throw new CodegenConfigError(
        path,
        `unknown option "${key}". Options: ${CODEGEN_OPTION_NAMES.join(', ')}.`,
      )
    }
    if (!check[0](value)) throw new CodegenConfigError(path, `"${key}" must be ${check[1]}.`)
    config[key] = value
  }
  return config as CodegenConfig
}

async function load(path: string): Promise<unknown> {
  if (/\.(ts|mts|js|mjs|cjs)$/.test(path)) {
    // Node 22.18+ runs a .ts config directly (type stripping); its default export is the config.
    const module = (await import(pathToFileURL(path).href).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error
      throw new CodegenConfigError(
        path,
        `Node ${process.versions.node} does not run TypeScript files; Node 22.18 or later does. ` +
          'Upgrade Node, or write the config as kysely-motherduck.config.json or .js.',
      )
    })) as { default?: unknown }
    return module.default
  }
  const text = await readFile(path, 'utf8')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new CodegenConfigError(path, `not valid JSON (${(error as Error).message}).`)
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path)
    return true
  } catch {
    return false
  }
}

/**
 * Finds and reads the codegen config: `explicitPath` if given, else the first of
 * {@link OWN_CONFIG_FILES}, then kysely-codegen's config files, then a `"kysely-codegen"` key in
 * package.json, in `cwd`. Resolves to `undefined` when there is none.
 *
 * ### Examples
 *
 * ```ts
 * // kysely-motherduck.config.json: { "outFile": "src/db.ts", "databases": ["my_db"], "camelCase": true }
 * const found = await loadCodegenConfig(process.cwd())
 * ```
 */
export async function loadCodegenConfig(
  cwd: string,
  explicitPath?: string,
): Promise<{ path: string; config: CodegenConfig } | undefined> {
  if (explicitPath !== undefined) {
    const path = resolve(cwd, explicitPath)
    if (!(await exists(path))) throw new CodegenConfigError(path, 'no such file.')
    const fromKyselyCodegen = basename(path).includes('kysely-codegen')
    return { path, config: validate(path, await load(path), fromKyselyCodegen) }
  }
  for (const name of OWN_CONFIG_FILES) {
    const path = resolve(cwd, name)
    if (await exists(path)) return { path, config: validate(path, await load(path), false) }
  }
  for (const name of KYSELY_CODEGEN_CONFIG_FILES) {
    const path = resolve(cwd, name)
    if (await exists(path)) return { path, config: validate(path, await load(path), true) }
  }
  const packageJson = resolve(cwd, 'package.json')
  if (await exists(packageJson)) {
    const pkg = (await load(packageJson)) as Record<string, unknown> | null
    const section = pkg?.['kysely-codegen']
    if (section !== undefined) {
      return { path: packageJson, config: validate(packageJson, section, true) }
    }
  }
  return undefined
}
