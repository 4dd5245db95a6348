import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DatabaseConnection, Kysely, sql } from 'kysely'
import { type Migration, Migrator } from 'kysely/migration'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTypes } from '../../codegen/generate-types.js'
import {
  createMotherDuckPool,
  insertRows,
  MotherDuckAuthenticationError,
  MotherDuckDialect,
  type MotherDuckDialectConfig,
  motherDuckPoolConfig,
  resolveMotherDuckConnection,
} from '../../src/index.js'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { createTestCertificates } from '../local/helpers/test-certificates.js'
import { CANARY_ISSUED_AT, CANARY_TOKEN, canaryEncodings } from '../support/canary-token.js'
import { freePort } from '../support/free-port.js'
import { runCli, startCli } from './hostile/cli-process.js'
import { LeakScanner } from './hostile/leak-scanner.js'
import { reportFigure } from './stress-scale.js'

/*
 * Issue 7, "Hostile input", canary token: the run's canary token (test/support/canary-token.ts) is used
 * as the token on every failure path the library has — a wrong token (SCRAM and cleartext), a closed
 * port, a TLS failure, invalid configuration, query errors that echo the token, a cancelled query, a
 * failed migration and insert, codegen (programmatic and the CLI as a child process, with the token in
 * --url and in MOTHERDUCK_URL) and the `local` CLI — and every error, object, output and file they
 * produce is searched for it in every encoding (raw, URL, JSON, hex, base64 at each alignment). Every
 * test file's own output is checked by test/setup/canary-token.ts.
 */

type AnyDB = Record<string, Record<string, unknown>>

/** A query that runs for minutes unless it is cancelled. */
const ENDLESS = sql<{ total: bigint }>`select sum(hash(i)) as total from range(1000000000000) t(i)`

const scanner = new LeakScanner()
const startedAt = Date.now()
/** Temporary directories of this file; searched, then removed. */
const dirs: string[] = []

let endpoint: LocalEndpoint
/** Connects to `endpoint` with the canary as the token (the right one there). */
let config: MotherDuckDialectConfig

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kysely-motherduck-canary-'))
  dirs.push(dir)
  return dir
}

/** Runs `work`, expecting it to fail; the error is scanned and returned. */
async function failure(label: string, work: () => unknown): Promise<unknown> {
  let error: unknown
  try {
    await work()
  } catch (caught) {
    error = caught
  }
  expect(error, `${label} should fail`).toBeDefined()
  scanner.value(label, error)
  return error
}

function url(host: string, port: number, database = 'md:', token = CANARY_TOKEN): string {
  return `postgresql://postgres:${encodeURIComponent(token)}@${host}:${port}/${database}?sslmode=disable`
}

beforeAll(async () => {
  endpoint = await startLocalEndpoint({ databases: { my_db: ':memory:' }, token: CANARY_TOKEN })
  config = { ...endpoint.dialectConfig(), env: {} }
})

afterAll(async () => {
  await endpoint?.stop()
  // Files this run wrote — the test directories here, and anything under the temp directory written
  // since the run drew its token — are searched before they go.
  for (const dir of dirs) await scanner.directory(dir, 0)
  await scanner.directory(tmpdir(), Math.min(CANARY_ISSUED_AT, startedAt), 4)
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  reportFigure(
    'canary token',
    `${scanner.texts} texts and ${scanner.files} files searched for ${canaryEncodings().length} encodings of the token: ${scanner.leaks.length} leaks`,
  )
  expect(scanner.leaks).toEqual([])
})

describe('the canary as a wrong token', () => {
  it('SCRAM and cleartext: authentication errors without the token', async () => {
    for (const auth of ['scram-sha-256', 'password'] as const) {
      const other = await startLocalEndpoint({ auth, token: 'the-right-token-is-another-one' })
      try {
        const db = new Kysely<AnyDB>({
          dialect: new MotherDuckDialect({
            host: other.host,
            port: other.port,
            token: CANARY_TOKEN,
          }),
        })
        const error = await failure(`wrong token (${auth})`, () => sql`select 1`.execute(db))
        expect(error).toBeInstanceOf(MotherDuckAuthenticationError)
        scanner.value(`Kysely after a wrong token (${auth})`, db)
        await db.destroy()
        const pool = createMotherDuckPool({
          host: other.host,
          port: other.port,
          token: CANARY_TOKEN,
        })
        await failure(`wrong token, createMotherDuckPool (${auth})`, () => pool.query('select 1'))
        scanner.value(`pool after a wrong token (${auth})`, pool)
        await pool.end()
      } finally {
        await other.stop()
      }
    }
  })
})

describe('the canary on the paths that fail before or while connecting', () => {
  it('a closed port, a TLS failure, invalid options and URLs', async () => {
    const port = await freePort()
    const closed = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect({
        host: '127.0.0.1',
        port,
        token: CANARY_TOKEN,
        connectRetry: { retries: 1, initialDelayMs: 10 },
      }),
    })
    await failure('closed port', () => sql`select 1`.execute(closed))
    await closed.destroy()
    await failure('closed port, codegen', () => generateTypes({ url: url('127.0.0.1', port) }))

    const certificates = createTestCertificates()
    const tls = await startLocalEndpoint({
      token: CANARY_TOKEN,
      tls: { key: certificates.key, cert: certificates.cert },
    })
    try {
      const cases: [string, string, MotherDuckDialectConfig['ssl']][] = [
        // Not trusted: the test CA is not given.
        ['untrusted, by IP', '127.0.0.1', 'verify-full'],
        ['untrusted, by name', 'localhost', 'verify-full'],
      ]
      for (const [label, host, ssl] of cases) {
        const db = new Kysely<AnyDB>({
          dialect: new MotherDuckDialect({
            host,
            port: tls.port,
            token: CANARY_TOKEN,
            ssl,
            connectRetry: false,
          }),
        })
        await failure(`TLS failure (${label})`, () => sql`select 1`.execute(db))
        scanner.value(`Kysely after a TLS failure (${label})`, db)
        await db.destroy()
      }
    } finally {
      await tls.stop()
    }

    const invalid: [string, () => unknown][] = [
      [
        'unknown region',
        () => new MotherDuckDialect({ token: CANARY_TOKEN, region: 'mars-1' as never }),
      ],
      [
        'ssl false to a remote host',
        () => new MotherDuckDialect({ token: CANARY_TOKEN, host: 'pg.example.com', ssl: false }),
      ],
      ['port out of range', () => new MotherDuckDialect({ token: CANARY_TOKEN, port: 70000 })],
      [
        'not a URL',
        () => resolveMotherDuckConnection({ url: `postgres ${CANARY_TOKEN} @ somewhere`, env: {} }),
      ],
      [
        'http URL',
        () =>
          resolveMotherDuckConnection({
            url: `http://postgres:${encodeURIComponent(CANARY_TOKEN)}@h/db`,
            env: {},
          }),
      ],
      [
        'bad sslmode',
        () =>
          resolveMotherDuckConnection({ url: `${url('h.example', 5432)}&sslmode=bogus`, env: {} }),
      ],
      [
        'bad URL port',
        () =>
          resolveMotherDuckConnection({
            url: `postgresql://postgres:${encodeURIComponent(CANARY_TOKEN)}@h:99999/db`,
            env: {},
          }),
      ],
      [
        'unknown region in the environment',
        () =>
          resolveMotherDuckConnection({
            env: { MOTHERDUCK_TOKEN: CANARY_TOKEN, MOTHERDUCK_REGION: 'nowhere' },
          }),
      ],
      [
        'bad MOTHERDUCK_URL',
        () =>
          resolveMotherDuckConnection({
            env: { MOTHERDUCK_URL: `postgresql://postgres:${CANARY_TOKEN}@[bad/db` },
          }),
      ],
    ]
    for (const [label, work] of invalid) await failure(label, work)
  })
})

describe('the canary as the right token', () => {
  it('objects a program can log: dialect, Kysely, executor, connection, pools, resolved config, endpoint', async () => {
    let connection: DatabaseConnection | undefined
    const dialect = new MotherDuckDialect({
      ...config,
      onCreateConnection: async (created) => {
        connection = created
      },
    })
    const db = new Kysely<AnyDB>({ dialect })
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }])
    const pool = createMotherDuckPool(config)
    const client = await pool.connect()
    await client.query('select 1')
    const objects: [string, unknown][] = [
      ['dialect', dialect],
      ['Kysely', db],
      ['executor', db.getExecutor()],
      ['connection', connection],
      ['createMotherDuckPool (a client checked out)', pool],
      ['pool client', client],
      ['motherDuckPoolConfig', motherDuckPoolConfig(config)],
      ['resolveMotherDuckConnection', resolveMotherDuckConnection(config)],
      [
        'resolved from a URL',
        resolveMotherDuckConnection({ url: url('127.0.0.1', endpoint.port), env: {} }),
      ],
      [
        'resolved from the environment',
        resolveMotherDuckConnection({ env: { MOTHERDUCK_TOKEN: CANARY_TOKEN } }),
      ],
      ['local endpoint handle', endpoint],
      ['local endpoint dialectConfig()', endpoint.dialectConfig()],
    ]
    for (const [label, object] of objects) scanner.value(label, object)
    client.release()
    scanner.value('createMotherDuckPool (idle)', pool)
    await pool.end()
    await db.destroy()
    scanner.value('Kysely (destroyed)', db)
  })

  it('query errors that echo the token, in a parameter, in SQL text and as a name', async () => {
    const db = new Kysely<AnyDB>({ dialect: new MotherDuckDialect(config) })
    try {
      await failure('parameter echoed', () =>
        sql`select cast(${CANARY_TOKEN} as integer)`.execute(db),
      )
      await failure('SQL text echoed', () =>
        sql.raw(`select cast('${CANARY_TOKEN.replaceAll("'", "''")}' as integer)`).execute(db),
      )
      await failure('table name echoed', () => db.selectFrom(CANARY_TOKEN).selectAll().execute())
      await failure('column name echoed', () =>
        db.selectNoFrom(sql.ref(CANARY_TOKEN).as('x')).execute(),
      )
      await failure('in a transaction', () =>
        db.transaction().execute(async (trx) => {
          await sql`select cast(${CANARY_TOKEN} as date)`.execute(trx)
        }),
      )
      await sql`create table ints (id integer)`.execute(db)
      await failure('insertRows', () => insertRows(db, 'ints', [{ id: CANARY_TOKEN }]))
      await failure('insertRows without a transaction', () =>
        insertRows(db, 'ints', [{ id: 1 }, { id: CANARY_TOKEN }], {
          batchSize: 1,
          transaction: false,
        }),
      )
    } finally {
      await db.destroy()
    }
  })

  it('a cancelled query', async () => {
    const db = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect({ ...config, pool: { max: 1 } }),
    })
    try {
      for (const strategy of ['cancel query', 'kill session'] as const) {
        const controller = new AbortController()
        const running = db.executeQuery(ENDLESS.compile(db), {
          signal: controller.signal,
          inflightQueryAbortStrategy: strategy,
        })
        setTimeout(() => controller.abort(new Error(`gave up (${strategy})`)), 200)
        await failure(`cancelled (${strategy})`, () => running)
      }
      // And the same connection works on.
      expect((await sql<{ two: number }>`select 2 as two`.execute(db)).rows).toEqual([{ two: 2 }])
      scanner.value('Kysely after cancels', db)
    } finally {
      await db.destroy()
    }
  })

  it('a failed migration', async () => {
    const db = new Kysely<AnyDB>({ dialect: new MotherDuckDialect(config) })
    try {
      const migrations: Record<string, Migration> = {
        '001_ok': {
          async up(trx) {
            await sql`create table m1 (v varchar)`.execute(trx)
          },
        },
        '002_fails': {
          async up(trx) {
            await sql`insert into m1 values (cast(${CANARY_TOKEN} as integer))`.execute(trx)
          },
        },
      }
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
      const result = await migrator.migrateToLatest()
      expect(result.error).toBeDefined()
      expect(result.results?.map((r) => r.status)).toEqual(['Success', 'Error'])
      scanner.value('migration result set', result)
      scanner.value('migration error', result.error)
    } finally {
      await db.destroy()
    }
  })
})

describe('codegen with the canary as the token', () => {
  it('programmatic: the generated text and its errors', async () => {
    const db = new Kysely<AnyDB>({ dialect: new MotherDuckDialect(config) })
    await sql`create table ${sql.id('codegen table')} (id integer, note varchar)`.execute(db)
    await db.destroy()
    const dir = await tempDir()
    const text = await generateTypes({
      url: url('127.0.0.1', endpoint.port),
      outFile: join(dir, 'db.ts'),
    })
    scanner.text('generateTypes text', text)
    await failure('generateTypes, unknown database', () =>
      generateTypes({ url: url('127.0.0.1', endpoint.port), databases: ['nope'] }),
    )
    await failure('generateTypes, --verify of a stale file', async () => {
      await writeFile(join(dir, 'stale.ts'), 'export interface DB {}\n')
      await generateTypes({
        url: url('127.0.0.1', endpoint.port),
        outFile: join(dir, 'stale.ts'),
        verify: true,
      })
    })
  })

  it('the CLI as a child process: codegen with --url, MOTHERDUCK_URL, --print, --verify, a closed port, a wrong token; the demo', async () => {
    const dir = await tempDir()
    const good = url('127.0.0.1', endpoint.port)
    const runs: Record<string, Awaited<ReturnType<typeof runCli>>> = {
      'codegen --url --out-file': await runCli(
        ['codegen', '--url', good, '--out-file', 'src/db.ts'],
        dir,
      ),
      'codegen --print (MOTHERDUCK_URL)': await runCli(['codegen', '--print'], dir, {
        MOTHERDUCK_URL: good,
      }),
      'codegen --verify (stale)': await (async () => {
        await writeFile(join(dir, 'src/stale.ts'), 'export interface DB {}\n')
        return runCli(['codegen', '--url', good, '--out-file', 'src/stale.ts', '--verify'], dir)
      })(),
      'codegen, closed port': await runCli(
        ['codegen', '--print', '--url', url('127.0.0.1', await freePort())],
        dir,
      ),
      'codegen, MOTHERDUCK_TOKEN, wrong host': await runCli(['codegen', '--print'], dir, {
        MOTHERDUCK_TOKEN: CANARY_TOKEN,
        MOTHERDUCK_REGION: 'not-a-region',
      }),
    }
    // The demo on MotherDuck's path (MOTHERDUCK_TOKEN set) with a region that does not exist.
    const demo = await runCli(['demo'], dir, {
      MOTHERDUCK_TOKEN: CANARY_TOKEN,
      MOTHERDUCK_REGION: 'nowhere-1',
    })
    expect(demo.code).toBe(1)
    expect(demo.stderr).toContain('The demo failed')
    scanner.text('demo (unknown region): stdout', demo.stdout)
    scanner.text('demo (unknown region): stderr', demo.stderr)
    const other = await startLocalEndpoint({ token: 'another-token' })
    try {
      Object.assign(runs, {
        'codegen, wrong token': await runCli(
          ['codegen', '--print', '--url', url('127.0.0.1', other.port)],
          dir,
        ),
      })
    } finally {
      await other.stop()
    }
    const codes = Object.fromEntries(Object.entries(runs).map(([label, run]) => [label, run.code]))
    expect(codes).toEqual({
      'codegen --url --out-file': 0,
      'codegen --print (MOTHERDUCK_URL)': 0,
      'codegen --verify (stale)': 1,
      'codegen, closed port': 1,
      'codegen, MOTHERDUCK_TOKEN, wrong host': 1,
      'codegen, wrong token': 1,
    })
    for (const [label, run] of Object.entries(runs)) {
      scanner.text(`${label}: stdout`, run.stdout)
      scanner.text(`${label}: stderr`, run.stderr)
    }
    expect(runs['codegen --print (MOTHERDUCK_URL)']?.stdout).toContain('codegen table')
    expect(runs['codegen, wrong token']?.stderr).toContain('rejected the MotherDuck token')
    const written = await readFile(join(dir, 'src/db.ts'), 'utf8')
    expect(written).toContain('"codegen table": CodegenTable;')
    await scanner.file(join(dir, 'src/db.ts'))
  })
})

describe('the local CLI with the canary as --token', () => {
  it('prints no token, serves it, stops; refuses bad flags without echoing it', async () => {
    const dir = await tempDir()
    const cli = startCli(
      [
        'local',
        '--token',
        CANARY_TOKEN,
        '--database',
        `my_db=${join(dir, 'my.duckdb')}`,
        '--auth',
        'password',
      ],
      dir,
    )
    const [, port] = await cli.waitFor(/listening on 127\.0\.0\.1:(\d+)[\s\S]*Press Ctrl-C/)
    const db = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect({
        host: '127.0.0.1',
        port: Number(port),
        token: CANARY_TOKEN,
      }),
    })
    await failure('local CLI, query error', () =>
      sql`select cast(${CANARY_TOKEN} as integer)`.execute(db),
    )
    await sql`create table t as select 42 as answer`.execute(db)
    await db.destroy()
    const wrong = new pg.Client({
      host: '127.0.0.1',
      port: Number(port),
      user: 'postgres',
      password: `${CANARY_TOKEN}x`,
      database: 'md:',
    })
    await failure('local CLI, wrong token', () => wrong.connect())
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toBe(0)
    scanner.text('local CLI: stdout', cli.output.stdout)
    scanner.text('local CLI: stderr', cli.output.stderr)
    expect(cli.output.stdout).toContain('MOTHERDUCK_URL=postgresql://postgres:<token>@127.0.0.1:')

    for (const args of [
      ['--port', 'nope'],
      ['--tls-cert', join(dir, 'missing.pem'), '--tls-key', join(dir, 'missing.key')],
      ['--database', 'md:bad=:memory:'],
      ['--unknown-flag'],
    ]) {
      const run = await runCli(['local', '--token', CANARY_TOKEN, ...args], dir)
      expect(run.code, args.join(' ')).toBe(1)
      scanner.text(`local CLI ${args[0]}: stdout`, run.stdout)
      scanner.text(`local CLI ${args[0]}: stderr`, run.stderr)
    }
  })
})
