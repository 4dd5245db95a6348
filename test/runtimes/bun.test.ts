import { describe, it } from 'vitest'
import {
  CAN_MAKE_CERTIFICATES,
  expectSmokeOutput,
  runRuntime,
  runtimeBin,
  useSmokeSetup,
} from './support/runtime-smoke.js'

/**
 * Bun (the `bun` devDependency) runs test/runtimes/apps/server-app.ts against the built package:
 * import by name, `MOTHERDUCK_URL` from the environment (TLS verified against the endpoint's CA, named by
 * `sslrootcert`), a typed query, `insertRows` and `.stream()` on a local endpoint.
 */
describe.skipIf(!CAN_MAKE_CERTIFICATES)('Bun', () => {
  const setup = useSmokeSetup()

  it('imports kysely-motherduck, loads rows, queries and streams them', async () => {
    const url = setup.url({ sslmode: 'verify-full', sslrootcert: setup.caFile })
    const output = await runRuntime(runtimeBin('bun'), ['run', '--no-install', 'server-app.ts'], {
      cwd: setup.project,
      env: { ...process.env, MOTHERDUCK_URL: url },
    })
    await expectSmokeOutput(output, /^Bun\//, setup)
  })
})
