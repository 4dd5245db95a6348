import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTableAs } from '../../src/load/create-table-as.js'
import { readCsv } from '../../src/sources/read-csv.js'
import { readJson } from '../../src/sources/read-json.js'
import { readParquet } from '../../src/sources/read-parquet.js'
import { BUCKET, type LocalMotherDuck, startLocalMotherDuck } from './local-motherduck.js'
import { writeReaderFixtures } from './reader-fixtures.js'

interface Trip {
  id: bigint
  city: string
  fare: number
  pickup_at: Date
}
interface DB {
  cities: { name: string; region: string }
}

const EVENT_COLUMNS = { id: 'BIGINT', name: 'VARCHAR', tags: 'VARCHAR[]', at: 'TIMESTAMP' } as const
const EVENTS = [
  { id: 1n, name: 'signup', tags: ['web', 'mobile'], at: new Date('2024-01-01T10:00:00Z') },
  { id: 2n, name: null, tags: [], at: new Date('2024-01-02T11:30:00Z') },
  { id: 3n, name: `it's "quoted"`, tags: ['api'], at: new Date('2024-01-03T12:45:30.500Z') },
]

let local: LocalMotherDuck<DB>
beforeAll(async () => {
  local = await startLocalMotherDuck<DB>()
  await writeReaderFixtures(local.bucketDir)
  await sql`create table cities (name varchar, region varchar)`.execute(local.db)
  await sql`insert into cities values ('Paris', 'IDF'), ('Lyon', 'ARA'), ('Nice', 'PACA')`.execute(
    local.db,
  )
})
afterAll(() => local?.stop())

describe('readParquet on the local endpoint', () => {
  it('reads a glob of hive partitions, typed by the Row argument', async () => {
    const query = local.db
      .selectFrom(
        readParquet<Trip & { year: bigint }>(`${BUCKET}/trips/*/*.parquet`, {
          hive_partitioning: true,
        }).as('t'),
      )
      .select(['t.id', 't.city', 't.fare', 't.pickup_at', 't.year'])
      .where('t.year', '=', 2024n)
      .orderBy('t.id')
    expect(query.compile().sql).toBe(
      `select "t"."id", "t"."city", "t"."fare", "t"."pickup_at", "t"."year" from read_parquet(` +
        `'s3://test-bucket/trips/*/*.parquet', hive_partitioning = true, MD_RUN = REMOTE) as "t" ` +
        `where "t"."year" = $1 order by "t"."id"`,
    )
    expect(await query.execute()).toEqual([
      { id: 4n, city: 'Nice', fare: 5.5, pickup_at: new Date('2024-02-29T12:00:00Z'), year: 2024n },
      { id: 5n, city: 'Paris', fare: 17, pickup_at: new Date('2024-03-01T08:30:00Z'), year: 2024n },
      {
        id: 6n,
        city: 'Lyon',
        fare: 9.75,
        pickup_at: new Date('2024-07-14T21:00:00Z'),
        year: 2024n,
      },
    ])
  })

  it('reads hive partition columns with the types hive_types gives', async () => {
    const rows = await local.db
      .selectFrom(
        readParquet<{ year: string }>(`${BUCKET}/trips/*/*.parquet`, {
          hive_partitioning: true,
          hive_types: { year: 'VARCHAR' },
        }).as('t'),
      )
      .select('t.year')
      .distinct()
      .orderBy('t.year')
      .execute()
    expect(rows).toEqual([{ year: '2023' }, { year: '2024' }])
  })

  it('reads a list of files, combined by name with union_by_name', async () => {
    const rows = await local.db
      .selectFrom(
        readParquet<{ id: number; x: string | null; y: string | null }>(
          [`${BUCKET}/parts/a.parquet`, `${BUCKET}/parts/b.parquet`],
          { union_by_name: true },
        ).as('p'),
      )
      .selectAll()
      .orderBy('p.id')
      .execute()
    expect(rows).toEqual([
      { id: 1, x: 'a1', y: null },
      { id: 2, x: 'a2', y: null },
      { id: 3, x: null, y: 'b3' },
    ])
  })

  it('adds file_row_number and filename columns when asked', async () => {
    const rows = await local.db
      .selectFrom(
        readParquet(`${BUCKET}/parts/a.parquet`, { file_row_number: true, filename: 'source' }).as(
          'p',
        ),
      )
      .select(['p.file_row_number', 'p.source'])
      .orderBy('p.file_row_number')
      .execute()
    expect(rows.map((row) => row.file_row_number)).toEqual([0n, 1n])
    expect(rows.every((row) => String(row.source).endsWith('a.parquet'))).toBe(true)
  })

  it('joins a real table, in a CTE, and feeds insert … select and createTableAs', async () => {
    const perRegion = await local.db
      .with('trips', (qb) =>
        qb.selectFrom(readParquet<Trip>(`${BUCKET}/trips/*/*.parquet`).as('t')).selectAll(),
      )
      .selectFrom('trips')
      .innerJoin('cities as c', 'c.name', 'trips.city')
      .select((eb) => ['c.region', eb.fn.countAll<bigint>().as('n')])
      .groupBy('c.region')
      .orderBy('c.region')
      .execute()
    expect(perRegion).toEqual([
      { region: 'ARA', n: 2n },
      { region: 'IDF', n: 3n },
      { region: 'PACA', n: 1n },
    ])

    const db = await createTableAs(
      local.db,
      'my_db.main.paris_trips',
      local.db
        .selectFrom(readParquet<Trip>(`${BUCKET}/trips/*/*.parquet`).as('t'))
        .select(['t.id', 't.fare'])
        .where('t.city', '=', 'Paris'),
    )
    await db
      .insertInto('my_db:main.paris_trips')
      .expression(
        db
          .selectFrom(
            readCsv(`${BUCKET}/events/*.csv`, {
              delim: '|',
              columns: EVENT_COLUMNS,
              header: true,
            }).as('e'),
          )
          .select((eb) => [eb.ref('e.id').as('id'), eb.val(0.5).as('fare')])
          .where('e.id', '=', 3n),
      )
      .execute()
    expect(
      await db.selectFrom('my_db:main.paris_trips').selectAll().orderBy('id').execute(),
    ).toEqual([
      { id: 1n, fare: 12.5 },
      { id: 3n, fare: 30.25 },
      { id: 3n, fare: 0.5 },
      { id: 5n, fare: 17 },
    ])
  })
})

describe('readCsv on the local endpoint', () => {
  it('reads a glob with typed columns, delimiter and nullstr', async () => {
    const rows = await local.db
      .selectFrom(
        readCsv(`${BUCKET}/events/events_*.csv`, {
          header: true,
          delim: '|',
          nullstr: 'NA',
          columns: EVENT_COLUMNS,
        }).as('e'),
      )
      .selectAll()
      .orderBy('e.id')
      .execute()
    expect(rows).toEqual(EVENTS)
  })

  it('reads a list of files with by-name types and a filename column', async () => {
    const rows = await local.db
      .selectFrom(
        readCsv([`${BUCKET}/events/events_2.csv`, `${BUCKET}/events/events_1.csv`], {
          delim: '|',
          types: { id: 'SMALLINT' },
          filename: true,
        }).as('e'),
      )
      .select(['e.id', 'e.filename'])
      .orderBy('e.id')
      .execute()
    expect(rows.map((row) => row.id)).toEqual([1, 2, 3])
    expect(rows.map((row) => row.filename.replace(/.*\//, ''))).toEqual([
      'events_1.csv',
      'events_1.csv',
      'events_2.csv',
    ])
  })

  it("runs with mdRun: 'AUTO' too", async () => {
    const query = local.db
      .selectFrom(readCsv(`${BUCKET}/events/events_1.csv`, { mdRun: 'AUTO', delim: '|' }).as('e'))
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
    expect(query.compile().sql).toContain('MD_RUN = AUTO')
    expect(await query.executeTakeFirstOrThrow()).toEqual({ n: 2n })
  })
})

describe('readJson on the local endpoint', () => {
  it('reads newline-delimited JSON with typed columns', async () => {
    const rows = await local.db
      .selectFrom(
        readJson(`${BUCKET}/events.ndjson`, {
          format: 'newline_delimited',
          columns: EVENT_COLUMNS,
        }).as('j'),
      )
      .selectAll()
      .orderBy('j.id')
      .execute()
    expect(rows).toEqual(EVENTS)
  })

  it('reads a JSON array, and a list of files', async () => {
    const rows = await local.db
      .selectFrom(
        readJson<{ id: bigint }>([`${BUCKET}/events-array.json`, `${BUCKET}/events.ndjson`], {
          format: 'auto',
          records: 'true',
          timestampformat: '%Y-%m-%d %H:%M:%S',
        }).as('j'),
      )
      .select('j.id')
      .orderBy('j.id')
      .execute()
    expect(rows).toEqual([{ id: 1n }, { id: 1n }, { id: 2n }, { id: 2n }, { id: 3n }, { id: 3n }])
  })
})
