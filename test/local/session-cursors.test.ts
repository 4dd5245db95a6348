import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PostgresServer, startPostgres } from '../support/postgres-server.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'
import { pgClients, rejection } from './helpers/pg-clients.js'
import { RawClient, transcript } from './helpers/raw-client.js'

const run = promisify(execFile)
const PYTHON = '/usr/bin/python3'

let local: TestEndpoint
let postgres: PostgresServer
const clients = pgClients(() => local.endpoint)

beforeAll(async () => {
  ;[local, postgres] = await Promise.all([
    startTestEndpoint({
      auth: 'password',
      databases: { my_db: ':memory:' },
      maxSpillBytes: 1024 * 1024,
    }),
    startPostgres(),
  ])
  const setup = await clients.connect({ database: 'my_db' })
  await setup.query('CREATE TABLE numbers AS SELECT range::INTEGER AS n FROM range(25000)')
  const oracle = await clients.connect({ connectionString: postgres.url })
  await oracle.query('CREATE TABLE numbers AS SELECT n::INTEGER FROM generate_series(0, 24999) n')
})

afterAll(async () => {
  await clients.endAll()
  await Promise.all([local.stop(), postgres.stop()])
})

type Server = 'local' | 'postgres'

function login(server: Server): Promise<RawClient> {
  return server === 'local'
    ? RawClient.login(local.endpoint.port, local.endpoint.token, { database: 'my_db' })
    : RawClient.login(postgres.port, '', { database: 'postgres' })
}

/** The same simple queries on both servers, each reply as a transcript. */
async function simpleOnBoth(queries: readonly string[]): Promise<Record<Server, string[][]>> {
  const replies: Record<Server, string[][]> = { local: [], postgres: [] }
  for (const server of ['local', 'postgres'] as const) {
    const client = await login(server)
    try {
      for (const query of queries) replies[server].push(transcript(await client.query(query)))
    } finally {
      client.close()
    }
  }
  return replies
}

/** One extended-protocol exchange (messages up to Sync) on both servers, after `setup` queries. */
async function extendedOnBoth(
  setup: readonly string[],
  messages: readonly Buffer[],
): Promise<Record<Server, string[]>> {
  const replies = { local: [] as string[], postgres: [] as string[] }
  for (const server of ['local', 'postgres'] as const) {
    const client = await login(server)
    try {
      for (const query of setup) await client.query(query)
      client.send(...messages)
      replies[server] = transcript(await client.until('readyForQuery'))
    } finally {
      client.close()
    }
  }
  return replies
}

const QUERY = 'SELECT n FROM numbers WHERE n < 5 ORDER BY n'

describe('DECLARE / FETCH / MOVE / CLOSE as PostgreSQL answers them', () => {
  it('fetches forward in every spelling, with the same tags, rows and ends', async () => {
    const replies = await simpleOnBoth([
      'BEGIN',
      `DECLARE c CURSOR FOR ${QUERY}`,
      'FETCH 2 FROM c',
      'FETCH NEXT c',
      'MOVE 1 IN c',
      'FETCH FORWARD 5 FROM c',
      'FETCH c',
      'MOVE ALL IN c',
      'CLOSE c',
      `DECLARE "Mixed Case" NO SCROLL CURSOR WITHOUT HOLD FOR ${QUERY}`,
      'FETCH ALL FROM "Mixed Case"',
      `DECLARE d ASENSITIVE CURSOR FOR SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(a, b)`,
      'FETCH FORWARD ALL IN d',
      `DECLARE b BINARY CURSOR FOR ${QUERY}`,
      'FETCH 2 FROM b',
      'CLOSE ALL',
      'COMMIT',
    ])
    expect(replies.local).toEqual(replies.postgres)
    expect(replies.local[2]).toEqual(['T n:23', 'D ["0"]', 'D ["1"]', 'C FETCH 2', 'Z T'])
  })

  it('refuses what Postgres refuses, with its SQLSTATEs', async () => {
    const cases: (readonly string[])[] = [
      [`DECLARE c CURSOR FOR ${QUERY}`],
      ['BEGIN', 'FETCH 1 FROM missing'],
      ['BEGIN', 'CLOSE missing'],
      ['BEGIN', 'MOVE 1 IN missing'],
      ['BEGIN', `DECLARE c CURSOR FOR ${QUERY}`, `DECLARE c CURSOR FOR ${QUERY}`],
      [
        'BEGIN',
        `DECLARE c NO SCROLL CURSOR FOR ${QUERY}`,
        'FETCH 2 FROM c',
        'FETCH BACKWARD 1 FROM c',
      ],
      ['BEGIN', `DECLARE c NO SCROLL CURSOR FOR ${QUERY}`, 'FETCH 2 FROM c', 'FETCH PRIOR FROM c'],
      ['BEGIN', `DECLARE c NO SCROLL CURSOR FOR ${QUERY}`, 'FETCH 2 FROM c', 'FETCH -1 FROM c'],
      ['BEGIN', 'DECLARE c CURSOR FOR INSERT INTO numbers VALUES (1)'],
      ['BEGIN', 'DECLARE c CURSOR'],
      // A cursor ends with its transaction, committed or not.
      ['BEGIN', `DECLARE c CURSOR FOR ${QUERY}`, 'COMMIT', 'FETCH 1 FROM c'],
      ['BEGIN', `DECLARE c CURSOR FOR ${QUERY}`, 'ROLLBACK', 'FETCH 1 FROM c'],
      ['BEGIN', `DECLARE c CURSOR FOR ${QUERY}`, 'CLOSE ALL', 'FETCH 1 FROM c'],
      // A failed transaction refuses FETCH like anything else.
      [
        'BEGIN',
        `DECLARE c CURSOR FOR ${QUERY}`,
        'SELECT * FROM no_such_table',
        'FETCH 1 FROM c',
        'ROLLBACK',
      ],
    ]
    for (const queries of cases) {
      const replies = await simpleOnBoth(queries)
      const outcome = (server: Server) =>
        replies[server].map((reply) => reply.filter((line) => !line.startsWith('D ')).join(' | '))
      expect([queries, outcome('local')]).toEqual([queries, outcome('postgres')])
    }
  })

  it('keeps WITH HOLD cursors past COMMIT, and outside a transaction block', async () => {
    const replies = await simpleOnBoth([
      `DECLARE h CURSOR WITH HOLD FOR ${QUERY}`,
      'FETCH 2 FROM h',
      'BEGIN',
      `DECLARE k CURSOR WITH HOLD FOR ${QUERY}`,
      'FETCH 1 FROM k',
      'COMMIT',
      'FETCH ALL FROM k',
      'FETCH ALL FROM h',
      'BEGIN',
      `DECLARE r CURSOR WITH HOLD FOR ${QUERY}`,
      'ROLLBACK',
      'FETCH 1 FROM r',
      'CLOSE h',
      'CLOSE k',
    ])
    expect(replies.local).toEqual(replies.postgres)
  })

  it('reads a cursor over VALUES, and over a query the MotherDuck rules see', async () => {
    const client = await clients.connect({ database: 'my_db' })
    await client.query('BEGIN')
    await client.query("DECLARE v CURSOR FOR VALUES (1, 'a'), (2, 'b')")
    const fetched = await client.query('FETCH ALL FROM v')
    expect([fetched.command, fetched.rowCount, fetched.rows.length]).toEqual(['FETCH', 2, 2])
    await client.query('ROLLBACK')
  })

  it('refuses SCROLL cursors with 0A000 (Postgres has them)', async () => {
    const client = await clients.connect({ database: 'my_db' })
    await client.query('BEGIN')
    const scroll = await rejection(client.query(`DECLARE s SCROLL CURSOR FOR ${QUERY}`))
    expect([scroll.code, scroll.message]).toEqual([
      '0A000',
      'SCROLL cursors are not supported: the local endpoint reads a cursor forward only',
    ])
    await client.query('ROLLBACK')
  })

  it('fails the COMMIT of a WITH HOLD cursor bigger than maxSpillBytes, and ends the transaction', async () => {
    const client = await clients.connect({ database: 'my_db' })
    await client.query('BEGIN')
    await client.query(
      "DECLARE big CURSOR WITH HOLD FOR SELECT repeat('x', 1000) AS s FROM range(5000)",
    )
    const error = await rejection(client.query('COMMIT'))
    expect(error.code).toBe('54000')
    expect(error.message).toMatch(/cursor "big" cannot be held past its transaction/)
    const missing = await rejection(client.query('FETCH 1 FROM big'))
    expect(missing.code).toBe('34000')
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
  })

  it('streams a cursor that a FETCH-sized read never spills: other statements between FETCHes', async () => {
    const client = await clients.connect({ database: 'my_db' })
    await client.query('BEGIN')
    await client.query('DECLARE c CURSOR FOR SELECT n FROM numbers ORDER BY n')
    const first = await client.query('FETCH 3 FROM c')
    // Another statement on the connection: the cursor's rest moves into memory (25,000 small rows).
    expect((await client.query('SELECT count(*)::INTEGER AS c FROM numbers')).rows).toEqual([
      { c: 25000 },
    ])
    const next = await client.query('FETCH 2 FROM c')
    expect([first.command, first.rowCount, ...first.rows.map((row) => row.n)]).toEqual([
      'FETCH',
      3,
      0,
      1,
      2,
    ])
    expect(next.rows.map((row) => row.n)).toEqual([3, 4])
    await client.query('COMMIT')
  })

  it('keeps cursor names per session', async () => {
    const [one, two] = [
      await clients.connect({ database: 'my_db' }),
      await clients.connect({ database: 'my_db' }),
    ]
    await one.query('BEGIN')
    await two.query('BEGIN')
    await one.query(`DECLARE shared CURSOR FOR ${QUERY}`)
    const unseen = await rejection(two.query('FETCH 1 FROM shared'))
    expect(unseen.code).toBe('34000')
    await two.query('ROLLBACK')
    await two.query('BEGIN')
    await two.query('DECLARE shared CURSOR FOR SELECT 42 AS n')
    expect((await one.query('FETCH 1 FROM shared')).rows).toEqual([{ n: 0 }])
    expect((await two.query('FETCH 1 FROM shared')).rows).toEqual([{ n: 42 }])
    await Promise.all([one.query('COMMIT'), two.query('COMMIT')])
  })
})

describe('cursors in the extended protocol', () => {
  it('DECLARE with parameters, Describe of the cursor portal and of a prepared FETCH, FETCH by Execute', async () => {
    const replies = await extendedOnBoth(
      ['BEGIN'],
      [
        serialize.parse({
          text: 'DECLARE c CURSOR FOR SELECT n FROM numbers WHERE n < $1 ORDER BY n',
        }),
        serialize.bind({ values: ['4'] }),
        serialize.describe({ type: 'P' }),
        serialize.execute(),
        serialize.describe({ type: 'P', name: 'c' }),
        serialize.parse({ name: 'f', text: 'FETCH FORWARD 3 FROM c' }),
        serialize.describe({ type: 'S', name: 'f' }),
        serialize.bind({ statement: 'f' }),
        serialize.describe({ type: 'P' }),
        serialize.execute(),
        serialize.bind({ statement: 'f' }),
        serialize.execute(),
        serialize.parse({ text: 'MOVE 1 FROM c' }),
        serialize.bind(),
        serialize.execute(),
        serialize.parse({ text: 'CLOSE c' }),
        serialize.bind(),
        serialize.describe({ type: 'P' }),
        serialize.execute(),
        serialize.sync(),
      ],
    )
    expect(replies.local).toEqual(replies.postgres)
    expect(replies.local).toContain('C FETCH 3')
  })

  it('Execute of a FETCH portal with a row limit suspends it, and the cursor goes on after it', async () => {
    const replies = await extendedOnBoth(
      ['BEGIN', `DECLARE c CURSOR FOR ${QUERY}`],
      [
        serialize.parse({ text: 'FETCH 3 FROM c' }),
        serialize.bind(),
        serialize.execute({ rows: 2 }),
        serialize.execute({ rows: 2 }),
        serialize.parse({ text: 'FETCH ALL FROM c' }),
        serialize.bind(),
        serialize.execute(),
        serialize.sync(),
      ],
    )
    expect(replies.local).toEqual(replies.postgres)
  })

  it('Describe of a prepared FETCH before its cursor exists is NoData', async () => {
    const replies = await extendedOnBoth(
      ['BEGIN'],
      [
        serialize.parse({ name: 'f', text: 'FETCH 1 FROM later' }),
        serialize.describe({ type: 'S', name: 'f' }),
        serialize.sync(),
      ],
    )
    expect(replies.local).toEqual(replies.postgres)
  })
})

/** Runs a Python script against the local endpoint (connection settings in the environment). */
async function python(script: string): Promise<string> {
  const { stdout } = await run(PYTHON, ['-c', script], {
    env: {
      ...process.env,
      PGHOST: local.endpoint.host,
      PGPORT: String(local.endpoint.port),
      PGUSER: 'postgres',
      PGPASSWORD: local.endpoint.token,
      PGDATABASE: 'my_db',
      PGSSLMODE: 'disable',
    },
    timeout: 60_000,
  })
  return stdout.trim()
}

describe('client libraries', () => {
  it('psycopg 3: a named (server-side) cursor reads 25,000 rows in itersize batches', async () => {
    const output = await python(`
import psycopg
with psycopg.connect("") as conn:
    total = count = 0
    with conn.cursor(name="big") as cur:
        cur.itersize = 1000
        cur.execute("SELECT n FROM numbers WHERE n >= %s ORDER BY n", (0,))
        names = [d.name for d in cur.description]
        for (n,) in cur:
            total += n
            count += 1
    with conn.cursor(name="small") as cur:
        cur.execute("SELECT n FROM numbers ORDER BY n")
        first = cur.fetchmany(3)
        one = cur.fetchone()
        cur.scroll(2)
        after = cur.fetchone()
    conn.commit()
    with conn.cursor(name="held", withhold=True) as cur:
        cur.execute("SELECT n FROM numbers WHERE n < 3 ORDER BY n")
        conn.commit()
        held = cur.fetchall()
    print(names, count, total, first, one, after, held)
# Every statement prepared (named Parse, Describe, Bind, Execute), twice over the same texts.
with psycopg.connect("", prepare_threshold=0) as conn:
    for _ in range(2):
        with conn.cursor(name="prepared") as cur:
            cur.itersize = 4000
            cur.execute("SELECT n FROM numbers WHERE n < %s ORDER BY n", (10000,))
            print(sum(1 for _ in cur), end=" ")
        conn.rollback()
`)
    expect(output).toBe(
      `['n'] 25000 ${(24999 * 25000) / 2} [(0,), (1,), (2,)] (3,) (6,) [(0,), (1,), (2,)]\n10000 10000`,
    )
  })

  it('psycopg2: a named cursor with itersize', async () => {
    const output = await python(`
import psycopg2
conn = psycopg2.connect("")
cur = conn.cursor("named")
cur.itersize = 700
cur.execute("SELECT n FROM numbers ORDER BY n")
count = sum(1 for _ in cur)
cur.close()
cur = conn.cursor("batches")
cur.execute("SELECT n FROM numbers WHERE n < %s ORDER BY n", (10,))
batch = cur.fetchmany(4)
rest = cur.fetchall()
cur.close()
conn.commit()
print(count, [r[0] for r in batch], [r[0] for r in rest])
`)
    expect(output).toBe('25000 [0, 1, 2, 3] [4, 5, 6, 7, 8, 9]')
  })

  it('SQLAlchemy 1.4 with psycopg2: stream_results', async () => {
    const output = await python(`
import os, urllib.parse, sqlalchemy as sa
password = urllib.parse.quote_plus(os.environ["PGPASSWORD"])
url = "postgresql+psycopg2://postgres:%s@%s:%s/my_db" % (password, os.environ["PGHOST"], os.environ["PGPORT"])
engine = sa.create_engine(url)
with engine.connect() as conn:
    result = conn.execution_options(stream_results=True, max_row_buffer=500).execute(sa.text("SELECT n FROM numbers ORDER BY n"))
    count = 0
    for partition in result.partitions(1000):
        count += len(partition)
    print(count)
`)
    expect(output).toBe('25000')
  })

  it('pg: raw DECLARE / FETCH in a transaction', async () => {
    const client = await clients.connect({ database: 'my_db' })
    await client.query('BEGIN')
    await client.query('DECLARE c CURSOR FOR SELECT n FROM numbers ORDER BY n')
    let count = 0
    for (;;) {
      const batch = await client.query('FETCH 4096 FROM c')
      if (batch.rowCount === 0) break
      count += batch.rows.length
    }
    await client.query('CLOSE c')
    await client.query('COMMIT')
    expect(count).toBe(25000)
  })
})
