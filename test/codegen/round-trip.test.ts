import { resolve } from 'node:path'
import { CamelCasePlugin, Kysely, type KyselyPlugin } from 'kysely'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GenerateTypesOptions, generateTypes } from '../../codegen/generate-types.js'
import { MotherDuckDialect } from '../../src/dialect/motherduck-dialect.js'
import type { LocalEndpoint } from '../../src/local/index.js'
import { importFromSources, REPO_ROOT, typeCheck } from './helpers/compile-typescript.js'
import { startFixtureEndpoint } from './helpers/fixture-endpoint.js'

/**
 * Round trip: every value of every column of the fixture, as the dialect returns it at run time, is
 * written into a TypeScript file as a literal of the type codegen emitted for that column, and the
 * TypeScript compiler checks it. A mapping that disagrees with the type parsers fails here.
 */

const DIR = resolve(REPO_ROOT, 'test/codegen/__round_trip__')

/** A TypeScript expression whose value is `value` (and whose type is as narrow as TypeScript infers). */
function literal(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'Number.NaN'
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity'
    return String(value)
  }
  if (value instanceof Date) return `new Date(${value.getTime()})`
  if (Buffer.isBuffer(value)) return `Buffer.from(${JSON.stringify(value.toString('hex'))}, "hex")`
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${literal(v)}`)
    return `{ ${entries.join(', ')} }`
  }
  throw new Error(`No TypeScript literal for ${Object.prototype.toString.call(value)}`)
}

/** The keys of the `DB` interface of a generated file, read with the TypeScript parser. */
function dbKeys(text: string): string[] {
  const file = ts.createSourceFile('db.ts', text, ts.ScriptTarget.Latest)
  const db = file.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'DB',
  )
  return (db?.members ?? []).map((member) => {
    const name = member.name
    if (!name || !(ts.isIdentifier(name) || ts.isStringLiteral(name))) throw new Error('odd key')
    return name.text
  })
}

/** Kysely's CamelCasePlugin maps a key back to the SQL name; keys that do not survive are not queryable. */
class NameMapper extends CamelCasePlugin {
  survives(key: string): boolean {
    return key.split(/[.:]/).every((part) => this.camelCase(this.snakeCase(part)) === part)
  }
}

async function roundTrip(
  endpoint: LocalEndpoint,
  options: GenerateTypesOptions,
  plugins: KyselyPlugin[],
): Promise<{ checked: number; tables: number; errors: string[] }> {
  const text = await generateTypes({ url: endpoint.url, allDatabases: true, ...options })
  const db = new Kysely<Record<string, Record<string, unknown>>>({
    dialect: new MotherDuckDialect(endpoint.dialectConfig()),
    plugins,
  })
  const mapper = new NameMapper()
  const lines = [
    'import type { Selectable } from "kysely";',
    'import type { DB } from "./db.js";',
    'type Column<T extends keyof DB, C extends keyof Selectable<DB[T]>> = Selectable<DB[T]>[C];',
    'declare function row<T extends keyof DB>(table: T, row: Selectable<DB[T]>): void;',
  ]
  let checked = 0
  const keys = dbKeys(text).filter((key) => !options.camelCase || mapper.survives(key))
  try {
    for (const key of keys) {
      const rows = await db.selectFrom(key).selectAll().execute()
      expect(rows.length, key).toBeGreaterThan(0)
      for (const [index, value] of rows.entries()) {
        for (const [column, cell] of Object.entries(value)) {
          lines.push(
            `// ${key}.${column} (row ${index + 1})`,
            `export const v${checked}: Column<${JSON.stringify(key)}, ${JSON.stringify(column)}> = ${literal(cell)};`,
          )
          checked++
        }
        // The whole row: no column missing, none extra.
        lines.push(`row(${JSON.stringify(key)}, ${literal(value)});`)
      }
    }
  } finally {
    await db.destroy()
  }
  const errors = typeCheck({
    [resolve(DIR, 'db.ts')]: importFromSources(text, DIR),
    [resolve(DIR, 'check.ts')]: lines.join('\n'),
  })
  return { checked, tables: keys.length, errors }
}

describe('round trip: run-time values satisfy the generated types', () => {
  let endpoint: LocalEndpoint

  beforeAll(async () => {
    endpoint = await startFixtureEndpoint()
  })
  afterAll(() => endpoint?.stop())

  it('every column of every table and view, through MotherDuckDialect', async () => {
    const result = await roundTrip(endpoint, {}, [])
    expect(result.errors).toEqual([])
    expect(result.tables).toBe(13)
    expect(result.checked).toBeGreaterThan(120)
  })

  it('catches a mapping that disagrees with the run-time values (int64 typed number, read as bigint)', async () => {
    const result = await roundTrip(endpoint, { int64: 'number' }, [])
    const failing = result.errors.join('\n')
    expect(failing).toContain('scalar_types.c_bigint')
    expect(failing).toContain("Type 'bigint' is not assignable to type 'number'")
  })

  it('the values checked above include NULLs inside nested values (a STRUCT field, a list element, a MAP value)', async () => {
    const nested = new Kysely<Record<string, Record<string, unknown>>>({
      dialect: new MotherDuckDialect({ url: endpoint.url }),
    })
    try {
      const row = await nested
        .selectFrom('nested_types')
        .select(['s_struct', 'l_integer', 'm_map', 'u_union'])
        .where('id', '=', 3)
        .executeTakeFirstOrThrow()
      expect(row).toEqual({
        s_struct: expect.objectContaining({
          name: null,
          inner_s: { deep_flag: null, hugenum: null },
        }),
        l_integer: [1, null],
        m_map: { a: null },
        u_union: { num: null },
      })
    } finally {
      await nested.destroy()
    }
  })

  it("catches NULLs inside nested values typed non-null (nestedNullability: 'non-null')", async () => {
    const result = await roundTrip(endpoint, { nestedNullability: 'non-null' }, [])
    const failing = result.errors.join('\n')
    for (const column of ['s_struct', 'l_integer', 'l_bigint', 'l_mood', 'm_map', 'u_union']) {
      expect(failing).toContain(`nested_types.${column} (row 3)`)
    }
    expect(failing).not.toContain('(row 1)')
  })

  it('with the CamelCasePlugin and --camel-case (STRUCT fields renamed too)', async () => {
    const result = await roundTrip(endpoint, { camelCase: true }, [new CamelCasePlugin()])
    expect(result.errors).toEqual([])
    expect(result.tables).toBeGreaterThan(8)
  })
})
