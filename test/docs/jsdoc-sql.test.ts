import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { type Kysely, sql } from 'kysely'
import { type Migration, Migrator } from 'kysely/migration'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTypes, MotherDuckGeneratorDialect } from '../../codegen/index.js'
import {
  createTableAs,
  createTableAsQuery,
  insertRows,
  jsonArrayFrom,
  jsonBuildObject,
  jsonObjectFrom,
  MotherDuckIntrospector,
  readCsv,
  readJson,
  readParquet,
  UnsupportedLoadStatementError,
} from '../../src/index.js'
import { abbreviateJsonValues } from '../helpers/json-helper-sql.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'

/*
 * The SQL that the JSDoc of each public export shows under "The generated SQL" is read from the source
 * file and compared with what the same example compiles to (and, on the local endpoint, what it sends
 * and that it runs). Each test repeats its JSDoc example; change both together.
 */

const root = resolve(import.meta.dirname, '../..')

/**
 * The statements of the ```sql blocks in the JSDoc right above `export … name` in `file`. Statements
 * are separated by blank lines; whitespace runs are collapsed (the docs wrap long statements at spaces).
 */
async function documentedSql(file: string, name: string): Promise<string[]> {
  const source = await readFile(join(root, file), 'utf8')
  const declaration = new RegExp(
    String.raw`/\*\*((?:(?!\*/)[\s\S])*)\*/\s*export (?:async )?(?:function|class) ${name}\b`,
  )
  const jsdoc = declaration.exec(source)?.[1]
  if (jsdoc === undefined) throw new Error(`${file}: no JSDoc above export ${name}`)
  const text = jsdoc.replace(/^[ \t]*\* ?/gm, '')
  const blocks = [...text.matchAll(/^```sql\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '')
  return blocks.flatMap((block) => block.split(/\n\s*\n/).map(normalize))
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim()

interface Trip {
  id: bigint
  city: string
  fare: number
}
interface Events {
  id: bigint
  name: string
  at: Date
  tags: string[]
}
interface DB {
  events: Events
  'my_db:main.events': Events
  person: { id: number; first_name: string; last_name: string }
  pet: { id: number; name: string; owner_id: number; is_favorite: boolean }
  'sample_data:hn.hacker_news': { title: string; score: number; type: string }
}

let local: TestEndpoint
let bucketDir: string
let db: Kysely<DB>
const sent: string[] = []

/** The statements `run` sends, whitespace collapsed. */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  sent.length = 0
  await run()
  return sent.splice(0)
}

beforeAll(async () => {
  bucketDir = await mkdtemp(join(tmpdir(), 'kysely-motherduck-jsdoc-'))
  await writeBucket(bucketDir)
  local = await startTestEndpoint({
    databases: { my_db: ':memory:', sample_data: ':memory:' },
    objectStore: { 's3://bucket': bucketDir },
  })
  db = local.kysely<DB>(
    {},
    {
      log: (event) => {
        if (event.level === 'query') sent.push(normalize(event.query.sql))
      },
    },
  )
  await sql`
    create table events (id bigint, name varchar, "at" timestamp, tags varchar[]);
    create table person (id integer, first_name varchar, last_name varchar);
    create table pet (id integer, name varchar, owner_id integer, is_favorite boolean);
    insert into person values (1, 'Ada', 'Lovelace'), (2, 'Alan', 'Turing');
    insert into pet values (1, 'Rex', 1, true), (2, 'Ace', 1, false);
    create schema sample_data.hn;
    create table sample_data.hn.hacker_news (title varchar, score integer, type varchar);
    insert into sample_data.hn.hacker_news values ('Show HN', 10, 'story'), ('Ask HN', 20, 'story')`.execute(
    db,
  )
})

afterAll(async () => {
  await local?.stop()
  if (bucketDir) await rm(bucketDir, { recursive: true, force: true })
})

/** The files the reader examples read: `s3://bucket/trips/*.parquet`, `events/*.csv`, `a|b.ndjson`. */
async function writeBucket(dir: string): Promise<void> {
  await mkdir(join(dir, 'trips'))
  await mkdir(join(dir, 'events'))
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const file = join(dir, 'trips/data_0.parquet').replaceAll("'", "''")
    await connection.run(
      `COPY (SELECT * FROM (VALUES (1::BIGINT, 'Paris', 12.5::DOUBLE), (2, 'Lyon', 8.0)) AS t(id, city, fare)) TO '${file}' (FORMAT parquet)`,
    )
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
  await writeFile(
    join(dir, 'events/events_1.csv'),
    'id,tags,at\n11,"[web, api]",2024-01-01 10:00:00\n5,[],2024-01-02 00:00:00\n',
  )
  await writeFile(join(dir, 'a.ndjson'), '{"id": 1, "payload": {"kind": "signup"}}\n')
  await writeFile(join(dir, 'b.ndjson'), '{"id": 2, "payload": [1, 2]}\n')
}

describe('the generated SQL in the JSDoc', () => {
  it('MotherDuckDialect', async () => {
    const query = db
      .selectFrom('sample_data:hn.hacker_news')
      .select(['title', 'score'])
      .where('type', '=', 'story')
      .orderBy('score', 'desc')
      .limit(10)
    expect([query.compile().sql]).toEqual(
      await documentedSql('src/dialect/motherduck-dialect.ts', 'MotherDuckDialect'),
    )
    expect(await query.execute()).toEqual([
      { title: 'Ask HN', score: 20 },
      { title: 'Show HN', score: 10 },
    ])
  })

  it('MotherDuckQueryCompiler', async () => {
    const query = db
      .selectFrom('sample_data:hn.hacker_news as h')
      .select((eb) => [eb('h.score', '*', 1.5).as('s')])
    expect([query.compile().sql]).toEqual(
      await documentedSql('src/dialect/motherduck-query-compiler.ts', 'MotherDuckQueryCompiler'),
    )
    expect((await query.execute()).map((row) => Number(row.s)).sort()).toEqual([15, 30])
  })

  it('motherDuckTableKey and motherDuckSchemaName', async () => {
    const byKey = db
      .selectFrom('sample_data:hn.hacker_news')
      .select('sample_data:hn.hacker_news.title')
    expect([byKey.compile().sql]).toEqual(
      await documentedSql('src/catalog/table-key.ts', 'motherDuckTableKey'),
    )
    const hn = db as unknown as Kysely<{ hacker_news: { title: string } }>
    const bySchema = hn.withSchema('sample_data:hn').selectFrom('hacker_news').select('title')
    expect([bySchema.compile().sql]).toEqual(
      await documentedSql('src/catalog/table-key.ts', 'motherDuckSchemaName'),
    )
    expect(await byKey.execute()).toHaveLength(2)
    expect(await bySchema.execute()).toHaveLength(2)
  })

  it('jsonArrayFrom, jsonObjectFrom and jsonBuildObject', async () => {
    const arrays = db
      .selectFrom('person')
      .select((eb) => [
        'id',
        jsonArrayFrom(
          eb
            .selectFrom('pet')
            .select(['pet.id as pet_id', 'pet.name'])
            .whereRef('pet.owner_id', '=', 'person.id')
            .orderBy('pet.name'),
        ).as('pets'),
      ])
    const objects = db
      .selectFrom('person')
      .select((eb) => [
        'id',
        jsonObjectFrom(
          eb
            .selectFrom('pet')
            .select(['pet.id as pet_id', 'pet.name'])
            .whereRef('pet.owner_id', '=', 'person.id')
            .where('pet.is_favorite', '=', true),
        ).as('favorite_pet'),
      ])
    const built = db.selectFrom('person').select((eb) => [
      'id',
      jsonBuildObject({
        first: eb.ref('first_name'),
        last: eb.ref('last_name'),
        full: sql<string>`first_name || ' ' || last_name`,
      }).as('name'),
    ])
    const file = 'src/helpers/json.ts'
    // The docs write each value's JSON rewrite as `<json of x>` (test/helpers pins it in full).
    const documented = (query: { compile(): { sql: string } }) => [
      abbreviateJsonValues(query.compile().sql),
    ]
    expect(documented(arrays)).toEqual(await documentedSql(file, 'jsonArrayFrom'))
    expect(documented(objects)).toEqual(await documentedSql(file, 'jsonObjectFrom'))
    expect(documented(built)).toEqual(await documentedSql(file, 'jsonBuildObject'))

    expect(await arrays.orderBy('id').execute()).toEqual([
      {
        id: 1,
        pets: [
          { pet_id: 2, name: 'Ace' },
          { pet_id: 1, name: 'Rex' },
        ],
      },
      { id: 2, pets: [] },
    ])
    expect(await objects.orderBy('id').execute()).toEqual([
      { id: 1, favorite_pet: { pet_id: 1, name: 'Rex' } },
      { id: 2, favorite_pet: null },
    ])
    expect(await built.orderBy('id').limit(1).execute()).toEqual([
      { id: 1, name: { first: 'Ada', last: 'Lovelace', full: 'Ada Lovelace' } },
    ])
  })

  it('readParquet, readCsv and readJson', async () => {
    const parquet = db
      .selectFrom(
        readParquet<Trip>('s3://bucket/trips/*.parquet', { hive_partitioning: true }).as('t'),
      )
      .selectAll()
    const csv = db
      .selectFrom(
        readCsv('s3://bucket/events/*.csv', {
          header: true,
          columns: { id: 'BIGINT', tags: 'VARCHAR[]', at: 'TIMESTAMP' },
        }).as('e'),
      )
      .select(['e.id', 'e.at'])
      .where('e.id', '>', 10n)
    const json = db
      .selectFrom(
        readJson(['s3://bucket/a.ndjson', 's3://bucket/b.ndjson'], {
          format: 'newline_delimited',
          columns: { id: 'BIGINT', payload: 'JSON' },
        }).as('j'),
      )
      .selectAll()
    expect([parquet.compile().sql]).toEqual(
      await documentedSql('src/sources/read-parquet.ts', 'readParquet'),
    )
    expect([csv.compile().sql]).toEqual(await documentedSql('src/sources/read-csv.ts', 'readCsv'))
    expect([json.compile().sql]).toEqual(
      await documentedSql('src/sources/read-json.ts', 'readJson'),
    )

    expect(await parquet.orderBy('id').execute()).toEqual([
      { id: 1n, city: 'Paris', fare: 12.5 },
      { id: 2n, city: 'Lyon', fare: 8 },
    ])
    expect(await csv.execute()).toEqual([{ id: 11n, at: new Date('2024-01-01T10:00:00Z') }])
    expect(await json.orderBy('id').execute()).toEqual([
      { id: 1n, payload: { kind: 'signup' } },
      { id: 2n, payload: [1, 2] },
    ])
  })

  it('createTableAs and createTableAsQuery', async () => {
    const file = 'src/load/create-table-as.ts'
    const [createTrips, countTrips] = await documentedSql(file, 'createTableAs').then((sqls) => [
      ...sqls,
      'select count(*) as "n" from "my_db"."main"."trips"',
    ])
    const statements = await statementsOf(async () => {
      const db2 = await createTableAs(
        db,
        'my_db.main.trips',
        db.selectFrom(readParquet<Trip>('s3://bucket/trips/*.parquet').as('t')).selectAll(),
        { orReplace: true },
      )
      const count = await db2
        .selectFrom('my_db:main.trips')
        .select((eb) => eb.fn.countAll().as('n'))
        .execute()
      expect(count).toEqual([{ n: 2n }])
    })
    expect(statements).toEqual([createTrips, countTrips])

    const logins = createTableAsQuery(
      'my_db.main.logins',
      db.selectFrom('my_db:main.events').select(['id', 'at']).where('name', '=', 'login'),
      { ifNotExists: true },
    )
    expect([logins.compile(db).sql]).toEqual(await documentedSql(file, 'createTableAsQuery'))
    await logins.execute(db)
  })

  it('insertRows', async () => {
    const statements = await statementsOf(async () => {
      const progress: string[] = []
      const inserted = await insertRows(
        db,
        'my_db:main.events',
        [
          { id: 1n, name: 'signup', at: new Date(), tags: ['web'] },
          { id: 2n, name: 'login', at: new Date(), tags: [] },
        ],
        { onProgress: ({ inserted, total }) => progress.push(`${inserted}/${total}`) },
      )
      expect(inserted).toBe(2)
      expect(progress).toEqual(['2/2'])
    })
    expect(statements).toEqual([
      'begin',
      ...(await documentedSql('src/load/insert-rows.ts', 'insertRows')),
      'commit',
    ])
  })

  it('MotherDuckDriver', async () => {
    const statements = await statementsOf(() =>
      db
        .transaction()
        .setAccessMode('read only')
        .execute(async (trx) => trx.selectFrom('events').selectAll().execute()),
    )
    expect(statements).toEqual(
      await documentedSql('src/dialect/motherduck-driver.ts', 'MotherDuckDriver'),
    )
  })

  it('MotherDuckAdapter (the migration lock)', async () => {
    const migrations: Record<string, Migration> = {
      '0001_noop': { up: async (trx) => void (await sql`select 1`.execute(trx)) },
    }
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    const statements = await statementsOf(async () => {
      const { error } = await migrator.migrateToLatest()
      expect(error).toBeUndefined()
    })
    expect(statements.filter((text) => text.startsWith('update "kysely_migration_lock"'))).toEqual(
      await documentedSql('src/dialect/motherduck-adapter.ts', 'MotherDuckAdapter'),
    )
  })

  it('MotherDuckIntrospector', async () => {
    const statements = await statementsOf(() => db.introspection.getTables())
    // The tables and the columns are read concurrently: their log order varies.
    expect(statements.sort()).toEqual(
      (
        await documentedSql('src/dialect/motherduck-introspector.ts', 'MotherDuckIntrospector')
      ).sort(),
    )
    const mine = await new MotherDuckIntrospector(db, { databases: ['my_db'] }).getTables()
    expect(mine.map((table) => table.key)).toContain('events')
  })

  it('generateTypes and MotherDuckCodegenIntrospector', async () => {
    const both = await statementsOf(() =>
      generateTypes({ db, databases: ['my_db', 'sample_data'] }),
    )
    expect(both.sort()).toEqual(
      (await documentedSql('codegen/generate-types.ts', 'generateTypes')).sort(),
    )
    const dialect = new MotherDuckGeneratorDialect({ defaultSchema: 'main', databases: ['my_db'] })
    const one = await statementsOf(() => dialect.introspector.read(db))
    expect(one.sort()).toEqual(
      (
        await documentedSql(
          'codegen/motherduck-codegen-introspector.ts',
          'MotherDuckCodegenIntrospector',
        )
      ).sort(),
    )
  })

  it('UnsupportedLoadStatementError (refused before sending)', async () => {
    await expect(sql`copy events from '/tmp/events.csv'`.execute(db)).rejects.toBeInstanceOf(
      UnsupportedLoadStatementError,
    )
  })
})
