import { defineConfig } from 'vitest/config'
import { canaryTestEnv } from './test/support/canary-token.js'

// As the CLI does (src/cli/bin.ts): the test workers are forked from this process, so their libuv
// pools start with 16 threads and in-process endpoints admit 14 concurrent DuckDB calls.
process.env.UV_THREADPOOL_SIZE ??= '16'

export default defineConfig({
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
