import { defineConfig } from 'vitest/config'
import { canaryTestEnv } from './test/support/canary-token.js'

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
