import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'
import { canaryTestEnv } from './test/support/canary-token.js'

// As the CLI does (src/cli/bin.ts): the test workers are forked from this process, so their libuv
// pools start with 16 threads and in-process endpoints admit 14 concurrent DuckDB calls.
process.env.UV_THREADPOOL_SIZE ??= '16'

export default defineConfig({
  resolve: { alias: kyselyUnderTest(process.env.KYSELY_UNDER_TEST) },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One canary token for the whole run; every test file fails if its output shows it.
    env: canaryTestEnv(),
    setupFiles: ['test/setup/canary-token.ts'],
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
})

/**
 * KYSELY_UNDER_TEST=<directory of a kysely package> runs the tests (and the sources they import) on that
 * Kysely instead of the devDependency: `.ci/run` points it at kysely 0.28 for the dialect, sources and
 * load suites. `kysely/migration`, which 0.28 lacks, resolves to its root, where 0.28 exports the Migrator.
 */
function kyselyUnderTest(directory: string | undefined): { find: RegExp; replacement: string }[] {
  if (directory === undefined || directory === '') return []
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import?: string; default?: string }>
  }
  const entry = (subpath: string) => {
    const target = manifest.exports[subpath] ?? manifest.exports['.']!
    return join(directory, typeof target === 'string' ? target : (target.import ?? target.default)!)
  }
  return ['helpers/postgres', 'migration', ''].map((subpath) => ({
    find: new RegExp(`^kysely${subpath === '' ? '' : `/${subpath}`}$`),
    replacement: entry(subpath === '' ? '.' : `./${subpath}`),
  }))
}
