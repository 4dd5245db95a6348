import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../..')

interface SourceMap {
  readonly sources: readonly string[]
  readonly sourcesContent?: readonly (string | null)[]
}

/**
 * The package ships dist/ but not src/, so a source map that only points at `src/*.ts` leaves a
 * debugger or a stack-trace tool with nothing to show. The build (tsconfig.build.json, into a temporary
 * folder so it cannot race the pack test's build of dist/) must put each source's text in its map.
 */
describe('source maps of the build', () => {
  let outDir: string
  let maps: string[]

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'kysely-motherduck-maps-'))
    await run(
      join(root, 'node_modules/.bin/tsc'),
      ['-p', 'tsconfig.build.json', '--outDir', outDir],
      { cwd: root },
    )
    const files = await readdir(outDir, { recursive: true })
    maps = files.filter((file) => file.endsWith('.map')).map((file) => join(outDir, file))
  }, 120_000)

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true })
  })

  it('writes a map next to every emitted JavaScript file', async () => {
    const scripts = (await readdir(outDir, { recursive: true })).filter((file) =>
      /\.c?js$/.test(file),
    )
    expect(scripts.length).toBeGreaterThan(50)
    expect(maps.map((map) => map.slice(outDir.length + 1)).sort()).toEqual(
      scripts.map((script) => `${script}.map`).sort(),
    )
  })

  it('carries the text of each source it names, equal to that file', async () => {
    for (const mapPath of maps) {
      const map = JSON.parse(await readFile(mapPath, 'utf8')) as SourceMap
      expect(map.sources.length, mapPath).toBeGreaterThan(0)
      expect(map.sourcesContent?.length, `${mapPath} has no sourcesContent`).toBe(
        map.sources.length,
      )
      for (const [index, source] of map.sources.entries()) {
        const original = await readFile(resolve(dirname(mapPath), source), 'utf8')
        expect(map.sourcesContent?.[index], `${mapPath}: ${source}`).toBe(original)
      }
    }
  })
})
