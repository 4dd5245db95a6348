import { describe, it } from 'vitest'
import {
  CAN_MAKE_CERTIFICATES,
  expectSmokeOutput,
  runRuntime,
  runtimeBin,
  useSmokeSetup,
} from './support/runtime-smoke.js'

/**
 * Deno (the `deno` devDependency) runs test/runtimes/apps/server-app.ts against the built package, from
 * the project's node_modules (`--node-modules-dir=manual`), with only the permissions it needs: the
 * endpoint's address, the environment, and reading the CA file that `sslrootcert` names.
 */
describe.skipIf(!CAN_MAKE_CERTIFICATES)('Deno', () => {
  const setup = useSmokeSetup()

  it('imports kysely-motherduck, loads rows, queries and streams them', async () => {
    const { port } = setup.local.endpoint
    const url = setup.url({ sslmode: 'verify-full', sslrootcert: setup.caFile })
    const output = await runRuntime(
      runtimeBin('deno'),
      [
        'run',
        '--node-modules-dir=manual',
        '--no-lock',
        // The apps import `./smoke-queries.js` as Node's TypeScript resolution wants; Deno maps it to .ts.
        '--sloppy-imports',
        `--allow-net=localhost:${port}`,
        '--allow-env',
        `--allow-read=${setup.caFile}`,
        'server-app.ts',
      ],
      {
        cwd: setup.project,
        env: {
          ...process.env,
          MOTHERDUCK_URL: url,
          DENO_NO_UPDATE_CHECK: '1',
          DENO_NO_PROMPT: '1',
          NO_COLOR: '1',
        },
      },
    )
    await expectSmokeOutput(output, /^Deno\//, setup)
  })
})
