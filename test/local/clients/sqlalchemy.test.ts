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

const sqlalchemy = pythonClient(
  'SQLAlchemy 1.4 + psycopg2 + pandas (Debian python3-sqlalchemy, python3-psycopg2, python3-pandas)',
  ['sqlalchemy', 'psycopg2', 'pandas'],
  'python3-sqlalchemy python3-psycopg2 python3-pandas',
)

/** The engine as SQLAlchemy's users create it: a postgresql+psycopg2 URL (the token from the environment). */
const ENGINE = `
import json, os
from urllib.parse import quote
from sqlalchemy import create_engine, inspect, text
url = f"postgresql+psycopg2://postgres:{quote(os.environ['PGPASSWORD'], safe='')}@{os.environ['PGHOST']}:{os.environ['PGPORT']}/md:"
engine = create_engine(url)
`

describeClient(sqlalchemy, () => {
  it('connects (version, current_schema, SHOWs) and runs text() with bound parameters', async () => {
    const result = await runPython(
      local.endpoint,
      `${ENGINE}
with engine.connect() as conn:
    conn.execute(text("CREATE TABLE sa_items (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, price DOUBLE)"))
    conn.execute(text("INSERT INTO sa_items VALUES (:id, :name, :price)"), [
        {"id": 1, "name": "duck", "price": 2.5}, {"id": 2, "name": "goose", "price": 4.0}])
    name = conn.execute(text("SELECT name FROM sa_items WHERE id = :id"), {"id": 2}).scalar()
print(json.dumps({"version": list(engine.dialect.server_version_info), "schema": engine.dialect.default_schema_name,
                  "isolation": engine.dialect.default_isolation_level, "name": name}))
`,
    )
    expect(result).toEqual({
      version: [15, 0],
      schema: 'main',
      isolation: 'READ COMMITTED',
      name: 'goose',
    })
  })

  it('reflects tables, columns and primary keys with inspect()', async () => {
    const result = await runPython(
      local.endpoint,
      `${ENGINE}
with engine.begin() as conn:
    conn.execute(text("CREATE TABLE sa_reflect (a INTEGER, b BIGINT NOT NULL, c DECIMAL(10,2), d VARCHAR, e TIMESTAMPTZ, f INTEGER[], PRIMARY KEY (b, a))"))
insp = inspect(engine)
columns = [[c["name"], c["type"].compile(dialect=engine.dialect), c["nullable"]] for c in insp.get_columns("sa_reflect")]
print(json.dumps({"tables": sorted(insp.get_table_names()), "columns": columns,
                  "pk": insp.get_pk_constraint("sa_reflect"), "has": insp.has_table("sa_reflect")}))
`,
    )
    expect(result).toEqual({
      tables: expect.arrayContaining(['sa_reflect']),
      columns: [
        ['a', 'INTEGER', false],
        ['b', 'BIGINT', false],
        ['c', 'NUMERIC(10, 2)', true],
        ['d', 'TEXT', true],
        ['e', 'TIMESTAMP WITH TIME ZONE', true],
        ['f', 'INTEGER[]', true],
      ],
      pk: { constrained_columns: ['b', 'a'], name: 'sa_reflect_b_a_pkey' },
      has: true,
    })
  })

  it('reads and writes DataFrames with pandas read_sql / to_sql', async () => {
    const result = await runPython(
      local.endpoint,
      `${ENGINE}
import pandas as pd
frame = pd.DataFrame({"id": [1, 2, 3], "name": ["duck", "goose", "swan"], "weight": [1.5, 4.25, 10.0]})
frame.to_sql("pd_birds", engine, index=False, if_exists="replace")
read = pd.read_sql("SELECT * FROM pd_birds ORDER BY id", engine)
heavy = pd.read_sql(text("SELECT name FROM pd_birds WHERE weight > :w ORDER BY name"), engine, params={"w": 2})
print(json.dumps({"rows": read.to_dict(orient="records"), "heavy": heavy["name"].tolist(),
                  "dtypes": [str(t) for t in read.dtypes]}))
`,
    )
    expect(result).toEqual({
      rows: [
        { id: 1, name: 'duck', weight: 1.5 },
        { id: 2, name: 'goose', weight: 4.25 },
        { id: 3, name: 'swan', weight: 10 },
      ],
      heavy: ['goose', 'swan'],
      dtypes: ['int64', 'object', 'float64'],
    })
  })
})
