import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { createTestCertificates, OPENSSL } from '../../local/helpers/test-certificates.js'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'
import {
  LARGE_AMOUNT,
  SMOKE_REPORT_PREFIX,
  type SmokeDatabase,
  type SmokeReport,
} from '../apps/smoke-schema.js'
import { consumerProject } from './consumer-project.js'

/** The repository's node_modules/.bin, where `npm ci` puts bun, deno and workerd. */
export const RUNTIME_BIN = resolve(import.meta.dirname, '../../../node_modules/.bin')

/** The path of a runtime's executable in {@link RUNTIME_BIN}. */
export const runtimeBin = (name: 'bun' | 'deno' | 'workerd'): string => join(RUNTIME_BIN, name)

/** How long one runtime run may take before it counts as hung. */
const RUN_TIMEOUT_MS = 60_000

/** Whether the test certificates can be made (test/local/helpers/test-certificates.ts needs openssl). */
export const CAN_MAKE_CERTIFICATES = existsSync(OPENSSL)

/** What a runtime smoke test runs against; filled in by the `beforeAll` of {@link useSmokeSetup}. */
export interface SmokeSetup {
  /** The local endpoint the app connects to, over TLS only, as MotherDuck's. */
  readonly local: TestEndpoint
  /** The app project ({@link consumerProject}). */
  readonly project: string
  /** PEM of the test CA that signed the endpoint's certificate (for `localhost` and `127.0.0.1`). */
  readonly ca: string
  /** The same CA in a file, for `sslrootcert=`. */
  readonly caFile: string
  /** The endpoint's URL with host `localhost` (the certificate's name) and `query` as its parameters. */
  url(query: Readonly<Record<string, string>>): string
}

/**
 * Registers the `beforeAll` that makes test certificates, starts a local endpoint with TLS and gets the
 * app project, and the `afterAll` that stops the endpoint; read the returned setup inside tests.
 *
 * ### Examples
 *
 * ```ts
 * const setup = useSmokeSetup()
 * it('runs', async () => {
 *   const env = { ...process.env, MOTHERDUCK_URL: setup.url({ sslmode: 'require' }) }
 *   await runRuntime(runtimeBin('bun'), ['run', 'server-app.ts'], { cwd: setup.project, env })
 * })
 * ```
 */
export function useSmokeSetup(): SmokeSetup {
  let local: TestEndpoint | undefined
  let project = ''
  let ca = ''
  let dir: string | undefined
  beforeAll(async () => {
    const certificates = createTestCertificates()
    ca = certificates.ca
    dir = await mkdtemp(join(tmpdir(), 'kysely-motherduck-runtime-ca-'))
    await writeFile(join(dir, 'ca.pem'), ca)
    ;[local, project] = await Promise.all([
      startTestEndpoint({
        tls: { key: certificates.key, cert: certificates.cert },
        ssl: { ca },
      }),
      consumerProject(),
    ])
  }, 120_000)
  afterAll(async () => {
    await local?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })
  const started = (): TestEndpoint => {
    if (local === undefined) throw new Error('the smoke setup has not started (beforeAll failed)')
    return local
  }
  return {
    get local() {
      return started()
    },
    get project() {
      return project
    },
    get ca() {
      return ca
    },
    get caFile() {
      return join(dir ?? '', 'ca.pem')
    },
    url(query) {
      const url = new URL(started().endpoint.url)
      url.hostname = 'localhost'
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
      return url.href
    },
  }
}

/** What a finished runtime process printed. */
export interface RuntimeOutput {
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs a runtime to the end and resolves to what it printed; rejects with its exit code, stdout and
 * stderr when it fails (the canary check of test/setup fails the file if that shows the token).
 */
export function runRuntime(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): Promise<RuntimeOutput> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      { ...options, timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `${command} ${args.join(' ')} failed (${error.code ?? error.signal}):\n` +
                `stdout:\n${stdout}\nstderr:\n${stderr}`,
            ),
          )
        } else {
          resolvePromise({ stdout, stderr })
        }
      },
    )
  })
}

/** The report line an app printed, parsed; throws with the whole output when there is none. */
function readSmokeReport(output: RuntimeOutput): SmokeReport {
  const line = output.stdout.split('\n').find((text) => text.startsWith(SMOKE_REPORT_PREFIX))
  if (line === undefined) {
    throw new Error(
      `no ${SMOKE_REPORT_PREFIX.trim()} line in the output:\nstdout:\n${output.stdout}\nstderr:\n${output.stderr}`,
    )
  }
  return JSON.parse(line.slice(SMOKE_REPORT_PREFIX.length)) as SmokeReport
}

/**
 * Checks what a smoke app printed against what Node reads from the same endpoint afterwards: the
 * runtime is the one whose user agent matches, its `insertRows` wrote the rows Node finds, its typed
 * query and its stream returned what the same queries return in Node, and BIGINT arrived as `bigint`.
 */
export async function expectSmokeOutput(
  output: RuntimeOutput,
  userAgent: RegExp,
  setup: SmokeSetup,
): Promise<void> {
  const report = readSmokeReport(output)
  expect(report.userAgent).toMatch(userAgent)
  const rows = await setup.local
    .kysely<SmokeDatabase>()
    .selectFrom('smoke_events')
    .select(['id', 'name', 'tags', 'amount'])
    .orderBy('id')
    .execute()
  expect(rows.length).toBeGreaterThan(1)
  expect(report.inserted).toBe(rows.length)
  for (const row of rows) expect(row.name).toContain(report.userAgent)
  expect(report.streamed).toEqual(rows.map(({ id, name, tags }) => ({ id, name, tags })))
  const large = rows.filter((row) => row.amount >= LARGE_AMOUNT)
  expect(large.length).toBeGreaterThan(0)
  expect(large.length).toBeLessThan(rows.length)
  expect(report.large).toEqual(large.map(({ name, amount }) => ({ name, amount: `${amount}` })))
  expect(report.amountType).toBe('bigint')
}
