import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GenerateTypesOptions, generateTypes } from '../../codegen/generate-types.js'
import type { LocalEndpoint } from '../../src/local/index.js'
import { fixtureStatements } from './fixture-schema.js'
import { importFromSources, REPO_ROOT, typeCheck } from './helpers/compile-typescript.js'
import { startFixtureEndpoint } from './helpers/fixture-endpoint.js'
import { inProcessCatalog } from './helpers/in-process-catalog.js'

/**
 * Golden files: the generated file, byte for byte, for the fixture through the local endpoint.
 * `UPDATE_GOLDEN=1 npx vitest run test/codegen/golden.test.ts` rewrites them after a deliberate change.
 */
const GOLDEN_DIR = resolve(REPO_ROOT, 'test/fixtures/golden/codegen')
const UPDATE = process.env.UPDATE_GOLDEN === '1'

const VARIANTS: { file: string; options: GenerateTypesOptions }[] = [
  { file: 'fixture-db.generated.ts', options: { allDatabases: true } },
  {
    file: 'fixture-db-camel-case.generated.ts',
    options: { allDatabases: true, camelCase: true, runtimeEnums: 'pascal-case' },
  },
  {
    // Every other non-default type option too: value types imported, nested values typed non-null.
    file: 'fixture-db-number-modes.generated.ts',
    options: {
      databases: ['my_db'],
      int64: 'number',
      numeric: 'number',
      runtimeEnums: true,
      selfContained: false,
      nestedNullability: 'non-null',
    },
  },
]

async function compareWithGolden(path: string, text: string): Promise<void> {
  if (UPDATE) {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
  }
  expect(text).toBe(await readFile(path, 'utf8'))
}

describe('golden files: codegen of the fixture through the local endpoint', () => {
  let endpoint: LocalEndpoint
  const generated = new Map<string, string>()

  beforeAll(async () => {
    endpoint = await startFixtureEndpoint()
  })
  afterAll(() => endpoint?.stop())

  for (const { file, options } of VARIANTS) {
    it(`${file} matches byte for byte`, async () => {
      const text = await generateTypes({ url: endpoint.url, ...options })
      generated.set(file, text)
      await compareWithGolden(resolve(GOLDEN_DIR, file), text)
      expect(text).not.toContain(endpoint.token)
    })
  }

  it('every variant compiles with the repository tsconfig (strict, NodeNext, verbatimModuleSyntax)', () => {
    expect(generated.size).toBe(VARIANTS.length)
    const files = Object.fromEntries(
      [...generated].map(([file, text]) => [
        resolve(GOLDEN_DIR, file.replace('.generated.ts', '.compiled.ts')),
        importFromSources(text, GOLDEN_DIR),
      ]),
    )
    expect(typeCheck(files)).toEqual([])
  })

  it('in-process DuckDB gives the same file: the wire changes nothing', async () => {
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    await connection.run("ATTACH ':memory:' AS my_db")
    await connection.run('USE my_db')
    for (const statement of fixtureStatements()) await connection.run(statement)
    const text = await generateTypes({ db: inProcessCatalog(connection), allDatabases: true })
    expect(text).toBe(generated.get('fixture-db.generated.ts'))
    connection.closeSync()
    instance.closeSync()
  })
})
