import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { JsonColumnTypeNode, RawExpressionNode } from 'kysely-codegen'
import { describe, expect, it } from 'vitest'
import { CodegenOptionError, NoTablesMatchedError } from '../../codegen/codegen-errors.js'
import { REPO_ROOT, typeCheck } from './helpers/compile-typescript.js'
import { generateFor } from './helpers/in-process-catalog.js'

/** The line that types `column` in the generated file (in the interface `table`, default the last). */
function columnLine(text: string, column: string, table?: string): string | undefined {
  const start = table === undefined ? 0 : text.indexOf(`export interface ${table} {`)
  return text
    .slice(start)
    .split('\n')
    .find((line) => line.startsWith(`  ${column}: `))
}

describe("kysely-codegen's overrides", () => {
  const schema = [
    'CREATE SCHEMA analytics',
    'CREATE TABLE events (id BIGINT NOT NULL, payload JSON, tags VARCHAR[] NOT NULL, note VARCHAR)',
    'CREATE TABLE analytics.events (payload JSON NOT NULL)',
  ]

  it('types a column as written, by its key in DB, by schema.table or by database.schema.table', async () => {
    const warnings: string[] = []
    const text = await generateFor(schema, {
      overrides: {
        columns: {
          'events.payload': '{ kind: string } | null',
          'main.events.tags': 'readonly string[]',
          'memory.analytics.events.payload': '{ kind: "page" }',
          'evnts.note': 'never',
        },
      },
      onWarning: (message) => warnings.push(message),
    })
    expect(columnLine(text, 'payload', 'Events')).toBe('  payload: { kind: string } | null;')
    expect(columnLine(text, 'tags')).toBe('  tags: readonly string[];')
    expect(text).toContain('export interface AnalyticsEvents {\n  payload: { kind: "page" };\n}')
    // Untouched columns keep their types.
    expect(columnLine(text, 'id')).toBe('  id: Int8;')
    expect(columnLine(text, 'note')).toBe('  note: string | null;')
    expect(warnings).toEqual([expect.stringContaining('overrides: "evnts.note" matches no column')])
  })

  it("takes kysely-codegen's expression nodes from generateTypes, adding | null on a nullable column", async () => {
    const text = await generateFor(schema, {
      overrides: {
        columns: {
          'events.payload': new JsonColumnTypeNode(new RawExpressionNode('{ kind: string }')),
        },
      },
    })
    expect(columnLine(text, 'payload', 'Events')).toBe(
      '  payload: JSONColumnType<{ kind: string }> | null;',
    )
    expect(text).toMatch(/^import type \{ ColumnType, JSONColumnType \} from "kysely";$/m)
  })
})

describe("kysely-codegen's typeMapping and customImports", () => {
  const schema = [
    "CREATE TYPE mood AS ENUM ('calm', 'busy')",
    'CREATE TABLE t (ts TIMESTAMPTZ NOT NULL, ids UUID[], m mood, ms mood[], s STRUCT(u UUID), d DECIMAL(18, 3), n INTEGER)',
  ]

  it('maps DuckDB types in any spelling, lists of them and named ENUMs, importing the names used', async () => {
    const text = await generateFor(schema, {
      typeMapping: {
        'TIMESTAMP WITH TIME ZONE': 'Instant',
        uuid: 'Uuid',
        Mood: 'MoodCode',
        decimal: 'Decimal',
      },
      customImports: { Instant: './types.js', Uuid: './types.js', MoodCode: './types.js#Mood' },
    })
    expect(columnLine(text, 'ts')).toBe('  ts: Instant;')
    expect(columnLine(text, 'ids')).toBe('  ids: ArrayType<Uuid | null> | null;')
    expect(columnLine(text, 'm')).toBe('  m: MoodCode | null;')
    expect(columnLine(text, 'ms')).toBe('  ms: ArrayType<MoodCode | null> | null;')
    // Inside a STRUCT values arrive as JSON: the mapping does not apply (as in kysely-codegen).
    expect(text).toContain('  s: {\n    u: string | null;\n  } | null;')
    expect(columnLine(text, 'n')).toBe('  n: number | null;')
    expect(text).toContain('import type { Instant, Mood as MoodCode, Uuid } from "./types.js";')
    // `Decimal` is not imported: a name no custom import declares is the user's to provide.
    expect(columnLine(text, 'd')).toBe('  d: Decimal | null;')

    // The file type-checks against a module that declares the imported names.
    const dir = resolve(REPO_ROOT, 'test/codegen/__type_mapping__')
    const diagnostics = typeCheck({
      [join(dir, 'db.ts')]: text.replace('d: Decimal | null;', 'd: string | null;'),
      [join(dir, 'types.ts')]:
        "export type Instant = { epochMilliseconds: number }\nexport type Uuid = string & { readonly uuid: true }\nexport type Mood = 'calm' | 'busy'\n",
      [join(dir, 'use.ts')]: [
        "import type { Selectable } from 'kysely'",
        "import type { DB } from './db.js'",
        "import type { Instant, Mood, Uuid } from './types.js'",
        "declare const row: Selectable<DB['t']>",
        'export const instant: Instant = row.ts',
        'export const ids: (Uuid | null)[] | null = row.ids',
        'export const mood: Mood | null = row.m',
      ].join('\n'),
    })
    expect(diagnostics).toEqual([])
  })

  it('refuses a key that names no DuckDB type or ENUM, and two keys for one type', async () => {
    await expect(generateFor(schema, { typeMapping: { timestampz: 'Instant' } })).rejects.toThrow(
      new CodegenOptionError(
        'typeMapping',
        'typeMapping: "timestampz" names no DuckDB type and no ENUM type of the databases read. Keys are ' +
          'DuckDB type names (timestamptz, uuid, json, decimal…) or ENUM type names.',
      ),
    )
    await expect(
      generateFor(schema, { typeMapping: { timestamptz: 'A', 'timestamp with time zone': 'B' } }),
    ).rejects.toThrow("both name DuckDB's TIMESTAMP_TZ with different types")
  })
})

describe('singularize, Kysely tables, empty results, the file comment', () => {
  const schema = ['CREATE TABLE orders (id INTEGER)', 'CREATE TABLE people (id INTEGER)']

  it('singularizes table interface names, with exceptions', async () => {
    const plural = await generateFor(schema)
    expect(plural).toContain('export interface Orders {')
    const singular = await generateFor(schema, { singularize: true })
    expect(singular).toContain('export interface Order {')
    expect(singular).toContain('  orders: Order;')
    expect(singular).toContain('export interface Person {')
    const exception = await generateFor(schema, { singularize: { people: 'folk' } })
    expect(exception).toContain('export interface Folk {')
  })

  it("leaves out Kysely's migration tables unless includeKyselyTables", async () => {
    const withMigrations = [
      ...schema,
      'CREATE TABLE kysely_migration (name VARCHAR PRIMARY KEY, timestamp VARCHAR NOT NULL)',
      'CREATE TABLE kysely_migration_lock (id VARCHAR PRIMARY KEY, is_locked INTEGER NOT NULL DEFAULT 0)',
    ]
    const keys = (text: string) =>
      text.slice(text.indexOf('export interface DB {')).match(/^ {2}\w+(?=:)/gm)
    expect(keys(await generateFor(withMigrations))).toEqual(['  orders', '  people'])
    expect(keys(await generateFor(withMigrations, { includeKyselyTables: true }))).toEqual([
      '  kysely_migration',
      '  kysely_migration_lock',
      '  orders',
      '  people',
    ])
  })

  it('warns when no table matched, and fails with failOnEmpty or verify', async () => {
    const warnings: string[] = []
    const text = await generateFor(schema, {
      includePattern: 'order_items',
      onWarning: (message) => warnings.push(message),
    })
    expect(text).toContain('export interface DB {}')
    expect(warnings).toEqual([
      'No table or view matched in memory with include pattern "order_items": the types would be empty. ' +
        "Check --database (or --all-databases) and the patterns; Kysely's migration tables are left out " +
        'unless --include-kysely-tables.',
    ])
    await expect(
      generateFor(schema, { includePattern: 'order_items', failOnEmpty: true }),
    ).rejects.toThrow(NoTablesMatchedError)
    const dir = await mkdtemp(join(REPO_ROOT, 'test/codegen/__empty__'))
    try {
      const outFile = join(dir, 'db.ts')
      await writeFile(outFile, text)
      // Even a file that matches the empty result does not pass --verify.
      await expect(
        generateFor(schema, { includePattern: 'order_items', verify: true, outFile }),
      ).rejects.toThrow(NoTablesMatchedError)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('skipAutogeneratedFileComment leaves out the comment on top', async () => {
    expect(await generateFor(schema)).toMatch(/^\/\*\*\n \* This file was generated/)
    expect(await generateFor(schema, { skipAutogeneratedFileComment: true })).toMatch(
      /^export interface DB \{|^export interface Orders \{/,
    )
  })
})
