import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type CodegenCommandIo, codegenCommand } from '../../src/cli/codegen-command.js'
import type { LocalEndpoint } from '../../src/local/index.js'
import { runStatements, startFixtureEndpoint } from './helpers/fixture-endpoint.js'

/** Runs the command in `cwd` with only `env` as its environment; collects what it prints. */
async function codegen(
  argv: string[],
  io: { cwd: string; env?: Record<string, string>; progressDelayMs?: number },
) {
  const output = { stdout: '', stderr: '' }
  const options: Partial<CodegenCommandIo> = {
    cwd: io.cwd,
    env: io.env ?? {},
    stdout: (text) => {
      output.stdout += text
    },
    stderr: (text) => {
      output.stderr += text
    },
    stderrIsTTY: false,
    // Fast introspections show no progress; the progress test sets 0.
    progressDelayMs: io.progressDelayMs ?? 60_000,
  }
  const code = await codegenCommand.run(argv, options)
  return { code, ...output }
}

describe('kysely-motherduck codegen: flags', () => {
  let cwd: string
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'codegen-cli-'))
  })
  afterEach(() => rm(cwd, { recursive: true, force: true }))

  it('--help documents every flag and exits 0', async () => {
    const result = await codegen(['--help'], { cwd })
    expect(result.code).toBe(0)
    for (const flag of codegenCommand.flags) expect(result.stdout).toContain(`--${flag.name}`)
    expect(result.stdout).toContain('MOTHERDUCK_TOKEN')
  })

  it('an unknown flag is an error that points to --help', async () => {
    const result = await codegen(['--out', 'x.ts'], { cwd })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Unknown flag --out.')
    expect(result.stderr).toContain('--help')
  })

  it('asks where the types go, and for a file to verify', async () => {
    expect((await codegen([], { cwd })).stderr).toContain('--out-file <path>, or --print')
    expect((await codegen(['--verify', '--print'], { cwd })).stderr).toContain(
      '--verify compares with a file',
    )
  })

  it('without a token says how to set one', async () => {
    const result = await codegen(['--print'], { cwd })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('MOTHERDUCK_TOKEN')
  })

  it('never prints the token, from the environment, a .env file or --url', async () => {
    const token = 'md-secret-token-4f9a2c'
    // Nothing listens on port 1: the connection fails after the token was read.
    const url = `postgresql://postgres:${token}@127.0.0.1:1/md:?sslmode=disable`
    const fromFlag = await codegen(['--print', '--url', url], { cwd })
    expect(fromFlag.code).toBe(1)
    expect(fromFlag.stderr).not.toBe('')
    await writeFile(join(cwd, '.env'), `MOTHERDUCK_URL=${url}\n`)
    const fromDotEnv = await codegen(['--print'], { cwd })
    expect(fromDotEnv.code).toBe(1)
    expect(fromDotEnv.stderr).toMatch(/ECONNREFUSED|connect/i)
    for (const result of [fromFlag, fromDotEnv]) {
      expect(result.stdout + result.stderr).not.toContain(token)
    }
  })

  it('reports a bad config file by name', async () => {
    await writeFile(join(cwd, 'kysely-motherduck.config.json'), '{"outfile": "x.ts"}')
    const result = await codegen([], { cwd })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('kysely-motherduck.config.json: unknown option "outfile"')
  })
})

describe('kysely-motherduck codegen: against the local endpoint', () => {
  let endpoint: LocalEndpoint
  let cwd: string
  beforeAll(async () => {
    endpoint = await startFixtureEndpoint()
    cwd = await mkdtemp(join(tmpdir(), 'codegen-cli-'))
  })
  afterAll(async () => {
    await endpoint?.stop()
    await rm(cwd, { recursive: true, force: true })
  })

  it('writes the file and prints one summary line', async () => {
    const result = await codegen(['--url', endpoint.url, '--out-file', 'src/db.ts'], { cwd })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^kysely-motherduck codegen: 1 database \(my_db\), 10 tables, \d+ columns in \d+\.\d\d s → src\/db\.ts written\n$/,
    )
    const text = await readFile(join(cwd, 'src/db.ts'), 'utf8')
    expect(text).toContain('export interface DB {')
    expect(text).not.toContain(endpoint.token)

    const again = await codegen(['--url', endpoint.url, '--out-file', 'src/db.ts'], { cwd })
    expect(again.stdout).toContain('src/db.ts unchanged')
  })

  it('--verify exits 0 when up to date, and 1 with a diff when a column was added', async () => {
    const args = ['--url', endpoint.url, '--out-file', 'src/db.ts']
    expect((await codegen(args, { cwd })).code).toBe(0)
    const fresh = await codegen([...args, '--verify'], { cwd })
    expect(fresh.code).toBe(0)
    expect(fresh.stdout).toContain('src/db.ts is up to date')

    await runStatements(endpoint.url, ['ALTER TABLE orders ADD COLUMN discount_code VARCHAR'])
    try {
      const stale = await codegen([...args, '--verify'], { cwd })
      expect(stale.code).toBe(1)
      expect(stale.stderr).toContain('Generated types are not up-to-date!')
      expect(stale.stderr).toContain('+  discount_code: string | null;')
      expect(stale.stderr).toContain('src/db.ts is out of date')
      // --verify never writes.
      expect(await readFile(join(cwd, 'src/db.ts'), 'utf8')).not.toContain('discount_code')
    } finally {
      await runStatements(endpoint.url, ['ALTER TABLE orders DROP COLUMN discount_code'])
    }
  })

  it('--print writes the types on stdout and the summary on stderr; flags shape them', async () => {
    const result = await codegen(
      [
        '--url',
        endpoint.url,
        '--print',
        '--database',
        'fixture_other',
        '--database',
        'my_db',
        '--include-pattern',
        '*accounts',
        '--camel-case',
        '--int64=number',
        '--no-type-only-imports',
      ],
      { cwd },
    )
    expect(result.code).toBe(0)
    // Kysely's CamelCasePlugin turns fixtureOther back into fixture_other.
    expect(result.stdout).toContain('"fixtureOther:main.accounts": FixtureOtherMainAccounts;')
    expect(result.stdout).toContain('"fixtureOther:main.richAccounts"')
    expect(result.stdout).not.toContain('orders')
    expect(result.stdout).toContain('import { ColumnType } from "kysely";')
    expect(result.stderr).toMatch(
      /2 databases \(fixture_other, my_db\), 2 tables, 6 columns .* printed/,
    )
  })

  it('--nested-nullability and --no-self-contained shape nested values and the value types', async () => {
    const base = ['--url', endpoint.url, '--print']
    const truthful = await codegen(base, { cwd })
    const shorter = await codegen(
      [...base, '--nested-nullability', 'non-null', '--no-self-contained'],
      {
        cwd,
      },
    )
    expect([truthful.code, shorter.code]).toEqual([0, 0])
    expect(truthful.stdout).toContain('export type JsonValue =')
    expect(truthful.stdout).not.toContain('from "kysely-motherduck"')
    expect(shorter.stdout).not.toContain('export type JsonValue =')
    expect(shorter.stdout).toContain('JsonValue } from "kysely-motherduck";')
    const nulls = (text: string) => text.split('| null').length
    expect(nulls(shorter.stdout)).toBeLessThan(nulls(truthful.stdout))
    const refused = await codegen([...base, '--nested-nullability', 'maybe'], { cwd })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('--nested-nullability')
  })

  it('reads the options of a config file, and flags win over them', async () => {
    await writeFile(
      join(cwd, 'kysely-motherduck.config.json'),
      JSON.stringify({ outFile: 'from-config.ts', url: 'env(FIXTURE_URL)', runtimeEnums: true }),
    )
    try {
      const result = await codegen([], { cwd, env: { FIXTURE_URL: endpoint.url } })
      expect(result.code).toBe(0)
      expect(await readFile(join(cwd, 'from-config.ts'), 'utf8')).toContain('export enum Mood {')
      const overridden = await codegen(['--out-file', 'from-flag.ts'], {
        cwd,
        env: { FIXTURE_URL: endpoint.url },
      })
      expect(overridden.stdout).toContain('from-flag.ts written')
    } finally {
      await rm(join(cwd, 'kysely-motherduck.config.json'))
    }
  })

  it("takes kysely-codegen's JSON options as flags, and says what a bad value should be", async () => {
    const result = await codegen(
      [
        '--url',
        endpoint.url,
        '--print',
        '--include-pattern',
        'orders',
        '--overrides={"columns":{"orders.id":"OrderId"}}',
        '--custom-imports',
        '{"OrderId":"./ids.js"}',
        '--type-mapping={"varchar":"Text"}',
        '--singularize',
      ],
      { cwd },
    )
    expect(result.stderr).not.toContain('warning')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('import type { OrderId } from "./ids.js";')
    expect(result.stdout).toMatch(/^ {2}id: OrderId;$/m)
    expect(result.stdout).toMatch(/^ {2}customer_name: Text;$/m)
    expect(result.stdout).toContain('export interface Order {')

    const bad = await codegen(['--url', endpoint.url, '--print', '--type-mapping', '[1]'], { cwd })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain(
      '--type-mapping takes JSON: an object of DuckDB type or ENUM names to TypeScript types, e.g. ' +
        '--type-mapping=\'{"timestamptz":"Temporal.Instant","uuid":"Uuid"}\'.',
    )
  })

  it('--log-level: silent prints nothing, warn drops the summary, debug adds the config and catalog', async () => {
    const args = ['--url', endpoint.url, '--out-file', 'src/levels.ts']
    const silent = await codegen([...args, '--log-level', 'silent'], { cwd })
    expect(silent).toEqual({ code: 0, stdout: '', stderr: '' })
    const silentFailure = await codegen(['--log-level=silent', '--print', '--url', 'x'], { cwd })
    expect(silentFailure).toEqual({ code: 1, stdout: '', stderr: '' })

    const empty = [...args, '--include-pattern', 'nothing_here']
    const warn = await codegen([...empty, '--log-level', 'warn'], { cwd })
    expect(warn.stdout).toBe('')
    expect(warn.stderr).toContain('warning: No table or view matched in my_db')
    const error = await codegen([...empty, '--log-level', 'error'], { cwd })
    expect(error).toEqual({ code: 0, stdout: '', stderr: '' })

    const debug = await codegen([...args, '--log-level', 'debug'], { cwd })
    expect(debug.stderr).toContain('config: (none)\n')
    expect(debug.stderr).toMatch(/catalog: 3 queries, read in \d+ ms\n/)
    expect(debug.stdout).toContain('src/levels.ts')
  })

  it('--fail-on-empty exits 1 when no table matched; otherwise it is a warning', async () => {
    const args = ['--url', endpoint.url, '--print', '--include-pattern', 'nothing_here']
    const warned = await codegen(args, { cwd })
    expect(warned.code).toBe(0)
    expect(warned.stderr).toContain('warning: No table or view matched in my_db')
    const failed = await codegen([...args, '--fail-on-empty'], { cwd })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain(
      'kysely-motherduck codegen: No table or view matched in my_db with include pattern "nothing_here"',
    )
  })

  it('--env-file reads the connection from that file, and an explicit file must exist', async () => {
    await writeFile(join(cwd, '.env.ci'), `MOTHERDUCK_URL=${endpoint.url}\n`)
    const result = await codegen(['--print', '--env-file', '.env.ci'], { cwd })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('export interface DB {')
    const missing = await codegen(['--print', '--env-file', '.env.nope'], { cwd })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`The env file ${join(cwd, '.env.nope')} does not exist`)
  })

  it('refuses a kysely-codegen config option it cannot honour, naming it', async () => {
    const path = join(cwd, '.kysely-codegenrc.json')
    await writeFile(path, JSON.stringify({ dialect: 'postgres', outFile: 'x.ts' }))
    try {
      const result = await codegen(['--url', endpoint.url], { cwd })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(
        `${path}: the kysely-codegen option "dialect" is not supported by kysely-motherduck codegen`,
      )
    } finally {
      await rm(path)
    }
  })

  it('shows progress on stderr for introspections that take long', async () => {
    const result = await codegen(['--url', endpoint.url, '--print'], { cwd, progressDelayMs: 0 })
    expect(result.stderr).toContain('Reading the tables of my_db…\n')
  })

  it('names the attached databases when --database names another', async () => {
    const result = await codegen(['--url', endpoint.url, '--print', '--database', 'nope'], { cwd })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('The database "nope" is not attached.')
    expect(result.stderr).toContain('my_db')
  })
})
