import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import fc from 'fast-check'
import { sql } from 'kysely'
import type pg from 'pg'
import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTableAs, readCsv } from '../../src/index.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'
import { pgClients, rejection } from './helpers/pg-clients.js'
import { RawClient } from './helpers/raw-client.js'

/**
 * Strict mode as a boundary: a client holding the token tries every way out of the mapped folders it
 * can spell, and each attempt is checked by its effect, not by its error: the canary files outside the
 * mapped folders are never read (their content appears in no answer), none is changed, and no file
 * appears outside the bucket.
 */

const CANARY = `CANARY-${process.pid}-sandbox`

let root: string
let bucket: string
let local: TestEndpoint
const clients = pgClients(() => local.endpoint)

/** Paths and contents of the files outside the bucket, the databases' WAL files left out. */
function filesOutsideBucket(): Map<string, string> {
  const files = new Map<string, string>()
  for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const path = join(root, name)
    const inBucket = !relative(bucket, path).startsWith('..')
    if (inBucket || name.endsWith('.wal')) continue
    try {
      files.set(name, readFileSync(path, 'latin1'))
    } catch {
      files.set(name, '<directory>')
    }
  }
  return files
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kysely-motherduck-sandbox-'))
  bucket = join(root, 'bucket')
  mkdirSync(bucket)
  mkdirSync(join(root, 'db'))
  writeFileSync(join(bucket, 'ok.csv'), 'id,name\n1,inside\n')
  writeFileSync(join(root, 'canary.txt'), CANARY)
  writeFileSync(join(root, 'outside.csv'), `secret\n${CANARY}\n`)
  // A project's .env next to its database file: the database's folder must not be readable.
  writeFileSync(join(root, 'db', '.env'), `MOTHERDUCK_TOKEN=${CANARY}`)
  const instance = await DuckDBInstance.create(join(root, 'db', 'shared.duckdb'))
  const writer = await instance.connect()
  await writer.run("CREATE TABLE items AS SELECT 1 AS id, 'shared' AS name")
  writer.closeSync()
  instance.closeSync()
  local = await startTestEndpoint({
    auth: 'password',
    databases: {
      my_db: join(root, 'db', 'main.duckdb'),
      shared: { path: join(root, 'db', 'shared.duckdb'), readOnly: true },
    },
    objectStore: { 's3://bucket': bucket },
  })
})

afterAll(async () => {
  await clients.endAll()
  await local.stop()
  rmSync(root, { recursive: true, force: true })
})

/** What an attempt answered: its rows and messages, as text, or the error it failed with. */
interface Answer {
  readonly text: string
  readonly error?: Error & Record<string, unknown>
}

async function answer(run: () => Promise<unknown>): Promise<Answer> {
  try {
    const result = await run()
    return { text: JSON.stringify(result, (_key, value) => value) ?? '' }
  } catch (error) {
    const failed = error as Error & Record<string, unknown>
    return {
      text: `${failed.message} ${String(failed.detail)} ${String(failed.hint)}`,
      error: failed,
    }
  }
}

/** Runs an attempt; asserts that it failed and that nothing outside the bucket was read or written. */
async function expectContained(attempt: (client: pg.Client) => Promise<unknown>): Promise<Answer> {
  const client = await clients.connect()
  const before = filesOutsideBucket()
  const result = await answer(() => attempt(client))
  expect(result.text).not.toContain(CANARY)
  expect(filesOutsideBucket()).toEqual(before)
  expect(result.error, `expected a refusal, got ${result.text}`).toBeDefined()
  return result
}

const rowsOf = (client: pg.Client, text: string) =>
  client
    .query(text)
    .then((result: pg.QueryResult | pg.QueryResult[]) =>
      Array.isArray(result) ? result.map((each) => each.rows) : result.rows,
    )

describe('strict mode: no spelling of SQL reads or writes outside the mapped folders', () => {
  const out = () => join(root, 'canary.txt')
  const escapes: [string, () => string][] = [
    ['read_text((path))', () => `SELECT * FROM read_text(('${out()}'))`],
    ['read_text(path::VARCHAR)', () => `SELECT * FROM read_text('${out()}'::VARCHAR)`],
    ['"read_text"(path)', () => `SELECT * FROM "read_text"('${out()}')`],
    ['main.read_text(path)', () => `SELECT * FROM main.read_text('${out()}')`],
    ['system.main.read_text(path)', () => `SELECT * FROM system.main.read_text('${out()}')`],
    ['a concatenated path', () => `SELECT * FROM read_text('${root}' || '/canary.txt')`],
    ['FROM "quoted file name"', () => `FROM "${join(root, 'outside.csv')}"`],
    ["FROM 'file name'", () => `FROM '${join(root, 'outside.csv')}'`],
    ['the .env beside the database file', () => `SELECT * FROM read_text('${root}/db/.env')`],
    ['the database file itself', () => `SELECT * FROM read_blob('${root}/db/shared.duckdb')`],
    ['a list of paths', () => `SELECT * FROM read_text(['s3://bucket/ok.csv', '${out()}'])`],
    ['glob() listing', () => `SELECT * FROM glob('${root}/*')`],
    ['sniff_csv', () => `SELECT * FROM sniff_csv('${join(root, 'outside.csv')}')`],
    [
      'a view',
      () =>
        `CREATE OR REPLACE VIEW escape_view AS SELECT * FROM read_text('${root}' || '/canary.txt'); SELECT * FROM escape_view`,
    ],
    [
      'a table macro',
      () =>
        `CREATE OR REPLACE MACRO escape_macro(p) AS TABLE SELECT * FROM read_text(p); SELECT * FROM escape_macro('${root}' || '/canary.txt')`,
    ],
    ['getvariable', () => `SET VARIABLE p = '${out()}'; SELECT * FROM read_text(getvariable('p'))`],
    ['s3://bucket/../', () => "SELECT * FROM read_csv('s3://bucket/../outside.csv')"],
    [
      's3://bucket/../ with MD_RUN = REMOTE',
      () => "SELECT * FROM read_csv('s3://bucket/../outside.csv', MD_RUN = REMOTE)",
    ],
    ['s3://bucket/a/../../', () => "SELECT * FROM read_text('s3://bucket/a/../../canary.txt')"],
    ['a comment ended by \\r', () => `SELECT 1; -- hidden\r SELECT * FROM read_text('${out()}')`],
    ['COPY TO s3://bucket/../', () => "COPY (SELECT 'x') TO 's3://bucket/../written.csv'"],
    ['COPY TO "identifier"', () => `COPY (SELECT 'x') TO "${root}/written.csv"`],
    ['COPY TO (parenthesised)', () => `COPY (SELECT 'x') TO ('${root}/written.csv')`],
    ['COPY FROM a file', () => `CREATE TABLE IF NOT EXISTS c (s VARCHAR); COPY c FROM '${out()}'`],
    ['EXPORT DATABASE', () => `EXPORT DATABASE '${root}/exported'`],
    ['a glob that climbs', () => "SELECT * FROM read_text('s3://bucket/*/../../canary.txt')"],
    ['SET profiling_output', () => `SET profiling_output = '${root}/profile.json'`],
    ['PRAGMA profiling_output', () => `PRAGMA profiling_output = '${root}/profile.json'`],
    ['SET log_query_path', () => `SET log_query_path = '${root}/queries.log'`],
    ['ATTACH a new file', () => `ATTACH '${root}/attached.duckdb' AS attached`],
    ['ATTACH in a parenthesised spelling', () => `ATTACH DATABASE ('${root}/a2.duckdb') AS a2`],
    ['SET enable_external_access', () => 'SET enable_external_access = true'],
    ['SET allowed_directories', () => `SET allowed_directories = ['${root}']`],
    ['RESET lock_configuration', () => 'RESET lock_configuration'],
    ['INSTALL', () => 'INSTALL httpfs'],
    ['LOAD', () => 'LOAD httpfs'],
    [
      'logging to a file',
      () => `CALL enable_logging(storage = 'file', storage_path = '${root}/logs')`,
    ],
  ]

  it.each(escapes)('%s', async (_name, text) => {
    await expectContained((client) => rowsOf(client, text()))
  })

  it('COPY … PARTITION_BY a value that climbs writes inside the bucket', async () => {
    const client = await clients.connect()
    const before = filesOutsideBucket()
    await client.query(
      "COPY (SELECT '../..' AS p, 1 AS v) TO 's3://bucket/parts' (FORMAT csv, PARTITION_BY p)",
    )
    expect(filesOutsideBucket()).toEqual(before)
    expect(readdirSync(join(bucket, 'parts'), { recursive: true }).length).toBeGreaterThan(0)
  })

  it('a path given as $1', async () => {
    await expectContained((client) =>
      client.query('SELECT * FROM read_csv($1)', ['s3://bucket/../outside.csv']),
    )
    await expectContained((client) =>
      client.query('SELECT * FROM read_text($1::VARCHAR)', [join(root, 'canary.txt')]),
    )
  })

  it('readCsv through Kysely', async () => {
    const db = local.kysely<Record<string, never>>()
    const before = filesOutsideBucket()
    const result = await answer(() =>
      db.selectFrom(readCsv('s3://bucket/../outside.csv').as('r')).selectAll().execute(),
    )
    expect(result.error?.code).toBe('42501')
    expect(result.text).toContain('leaves the object-store prefix s3://bucket')
    expect(result.text).not.toContain(CANARY)
    expect(filesOutsideBucket()).toEqual(before)
  })

  it('a binary text[] parameter', async () => {
    const path = Buffer.from(join(root, 'canary.txt'))
    // Postgres' binary array: 1 dimension, no NULLs, text elements, length 1 from index 1, then the element.
    const array = Buffer.alloc(24 + path.length)
    array.writeInt32BE(1, 0)
    array.writeInt32BE(0, 4)
    array.writeInt32BE(25, 8)
    array.writeInt32BE(1, 12)
    array.writeInt32BE(1, 16)
    array.writeInt32BE(path.length, 20)
    path.copy(array, 24)
    const client = await RawClient.login(local.endpoint.port, local.endpoint.token)
    try {
      const before = filesOutsideBucket()
      client.send(
        serialize.parse({ text: 'SELECT * FROM read_text($1)', types: [1009] }),
        serialize.bind({ values: [array] }),
        serialize.describe({ type: 'P' }),
        serialize.execute(),
        serialize.sync(),
      )
      const messages = await client.until('readyForQuery')
      expect(JSON.stringify(messages.map((m) => ({ ...m })))).not.toContain(CANARY)
      expect(messages.some((message) => message.name === 'error')).toBe(true)
      expect(filesOutsideBucket()).toEqual(before)
    } finally {
      client.close()
    }
  })

  it('refuses with 42501 or 0A000 and says why', async () => {
    const cases: [string, RegExp][] = [
      ["SELECT * FROM read_csv('s3://bucket/../outside.csv')", /leaves the object-store prefix/],
      [`SELECT * FROM read_text('${root}' || '/canary.txt')`, /disabled by configuration/],
      ['SET threads = 1', /SET threads would change the DuckDB instance/],
      ['SET profiling_output = 1', /profiling_output/],
      ["CALL enable_logging('QueryLog')", /enable_logging would expose other sessions' SQL/],
      ['DETACH my_db', /DETACH/],
      ['CREATE LOCAL TEMPORARY TABLE t (i INTEGER)', /temporary tables/],
      ['CREATE TABLE temp.main.t (i INTEGER)', /temporary tables/],
      ['USE temp', /temporary tables, nor making the temp or system catalog current/],
      ["SET schema = 'temp.main'", /temp or system catalog/],
      ["SET search_path = 'memory.main, temp.main'", /temp or system catalog/],
      ['PRAGMA enable_profiling', /PRAGMA/],
      ["PRAGMA TimeZone = 'Asia/Tokyo'", /cannot tell which setting/],
      ["SELECT * FROM query(getvariable('q'))", /one string literal/],
    ]
    const client = await clients.connect()
    for (const [text, message] of cases) {
      const error = await rejection(client.query(text))
      expect(['42501', '0A000'], `${text}: ${error.code}`).toContain(error.code)
      expect(error.message).toMatch(message)
    }
  })

  it('fuzz: generated spellings of a file read outside the bucket', async () => {
    const file = () => join(root, 'canary.txt')
    const pathExpression = fc.constantFrom(
      () => `'${file()}'`,
      () => `('${file()}')`,
      () => `'${file()}'::VARCHAR`,
      () => `CAST('${file()}' AS TEXT)`,
      () => `'${root}' || '/canary.txt'`,
      () => `concat('${root}', '/', 'canary.txt')`,
      () => `lower('${file()}')`,
      () => `['${file()}'][1]`,
      () => `'s3://bucket/../canary.txt'`,
      () => `'s3://bucket/./x/../../canary.txt'`,
      () => `'file://${file()}'`,
      () => `replace('s3://bucket/canary.txt', 's3://bucket', '${root}')`,
    )
    const reader = fc.constantFrom(
      'read_text',
      '"read_text"',
      'READ_TEXT',
      'read_blob',
      'read_csv',
      'read_csv_auto',
      'sniff_csv',
    )
    const wrap = fc.constantFrom(
      (call: string) => `SELECT * FROM ${call}`,
      (call: string) => `FROM ${call}`,
      (call: string) => `SELECT (SELECT count(*) FROM ${call})`,
      (call: string) => `WITH q AS (FROM ${call}) FROM q`,
      (call: string) => `SELECT 1; /* x */ SELECT * FROM ${call}`,
      (call: string) => `SELECT 1 -- x\r; SELECT * FROM ${call}`,
      (call: string) => `CREATE OR REPLACE TABLE fuzz_copy AS FROM ${call}`,
    )
    await fc.assert(
      fc.asyncProperty(pathExpression, reader, wrap, async (path, name, wrapper) => {
        await expectContained((client) => rowsOf(client, wrapper(`${name}(${path()})`)))
      }),
      { numRuns: 80 },
    )
  })
})

describe('strict mode: what sessions share stays as it was', () => {
  it("one session's SET, DETACH/ATTACH and logging attempts change nothing another sees", async () => {
    const attacker = await clients.connect()
    const other = await clients.connect()
    await other.query('CREATE OR REPLACE TABLE ordered AS SELECT * FROM range(3) t(i)')
    const attempts = [
      "SET default_order = 'DESC'",
      "SET GLOBAL default_order = 'DESC'",
      "SET memory_limit = '1MB'",
      "SET GLOBAL memory_limit = '1MB'",
      'SET threads = 1',
      'SET lock_configuration = true',
      "SET GLOBAL TimeZone = 'Asia/Tokyo'",
      'DETACH my_db',
      'DETACH DATABASE shared',
      `ATTACH '${join(bucket, 'swap.duckdb')}' AS my_db`,
      "CALL enable_logging('QueryLog')",
      "SELECT * FROM enable_logging('QueryLog')",
      'SELECT * FROM "duckdb_logs"',
      "SELECT * FROM query('FROM duckdb_logs')",
      "SELECT * FROM query('FROM duck' || 'db_logs')",
      'PRAGMA enable_checkpoint_on_shutdown',
    ]
    for (const text of attempts) {
      const error = await rejection(attacker.query(text))
      expect(['42501', '0A000'], `${text}: ${error.code} ${error.message}`).toContain(error.code)
    }
    // The attacker's own session TimeZone is its own business.
    await attacker.query("SET TimeZone = 'Asia/Tokyo'")
    await attacker.query(`SELECT 'a literal only the attacker sent ${CANARY}'`)

    const fresh = await clients.connect()
    for (const client of [other, fresh]) {
      const { rows } = await client.query(
        "SELECT list(i::INTEGER ORDER BY i) AS ordered, current_setting('TimeZone') AS tz, TIMESTAMPTZ '2024-01-01 12:00:00+00'::VARCHAR AS ts FROM ordered",
      )
      expect(rows).toEqual([{ ordered: [0, 1, 2], tz: 'UTC', ts: '2024-01-01 12:00:00+00' }])
      const databases = await client.query(
        'SELECT database_name, path, readonly FROM duckdb_databases() WHERE NOT internal ORDER BY 1',
      )
      expect(databases.rows).toEqual([
        { database_name: 'my_db', path: join(root, 'db', 'main.duckdb'), readonly: false },
        { database_name: 'shared', path: join(root, 'db', 'shared.duckdb'), readonly: true },
      ])
      // A query that needs more than 1 MB of memory still runs.
      const big = await client.query(
        'SELECT count(DISTINCT i)::INTEGER AS n FROM range(300000) t(i)',
      )
      expect(big.rows).toEqual([{ n: 300000 }])
    }
    const tokyo = await attacker.query("SELECT current_setting('TimeZone') AS tz")
    expect(tokyo.rows).toEqual([{ tz: 'Asia/Tokyo' }])
    expect(readdirSync(bucket)).not.toContain('swap.duckdb')
  })
})

describe('strict mode: what MotherDuck allows still works', () => {
  it('mapped reads, CREATE TABLE … AS, writes to the attached databases and COPY into the bucket', async () => {
    const client = await clients.connect()
    const read = await client.query(
      "SELECT id::INTEGER AS id, name FROM read_csv('s3://bucket/ok.csv', MD_RUN = REMOTE)",
    )
    expect(read.rows).toEqual([{ id: 1, name: 'inside' }])
    await client.query(
      "CREATE OR REPLACE TABLE loaded AS SELECT * FROM read_csv('s3://bucket/ok.csv')",
    )
    await client.query("INSERT INTO loaded VALUES (2, 'written')")
    const written = await client.query('SELECT count(*)::INTEGER AS n FROM my_db.main.loaded')
    expect(written.rows).toEqual([{ n: 2 }])
    await client.query("COPY loaded TO 's3://bucket/exported.csv' (HEADER)")
    expect(readFileSync(join(bucket, 'exported.csv'), 'utf8')).toContain('written')
    const db = local.kysely<Record<string, never>>()
    await createTableAs(
      db,
      'loaded_again',
      db.selectFrom(readCsv('s3://bucket/ok.csv').as('r')).selectAll(),
      { orReplace: true },
    )
    const { rows } = await sql<{
      n: number
    }>`SELECT count(*)::INTEGER AS n FROM loaded_again`.execute(db)
    expect(rows).toEqual([{ n: 1 }])
  })

  it('a read-only database answers reads and refuses writes', async () => {
    const client = await clients.connect()
    const { rows } = await client.query('SELECT id, name FROM shared.main.items')
    expect(rows).toEqual([{ id: 1, name: 'shared' }])
    const error = await rejection(client.query("INSERT INTO shared.main.items VALUES (2, 'x')"))
    expect(error.code).toBe('42501')
    expect(error.message).toMatch(/read-only/)
  })

  it('session settings drivers send are applied per session and announced', async () => {
    const client = await clients.connect()
    for (const text of [
      'SET extra_float_digits = 3',
      "SET application_name = 'sandbox test'",
      "SET DateStyle = 'ISO'",
      "SET client_encoding = 'UTF8'",
      'SET statement_timeout = 0',
      "SET search_path = 'my_db.main'",
      'USE shared',
      'USE my_db',
      "SET TIME ZONE 'Europe/Paris'",
    ]) {
      await client.query(text)
    }
    const { rows } = await client.query(
      "SELECT current_setting('TimeZone') AS tz, TIMESTAMPTZ '2024-01-01 12:00:00+00'::VARCHAR AS ts",
    )
    expect(rows).toEqual([{ tz: 'Europe/Paris', ts: '2024-01-01 13:00:00+01' }])
    const unknown = await rejection(client.query('SET no_such_setting = 1'))
    expect(unknown.code).toBe('42704')
    const encoding = await rejection(client.query("SET client_encoding = 'LATIN1'"))
    expect(encoding.code).toBe('0A000')
  })

  it('announces a changed setting in ParameterStatus; RESET goes back to the startup value', async () => {
    const client = await RawClient.login(local.endpoint.port, local.endpoint.token, {
      application_name: 'from startup',
    })
    try {
      const set = await client.query(
        "SET application_name = 'changed'; SET TimeZone = 'Asia/Tokyo'",
      )
      const statuses = set
        .filter((message) => message.name === 'parameterStatus')
        .map((message) => [message.parameterName, message.parameterValue])
      expect(statuses).toEqual([
        ['application_name', 'changed'],
        ['TimeZone', 'Asia/Tokyo'],
      ])
      const reset = await client.query('RESET application_name')
      expect(reset.find((message) => message.name === 'parameterStatus')).toMatchObject({
        parameterName: 'application_name',
        parameterValue: 'from startup',
      })
    } finally {
      client.close()
    }
  })

  it('ends a startup that asks for a setting the endpoint cannot honour (FATAL)', async () => {
    for (const options of ['-c client_encoding=LATIN1', '-c threads=1', '-c TimeZone=Not/AZone']) {
      const error = await rejection(clients.connect({ options }))
      expect(['0A000', '42501', '22023'], `${options}: ${error.message}`).toContain(error.code)
    }
  })

  it("a TimeZone in the startup packet is the session's", async () => {
    const client = await clients.connect({ options: '-c TimeZone=America/New_York' })
    const { rows } = await client.query("SELECT current_setting('TimeZone') AS tz")
    expect(rows).toEqual([{ tz: 'America/New_York' }])
  })
})

describe('strict: false', () => {
  it("lets the endpoint's owner change DuckDB's settings and read local files", async () => {
    const lenient = await startTestEndpoint({ strict: false })
    try {
      const db = lenient.kysely<Record<string, never>>()
      await sql`SET threads = 2`.execute(db)
      const { rows } = await sql<{
        content: string
      }>`SELECT content FROM read_text(${join(root, 'canary.txt')})`.execute(db)
      expect(rows).toEqual([{ content: CANARY }])
    } finally {
      await lenient.stop()
    }
  })
})
