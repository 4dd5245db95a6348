import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

/**
 * Writes the reader fixtures with DuckDB itself (COPY … TO) under `dir`, which the tests map to
 * `s3://test-bucket`:
 * - `trips/year=2023|2024/data_0.parquet`: hive-partitioned trips (id, city, fare, pickup_at), 3 + 3 rows;
 * - `parts/a.parquet` (id, x) and `parts/b.parquet` (id, y): different columns, for union_by_name;
 * - `events/events_1.csv`, `events/events_2.csv`: header, `|` delimiter, `NA` as NULL, a list column;
 * - `events.ndjson` and `events-array.json`: the same events as JSON.
 */
export async function writeReaderFixtures(dir: string): Promise<void> {
  await mkdir(join(dir, 'parts'), { recursive: true })
  await mkdir(join(dir, 'events'), { recursive: true })
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const quoted = (path: string) => `'${join(dir, path).replaceAll("'", "''")}'`
  try {
    await connection.run(`
      COPY (
        SELECT * FROM (VALUES
          (1::BIGINT, 'Paris', 12.5::DOUBLE, TIMESTAMP '2023-01-02 03:04:05', 2023),
          (2, 'Lyon', 8.0, TIMESTAMP '2023-06-01 00:00:00', 2023),
          (3, 'Paris', 30.25, TIMESTAMP '2023-12-31 23:59:59', 2023),
          (4, 'Nice', 5.5, TIMESTAMP '2024-02-29 12:00:00', 2024),
          (5, 'Paris', 17.0, TIMESTAMP '2024-03-01 08:30:00', 2024),
          (6, 'Lyon', 9.75, TIMESTAMP '2024-07-14 21:00:00', 2024)
        ) AS t(id, city, fare, pickup_at, year)
      ) TO ${quoted('trips')} (FORMAT parquet, PARTITION_BY (year))`)
    await connection.run(
      `COPY (SELECT * FROM (VALUES (1, 'a1'), (2, 'a2')) AS t(id, x)) TO ${quoted('parts/a.parquet')} (FORMAT parquet)`,
    )
    await connection.run(
      `COPY (SELECT * FROM (VALUES (3, 'b3')) AS t(id, y)) TO ${quoted('parts/b.parquet')} (FORMAT parquet)`,
    )
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
  await writeFile(
    join(dir, 'events/events_1.csv'),
    'id|name|tags|at\n1|signup|[web, mobile]|2024-01-01 10:00:00\n2|NA|[]|2024-01-02 11:30:00\n',
  )
  await writeFile(
    join(dir, 'events/events_2.csv'),
    'id|name|tags|at\n3|it\'s "quoted"|[api]|2024-01-03 12:45:30.5\n',
  )
  const events = [
    { id: 1, name: 'signup', tags: ['web', 'mobile'], at: '2024-01-01 10:00:00' },
    { id: 2, name: null, tags: [], at: '2024-01-02 11:30:00' },
    { id: 3, name: `it's "quoted"`, tags: ['api'], at: '2024-01-03 12:45:30.5' },
  ]
  await writeFile(
    join(dir, 'events.ndjson'),
    events.map((event) => JSON.stringify(event)).join('\n'),
  )
  await writeFile(join(dir, 'events-array.json'), JSON.stringify(events))
}
