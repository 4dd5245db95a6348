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

const psycopg = pythonClient('psycopg 3 (Debian python3-psycopg)', ['psycopg'], 'python3-psycopg')

/** Turns a row of Python values into JSON-comparable ones. */
const PLAIN = `
import datetime, decimal, json, uuid
def plain(value):
    if isinstance(value, (datetime.date, datetime.time, datetime.datetime)): return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID, datetime.timedelta)): return str(value)
    if isinstance(value, (bytes, memoryview)): return bytes(value).hex()
    if isinstance(value, (list, tuple)): return [plain(v) for v in value]
    return value
`

/** One row of every common type, the same through text and binary cursors. */
const TYPED_ROW = `SELECT 42::INTEGER AS i, (2::BIGINT ** 40)::BIGINT AS b, 2.5::DOUBLE AS f, 'héllo' AS s,
  DATE '2024-02-29' AS d, 12.50::DECIMAL(10,2) AS n, true AS t, NULL::INTEGER AS z, '\\\\xCA\\\\xFE'::BLOB AS y,
  TIMESTAMP '2024-01-02 03:04:05.5' AS ts, '6b1a5c3e-2f4d-4c8e-9a7b-1d2e3f405162'::UUID AS u, [1, 2, 3] AS l`

describeClient(psycopg, () => {
  it('runs parameterised queries with ints, floats, strings, dates and NULLs', async () => {
    const result = await runPython(
      local.endpoint,
      `${PLAIN}
import psycopg
with psycopg.connect() as conn:
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE py_t (i INTEGER, b BIGINT, f DOUBLE, s VARCHAR, d DATE, n INTEGER)")
        cur.execute(
            "INSERT INTO py_t VALUES (%s, %s, %s, %s, %s, %s), (%s, %s, %s, %s, %s, %s)",
            (42, 2**40, 2.5, "héllo", datetime.date(2024, 2, 29), None,
             -7, -(2**40), -0.125, "it's", datetime.date(1999, 12, 31), 5),
        )
        cur.execute("SELECT i, b, f, s, d, n FROM py_t WHERE i >= %s AND f < %s ORDER BY i", (-100, 10.0))
        rows = [plain(list(r)) for r in cur.fetchall()]
        nulls = cur.execute("SELECT %s::INTEGER IS NULL, %s::VARCHAR", (None, None)).fetchone()
        # psycopg prepares a statement it ran five times: Parse with a name, Describe the statement.
        prepared = [cur.execute("SELECT %s::INTEGER * 2 AS twice", (k,)).fetchone()[0] for k in range(7)]
print(json.dumps({"rows": rows, "nulls": list(nulls), "prepared": prepared}))
`,
    )
    expect(result).toEqual({
      rows: [
        [-7, -(2 ** 40), -0.125, "it's", '1999-12-31', 5],
        [42, 2 ** 40, 2.5, 'héllo', '2024-02-29', null],
      ],
      nulls: [true, null],
      prepared: [0, 2, 4, 6, 8, 10, 12],
    })
  })

  it('reads the same values through a text cursor and a binary cursor', async () => {
    const result = await runPython(
      local.endpoint,
      `${PLAIN}
import psycopg
with psycopg.connect(autocommit=True) as conn:
    text = plain(list(conn.cursor().execute("""${TYPED_ROW}""").fetchone()))
    binary = plain(list(conn.cursor(binary=True).execute("""${TYPED_ROW}""").fetchone()))
    # Binary parameters too: psycopg sends them with their OIDs.
    params = plain(list(conn.cursor(binary=True).execute(
        "SELECT %s::INTEGER + 1, %s::VARCHAR, %s::DATE", (41, "duck", datetime.date(2024, 2, 29))).fetchone()))
print(json.dumps({"text": text, "binary": binary, "params": params}))
`,
    )
    const expected = [
      42,
      2 ** 40,
      2.5,
      'héllo',
      '2024-02-29',
      '12.50',
      true,
      null,
      'cafe',
      '2024-01-02T03:04:05.500000',
      '6b1a5c3e-2f4d-4c8e-9a7b-1d2e3f405162',
      [1, 2, 3],
    ]
    expect(result).toEqual({ text: expected, binary: expected, params: [42, 'duck', '2024-02-29'] })
  })

  it('prepares every statement with prepare_threshold=0', async () => {
    const result = await runPython(
      local.endpoint,
      `
import json, psycopg
with psycopg.connect(prepare_threshold=0, autocommit=True) as conn:
    cur = conn.cursor()
    values = [cur.execute("SELECT %s::INTEGER * 3", (k,)).fetchone()[0] for k in range(4)]
    names = cur.execute("SELECT %s::VARCHAR || '!'", ("quack",)).fetchone()[0]
print(json.dumps({"values": values, "names": names}))
`,
    )
    expect(result).toEqual({ values: [0, 3, 6, 9], names: 'quack!' })
  })

  it('runs statements in pipeline mode', async () => {
    const result = await runPython(
      local.endpoint,
      `
import json, psycopg
with psycopg.connect(autocommit=True) as conn:
    conn.execute("CREATE TABLE pipe_t (id INTEGER, s VARCHAR)")
    with conn.pipeline():
        cur = conn.cursor()
        for k in range(5):
            cur.execute("INSERT INTO pipe_t VALUES (%s, %s)", (k, f"row {k}"))
        first = conn.execute("SELECT count(*) FROM pipe_t")
        second = conn.execute("SELECT s FROM pipe_t WHERE id = %s", (3,))
    counted = first.fetchone()[0]
    picked = second.fetchone()[0]
print(json.dumps({"count": counted, "picked": picked}))
`,
    )
    expect(result).toEqual({ count: 5, picked: 'row 3' })
  })

  it('rolls back a transaction with prepared statements (ROLLBACK, then DEALLOCATE ALL) and prepares again', async () => {
    const result = await runPython(
      local.endpoint,
      `
import json, psycopg
with psycopg.connect(prepare_threshold=0) as conn:
    conn.execute("CREATE TABLE rb_t (id INTEGER)")
    conn.commit()
    conn.execute("INSERT INTO rb_t VALUES (%s)", (1,))
    before = conn.execute("SELECT count(*) FROM rb_t WHERE id > %s", (0,)).fetchone()[0]
    conn.rollback()  # psycopg sends ROLLBACK, then DEALLOCATE ALL: its prepared names are reused next
    after = conn.execute("SELECT count(*) FROM rb_t WHERE id > %s", (0,)).fetchone()[0]
    conn.execute("INSERT INTO rb_t VALUES (%s)", (2,))
    conn.commit()
    committed = conn.execute("SELECT list(id) FROM rb_t WHERE id > %s", (0,)).fetchone()[0]
print(json.dumps({"before": before, "after": after, "committed": committed}))
`,
    )
    expect(result).toEqual({ before: 1, after: 0, committed: [2] })
  })
})
