import { execFile } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCodegen } from '../../codegen/generate-types.js'
import { localCommand } from '../../src/cli/local-command.js'
import { HACKER_NEWS_ROWS } from '../../src/demo/sample-data.js'
import type { LocalEndpoint } from '../../src/local/local-endpoint.js'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../..')
// Inside the repository, so that `kysely-motherduck` resolves to the sources (tsconfig paths).
const dir = join(root, 'test/readme/.quick-start')

/** The Quick start's TypeScript block, as the README has it. */
async function quickStartBlock(): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Quick start'))
  const match = /^```ts\n([\s\S]*?)^```$/m.exec(section)
  if (!match?.[1]) throw new Error('no ```ts block in the Quick start')
  return match[1]
}

/** The Quick start's shell block: the commands a user without an account runs. */
async function quickStartCommands(): Promise<string[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Quick start'))
  const match = /^```sh\n([\s\S]*?)^```$/m.exec(section)
  return (match?.[1] ?? '').split('\n').filter(Boolean)
}

describe("the README's Quick start, verbatim, against `kysely-motherduck local --sample-data`", () => {
  let endpoint: LocalEndpoint
  let stop: (reason: string) => void
  let exited: Promise<number>
  let printed = ''

  beforeAll(async () => {
    const started = new Promise<LocalEndpoint>((resolveStarted) => {
      exited = localCommand.run(['--sample-data'], {
        stdout: (text) => {
          printed += text
        },
        stderr: () => {},
        stopSignal: () => new Promise<string>((resolveStop) => (stop = resolveStop)),
        onStarted: resolveStarted,
      })
    })
    endpoint = await started
    await rm(dir, { recursive: true, force: true })
    await mkdir(dir, { recursive: true })
  }, 120_000)

  afterAll(async () => {
    stop?.('test done')
    expect(await exited).toBe(0)
    await rm(dir, { recursive: true, force: true })
  })

  it('runs the commands it shows and the code, with the results it describes', async () => {
    const commands = await quickStartCommands()
    expect(commands[0]).toMatch(/^npx kysely-motherduck local --sample-data\b/)
    expect(commands[2]).toMatch(
      /^npx kysely-motherduck codegen --database sample_data --out-file db\.ts\b/,
    )
    // `local` prints the URL the README says to export.
    const url = /MOTHERDUCK_URL=(\S+)/.exec(printed)?.[1]
    expect(url).toBe(endpoint.url)

    // `codegen --database sample_data --out-file db.ts`, with MOTHERDUCK_URL set.
    await runCodegen({
      databases: ['sample_data'],
      outFile: join(dir, 'db.ts'),
      connection: { env: { MOTHERDUCK_URL: url } },
    })
    // The code itself, and a line that shows its results.
    await writeFile(
      join(dir, 'quick-start.ts'),
      `${await quickStartBlock()}\n` +
        'console.log(JSON.stringify({ top, byType }, (_key, value) => typeof value === "bigint" ? String(value) + "n" : value))\n',
    )
    const { stdout } = await run(
      join(root, 'node_modules/.bin/node'),
      ['--import', 'tsx', join(dir, 'quick-start.ts')],
      { cwd: dir, env: { ...process.env, MOTHERDUCK_URL: url, MOTHERDUCK_TOKEN: '' } },
    )
    const result = JSON.parse(stdout) as {
      top: { title: string | null; score: string | null }[]
      byType: { type: string; items: string }[]
    }
    expect(result.top).toHaveLength(5)
    const scores = result.top.map((row) => BigInt(row.score!.slice(0, -1)))
    expect(scores).toEqual([...scores].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)))
    expect(result.top.every((row) => typeof row.title === 'string')).toBe(true)
    expect(result.byType.map((row) => row.type).sort()).toEqual(['comment', 'story'])
    const items = result.byType.reduce((sum, row) => sum + BigInt(row.items.slice(0, -1)), 0n)
    expect(items).toBe(BigInt(HACKER_NEWS_ROWS))
  }, 120_000)
})
