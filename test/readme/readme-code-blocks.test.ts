import { execFile } from 'node:child_process'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../..')
const blocksDir = join(root, 'test/readme/.blocks')

/** Every ```ts block of the README, in order. */
async function readmeBlocks(): Promise<string[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '')
}

// kysely-ctl is not a dependency; its config function is declared with the shape its docs give, so the
// README's config block is still checked against our dialect's types.
const KYSELY_CTL_DECLARATION = `declare module 'kysely-ctl' {
  import type { Dialect } from 'kysely'
  export function defineConfig(config: { dialect: Dialect; migrations?: { migrationFolder?: string } }): unknown
}
`

describe('README.md', () => {
  it('has code blocks that type-check against the sources', async () => {
    const blocks = await readmeBlocks()
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    await rm(blocksDir, { recursive: true, force: true })
    await mkdir(blocksDir, { recursive: true })
    // Blocks import the generated types as `./db.js`: the demo's generated file stands in for them.
    await copyFile(join(root, 'src/demo/demo-database.generated.ts'), join(blocksDir, 'db.ts'))
    await writeFile(join(blocksDir, 'kysely-ctl.d.ts'), KYSELY_CTL_DECLARATION)
    await Promise.all(
      blocks.map((block, i) =>
        writeFile(join(blocksDir, `block-${i + 1}.ts`), `${block}\nexport {}\n`),
      ),
    )
    await writeFile(
      join(blocksDir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.json',
        compilerOptions: {
          noEmit: true,
          rootDir: '../../..',
          paths: {
            'kysely-motherduck': ['../../../src/index.ts'],
            'kysely-motherduck/local': ['../../../src/local/index.ts'],
            'kysely-motherduck/codegen': ['../../../codegen/index.ts'],
          },
        },
        include: ['*.ts'],
      }),
    )
    const tsc = join(root, 'node_modules/.bin/tsc')
    const result = await run(tsc, ['-p', join(blocksDir, 'tsconfig.json')]).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    )
    expect(result).toBe('')
  })
})
