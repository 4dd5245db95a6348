import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'
import { asyncpgClient, describeClient, runPython } from './client-tools.js'

let local: TestEndpoint

beforeAll(async () => {
  local = await startTestEndpoint()
})

afterAll(async () => {
  await local.stop()
})

/**
 * asyncpg as its users call it; it asks for binary results on every query and sends parameters in
 * binary with the types the server described. Each value goes out as a parameter and comes back, and
 * is compared in Python with what was sent.
 */
const SCRIPT = `
import asyncio, datetime, decimal, json, os, uuid
import asyncpg

VALUES = [
    ("bool", True),
    ("int2", -32768),
    ("int4", 2147483647),
    ("int8", -9223372036854775808),
    ("numeric", decimal.Decimal("12345.678")),
    ("float4", 1.5),
    ("float8", -2.25e300),
    ("text", "héllo, wörld"),
    ("json", '{"a": [1, 2]}'),
    ("bytea", b"\\x00\\xffduck"),
    ("uuid", uuid.UUID("6b1a5c3e-2f4d-4c8e-9a7b-1d2e3f405162")),
    ("date", datetime.date(2024, 2, 29)),
    ("time", datetime.time(13, 14, 15, 123456)),
    ("timetz", datetime.time(13, 14, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))),
    ("timestamp", datetime.datetime(2024, 2, 29, 13, 14, 15, 123456)),
    ("timestamptz", datetime.datetime(2024, 2, 29, 13, 14, 15, tzinfo=datetime.timezone.utc)),
    ("interval", datetime.timedelta(days=3, seconds=3723, microseconds=5)),
    ("int4[]", [1, None, 3]),
    ("text[]", ["a", "b c", None]),
]

async def main():
    conn = await asyncpg.connect(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]),
        user=os.environ["PGUSER"], password=os.environ["PGPASSWORD"], database=os.environ["PGDATABASE"], ssl=False)
    mismatches = []
    for type_name, value in VALUES:
        back = await conn.fetchval(f"SELECT $1::{type_name}", value)
        if back != value:
            mismatches.append([type_name, repr(value), repr(back)])
    await conn.execute("CREATE TABLE apg_t (id INTEGER, name TEXT, amount NUMERIC(10, 2), created_at TIMESTAMPTZ)")
    await conn.executemany("INSERT INTO apg_t VALUES ($1, $2, $3, $4)", [
        (1, "duck", decimal.Decimal("1.50"), datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)),
        (2, "goose", decimal.Decimal("-3.25"), None),
    ])
    rows = await conn.fetch("SELECT id, name, amount, created_at FROM apg_t WHERE id >= $1 ORDER BY id", 1)
    fetched = [[r["id"], r["name"], str(r["amount"]), r["created_at"].isoformat() if r["created_at"] else None] for r in rows]
    count = await conn.fetchval("SELECT count(*) FROM apg_t WHERE name = $1", "goose")
    async with conn.transaction():
        await conn.execute("INSERT INTO apg_t (id, name) VALUES ($1, $2)", 3, "swan")
    total = await conn.fetchval("SELECT count(*) FROM apg_t")

    # One row with an array of every element type (each type introspected once, then cached).
    scalars = [(name, value) for name, value in VALUES if not name.endswith("[]")]
    select = ", ".join(f"\${i + 1}::{name}[] AS {name}_array" for i, (name, _) in enumerate(scalars))
    row = (await conn.fetch(f"SELECT {select}", *[[value, None] for _, value in scalars]))[0]
    array_mismatches = [[name, repr(row[f"{name}_array"])] for name, value in scalars
                        if row[f"{name}_array"] != [value, None]]

    stmt = await conn.prepare("SELECT id, name FROM apg_t WHERE id <= $1 ORDER BY id")
    prepared = [[r["id"], r["name"]] for r in await stmt.fetch(2)]
    prepared_types = [[p.name, a.name, a.type.name] for p, a in zip(stmt.get_parameters(), stmt.get_attributes())]
    await conn.close()

    pool = await asyncpg.create_pool(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]),
        user=os.environ["PGUSER"], password=os.environ["PGPASSWORD"], database=os.environ["PGDATABASE"], ssl=False,
        min_size=1, max_size=2, server_settings={"jit": "off", "application_name": "x"})
    async with pool.acquire() as pooled:
        pool_settings = [await pooled.fetchval("SHOW application_name"), await pooled.fetchval("SELECT $1::int4[]", [7])]
    await pool.close()
    print(json.dumps({"mismatches": mismatches, "rows": fetched, "count": count, "total": total,
        "array_mismatches": array_mismatches, "prepared": prepared, "prepared_types": prepared_types,
        "pool": pool_settings}))

asyncio.run(main())
`

describeClient(asyncpgClient, () => {
  it('fetch / fetchval with parameters of every wire type (and arrays of each), executemany, a transaction, prepare and a pool', async () => {
    expect(await runPython(local.endpoint, SCRIPT)).toEqual({
      mismatches: [],
      rows: [
        [1, 'duck', '1.50', '2024-01-01T00:00:00+00:00'],
        [2, 'goose', '-3.25', null],
      ],
      count: 1,
      total: 3,
      array_mismatches: [],
      prepared: [
        [1, 'duck'],
        [2, 'goose'],
      ],
      prepared_types: [['int4', 'id', 'int4']],
      pool: ['x', [7]],
    })
  })
})
