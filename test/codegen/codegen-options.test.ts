import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CODEGEN_OPTION_NAMES,
  type CodegenOptionName,
  type CodegenOptionSpec,
  codegenOption,
  codegenOptionFlag,
} from '../../codegen/codegen-options.js'
import { loadCodegenConfig } from '../../codegen/config-file.js'
import { codegenCommand } from '../../src/cli/codegen-command.js'
import { optionsFromFlags } from '../../src/cli/codegen-flags.js'
import { parseFlags } from '../../src/cli/flag-parser.js'

/** A value each option accepts: in a config file, and as the flags that say the same. */
function sample(spec: CodegenOptionSpec): { value: unknown; argv: (flag: string) => string[] } {
  switch (spec.kind) {
    case 'boolean':
      return spec.default === true
        ? { value: false, argv: (flag) => [`--no-${flag}`] }
        : { value: true, argv: (flag) => [`--${flag}`] }
    case 'string':
      return { value: 'x.ts', argv: (flag) => [`--${flag}`, 'x.ts'] }
    case 'string-list':
      return { value: ['a', 'b'], argv: (flag) => [`--${flag}`, 'a', `--${flag}=b`] }
    case 'choice':
    case 'boolean-or-choice': {
      const value = spec.values[spec.values.length - 1]!
      return { value, argv: (flag) => [`--${flag}=${value}`] }
    }
    case 'json':
      return { value: JSON.parse(spec.example), argv: (flag) => [`--${flag}=${spec.example}`] }
  }
}

/** A value no option of the kind accepts. */
const WRONG: Record<CodegenOptionSpec['kind'], unknown> = {
  boolean: 'yes',
  string: 42,
  'string-list': 'a',
  choice: 'none-of-them',
  'boolean-or-choice': 'none-of-them',
  json: 42,
}

describe('the codegen options table', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codegen-options-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  const config = async (options: Record<string, unknown>) => {
    await writeFile(join(dir, 'kysely-motherduck.config.json'), JSON.stringify(options))
    return (await loadCodegenConfig(dir))?.config
  }

  it.each(CODEGEN_OPTION_NAMES)(
    '%s: its flag and its config key give the same option',
    async (name) => {
      const spec = codegenOption(name)
      const { value, argv } = sample(spec)
      const flags = parseFlags(codegenCommand.flags, argv(codegenOptionFlag(name))).flags
      expect(optionsFromFlags(flags)).toEqual({ [name]: value })
      expect(await config({ [name]: value })).toEqual({ [name]: value })
      await expect(config({ [name]: WRONG[spec.kind] })).rejects.toThrow(`"${name}" must be `)
    },
  )

  it('every option has its flag, described, in --help; the config file names them all', () => {
    const help = codegenCommand.help()
    for (const name of CODEGEN_OPTION_NAMES) {
      expect(help).toContain(`--${codegenOptionFlag(name)}`)
      expect(help).toContain(codegenOption(name).description)
    }
    expect(help.replace(/\s+/g, ' ')).toContain(CODEGEN_OPTION_NAMES.join(', '))
  })

  it('spells flags in kebab-case unless the table says otherwise', () => {
    const flags = Object.fromEntries(
      CODEGEN_OPTION_NAMES.map((name: CodegenOptionName) => [name, codegenOptionFlag(name)]),
    )
    expect(flags).toMatchObject({
      outFile: 'out-file',
      databases: 'database',
      typeOnlyImports: 'type-only-imports',
      int64: 'int64',
    })
  })

  it("README's codegen table lists every flag", async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('## Codegen'))
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| flag |')))
    for (const flag of codegenCommand.flags.filter((flag) => flag.name !== 'help')) {
      expect(table).toContain(`--${flag.name}`)
    }
  })
})
