import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { generateTypes } from '../../codegen/index.js'
import { runDemo } from '../../src/demo/run-demo.js'
import { ensureDemoData } from '../../src/demo/sample-data.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'

describe('the demo (npm run demo) on the local endpoint', () => {
  it('runs every step and prints each step’s SQL and result', async () => {
    const lines: string[] = []
    await runDemo({ print: (text) => lines.push(text), env: {} })
    const output = lines.join('\n')
    for (const title of [
      '1. Generate Kysely types',
      '2. Typed query',
      '3. Server-side load',
      '4. In-memory rows',
    ]) {
      expect(output).toContain(title)
    }
    expect(output).toContain('from "sample_data"."hn"."hacker_news"')
    expect(output).toContain(
      "read_parquet('s3://kysely-motherduck-demo/hn/items_by_year.parquet', MD_RUN = REMOTE)",
    )
    expect(output).toMatch(/inserted 50000 rows \(progress: 10000\/50000, .*50000\/50000\)/)
    expect(output).toMatch(/Done in \d+\.\d\d s\./)
  })
})

describe('src/demo/demo-database.generated.ts', () => {
  let local: TestEndpoint
  let db: Kysely<unknown>

  beforeAll(async () => {
    const files = await ensureDemoData()
    local = await startTestEndpoint({
      databases: { my_db: ':memory:', sample_data: { path: files.sampleDataPath, readOnly: true } },
      database: 'my_db',
    })
    db = local.kysely()
  })

  afterAll(async () => {
    await local?.stop()
  })

  it('is exactly what codegen generates for the demo data (regenerate with `kysely-motherduck codegen`)', async () => {
    await expect(
      generateTypes({
        db,
        databases: ['sample_data'],
        outFile: 'src/demo/demo-database.generated.ts',
        verify: true,
      }),
    ).resolves.toContain('"sample_data:hn.hacker_news": SampleDataHnHackerNews')
  })
})

describe('kysely-motherduck demo: flags', () => {
  it('prints its help, and refuses unknown flags and arguments with exit code 1', async () => {
    const { demoCommand } = await import('../../src/cli/demo-command.js')
    const run = (argv: string[]) => demoCommand.run(argv)
    const errors: string[] = []
    const logs: string[] = []
    const error = vi
      .spyOn(console, 'error')
      .mockImplementation((text: string) => void errors.push(text))
    const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void logs.push(text))
    try {
      expect(await run(['--help'])).toBe(0)
      expect(logs.join('\n')).toContain('Usage: kysely-motherduck demo')
      expect(await run(['--bogus'])).toBe(1)
      expect(await run(['extra'])).toBe(1)
      expect(errors.join('\n')).toMatch(/Unknown flag --bogus[\s\S]*Unexpected argument "extra"/)
    } finally {
      error.mockRestore()
      log.mockRestore()
    }
  })
})
