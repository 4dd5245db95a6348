import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'
import { createTestCertificates } from '../helpers/test-certificates.js'
import { describeClient, pythonClient, runPython } from './client-tools.js'

/**
 * MotherDuck's Python examples for its Postgres endpoint (psycopg with keyword arguments and with a URL,
 * SQLAlchemy + pandas, `md_user_info()` to find the region; see README "From MotherDuck's Python
 * examples"), and the SQLAlchemy loading example this project started from, run against the local
 * endpoint with TLS. Only the host, the port and the CA differ from the documented code
 * (`sslrootcert=system` becomes the test CA's file), plus one documented limit of Debian's SQLAlchemy
 * 1.4: it has no `postgresql+psycopg` dialect, so the engine URLs say `postgresql+psycopg2`.
 */

let local: TestEndpoint
let dir: string
let caFile: string

const STORIES = [
  ['Show HN: a duck-typed database', 512, 'story'],
  ['Ask HN: which pond?', 64, 'story'],
  ['A comment about ducks', 9999, 'comment'],
  ['Quack: a retrospective', 300, 'story'],
  ['Geese are not ducks', 128, 'story'],
  ['Ducklings at scale', 256, 'story'],
  ['Swans, briefly', 1, 'story'],
] as const

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kysely-motherduck-md-examples-'))
  // sample_data.hn.hacker_news, as MotherDuck shares it (read-only), and a Parquet file in a bucket.
  const instance = await DuckDBInstance.create(join(dir, 'sample_data.duckdb'))
  const connection = await instance.connect()
  await connection.run(
    'CREATE SCHEMA hn; CREATE TABLE hn.hacker_news (title VARCHAR, score BIGINT, "type" VARCHAR)',
  )
  const appender = await connection.createAppender('hacker_news', 'hn')
  for (const [title, score, type] of STORIES) {
    appender.appendVarchar(title)
    appender.appendBigInt(BigInt(score))
    appender.appendVarchar(type)
    appender.endRow()
  }
  appender.closeSync()
  await connection.run(
    `COPY (SELECT range AS id, 'pond ' || range AS name FROM range(5)) TO '${join(dir, 'ponds.parquet')}' (FORMAT parquet)`,
  )
  connection.closeSync()
  instance.closeSync()
  const certificates = createTestCertificates()
  caFile = join(dir, 'ca.pem')
  await writeFile(caFile, certificates.ca)
  local = await startTestEndpoint({
    tls: { key: certificates.key, cert: certificates.cert },
    databases: {
      my_db: ':memory:',
      sample_data: { path: join(dir, 'sample_data.duckdb'), readOnly: true },
    },
    objectStore: { 's3://my-bucket': dir },
  })
}, 60_000)

afterAll(async () => {
  await local?.stop()
  await rm(dir, { recursive: true, force: true })
})

const examples = pythonClient(
  "MotherDuck's documented Python examples (psycopg 3, SQLAlchemy + psycopg2, pandas)",
  ['psycopg', 'sqlalchemy', 'psycopg2', 'pandas'],
  'python3-psycopg python3-sqlalchemy python3-psycopg2 python3-pandas',
)

/** The environment the examples read, as MotherDuck's docs set it, and where the local endpoint is. */
function exampleEnvironment(): Record<string, string> {
  return {
    MOTHERDUCK_TOKEN: local.endpoint.token,
    LOCAL_HOST: local.endpoint.host,
    LOCAL_PORT: String(local.endpoint.port),
    LOCAL_CA: caFile,
    // Nothing from libpq's environment: the examples pass everything themselves.
    PGHOST: '',
    PGPORT: '',
    PGUSER: '',
    PGPASSWORD: '',
    PGDATABASE: '',
    PGSSLMODE: '',
  }
}

const TOP_STORIES = [
  ['Show HN: a duck-typed database', 512],
  ['Quack: a retrospective', 300],
  ['Ducklings at scale', 256],
  ['Geese are not ducks', 128],
  ['Ask HN: which pond?', 64],
]

describeClient(examples, () => {
  it('psycopg.connect with keyword arguments, verify-full, then the Hacker News query', async () => {
    const result = await runPython(
      local.endpoint,
      `
import json, os
import psycopg

conn = psycopg.connect(
    host=os.environ["LOCAL_HOST"],  # pg.us-east-1-aws.motherduck.com
    port=int(os.environ["LOCAL_PORT"]),  # 5432
    dbname="md:",
    user="postgres",
    password=os.environ["MOTHERDUCK_TOKEN"],
    sslmode="verify-full",
    sslrootcert=os.environ["LOCAL_CA"],  # "system"
)
cur = conn.cursor()
cur.execute("SELECT title, score FROM sample_data.hn.hacker_news WHERE type = 'story' ORDER BY score DESC LIMIT 5")
rows = cur.fetchall()
conn.close()
print(json.dumps([list(row) for row in rows]))
`,
      exampleEnvironment(),
    )
    expect(result).toEqual(TOP_STORIES)
  })

  it('psycopg.connect with a postgresql:// URL, a parameterised query, and the region from md_user_info()', async () => {
    const result = await runPython(
      local.endpoint,
      `
import json, os
from urllib.parse import quote
import psycopg

token = os.environ["MOTHERDUCK_TOKEN"]
host = os.environ["LOCAL_HOST"] + ":" + os.environ["LOCAL_PORT"]  # pg.us-east-1-aws.motherduck.com:5432
ca = quote(os.environ["LOCAL_CA"])  # system
with psycopg.connect(f"postgresql://postgres:{quote(token, safe='')}@{host}/md:?sslmode=verify-full&sslrootcert={ca}") as conn:
    with conn.cursor() as cur:
        cur.execute("SELECT title FROM sample_data.hn.hacker_news WHERE score > %s AND type = %s ORDER BY score", (200, "story"))
        titles = [row[0] for row in cur.fetchall()]
        region = cur.execute("SELECT region FROM md_user_info()").fetchone()[0]
print(json.dumps({"titles": titles, "region": region}))
`,
      exampleEnvironment(),
    )
    expect(result).toEqual({
      titles: ['Ducklings at scale', 'Quack: a retrospective', 'Show HN: a duck-typed database'],
      region: 'us-east-1',
    })
  })

  it('SQLAlchemy create_engine(sslmode=require) and pandas read_sql', async () => {
    const result = await runPython(
      local.endpoint,
      `
import json, os
from urllib.parse import quote
import pandas as pd
from sqlalchemy import create_engine

token = os.environ["MOTHERDUCK_TOKEN"]
host = os.environ["LOCAL_HOST"] + ":" + os.environ["LOCAL_PORT"]  # pg.us-east-1-aws.motherduck.com:5432
# postgresql+psycopg in MotherDuck's docs: SQLAlchemy 1.4 (Debian) names its psycopg 2 dialect postgresql+psycopg2.
engine = create_engine(f"postgresql+psycopg2://postgres:{quote(token, safe='')}@{host}/md:?sslmode=require")
df = pd.read_sql("SELECT title, score FROM sample_data.hn.hacker_news WHERE type = 'story' ORDER BY score DESC LIMIT 5", engine)
print(json.dumps(df.values.tolist()))
`,
      exampleEnvironment(),
    )
    expect(result).toEqual(TOP_STORIES)
  })

  it("the seed's SQLAlchemy loading example: CREATE TABLE … AS SELECT * FROM read_parquet('s3://…')", async () => {
    const result = await runPython(
      local.endpoint,
      `
import json, os
from urllib.parse import quote
import pandas as pd
from sqlalchemy import create_engine, text

token = os.environ["MOTHERDUCK_TOKEN"]
host = os.environ["LOCAL_HOST"] + ":" + os.environ["LOCAL_PORT"]
engine = create_engine(f"postgresql+psycopg2://postgres:{quote(token, safe='')}@{host}/md:?sslmode=require")
with engine.begin() as conn:
    conn.execute(text("CREATE OR REPLACE TABLE ponds AS SELECT * FROM read_parquet('s3://my-bucket/ponds.parquet')"))
df = pd.read_sql("SELECT id, name FROM ponds ORDER BY id", engine)
print(json.dumps(df.values.tolist()))
`,
      exampleEnvironment(),
    )
    expect(result).toEqual([
      [0, 'pond 0'],
      [1, 'pond 1'],
      [2, 'pond 2'],
      [3, 'pond 3'],
      [4, 'pond 4'],
    ])
  })
})
