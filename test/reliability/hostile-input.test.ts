import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import fc from 'fast-check'
import { Kysely, sql } from 'kysely'
import { type Migration, Migrator } from 'kysely/migration'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTypes } from '../../codegen/generate-types.js'
import { tableKeyRoundTrips } from '../../codegen/table-key-round-trip.js'
import {
  createTableAs,
  createTableAsQuery,
  InvalidRowValueError,
  InvalidTableNameError,
  insertRows,
  jsonArrayFrom,
  jsonBuildObject,
  jsonObjectFrom,
  MotherDuckDialect,
  motherDuckTableKey,
  readCsv,
  readJson,
  readParquet,
  UnknownColumnError,
  UnrepresentableParameterError,
  UnrepresentableStringError,
} from '../../src/index.js'
import { quoteIdentifier } from '../../src/sql/quote.js'
import { importFromSources, REPO_ROOT, typeCheck } from '../codegen/helpers/compile-typescript.js'
import { BUCKET, type LocalMotherDuck, startLocalMotherDuck } from '../sources/local-motherduck.js'
import { writeReaderFixtures } from '../sources/reader-fixtures.js'
import { type CanaryTable, createCanaryTable } from './hostile/canary-table.js'
import {
  ENUM_LABELS,
  ENUM_TYPE,
  type HostileTable,
  hostileCatalogStatements,
  hostileTables,
  MAIN_DATABASE,
  OTHER_DATABASE,
  RESERVED_ENUM_TYPES,
} from './hostile/hostile-catalog.js'
import {
  HOSTILE_NAMES,
  hostileName,
  keyRoundTrips,
  LONG_NAME_LENGTH,
  LONG_VALUE_LENGTH,
  longHostileString,
  PROPERTY_RUNS,
  parsesAsItself,
} from './hostile/hostile-strings.js'
import { optionValue, READER_TEXT_OPTIONS } from './hostile/reader-string-options.js'
import { inspectGeneratedFile, typedRoundTrip } from './hostile/typed-round-trip.js'
import { reportFigure, STRESS_LONG } from './stress-scale.js'

/*
 * Issue 7, "Hostile input": helpers and codegen with hostile names and values — quotes, `;`, comments,
 * `*​/` (JSDoc injection), backslashes, control, bidirectional, zero-width and combining characters,
 * emoji, JavaScript's special property names, TypeScript keywords and type names, very long strings.
 * Each case asserts no injection (a canary table and the catalog stay intact, values read back equal the
 * values written), valid TypeScript where codegen is involved, and a clear error where the input is
 * refused (NUL, lone surrogates, names that are syntax). Hostile reader paths, list/struct option
 * literals, nullstr, and insertRows values are property-tested in test/sources/reader-strings.property
 * and test/load/insert-rows.property; this file covers the rest.
 */

type AnyDB = Record<string, Record<string, unknown>>

const cases: Record<string, number> = {}
const count = (section: string, n = 1) => {
  cases[section] = (cases[section] ?? 0) + n
}

/** The part of DuckDB's `json_serialize_sql` output the reader tests look at. */
interface SerializedSql {
  readonly error: boolean
  readonly statements: readonly {
    readonly node: {
      readonly from_table: {
        readonly function: {
          readonly children: readonly {
            readonly left: { column_names: string[] }
            right: unknown
          }[]
        }
      }
    }
  }[]
}

/** Every string in a parse tree: constants' values and aliases (a struct literal's keys). */
function stringLeaves(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node)
  else if (Array.isArray(node)) for (const item of node) stringLeaves(item, out)
  else if (typeof node === 'object' && node !== null) {
    for (const value of Object.values(node)) stringLeaves(value, out)
  }
  return out
}

let local: LocalMotherDuck<AnyDB>
let db: Kysely<AnyDB>
let canary: CanaryTable

beforeAll(async () => {
  local = await startLocalMotherDuck<AnyDB>({
    databases: { [MAIN_DATABASE]: ':memory:', [OTHER_DATABASE]: ':memory:' },
  })
  db = local.db
  await writeReaderFixtures(local.bucketDir)
  canary = await createCanaryTable(db as Kysely<unknown>)
})

afterAll(async () => {
  const total = Object.values(cases).reduce((a, b) => a + b, 0)
  const parts = Object.entries(cases).map(([section, n]) => `${section} ${n}`)
  reportFigure('hostile input', `${total} hostile cases run, 0 injections (${parts.join(', ')})`)
  await local?.stop()
})

describe('readers: hostile text in every text option', () => {
  it('arrives as one intact constant in the parsed SQL, and runs or is refused as a value', async () => {
    const values = [
      ...HOSTILE_NAMES,
      longHostileString(LONG_VALUE_LENGTH),
      ...fc.sample(hostileName, { numRuns: STRESS_LONG ? 40 : 4, seed: 7 }),
    ]
    const outcomes = { accepted: 0, refused: 0 }
    // Sessions of their own: `rejects_table` / `rejects_scan` make DuckDB create temporary tables named
    // by the hostile texts (as documented), which would shadow the later tests' tables of those names.
    const db = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect(local.endpoint.dialectConfig()),
    })
    try {
      for (const { reader, file, options } of READER_TEXT_OPTIONS) {
        const read = { readCsv, readJson, readParquet }[reader] as (
          path: string,
          options: object,
        ) => ReturnType<typeof readCsv>
        for (const [option, forms] of Object.entries(options)) {
          for (const form of forms) {
            for (const text of values) {
              const query = db
                .selectFrom(
                  read(`${BUCKET}/${file}`, { [option]: optionValue(form, text) }).as('f'),
                )
                .selectAll()
              const where = `${reader} ${option} (${form}) = ${JSON.stringify(text.slice(0, 60))}`
              // DuckDB's own parser, given the SQL as a parameter: one statement whose reader call has
              // the path, this option and MD_RUN, the text whole inside the option.
              const compiled = query.compile().sql
              const { rows } = await sql<{
                ast: SerializedSql
              }>`select json_serialize_sql(cast(${compiled} as varchar)) as ast`.execute(db)
              const ast = rows[0]!.ast
              expect(ast.error, where).toBe(false)
              expect(ast.statements, where).toHaveLength(1)
              const call = ast.statements[0]!.node.from_table.function
              expect(call.children, where).toHaveLength(3)
              expect(call.children[1]!.left.column_names, where).toEqual([option])
              expect(stringLeaves(call.children[1]!.right), where).toContain(text)
              const error = await query
                .execute()
                .then(() => undefined)
                .catch((e: unknown) => e)
              if (error === undefined) outcomes.accepted++
              else outcomes.refused++
              count('reader options')
            }
          }
        }
      }
    } finally {
      await db.destroy()
    }
    await canary.assertIntact()
    // Both happen: DuckDB takes some hostile texts as option values and refuses others (as values).
    expect(outcomes.accepted).toBeGreaterThan(0)
    expect(outcomes.refused).toBeGreaterThan(0)
  })

  it('reads files with hostile names with each reader, and the filename column has a hostile name', async () => {
    // File names: no `/`, no glob characters (DuckDB expands those, by design).
    const names = HOSTILE_NAMES.filter((name) => !/[/*?[\]{}]/.test(name))
    expect(names.length).toBeGreaterThan(40)
    for (const [i, name] of names.entries()) {
      // Not an integer-like name: JavaScript puts those first in an object, hence in `columns`.
      const column = HOSTILE_NAMES.filter((n) => !/^\d+$/.test(n))[(i + 3) % 50]!
      await copyFile(
        join(local.bucketDir, 'parts/a.parquet'),
        join(local.bucketDir, `${name}.parquet`),
      )
      await writeFile(join(local.bucketDir, `${name}.csv`), `id,v\n${i},${i * 2}\n`)
      await writeFile(join(local.bucketDir, `${name}.json`), JSON.stringify([{ id: i, v: name }]))
      const parquet = await db
        .selectFrom(readParquet(`${BUCKET}/${name}.parquet`, { filename: column }).as('f'))
        .selectAll()
        .execute()
      expect(parquet).toHaveLength(2)
      expect(parquet[0]![column]).toBe(`${local.bucketDir}/${name}.parquet`)
      const csv = await db
        .selectFrom(
          readCsv(`${BUCKET}/${name}.csv`, {
            header: true,
            columns: { id: 'INTEGER', [column]: 'INTEGER' },
          }).as('f'),
        )
        .selectAll()
        .execute()
      expect(csv).toEqual([{ id: i, [column]: i * 2 }])
      const json = await db
        .selectFrom(
          readJson(`${BUCKET}/${name}.json`, { columns: { id: 'INTEGER', v: 'VARCHAR' } }).as('f'),
        )
        .selectAll()
        .execute()
      expect(json).toEqual([{ id: i, v: name }])
      count('reader files', 3)
    }
    await canary.assertIntact()
  })

  it('refuses NUL and lone surrogates in every text option, before sending, saying what to do', () => {
    for (const { reader, options } of READER_TEXT_OPTIONS) {
      const read = { readCsv, readJson, readParquet }[reader] as (
        path: string,
        options?: object,
      ) => unknown
      expect(() => read(`${BUCKET}/a\0b`)).toThrow(UnrepresentableStringError)
      for (const [option, forms] of Object.entries(options)) {
        for (const form of forms) {
          for (const text of ['a\0b', 'a\uD800b', '\uDFFF']) {
            let error: unknown
            try {
              read(`${BUCKET}/x`, { [option]: optionValue(form, text) })
            } catch (e) {
              error = e
            }
            expect(error, `${reader} ${option} ${form}`).toBeInstanceOf(UnrepresentableStringError)
            expect((error as Error).message).toMatch(
              /at index \d+, which cannot be sent inside SQL text\. Remove it/,
            )
            count('reader refusals')
          }
        }
      }
    }
  })
})

describe('createTableAs and insertRows: hostile table names, column names and values', () => {
  it('creates, fills and reads back tables and columns with hostile names, byte for byte', async () => {
    // `·load`: apart from the codegen catalog's tables of the same names.
    const tableNames = [
      ...HOSTILE_NAMES.filter(parsesAsItself),
      `t${longHostileString(LONG_NAME_LENGTH).replaceAll(/[.:]| as /g, '_')}`,
    ].map((name) => `${name}·load`)
    const long = longHostileString(LONG_VALUE_LENGTH)
    for (const [i, table] of tableNames.entries()) {
      const column = HOSTILE_NAMES[(i + 11) % HOSTILE_NAMES.length]!
      // Where it lives: the default schema, a hostile schema, a hostile database's hostile schema.
      const schema = HOSTILE_NAMES.filter(parsesAsItself)[(i + 5) % 20]!
      const place = i % 3
      const name =
        place === 0
          ? table
          : place === 1
            ? `${schema}.${table}`
            : `${OTHER_DATABASE}:${schema}.${table}`
      const parts =
        place === 0 ? [table] : place === 1 ? [schema, table] : [OTHER_DATABASE, schema, table]
      if (place > 0) {
        await sql`create schema if not exists ${sql.id(...parts.slice(0, -1))}`.execute(db)
      }
      const first = `${table} ⇒ ${column}; drop table canary; --`
      const query = db.selectNoFrom([
        sql<number>`cast(1 as integer)`.as('id'),
        sql<string>`cast(${first} as varchar)`.as(column),
      ])
      expect(createTableAsQuery(name, query).compile(db).sql).toBe(
        `create table ${parts.map(quoteIdentifier).join('.')} as select cast(1 as integer) as "id", cast($1 as varchar) as ${quoteIdentifier(column)}`,
      )
      await createTableAs(db, name, query)
      const rows = [
        { id: 2, [column]: `${column}\0NUL inside` },
        { id: 3, [column]: long },
        { id: 4, [column]: null },
      ]
      expect(await insertRows(db, name, rows)).toBe(3)
      const back = await sql<
        Record<string, unknown>
      >`select * from ${sql.id(...parts)} order by id`.execute(db)
      expect(back.rows).toEqual([{ id: 1, [column]: first }, ...rows])
      count('load names', 2)
    }
    await canary.assertIntact()
  })

  it('reads a table name as its documented parts: separators split, spaces trim, more parts fail clearly', () => {
    const select = db.selectNoFrom(sql<number>`1`.as('x'))
    expect(createTableAsQuery('x.y', select).compile(db).sql).toMatch(/^create table "x"\."y" as /)
    expect(createTableAsQuery(' db : s . t ', select).compile(db).sql).toMatch(
      /^create table "db"\."s"\."t" as /,
    )
    for (const name of ['a.b.c.d', 'a:b', 'a:b.c.d', '', ' ', 'a..b', '.t', 'db:.t']) {
      let error: unknown
      try {
        createTableAsQuery(name, select)
      } catch (e) {
        error = e
      }
      expect(error, name).toBeInstanceOf(InvalidTableNameError)
      expect((error as Error).message).toContain(JSON.stringify(name))
      expect((error as Error).message).toContain("write 'table', 'schema.table'")
      count('load refusals')
    }
  })

  it('refuses NUL and lone surrogates in table names, unknown hostile keys and unsendable values, clearly', async () => {
    await sql`create table ${sql.id('it\'s "plain"')} (id integer, ${sql.id('v;--')} varchar)`.execute(
      db,
    )
    const table = 'it\'s "plain"'
    for (const bad of ['a\0b', 'a\uD800b']) {
      await expect(insertRows(db, bad, [{ id: 1 }])).rejects.toThrow(UnrepresentableStringError)
      expect(() => createTableAsQuery(bad, db.selectNoFrom(sql<number>`1`.as('x')))).toThrow(
        /^The table name contains a (NUL character \(\\0\)|lone UTF-16 surrogate) at index 1, which cannot be sent inside SQL text\. Remove it from the table name/,
      )
      count('load refusals', 2)
    }
    for (const key of HOSTILE_NAMES.filter((name) => name.toLowerCase() !== 'id')) {
      const error = await insertRows(db, table, [{ id: 1, [key]: 'x' }]).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UnknownColumnError)
      expect((error as Error).message).toContain(`has no column ${JSON.stringify(key)}`)
      expect((error as Error).message).toContain('Its columns are: "id", "v;--"')
      count('load refusals')
    }
    const surrogate = await insertRows(db, table, [{ id: 1, 'v;--': 'x\uDC00' }]).catch(
      (e: unknown) => e,
    )
    expect(surrogate).toBeInstanceOf(InvalidRowValueError)
    expect((surrogate as Error).message).toMatch(
      /row 0, column "v;--" \(VARCHAR\): a string holds a lone UTF-16 surrogate.*repair or drop/,
    )
    // A value the column cannot hold is refused as a value (the value policy), before any SQL is sent.
    const typed = await insertRows(db, table, [{ id: "1'); drop table canary; --" }]).catch(
      (e: unknown) => e,
    )
    expect(typed).toBeInstanceOf(InvalidRowValueError)
    expect(typed).toMatchObject({ column: 'id', rowIndex: 0 })
    expect((typed as Error).message).not.toContain('drop table')
    count('load refusals', 2)
    const { rows } = await sql<{ n: bigint }>`select count(*) as n from ${sql.id(table)}`.execute(
      db,
    )
    expect(rows).toEqual([{ n: 0n }])
    await canary.assertIntact()
  })
})

describe('values that start with U+FEFF (a byte-order mark to a text decoder)', () => {
  it('come back whole from the endpoint: VARCHAR, LIST and STRUCT, short and long', async () => {
    const values = [
      '\uFEFF',
      '\uFEFFab',
      `\uFEFF${'x'.repeat(40)}`,
      `\uFEFF${longHostileString(1000)}`,
    ]
    for (const value of values) {
      const { rows } = await sql<{ v: string; l: string[]; s: { f: string } }>`
        select cast(${value} as varchar) as v, [cast(${value} as varchar)] as l,
          {'f': cast(${value} as varchar)} as s`.execute(db)
      expect(rows).toEqual([{ v: value, l: [value], s: { f: value } }])
      count('byte-order marks', 3)
    }
  })
})

describe('JSON helpers: hostile keys, aliases and values', () => {
  it('jsonBuildObject, jsonObjectFrom and jsonArrayFrom keep hostile keys and values exact', async () => {
    const long = longHostileString(LONG_VALUE_LENGTH, 3)
    const names = [...HOSTILE_NAMES, `k${long.slice(0, LONG_NAME_LENGTH)}`]
    const cellText = (name: string) => `${name} = '${name}'; --`
    // Computed keys define own properties, `__proto__` included.
    const built = await db
      .selectNoFrom(
        jsonBuildObject(
          Object.fromEntries(
            names.map((name) => [name, sql<string>`cast(${cellText(name)} as varchar)`]),
          ),
        ).as('o'),
      )
      .execute()
    expect(built[0]!.o).toEqual(Object.fromEntries(names.map((name) => [name, cellText(name)])))
    count('json helpers', names.length)

    await sql`create table json_source (id integer, ${sql.join(HOSTILE_NAMES.map((name) => sql`${sql.id(name)} varchar`))})`.execute(
      db,
    )
    await insertRows(
      db,
      'json_source',
      [1, 2, 3].map((id) =>
        Object.fromEntries([
          ['id', id],
          ...HOSTILE_NAMES.map((name) => [name, `${id}:${cellText(name)}`]),
        ]),
      ),
    )
    const orderColumn = HOSTILE_NAMES.find((name) => name.includes('drop table'))!
    const nested = await db
      .selectNoFrom((eb) => [
        jsonArrayFrom(
          eb
            .selectFrom('json_source')
            .select((inner) =>
              HOSTILE_NAMES.filter(parsesAsItself).map((name) =>
                inner.ref(name).as(`${name} (alias)`),
              ),
            )
            .orderBy(sql.ref(orderColumn), 'desc'),
        ).as('list'),
        jsonObjectFrom(eb.selectFrom('json_source').selectAll().where('id', '=', 2)).as('one'),
      ])
      .execute()
    const list = nested[0]!.list as Record<string, string>[]
    expect(list.map((item) => item["it's (alias)"])).toEqual(
      [3, 2, 1].map((id) => `${id}:${cellText("it's")}`),
    )
    for (const item of list) {
      expect(Object.keys(item).sort()).toEqual(
        HOSTILE_NAMES.filter(parsesAsItself)
          .map((name) => `${name} (alias)`)
          .sort(),
      )
    }
    expect(nested[0]!.one).toEqual(
      Object.fromEntries([
        ['id', 2],
        ...HOSTILE_NAMES.map((name) => [name, `2:${cellText(name)}`]),
      ]),
    )
    count('json helpers', HOSTILE_NAMES.length * 4)
    await canary.assertIntact()
  })

  it('refuses a NUL or a lone surrogate in a key or a name before sending; the pool keeps working', async () => {
    for (const bad of ['a\0b', 'a\uD800b']) {
      expect(() => jsonBuildObject({ [bad]: sql`1` })).toThrow(
        /jsonBuildObject key contains a .* Remove it from the key/,
      )
      const aliased = await db
        .selectNoFrom(sql<number>`1`.as(bad))
        .execute()
        .catch((e: unknown) => e)
      expect(aliased).toBeInstanceOf(UnrepresentableStringError)
      expect((aliased as Error).message).toMatch(
        /compiled SQL text contains .* send the value as a parameter/,
      )
      const literal = await db
        .selectNoFrom(sql.lit(bad).as('x'))
        .execute()
        .catch((e: unknown) => e)
      expect(literal).toBeInstanceOf(UnrepresentableStringError)
      count('json refusals', 3)
    }
    // A parameter may hold a NUL: it is a value, not SQL text.
    const { rows } = await sql<{ v: string }>`select cast(${'a\0b'} as varchar) as v`.execute(db)
    expect(rows).toEqual([{ v: 'a\0b' }])
  })

  it('refuses a parameter holding a lone surrogate before sending (pg would send U+FFFD); the pool keeps working', async () => {
    const query = db
      .selectNoFrom(sql<string>`cast(${'ok'} as varchar)`.as('a'))
      .select(sql<string>`cast(${'x\uDC00y'} as varchar)`.as('b'))
    for (const attempt of [query.execute(), query.stream().next()]) {
      const error = await Promise.resolve(attempt).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UnrepresentableParameterError)
      expect(error).toMatchObject({ parameter: 2, index: 1 })
      expect((error as Error).message).toMatch(
        /^Query parameter \$2 holds a lone UTF-16 surrogate at index 1/,
      )
    }
    // A surrogate pair is well-formed and arrives whole.
    const { rows } = await sql<{ v: string }>`select cast(${'🦆'} as varchar) as v`.execute(db)
    expect(rows).toEqual([{ v: '🦆' }])
  })
})

describe('motherDuckTableKey: hostile database, schema and table names', () => {
  it('a key round-trips exactly when no part is syntax to Kysely (property-tested against the compiler)', () => {
    const connected = { database: 'my_db' }
    let keyable = 0
    fc.assert(
      fc.property(
        fc.oneof(fc.constant('my_db'), hostileName),
        fc.oneof(fc.constant('main'), hostileName),
        hostileName,
        (database, schema, table) => {
          const key = motherDuckTableKey({ database, schema, table }, connected)
          const parts =
            database !== 'my_db'
              ? [database, schema, table]
              : schema === 'main'
                ? [table]
                : [schema, table]
          const expected = keyRoundTrips(parts)
          expect(tableKeyRoundTrips(key, parts)).toBe(expected)
          if (expected) {
            keyable++
            expect(db.selectFrom(key).selectAll().compile().sql).toBe(
              `select * from ${parts.map(quoteIdentifier).join('.')}`,
            )
          }
          count('table keys')
        },
      ),
      { numRuns: PROPERTY_RUNS * 10, seed: 42 },
    )
    expect(keyable).toBeGreaterThan(0)
  })
})

describe('migrations: hostile table, lock table, schema and migration names', () => {
  it('applies each migration once and records it under its hostile name', async () => {
    const names = HOSTILE_NAMES.filter(parsesAsItself)
    const migrationNames = [names[6]!, names[9]!, `${names[11]!} ${longHostileString(200)}`]
    const migrations: Record<string, Migration> = Object.fromEntries(
      migrationNames.map((name, i) => [
        name,
        {
          async up(trx: Kysely<unknown>) {
            await sql`create table ${sql.id(`m${i} ${name}`)} (v varchar)`.execute(trx)
            await sql`insert into ${sql.id(`m${i} ${name}`)} values (${name})`.execute(trx)
          },
          async down(trx: Kysely<unknown>) {
            await sql`drop table ${sql.id(`m${i} ${name}`)}`.execute(trx)
          },
        } satisfies Migration,
      ]),
    )
    const settings = [
      {
        migrationTableName: `${names[0]!} migrations`,
        migrationLockTableName: `${names[1]!} lock`,
        migrationTableSchema: names[2]!,
      },
      {
        migrationTableName: `${names[3]!} migrations`,
        migrationLockTableName: `${names[4]!} lock`,
      },
    ]
    for (const setting of settings) {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => migrations },
        ...setting,
      })
      const first = await migrator.migrateToLatest()
      expect(first.error).toBeUndefined()
      expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual(
        [...migrationNames].sort().map((name) => [name, 'Success']),
      )
      expect((await migrator.migrateToLatest()).results).toEqual([])
      const table = sql.id(
        ...[setting.migrationTableSchema, setting.migrationTableName].filter(
          (part) => part !== undefined,
        ),
      )
      const recorded = await sql<{ name: string }>`select name from ${table} order by name`.execute(
        db,
      )
      expect(recorded.rows.map((row) => row.name)).toEqual([...migrationNames].sort())
      for (const [i, name] of migrationNames.entries()) {
        const { rows } = await sql<{ v: string }>`select v from ${sql.id(`m${i} ${name}`)}`.execute(
          db,
        )
        expect(rows).toEqual([{ v: name }])
      }
      const down = await migrator.migrateDown()
      expect(down.error).toBeUndefined()
      expect(down.results?.map((r) => r.status)).toEqual(['Success'])
      // Back up, for the next setting to start from an empty set of its own.
      for (const [i, name] of migrationNames.entries()) {
        await sql`drop table if exists ${sql.id(`m${i} ${name}`)}`.execute(db)
      }
      count('migrations', migrationNames.length * 2)
    }
    await canary.assertIntact()
  })
})

describe('codegen on a database whose every name is hostile', () => {
  let tables: HostileTable[]
  let dir: string

  beforeAll(async () => {
    tables = hostileTables()
    for (const statement of hostileCatalogStatements(tables)) await sql.raw(statement).execute(db)
    dir = await mkdtemp(join(REPO_ROOT, 'test/reliability/hostile/.codegen-'))
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('generates valid TypeScript in every variant, with nothing but declarations in it', async () => {
    for (const variant of [
      {},
      { runtimeEnums: true },
      { runtimeEnums: 'pascal-case' as const },
      { camelCase: true },
      { camelCase: true, runtimeEnums: true },
    ]) {
      const warnings: string[] = []
      const text = await generateTypes({
        db,
        allDatabases: true,
        ...variant,
        onWarning: (warning) => warnings.push(warning),
      })
      const file = resolve(dir, 'variant.ts')
      expect(typeCheck({ [file]: importFromSources(text, dir) }), JSON.stringify(variant)).toEqual(
        [],
      )
      const { foreign } = inspectGeneratedFile(text)
      expect(foreign).toEqual([])
      // No identifier `pwned` anywhere: the `*/ export const pwned` names stayed inside strings and comments.
      const scanner = ts.createScanner(
        ts.ScriptTarget.Latest,
        false,
        ts.LanguageVariant.Standard,
        text,
      )
      for (
        let token = scanner.scan();
        token !== ts.SyntaxKind.EndOfFileToken;
        token = scanner.scan()
      ) {
        if (token === ts.SyntaxKind.Identifier) expect(scanner.getTokenText()).not.toBe('pwned')
      }
      const unkeyable = tables.filter((table) => !table.keyable)
      expect(warnings.filter((w) => w.includes('is left out'))).toHaveLength(unkeyable.length)
      count('codegen variants')
    }
  })

  it('keys every keyable table as the dialect reads it; a typed query on each compiles and executes', async () => {
    const text = await generateTypes({ db, allDatabases: true })
    const { keys } = inspectGeneratedFile(text)
    const keyed = tables.filter((table) => table.keyable)
    const keyOf = (table: HostileTable) =>
      motherDuckTableKey(
        { database: table.database, schema: table.schema, table: table.table },
        { database: MAIN_DATABASE },
      )
    // Every keyable table under the dialect's own key (the other tests' tables are there too), once.
    expect(new Set(keys).size).toBe(keys.length)
    for (const table of keyed) expect(keys, keyOf(table)).toContain(keyOf(table))
    for (const table of tables.filter((t) => !t.keyable)) expect(keys).not.toContain(keyOf(table))

    const enumRow = {
      id: 7,
      mood: ENUM_LABELS.find((label) => label.includes('drop table'))!,
      ...Object.fromEntries(RESERVED_ENUM_TYPES.map((name, i) => [`e${i}`, `${name} label`])),
    }
    const roundTrip = typedRoundTrip(
      keyed.map((table) => ({ table, key: keyOf(table) })),
      { key: 'enums', row: enumRow },
    )
    const dbFile = resolve(dir, 'db.ts')
    const checkFile = resolve(dir, 'check.ts')
    const files = { [dbFile]: importFromSources(text, dir), [checkFile]: roundTrip.source }
    expect(typeCheck(files)).toEqual([])
    for (const [path, source] of Object.entries(files)) await writeFile(path, source)
    const module = (await import(pathToFileURL(checkFile).href)) as {
      run(db: Kysely<AnyDB>): Promise<unknown[]>
    }
    const results = await module.run(db)
    expect(results).toEqual(roundTrip.expected)
    count('codegen typed queries', results.length)
    expect(ENUM_TYPE).toContain('*/')
    await canary.assertIntact()
  })

  it('names generated by fast-check: valid TypeScript, each keyable table keyed and queryable', async () => {
    const schema = 'generated ⁄ names'
    await sql`create schema ${sql.id(schema)}`.execute(db)
    const sampled = fc.sample(hostileName, { numRuns: PROPERTY_RUNS, seed: 20260 })
    const generated: HostileTable[] = []
    for (const [i, table] of sampled.entries()) {
      const column = `c ${sampled[(i + 1) % sampled.length]!}`
      // DuckDB compares names without case: a name equal to an earlier one but for case is skipped.
      const created =
        await sql`create table ${sql.id(schema, table)} (id integer primary key, ${sql.id(column)} varchar)`
          .execute(db)
          .then(() => true)
          .catch((error: unknown) => {
            if (/already exists/.test(String(error))) return false
            throw error
          })
      if (!created) continue
      await sql`comment on column ${sql.id(schema, table, column)} is ${sql.lit(table)}`.execute(db)
      generated.push({
        database: MAIN_DATABASE,
        schema,
        table,
        columns: [column],
        keyable: keyRoundTrips([schema, table]),
      })
    }
    expect(generated.length).toBeGreaterThan(sampled.length / 2)
    const warnings: string[] = []
    const text = await generateTypes({
      db,
      allDatabases: true,
      onWarning: (warning) => warnings.push(warning),
    })
    const { keys, foreign } = inspectGeneratedFile(text)
    expect(foreign).toEqual([])
    const unkeyable = [...tables, ...generated].filter((table) => !table.keyable)
    expect(warnings.filter((w) => w.includes('is left out'))).toHaveLength(unkeyable.length)
    const keyed = generated.filter((table) => table.keyable)
    const keyOf = (table: HostileTable) => `${table.schema}.${table.table}`
    for (const table of keyed) expect(keys).toContain(keyOf(table))
    const roundTrip = typedRoundTrip(keyed.map((table) => ({ table, key: keyOf(table) })))
    const dbFile = resolve(dir, 'generated-db.ts')
    const checkFile = resolve(dir, 'generated-check.ts')
    const files = {
      [dbFile]: importFromSources(text, dir),
      [checkFile]: roundTrip.source.replace('"./db.js"', '"./generated-db.js"'),
    }
    expect(typeCheck(files)).toEqual([])
    for (const [path, source] of Object.entries(files)) await writeFile(path, source)
    const module = (await import(pathToFileURL(checkFile).href)) as {
      run(db: Kysely<AnyDB>): Promise<unknown[]>
    }
    expect(await module.run(db)).toEqual(roundTrip.expected)
    count('codegen generated names', generated.length)
    await canary.assertIntact()
  })
})
