import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CAN_MAKE_CERTIFICATES,
  expectSmokeOutput,
  runRuntime,
  runtimeBin,
  useSmokeSetup,
} from './support/runtime-smoke.js'
import { bundleWorker, writeWorkerdConfig } from './support/worker-bundle.js'

/**
 * Cloudflare Workers: workerd (the `workerd` devDependency, the runtime Workers run on) runs
 * test/runtimes/apps/worker-app.ts, bundled as wrangler would, with `nodejs_compat`. pg connects through
 * `cloudflare:sockets` and upgrades to TLS with `startTls()`, as on Cloudflare: the connection URL says
 * `sslmode=require`, as MotherDuck documents for Workers, and the runtime, not pg, verifies the
 * certificate. Here the local endpoint serves TLS with a test CA that workerd's outbound network trusts;
 * with only the public CAs trusted, the same Worker is refused.
 */
describe.skipIf(!CAN_MAKE_CERTIFICATES)('Cloudflare Workers (workerd)', () => {
  const setup = useSmokeSetup()
  const workerFile = 'worker.js'
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kysely-motherduck-workerd-'))
    await bundleWorker(setup.project, 'worker-app.ts', join(dir, workerFile))
  })

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  /**
   * Runs the Worker's `test()` handler under `workerd test`, its outbound TLS trusting `trustedCa`, with
   * `MOTHERDUCK_URL` asking for `sslmode` (the certificate names localhost: Workers verify a host name).
   */
  async function runWorker(trustedCa: string | undefined, sslmode: string) {
    const config = await writeWorkerdConfig(dir, {
      workerFile,
      trustedCa,
      envBindings: ['MOTHERDUCK_URL'],
    })
    return runRuntime(runtimeBin('workerd'), ['test', config], {
      cwd: dir,
      env: { ...process.env, MOTHERDUCK_URL: setup.url({ sslmode }) },
    })
  }

  // `require` as MotherDuck documents for Workers; `verify-full`, the dialect's default for remote hosts.
  it.each(['require', 'verify-full'])(
    'imports kysely-motherduck, loads rows, queries and streams them over TLS (sslmode=%s)',
    async (sslmode) => {
      const output = await runWorker(setup.ca, sslmode)
      await expectSmokeOutput(output, /^Cloudflare-Workers$/, setup)
    },
  )

  it('refuses the endpoint when the runtime cannot verify its certificate', async () => {
    await expect(runWorker(undefined, 'require')).rejects.toThrow(
      /invalid peer certificate: UnknownIssuer/,
    )
  })
})
