import { execFile } from 'node:child_process'
import { access, lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTypes } from '../../codegen/index.js'
import { OPTIONAL_PACKAGES } from '../../src/cli/optional-peers.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../..')
const nodeBin = join(root, 'node_modules/.bin')
/**
 * The consumer's Node and Kysely: by default the repository's Node 24 and the newest kysely in the peer
 * range; `.ci/run` also runs this file on the lowest supported ones (CONSUMER_NODE: a node binary, e.g.
 * Node 22.12; CONSUMER_KYSELY: a version range for `npm install kysely@…`, e.g. `~0.28`).
 */
const consumerNode = process.env.CONSUMER_NODE || join(nodeBin, 'node')
const consumerKysely = process.env.CONSUMER_KYSELY
  ? `kysely@${process.env.CONSUMER_KYSELY}`
  : 'kysely'
const env = { ...process.env, PATH: `${dirname(consumerNode)}:${nodeBin}:${process.env.PATH}` }
const npmInstall = [
  'install',
  '--prefer-offline',
  '--no-audit',
  '--no-fund',
  '--ignore-scripts=false',
]

/** The README's promise for `npm install kysely-motherduck kysely pg`. */
const APP_PROFILE_LIMIT_BYTES = 15_000_000

/** The bytes of every file under `dir` (their length, as `du --apparent-size` counts). */
async function installedBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath, entry.name))).size
  }
  return total
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/** Writes `lines` as the project's `name` and runs it with the consumer's Node; resolves to its stdout. */
async function runScript(
  project: string,
  name: string,
  lines: readonly string[],
  extraEnv: Record<string, string> = {},
): Promise<string> {
  await writeFile(join(project, name), lines.join('\n'))
  const { stdout } = await run(consumerNode, [name], {
    cwd: project,
    env: { ...env, ...extraEnv },
  })
  return stdout
}

/** Runs the project's bin; resolves to its exit code and output (a failing command does not throw). */
async function runBin(
  project: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(join(project, 'node_modules/.bin/kysely-motherduck'), args, {
    cwd: project,
    env: { ...env, MOTHERDUCK_TOKEN: '', MOTHERDUCK_URL: '', ...extraEnv },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  )
}

/**
 * Packs the library as npm would publish it, installs the tarball into a new project and uses it there:
 * the exports map, the types and the bin must work for a consumer, not only inside this repository.
 * First as an application installs it (`kysely-motherduck kysely pg`: no DuckDB, no kysely-codegen, no
 * TypeScript), then with the optional peers the local endpoint and codegen load.
 */
describe('npm pack → install → import', () => {
  let project: string
  let local: TestEndpoint
  /** The endpoint's URL for the consumer's `MOTHERDUCK_URL` (never on a command line). */
  let url: string

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
    await run('npm', [...npmInstall, `./${tarball}`, consumerKysely, 'pg'], { cwd: project, env })
    local = await startTestEndpoint()
    url = local.endpoint.url
  }, 300_000)

  /** Prints the size of the project's `node_modules` (the README's figures come from here). */
  async function reportSize(profile: string): Promise<number> {
    const bytes = await installedBytes(join(project, 'node_modules'))
    console.info(`${profile}: node_modules ${megabytes(bytes)}`)
    return bytes
  }

  afterAll(async () => {
    await local?.stop()
    if (project) await rm(project, { recursive: true, force: true })
  })

  describe('the application profile: npm install kysely-motherduck kysely pg', () => {
    it(`installs none of the optional peers, in at most ${megabytes(APP_PROFILE_LIMIT_BYTES)}`, async () => {
      for (const name of Object.keys(OPTIONAL_PACKAGES)) {
        expect(await exists(join(project, 'node_modules', name)), name).toBe(false)
      }
      expect(await reportSize('application profile')).toBeLessThanOrEqual(APP_PROFILE_LIMIT_BYTES)
    })

    it('connects through the installed dialect: a query, insertRows, a stream', async () => {
      const stdout = await runScript(
        project,
        'app.mjs',
        [
          "import { Kysely, sql } from 'kysely'",
          "import { MotherDuckDialect, insertRows } from 'kysely-motherduck'",
          '// MOTHERDUCK_URL says where to connect.',
          'const db = new Kysely({ dialect: new MotherDuckDialect() })',
          "await db.schema.createTable('packed').addColumn('id', 'integer').addColumn('name', 'varchar').execute()",
          "const inserted = await insertRows(db, 'packed', [{ id: 1, name: 'one' }, { id: 2, name: 'two' }])",
          "const rows = await db.selectFrom('packed').selectAll().orderBy('id').execute()",
          'let streamed = 0',
          "for await (const _ of db.selectFrom('packed').selectAll().stream()) streamed++",
          'const { rows: [answer] } = await sql`SELECT 40 + 2 AS answer`.execute(db)',
          "const { version: kysely } = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('node_modules/kysely/package.json', 'utf8')))",
          'console.log(JSON.stringify({ inserted, rows, streamed, answer, node: process.version, kysely }))',
          'await db.destroy()',
        ],
        { MOTHERDUCK_URL: url, MOTHERDUCK_TOKEN: '' },
      )
      const { stdout: nodeVersion } = await run(consumerNode, ['--version'])
      expect(JSON.parse(stdout)).toEqual({
        inserted: 2,
        rows: [
          { id: 1, name: 'one' },
          { id: 2, name: 'two' },
        ],
        streamed: 2,
        answer: { answer: 42 },
        node: nodeVersion.trim(),
        kysely: expect.stringMatching(
          new RegExp(
            `^${(process.env.CONSUMER_KYSELY ?? '0.').replace(/^[~^]/, '').replaceAll('.', '\\.')}`,
          ),
        ),
      })
    })

    it('imports kysely-motherduck/local, whose start says what to install', async () => {
      const stdout = await runScript(project, 'start-local.mjs', [
        "import { startLocalEndpoint } from 'kysely-motherduck/local'",
        "await startLocalEndpoint().catch((error) => console.log(error.name + ': ' + error.message))",
      ])
      expect(stdout.trim()).toBe(
        'MissingPackageError: kysely-motherduck local needs @duckdb/node-api: npm install -D @duckdb/node-api',
      )
    })

    it('`kysely-motherduck local` and `codegen` fail with what to install', async () => {
      const localRun = await runBin(project, ['local'])
      expect(localRun.code).toBe(1)
      expect(localRun.stderr.trim()).toBe(
        'kysely-motherduck local needs @duckdb/node-api: npm install -D @duckdb/node-api',
      )
      const codegenRun = await runBin(project, ['codegen', '--print'], { MOTHERDUCK_URL: url })
      expect(codegenRun.code).toBe(1)
      expect(codegenRun.stderr.trim()).toBe(
        'kysely-motherduck codegen needs kysely-codegen and typescript: npm install -D kysely-codegen typescript',
      )
    })

    it('`kysely-motherduck demo` prints the one command that runs it with its packages', async () => {
      const demo = await runBin(project, ['demo'])
      expect(demo.code).toBe(1)
      expect(demo.stderr).toContain(
        'kysely-motherduck demo needs @duckdb/node-api, kysely-codegen and typescript',
      )
      expect(demo.stderr).toContain(
        '  npx -p kysely-motherduck -p @duckdb/node-api -p kysely-codegen -p typescript kysely-motherduck demo',
      )
    })
  })

  describe('with the optional peers: kysely-codegen typescript (codegen), @duckdb/node-api (local)', () => {
    beforeAll(async () => {
      // TypeScript 7, what `npm install typescript` gives: kysely-codegen only requires it, and its
      // parser falls back when TypeScript 7 has no compiler API (the codegen test below compares).
      await run('npm', [...npmInstall, '-D', 'kysely-codegen', 'typescript@7'], {
        cwd: project,
        env,
      })
      await reportSize('codegen profile')
      await run('npm', [...npmInstall, '-D', '@duckdb/node-api', '@types/node@24'], {
        cwd: project,
        env,
      })
      await reportSize('codegen + local profile')
    }, 300_000)

    it('imports every entry point at run time', async () => {
      const stdout = await runScript(project, 'consumer.mjs', [
        "import * as main from 'kysely-motherduck'",
        "import * as local from 'kysely-motherduck/local'",
        "import * as codegen from 'kysely-motherduck/codegen'",
        'console.log(JSON.stringify({ main: Object.keys(main).sort(), local: Object.keys(local).sort(), codegen: Object.keys(codegen).sort() }))',
      ])
      const keys = JSON.parse(stdout) as Record<string, string[]>
      expect(keys.main).toContain('createTypeParsers')
      expect(keys.local).toContain('startLocalEndpoint')
      expect(keys.codegen).toContain('generateTypes')
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
      // The repository's tsc: the project's TypeScript 7 has another command line (tsgo).
      const check = run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], {
        cwd: project,
        env,
      })
      await expect(
        check.catch((error: { stdout: string }) => Promise.reject(new Error(error.stdout))),
      ).resolves.toBeDefined()
    })

    it('runs the bin, which knows its version', async () => {
      const { stdout } = await runBin(project, ['--help'])
      expect(stdout).toContain('Usage: kysely-motherduck')
      const version = await runBin(project, ['--version'])
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
      const manifest = JSON.parse(
        await readFile(join(installed, 'package.json'), 'utf8'),
      ) as Record<string, unknown>
      expect(manifest).toMatchObject({
        license: 'MIT',
        repository: { type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\//) },
        homepage: expect.stringMatching(/^https:\/\//),
        bugs: { url: expect.stringMatching(/^https:\/\/.*\/issues$/) },
      })
    })

    it('`kysely-motherduck codegen` with TypeScript 7 writes what the repository writes with TypeScript 5', async () => {
      const db = local.kysely()
      await sql`CREATE OR REPLACE TABLE codegen_types (j JSON, i INTERVAL, s STRUCT(a INT, b JSON), l JSON[], m MAP(VARCHAR, JSON), big HUGEINT, d DECIMAL(10, 2), e ENUM('x', 'y'), ts TIMESTAMPTZ)`.execute(
        db,
      )
      const packed = await runBin(project, ['codegen', '--print'], { MOTHERDUCK_URL: url })
      expect(packed.stderr).toContain('kysely-motherduck codegen: 1 database')
      expect(packed.stdout).toContain('export interface CodegenTypes {')
      expect(packed.stdout).toBe(await generateTypes({ db }))
    })

    it('reads a .ts codegen config, or says which Node does on one that cannot', async () => {
      await writeFile(
        join(project, 'codegen.config.ts'),
        'export default { camelCase: true } satisfies Record<string, unknown>\n',
      )
      const { stdout: stripsTypes } = await run(consumerNode, [
        '-p',
        'Boolean(process.features.typescript)',
      ])
      const result = await runBin(
        project,
        ['codegen', '--print', '--config-file', 'codegen.config.ts'],
        {
          MOTHERDUCK_URL: url,
        },
      )
      if (stripsTypes.trim() === 'true') {
        expect(result.stderr).toContain('kysely-motherduck codegen: 1 database')
        expect(result.stdout).toContain('codegenTypes: CodegenTypes')
      } else {
        expect(result.code).toBe(1)
        expect(result.stderr).toMatch(
          /codegen\.config\.ts: Node 22\.\d+\.\d+ does not run TypeScript files; Node 22\.18 or later does\. Upgrade Node, or write the config as kysely-motherduck\.config\.json or \.js\./,
        )
      }
    })

    it('runs `kysely-motherduck demo` from the installed package, on the local endpoint', async () => {
      const { code, stdout, stderr } = await runBin(project, ['demo'])
      expect(stderr).toBe('')
      expect(code).toBe(0)
      expect(stdout).toContain('4. In-memory rows')
      expect(stdout).toMatch(/Done in \d+\.\d\d s\./)
    }, 120_000)
  })
})
