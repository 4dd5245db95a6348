import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import type { Kysely } from 'kysely'
import { generate as kyselyCodegenGenerate } from 'kysely-codegen'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tableKey } from '../../codegen/build-metadata.js'
import { CodegenOptionError, UnknownDatabaseError } from '../../codegen/codegen-errors.js'
import { type GenerateTypesOptions, runCodegen } from '../../codegen/generate-types.js'
import { MotherDuckGeneratorDialect } from '../../codegen/motherduck-generator-dialect.js'
import { fixtureStatements, OTHER_DATABASE } from './fixture-schema.js'
import { inProcessCatalog } from './helpers/in-process-catalog.js'

/** The `DB` interface's keys in a generated file. */
function dbKeys(text: string): string[] {
  const body = text.slice(text.indexOf('export interface DB {'))
  return [...body.matchAll(/^ {2}("(?:[^"\\]|\\.)*"|[^:\s]+):/gm)].map((m) =>
    m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : m[1]!,
  )
}

async function fresh(statements: readonly string[]): Promise<DuckDBConnection> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect()
  for (const statement of statements) await connection.run(statement)
  return connection
}

describe('table keys', () => {
  const options = { currentDatabase: 'my_db', defaultSchema: 'main' }
  it('are bare in the default schema, schema-qualified elsewhere, database:schema.table in other databases', () => {
    expect(tableKey({ database: 'my_db', schema: 'main', name: 'users' }, options)).toBe('users')
    expect(tableKey({ database: 'my_db', schema: 'stats', name: 'users' }, options)).toBe(
      'stats.users',
    )
    expect(tableKey({ database: 'other', schema: 'main', name: 'users' }, options)).toBe(
      'other:main.users',
    )
  })
})

describe('codegen on the fixture (in-process DuckDB, the same catalog SQL)', () => {
  let connection: DuckDBConnection
  const generate = (options: Omit<GenerateTypesOptions, 'db'> = {}) =>
    runCodegen({ db: inProcessCatalog(connection), ...options })

  beforeAll(async () => {
    connection = await fresh(fixtureStatements())
  })
  afterAll(() => connection.closeSync())

  it('reads the connected database by default, and others on request', async () => {
    const own = await generate()
    expect(own.databases).toEqual(['memory'])
    expect(dbKeys(own.text)).not.toContain(`${OTHER_DATABASE}:main.accounts`)
    expect(dbKeys(own.text)).toEqual(
      expect.arrayContaining(['orders', 'analytics.events', 'Odd Schema.Order Items']),
    )

    const both = await generate({ databases: ['memory', OTHER_DATABASE] })
    expect(both.databases).toEqual(['memory', OTHER_DATABASE])
    expect(dbKeys(both.text)).toEqual(
      expect.arrayContaining([
        'orders',
        `${OTHER_DATABASE}:main.accounts`,
        `${OTHER_DATABASE}:archive.orders`,
        `${OTHER_DATABASE}:main.rich_accounts`,
      ]),
    )
    const all = await generate({ allDatabases: true })
    expect(all.text).toBe(both.text)
  })

  it('keys another default schema bare', async () => {
    const result = await generate({ defaultSchema: 'analytics' })
    expect(dbKeys(result.text)).toEqual(expect.arrayContaining(['events', 'daily', 'main.orders']))
  })

  it('filters by globs on table, schema.table and database.schema.table', async () => {
    const keys = async (options: GenerateTypesOptions) =>
      dbKeys((await generate({ allDatabases: true, ...options })).text).sort()
    expect(await keys({ includePattern: 'orders' })).toEqual([
      `${OTHER_DATABASE}:archive.orders`,
      'orders',
    ])
    expect(await keys({ includePattern: 'analytics.*' })).toEqual([
      'analytics.daily',
      'analytics.events',
    ])
    expect(await keys({ includePattern: `${OTHER_DATABASE}.*.*` })).toEqual([
      `${OTHER_DATABASE}:archive.orders`,
      `${OTHER_DATABASE}:main.accounts`,
      `${OTHER_DATABASE}:main.rich_accounts`,
    ])
    expect(
      await keys({ includePattern: `${OTHER_DATABASE}:*.*`, excludePattern: '*accounts' }),
    ).toEqual([`${OTHER_DATABASE}:archive.orders`])
  })

  it('names enum columns after their CREATE TYPE, schema-qualified outside the default schema', async () => {
    const { text } = await generate()
    expect(text).toContain('export type Mood = "happy" | "ok" | "sad";')
    expect(text).toContain('export type AnalyticsTier = "enterprise plan" | "free" | "pro";')
    expect(text).toMatch(/^ {2}mood: Mood \| null;$/m)
    expect(text).toMatch(/^ {2}tier: AnalyticsTier;$/m)
    // An inline ENUM(…) has no name: a union in place.
    expect(text).toContain('status: Generated<"new" | "paid" | "shipped" | "it\'s complicated">;')

    const enums = await generate({ runtimeEnums: true })
    expect(enums.text).toContain(
      'export enum AnalyticsTier {\n  ENTERPRISE_PLAN = "enterprise plan",',
    )
    const pascal = await generate({ runtimeEnums: 'pascal-case' })
    expect(pascal.text).toContain('  EnterprisePlan = "enterprise plan",')
  })

  it("kysely-codegen's own generate() takes our GeneratorDialect", async () => {
    const dialect = new MotherDuckGeneratorDialect({ defaultSchema: 'main' })
    const text = await kyselyCodegenGenerate({
      db: inProcessCatalog(connection) as unknown as Kysely<unknown>,
      dialect,
      defaultSchemas: ['main'],
      outFile: null,
    })
    expect(text).toContain('This file was generated by kysely-codegen.')
    expect(text).toMatch(/^ {2}"analytics.events": AnalyticsEvents;$/m)
    expect(text).toMatch(/^ {2}amount: Numeric;$/m)
    expect(text).toContain(
      'export type Numeric = ColumnType<string, bigint | number | string, bigint | number | string>;',
    )
  })

  it('rejects options that contradict each other', async () => {
    await expect(generate({ verify: true })).rejects.toThrow(CodegenOptionError)
    await expect(generate({ allDatabases: true, databases: ['memory'] })).rejects.toThrow(
      /exclude each other/,
    )
  })

  it('rejects a database that is not attached, naming the attached ones', async () => {
    await expect(generate({ databases: ['nope'] })).rejects.toThrow(UnknownDatabaseError)
    await expect(generate({ databases: ['nope'] })).rejects.toThrow(
      /memory, fixture_other|fixture_other, memory/,
    )
  })

  it('sends three catalog queries whatever the number of tables', async () => {
    const catalog = inProcessCatalog(connection)
    await runCodegen({ db: catalog, allDatabases: true })
    expect(catalog.queries).toBe(3)

    const many = await fresh(
      Array.from(
        { length: 200 },
        (_, i) => `CREATE TABLE t${i} (a INTEGER, b VARCHAR[], c STRUCT(x INTEGER))`,
      ),
    )
    const manyCatalog = inProcessCatalog(many)
    const result = await runCodegen({ db: manyCatalog })
    expect(manyCatalog.queries).toBe(3)
    expect(result.tables).toBe(200)
    expect(result.columns).toBe(600)
    many.closeSync()
  })
})

describe('name collisions kysely-codegen would get wrong', () => {
  it('a table named like an enum type does not swallow the enum', async () => {
    const connection = await fresh([
      "CREATE TYPE status AS ENUM ('on', 'off')",
      'CREATE TABLE status (id INTEGER)',
      'CREATE TABLE a_device (s status)',
    ])
    const { text } = await runCodegen({ db: inProcessCatalog(connection) })
    expect(text).toContain('export type StatusEnum = "off" | "on";')
    expect(text).toMatch(/^ {2}s: StatusEnum \| null;$/m)
    connection.closeSync()
  })

  it('a table named like a private type key keeps every column type', async () => {
    const connection = await fresh([
      'CREATE TABLE "#1" (a INTEGER)',
      'CREATE TABLE "#2" (b VARCHAR)',
      'CREATE TABLE z (c BOOLEAN)',
    ])
    const { text } = await runCodegen({ db: inProcessCatalog(connection) })
    expect(text).toMatch(/^ {2}a: number \| null;$/m)
    expect(text).toMatch(/^ {2}b: string \| null;$/m)
    expect(text).toMatch(/^ {2}c: boolean \| null;$/m)
    connection.closeSync()
  })

  it('two enum types with the same labels cannot be told apart: columns get the union inline', async () => {
    const connection = await fresh([
      "CREATE TYPE a_kind AS ENUM ('x', 'y')",
      "CREATE TYPE b_kind AS ENUM ('x', 'y')",
      'CREATE TABLE t (k a_kind)',
    ])
    const { text } = await runCodegen({ db: inProcessCatalog(connection) })
    expect(text).toMatch(/^ {2}k: "x" \| "y" \| null;$/m)
    connection.closeSync()
  })
})
