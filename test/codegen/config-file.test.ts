import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CodegenConfigError, loadCodegenConfig } from '../../codegen/config-file.js'

describe('loadCodegenConfig', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codegen-config-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('finds nothing in an empty directory', async () => {
    expect(await loadCodegenConfig(dir)).toBeUndefined()
  })

  it('reads kysely-motherduck.config.json before the kysely-codegen config', async () => {
    await writeFile(
      join(dir, 'kysely-motherduck.config.json'),
      JSON.stringify({ outFile: 'src/db.ts', databases: ['a'], camelCase: true, int64: 'number' }),
    )
    await writeFile(join(dir, '.kysely-codegenrc.json'), JSON.stringify({ outFile: 'other.ts' }))
    const found = await loadCodegenConfig(dir)
    expect(found?.path).toBe(join(dir, 'kysely-motherduck.config.json'))
    expect(found?.config).toEqual({
      outFile: 'src/db.ts',
      databases: ['a'],
      camelCase: true,
      int64: 'number',
    })
  })

  it('reads a TypeScript config through its default export', async () => {
    await writeFile(
      join(dir, 'kysely-motherduck.config.ts'),
      "const config: { outFile: string } = { outFile: 'typed.ts' }\nexport default config\n",
    )
    expect((await loadCodegenConfig(dir))?.config).toEqual({ outFile: 'typed.ts' })
  })

  it("maps kysely-codegen's options and ignores, with a warning, those that mean nothing here", async () => {
    await writeFile(
      join(dir, '.kysely-codegenrc.json'),
      JSON.stringify({
        dialect: 'postgres',
        defaultSchemas: ['analytics'],
        outFile: 'src/db.ts',
        url: 'env(DATABASE_URL)',
        runtimeEnums: 'pascal-case',
      }),
    )
    const warnings: string[] = []
    const found = await loadCodegenConfig(dir, undefined, (m) => warnings.push(m))
    expect(found?.config).toEqual({
      defaultSchema: 'analytics',
      outFile: 'src/db.ts',
      url: 'env(DATABASE_URL)',
      runtimeEnums: 'pascal-case',
    })
    expect(warnings).toEqual([
      '.kysely-codegenrc.json: ignoring the kysely-codegen option "dialect".',
    ])
  })

  it('reads the "kysely-codegen" key of package.json', async () => {
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ 'kysely-codegen': { camelCase: true } }),
    )
    expect((await loadCodegenConfig(dir))?.config).toEqual({ camelCase: true })
  })

  it('names the unknown or mistyped option and the file', async () => {
    const path = join(dir, 'kysely-motherduck.config.json')
    await writeFile(path, JSON.stringify({ outfile: 'x.ts' }))
    await expect(loadCodegenConfig(dir)).rejects.toThrow(CodegenConfigError)
    await expect(loadCodegenConfig(dir)).rejects.toThrow(`${path}: unknown option "outfile"`)
    await writeFile(path, JSON.stringify({ camelCase: 'yes' }))
    await expect(loadCodegenConfig(dir)).rejects.toThrow('"camelCase" must be a boolean')
    await writeFile(path, '{ not json')
    await expect(loadCodegenConfig(dir)).rejects.toThrow('not valid JSON')
  })

  it('reads an explicit path, and says when it does not exist', async () => {
    await writeFile(join(dir, 'custom.json'), JSON.stringify({ print: true }))
    expect((await loadCodegenConfig(dir, 'custom.json'))?.config).toEqual({ print: true })
    await expect(loadCodegenConfig(dir, 'missing.json')).rejects.toThrow('no such file')
  })
})
