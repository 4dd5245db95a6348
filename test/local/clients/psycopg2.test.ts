import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'
import { describeClient, pythonClient, runPython } from './client-tools.js'

let local: TestEndpoint

beforeAll(async () => {
  local = await startTestEndpoint()
})

afterAll(async () => {
  await local.stop()
})

const psycopg2 = pythonClient(
  'psycopg2 (Debian python3-psycopg2)',
  ['psycopg2'],
  'python3-psycopg2',
)

describeClient(psycopg2, () => {
  it('runs DDL, executemany, parameterised reads and transactions', async () => {
    const result = await runPython(
      local.endpoint,
      `
import datetime, decimal, json, psycopg2
conn = psycopg2.connect("")
cur = conn.cursor()
cur.execute("CREATE TABLE p2_t (id INTEGER, name VARCHAR, amount DECIMAL(10,2), day DATE, tags VARCHAR[])")
cur.executemany("INSERT INTO p2_t VALUES (%s, %s, %s, %s, %s)", [
    (1, "duck", decimal.Decimal("1.50"), datetime.date(2024, 2, 29), ["a", "b c"]),
    (2, "it's", decimal.Decimal("-3.25"), datetime.date(1999, 12, 31), ["x"]),
])
conn.commit()
cur.execute("SELECT id, name, amount, day, tags FROM p2_t WHERE id >= %(min)s ORDER BY id", {"min": 1})
rows = [[r[0], r[1], str(r[2]), r[3].isoformat(), r[4]] for r in cur.fetchall()]
cur.execute("INSERT INTO p2_t (id, name) VALUES (%s, %s)", (3, "rolled back"))
conn.rollback()
cur.execute("SELECT count(*) FROM p2_t")
count = cur.fetchone()[0]
cur.execute("SELECT current_user, %s::VARCHAR IS NULL", (None,))
user, null = cur.fetchone()
conn.close()
print(json.dumps({"rows": rows, "count": count, "user": user, "null": null,
                  "server_version": conn.server_version if False else None}))
`,
    )
    expect(result).toEqual({
      rows: [
        [1, 'duck', '1.50', '2024-02-29', ['a', 'b c']],
        [2, "it's", '-3.25', '1999-12-31', ['x']],
      ],
      count: 2,
      user: 'postgres',
      null: true,
      server_version: null,
    })
  })

  it('reports server_version 15.0 and the Postgres SQLSTATE of a DuckDB error', async () => {
    const result = await runPython(
      local.endpoint,
      `
import json, psycopg2, psycopg2.errors
conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()
try:
    cur.execute("SELECT * FROM p2_missing")
    code = None
except psycopg2.Error as error:
    code = error.pgcode
print(json.dumps({"server_version": conn.server_version, "code": code}))
`,
    )
    expect(result).toEqual({ server_version: 150000, code: '42P01' })
  })
})
