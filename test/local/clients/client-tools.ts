import { execFile, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { describe, it } from 'vitest'
import type { LocalEndpoint } from '../../../src/local/index.js'

const run = promisify(execFile)

export const PSQL = '/usr/bin/psql'
export const PYTHON = '/usr/bin/python3'
export const PGJDBC_JAR = '/usr/share/java/postgresql.jar'

/** A third-party client installed from Debian (or npm), and how to install it when missing. */
export interface ClientTool {
  /** What the test runs, e.g. `psycopg 3 (Debian python3-psycopg)`. */
  readonly title: string
  readonly available: boolean
  /** The command that installs it. */
  readonly install: string
}

function pythonHas(module: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function commandExists(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** A Python module from a Debian package, run by Debian's /usr/bin/python3. */
export function pythonClient(
  title: string,
  modules: readonly string[],
  packages: string,
): ClientTool {
  return {
    title,
    available: existsSync(PYTHON) && modules.every(pythonHas),
    install: `apt-get install ${packages}`,
  }
}

/** asyncpg, from Debian's python3-asyncpg. */
export const asyncpgClient = pythonClient(
  'asyncpg (Debian python3-asyncpg)',
  ['asyncpg'],
  'python3-asyncpg',
)

export const psqlClient: ClientTool = {
  title: 'psql (Debian postgresql-client)',
  available: existsSync(PSQL),
  install: 'apt-get install postgresql-client',
}

export const pgjdbcClient: ClientTool = {
  title: 'pgjdbc as shipped (Debian libpostgresql-jdbc-java, /usr/share/java/postgresql.jar)',
  available: existsSync(PGJDBC_JAR) && commandExists('javac') && commandExists('java'),
  install: 'apt-get install libpostgresql-jdbc-java default-jdk-headless',
}

/**
 * `describe` for one client's tests: skipped with a message that says what to install when the client
 * is missing on a developer's machine; in CI (`CI=true`) a missing client fails instead, so that CI
 * never passes without running it.
 */
export function describeClient(client: ClientTool, body: () => void): void {
  if (client.available) {
    describe(client.title, body)
  } else if (process.env.CI === 'true') {
    describe(client.title, () => {
      it('is installed (CI runs every client)', () => {
        throw new Error(`${client.title} is not installed: ${client.install} (see .ci/run)`)
      })
    })
  } else {
    describe.skip(`${client.title} — skipped: not installed (${client.install})`, body)
  }
}

/** libpq's settings for the endpoint through the environment, so the token is on no command line. */
export function libpqEnvironment(
  endpoint: LocalEndpoint,
  overrides: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PGHOST: endpoint.host,
    PGPORT: String(endpoint.port),
    PGUSER: 'postgres',
    PGPASSWORD: endpoint.token,
    PGDATABASE: 'md:',
    PGSSLMODE: 'disable',
    PGCONNECT_TIMEOUT: '10',
    ...overrides,
  }
}

/**
 * Runs a Python script with Debian's python3 and the endpoint's libpq environment (plus `env`); returns
 * the JSON the script printed last. A failing script fails the test with its stderr.
 */
export async function runPython(
  endpoint: LocalEndpoint,
  script: string,
  env: Readonly<Record<string, string>> = {},
): Promise<unknown> {
  try {
    const { stdout } = await run(PYTHON, ['-c', script], {
      env: { ...libpqEnvironment(endpoint), PYTHONWARNINGS: 'ignore', ...env },
      timeout: 120_000,
    })
    const lines = stdout.trim().split('\n')
    return JSON.parse(lines[lines.length - 1] ?? 'null')
  } catch (error) {
    const failed = error as { stderr?: string; message: string }
    throw new Error(`python3 failed: ${failed.stderr?.trim() || failed.message}`)
  }
}
