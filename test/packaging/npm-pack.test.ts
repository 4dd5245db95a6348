import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../..')
const nodeBin = join(root, 'node_modules/.bin')
const env = { ...process.env, PATH: `${nodeBin}:${process.env.PATH}` }

/**
 * Packs the library as npm would publish it, installs the tarball into a new project and uses it there:
 * the exports map, the types and the bin must work for a consumer, not only inside this repository.
 */
describe('npm pack → install → import', () => {
  let project: string

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'kysely-motherduck-pack-'))
    await run('npm', ['run', 'build', '--silent'], { cwd: root, env })
    await run('npm', ['pack', '--silent', '--pack-destination', project], { cwd: root, env })
    const tarball = (await readdir(project)).find((name) => name.endsWith('.tgz'))
    if (!tarball) throw new Error('npm pack produced no tarball')
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    )
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts=false',
        `./${tarball}`,
        'kysely@0.29',
        '@types/node@24',
      ],
      { cwd: project, env },
    )
  }, 300_000)

  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true })
  })

  it('imports every entry point at run time', async () => {
    await writeFile(
      join(project, 'consumer.mjs'),
      [
        "import * as main from 'kysely-motherduck'",
        "import * as local from 'kysely-motherduck/local'",
        "import * as codegen from 'kysely-motherduck/codegen'",
        'console.log(JSON.stringify({ main: Object.keys(main).sort(), local: Object.keys(local).sort(), codegen: Object.keys(codegen).sort() }))',
      ].join('\n'),
    )
    const { stdout } = await run('node', ['consumer.mjs'], { cwd: project, env })
    const keys = JSON.parse(stdout) as Record<string, string[]>
    expect(keys.main).toContain('createTypeParsers')
  })

  it('type-checks a consumer against the published declarations', async () => {
    await writeFile(
      join(project, 'consumer.ts'),
      [
        "import { createTypeParsers, type DuckDBTypeToTs } from 'kysely-motherduck'",
        'const parsers = createTypeParsers()',
        "const id: DuckDBTypeToTs<'BIGINT'> = 1n",
        'export { id, parsers }',
      ].join('\n'),
    )
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    )
    const check = run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], {
      cwd: project,
      env,
    })
    await expect(
      check.catch((error: { stdout: string }) => Promise.reject(new Error(error.stdout))),
    ).resolves.toBeDefined()
  })

  it('runs the bin', async () => {
    const { stdout } = await run(join(project, 'node_modules/.bin/kysely-motherduck'), ['--help'], {
      cwd: project,
      env,
    })
    expect(stdout).toContain('Usage: kysely-motherduck')
    const version = await run(join(project, 'node_modules/.bin/kysely-motherduck'), ['--version'], {
      cwd: project,
      env,
    })
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version: string
    }
    expect(version.stdout.trim()).toBe(manifest.version)
  })

  it('ships the LICENSE and the package links', async () => {
    const installed = join(project, 'node_modules/kysely-motherduck')
    expect(await readFile(join(installed, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 kysely-motherduck contributors\n/,
    )
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(manifest).toMatchObject({
      license: 'MIT',
      repository: { type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\//) },
      homepage: expect.stringMatching(/^https:\/\//),
      bugs: { url: expect.stringMatching(/^https:\/\/.*\/issues$/) },
    })
  })

  it('runs `kysely-motherduck demo` from the installed package, on the local endpoint', async () => {
    const demoEnv = { ...env, MOTHERDUCK_TOKEN: '', MOTHERDUCK_URL: '' }
    const { stdout } = await run(join(project, 'node_modules/.bin/kysely-motherduck'), ['demo'], {
      cwd: project,
      env: demoEnv,
    })
    expect(stdout).toContain('4. In-memory rows')
    expect(stdout).toMatch(/Done in \d+\.\d\d s\./)
  }, 120_000)
})
