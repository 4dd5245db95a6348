import { describe, it } from 'vitest'
import {
  expectSmokeOutput,
  runRuntime,
  runtimeBin,
  useSmokeSetup,
} from './support/runtime-smoke.js'

/**
 * Bun (the `bun` devDependency) runs test/runtimes/apps/server-app.ts against the built package:
 * import by name, `MOTHERDUCK_URL` from the environment, a typed query, `insertRows` and `.stream()`
 * on a local endpoint.
 */
describe('Bun', () => {
  const setup = useSmokeSetup()

  it('imports kysely-motherduck, loads rows, queries and streams them', async () => {
    const output = await runRuntime(runtimeBin('bun'), ['run', '--no-install', 'server-app.ts'], {
      cwd: setup.project,
      env: { ...process.env, MOTHERDUCK_URL: setup.local.endpoint.url },
    })
    await expectSmokeOutput(output, /^Bun\//, setup)
  })
})
