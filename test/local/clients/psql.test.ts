import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'
import { describeClient, libpqEnvironment, PSQL, psqlClient } from './client-tools.js'

const run = promisify(execFile)

let local: TestEndpoint

beforeAll(async () => {
  local = await startTestEndpoint()
})

afterAll(async () => {
  await local.stop()
})

interface PsqlResult {
  readonly stdout: string
  readonly stderr: string
  readonly code: number
}

/** psql as a user runs it, `-c` per command; prefer: libpq sends SSLRequest first and carries on after 'N'. */
async function psql(commands: readonly string[], database = 'md:'): Promise<PsqlResult> {
  const args = ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...commands.flatMap((c) => ['-c', c])]
  try {
    const { stdout, stderr } = await run(PSQL, args, {
      env: libpqEnvironment(local.endpoint, { PGSSLMODE: 'prefer', PGDATABASE: database }),
    })
    return { stdout, stderr, code: 0 }
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number }
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code }
  }
}

describeClient(psqlClient, () => {
  it('runs DuckDB SQL: CTAS, lists, structs, several statements', async () => {
    const result = await psql([
      'CREATE TABLE psql_t AS SELECT range AS id, range * 1.5 AS x FROM range(3)',
      'SELECT sum(id), list(id ORDER BY id) FROM psql_t',
      "SELECT {'name': 'duck', 'legs': 2} AS s, [1, 2, 3] AS l, 'a' || 'b' AS c; SELECT 42",
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toEqual([
      'SELECT 3',
      '3|{0,1,2}',
      '{"name":"duck","legs":2}|{1,2,3}|ab',
      '42',
    ])
  })

  it('\\conninfo names the database, user, host and port', async () => {
    const { host, port } = local.endpoint
    const result = await psql(['\\conninfo'])
    expect(result.stderr).toBe('')
    expect(result.stdout.trim()).toBe(
      `You are connected to database "md:" as user "postgres" on host "${host}" at port "${port}".`,
    )
  })

  it('answers the standard SHOWs as PostgreSQL 15 does', async () => {
    const result = await psql([
      'SHOW server_version',
      'SHOW server_encoding',
      'SHOW client_encoding',
      'SHOW standard_conforming_strings',
      'SHOW DateStyle',
      'SHOW TimeZone',
      'SHOW application_name',
      'SHOW transaction isolation level',
      'SHOW integer_datetimes',
    ])
    expect(result.stderr).toBe('')
    expect(result.stdout.trim().split('\n')).toEqual([
      '15.0',
      'UTF8',
      'UTF8',
      'on',
      'ISO, MDY',
      'UTC',
      'psql',
      'read committed',
      'on',
    ])
  })

  it('answers the start-up functions: version(), current_user, md_user_info()', async () => {
    const result = await psql([
      'SELECT version()',
      'SELECT current_user, session_user',
      'SELECT username, region FROM md_user_info()',
    ])
    expect(result.stderr).toBe('')
    const [version, users, info] = result.stdout.trim().split('\n')
    expect(version).toMatch(
      /^PostgreSQL 15\.0 \(DuckDB v[\d.]+ via kysely-motherduck local endpoint\)/,
    )
    expect(users).toBe('postgres|postgres')
    expect(info).toBe('postgres|us-east-1')
  })

  it('prints the error DuckDB raised and exits non-zero', async () => {
    const result = await psql(['SELECT * FROM psql_missing'])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(
      /ERROR:\s+Catalog Error: Table with name psql_missing does not exist/,
    )
  })

  it('is refused with 3D000 for an unknown database', async () => {
    const result = await psql(['SELECT 1'], 'nope')
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/FATAL:\s+database "nope" does not exist/)
  })
})
