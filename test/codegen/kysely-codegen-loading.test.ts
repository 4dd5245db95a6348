import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from './helpers/compile-typescript.js'

const run = promisify(execFile)

/**
 * Runs `script` (an ES module body) in a new Node process on the sources, where `loaded()` lists which
 * of TypeScript and Kysely's CommonJS build are loaded, and prints its result as JSON.
 */
async function inNewProcess(script: string): Promise<unknown> {
  const prelude = `
    import { createRequire } from 'node:module'
    const cache = createRequire(import.meta.url).cache
    const loaded = () => ({
      typescript: Object.keys(cache).some((path) => path.includes('/node_modules/typescript/')),
      kyselyCommonJs: Object.keys(cache).some((path) => path.includes('/node_modules/kysely/dist/cjs/')),
    })
  `
  const { stdout } = await run(
    join(REPO_ROOT, 'node_modules/.bin/node'),
    ['--import', 'tsx', '--input-type=module', '-e', `${prelude}\n${script}`],
    { cwd: REPO_ROOT },
  )
  return JSON.parse(stdout)
}

describe("loading kysely-codegen's modules", () => {
  it('loads neither TypeScript nor a second Kysely until a type written as text is read', async () => {
    const result = await inNewProcess(`
      const codegen = await import('./codegen/kysely-codegen.ts')
      const { generateFor } = await import('./test/codegen/helpers/in-process-catalog.ts')
      const plain = await generateFor(['CREATE TABLE t (id BIGINT, tags BIGINT[], j JSON, i INTERVAL)'])
      const before = loaded()
      const camel = codegen.toKyselyCamelCase('order_items')
      const overridden = await generateFor(['CREATE TABLE t (meta JSON)'], {
        overrides: { columns: { 't.meta': 'Meta' } },
        customImports: { Meta: './meta.js' },
      })
      console.log(JSON.stringify({ before, after: loaded(), camel,
        plain: plain.includes('tags: ArrayType<Int8 | null> | null;'),
        imported: overridden.includes('import type { Meta } from "./meta.js";') }))
    `)
    expect(result).toEqual({
      before: { typescript: false, kyselyCommonJs: false },
      // Reading `Meta` to find what to import needs TypeScript's parser; Kysely stays one copy.
      after: { typescript: true, kyselyCommonJs: false },
      camel: 'orderItems',
      plain: true,
      imported: true,
    })
  })
})
