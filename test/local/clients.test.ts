import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'

const run = promisify(execFile)
const PSQL = '/usr/bin/psql'
const PYTHON = '/usr/bin/python3'

const hasPsql = existsSync(PSQL)
const hasPsycopg = await run(PYTHON, ['-c', 'import psycopg']).then(
  () => true,
  () => false,
)

let endpoint: LocalEndpoint

beforeAll(async () => {
  endpoint = await startLocalEndpoint()
})

afterAll(async () => {
  await endpoint.stop()
})

/** libpq settings through the environment, so the token is not on a command line. */
function libpqEnvironment(database = 'md:'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PGHOST: endpoint.host,
    PGPORT: String(endpoint.port),
    PGUSER: 'postgres',
    PGPASSWORD: endpoint.token,
    PGDATABASE: database,
    // prefer: libpq sends SSLRequest first and must carry on in plaintext after the 'N'.
    PGSSLMODE: 'prefer',
    PGCONNECT_TIMEOUT: '10',
  }
}

async function psql(
  ...commands: string[]
): Promise<{ stdout: string; stderr: string; code: number }> {
  const args = [
    '-X',
    '-A',
    '-t',
    '-v',
    'ON_ERROR_STOP=1',
    ...commands.flatMap((command) => ['-c', command]),
  ]
  try {
    const { stdout, stderr } = await run(PSQL, args, { env: libpqEnvironment() })
    return { stdout, stderr, code: 0 }
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number }
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code }
  }
}

describe.skipIf(!hasPsql)(`psql (${PSQL})`, () => {
  it('runs DuckDB SQL: CTAS, lists, structs, several statements', async () => {
    const result = await psql(
      'CREATE TABLE psql_t AS SELECT range AS id, range * 1.5 AS x FROM range(3)',
      'SELECT sum(id), list(id ORDER BY id) FROM psql_t',
      "SELECT {'name': 'duck', 'legs': 2} AS s, [1, 2, 3] AS l, 'a' || 'b' AS c; SELECT 42",
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toEqual([
      'SELECT 3',
      '3|{0,1,2}',
      '{"name":"duck","legs":2}|{1,2,3}|ab',
      '42',
    ])
  })

  it('prints the error DuckDB raised and exits non-zero', async () => {
    const result = await psql('SELECT * FROM psql_missing')
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(
      /ERROR:\s+Catalog Error: Table with name psql_missing does not exist/,
    )
  })

  it('is refused with 3D000 for an unknown database', async () => {
    try {
      await run(PSQL, ['-X', '-c', 'SELECT 1'], { env: libpqEnvironment('nope') })
      expect.unreachable('psql should have failed')
    } catch (error) {
      expect((error as { stderr: string }).stderr).toMatch(
        /FATAL:\s+database "nope" does not exist/,
      )
    }
  })
})

const PSYCOPG_SCRIPT = `
import datetime, decimal, json, psycopg
with psycopg.connect() as conn:
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE py_t (i INTEGER, b BIGINT, f DOUBLE, s VARCHAR, d DATE, n INTEGER)")
        cur.execute(
            "INSERT INTO py_t VALUES (%s, %s, %s, %s, %s, %s), (%s, %s, %s, %s, %s, %s)",
            (42, 2**40, 2.5, "héllo", datetime.date(2024, 2, 29), None,
             -7, -(2**40), -0.125, "it's", datetime.date(1999, 12, 31), 5),
        )
        cur.execute("SELECT i, b, f, s, d, n FROM py_t WHERE i >= %s AND f < %s ORDER BY i", (-100, 10.0))
        rows = [[r[0], r[1], r[2], r[3], r[4].isoformat(), r[5]] for r in cur.fetchall()]
        nulls = cur.execute("SELECT %s::INTEGER IS NULL, %s::VARCHAR", (None, None)).fetchone()
        # psycopg prepares a statement it ran five times: Parse with a name, Describe the statement.
        prepared = [cur.execute("SELECT %s::INTEGER * 2 AS twice", (k,)).fetchone()[0] for k in range(7)]
print(json.dumps({"rows": rows, "nulls": list(nulls), "prepared": prepared}))
`

describe.skipIf(!hasPsycopg)('psycopg 3 (Debian python3-psycopg)', () => {
  it('runs parameterised queries with ints, floats, strings, dates and NULLs', async () => {
    const { stdout } = await run(PYTHON, ['-c', PSYCOPG_SCRIPT], {
      env: { ...libpqEnvironment(), PGSSLMODE: 'disable' },
    })
    expect(JSON.parse(stdout)).toEqual({
      rows: [
        [-7, -(2 ** 40), -0.125, "it's", '1999-12-31', 5],
        [42, 2 ** 40, 2.5, 'héllo', '2024-02-29', null],
      ],
      nulls: [true, null],
      prepared: [0, 2, 4, 6, 8, 10, 12],
    })
  })
})
