/**
 * The whole `kysely-motherduck codegen` command, as CI runs it (a new Node process, the built package),
 * against kysely-codegen's own CLI (started without npx) on the nearest PostgreSQL schema: 500 tables × 20
 * columns each side, our CLI on the local endpoint (its own process), kysely-codegen's on a throwaway
 * PostgreSQL server. Both write the file; runs alternate and the medians are compared. Also reports
 * what start-up (Node, the CLI, loading the generator) takes of our run.
 * Run: `npx tsx bench/codegen-cli.bench.ts` (needs Debian's postgresql; builds dist/ first).
 */
import { type ChildProcess, execFile, fork } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import { postgresBinDir, startPostgres } from '../test/support/postgres-server.js'
import { type BenchResult, runWhenMain } from './bench-result.js'
import { duckdbSchemaSql, postgresSchemaSql } from './codegen-schema.js'

const TABLES = 500
const RUNS = 7
const REPO = resolve(fileURLToPath(import.meta.url), '../..')
// The Node of the repository's devDependency (24), as `npx kysely-motherduck` would run.
const NODE = join(REPO, 'node_modules/.bin/node')
const OUR_CLI = join(REPO, 'dist/src/cli/bin.js')
const KYSELY_CODEGEN_CLI = join(REPO, 'node_modules/kysely-codegen/dist/cli/bin.js')

const runFile = promisify(execFile)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Wall time of one command, which must exit 0. */
async function timeCommand(args: readonly string[], cwd: string): Promise<number> {
  const start = performance.now()
  await runFile(NODE, args, { cwd, env: { ...process.env, NO_COLOR: '1' } })
  return performance.now() - start
}

async function startEndpointProcess(): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL('./local-endpoint-server.ts', import.meta.url))
  const child = fork(script, [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: ['--import', 'tsx'],
  })
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('message', (message) => resolveUrl((message as { url: string }).url))
    child.once('exit', (code) => reject(new Error(`the endpoint process exited with code ${code}`)))
  })
  return { child, url }
}

async function runSql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

export async function run(): Promise<BenchResult[]> {
  if (postgresBinDir() === undefined) {
    console.error('codegen CLI: skipped, PostgreSQL is not installed (apt-get install postgresql)')
    return []
  }
  await runFile(join(REPO, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: REPO })
  const cwd = await mkdtemp(join(tmpdir(), 'codegen-cli-bench-'))
  const postgres = await startPostgres()
  const endpoint = await startEndpointProcess()
  try {
    await runSql(postgres.url, postgresSchemaSql(TABLES))
    await runSql(endpoint.url, duckdbSchemaSql(TABLES))

    const ours = ['codegen', '--url', endpoint.url, '--out-file', 'ours.ts', '--log-level', 'warn']
    const theirs = [
      '--dialect',
      'postgres',
      '--url',
      postgres.url,
      '--out-file',
      join(cwd, 'theirs.ts'),
      '--log-level',
      'warn',
    ]
    // Warm up both (the OS file cache, both servers' catalogs), then alternate.
    await timeCommand([OUR_CLI, ...ours], cwd)
    await timeCommand([KYSELY_CODEGEN_CLI, ...theirs], cwd)
    const our: number[] = []
    const their: number[] = []
    const startup: number[] = []
    for (let i = 0; i < RUNS; i++) {
      our.push(await timeCommand([OUR_CLI, ...ours], cwd))
      their.push(await timeCommand([KYSELY_CODEGEN_CLI, ...theirs], cwd))
      // Start-up alone: Node, the CLI, and loading the generator with kysely-codegen, no database.
      startup.push(
        await timeCommand(
          [
            '--input-type=module',
            '-e',
            ['generate-types.js', 'catalog-to-types.js']
              .map((file) => `await import(${JSON.stringify(join(REPO, 'dist/codegen', file))})`)
              .join('\n'),
          ],
          cwd,
        ),
      )
    }
    const ratio = median(our) / median(their)
    console.error(
      `codegen CLI: ${TABLES} tables × 20 columns; kysely-motherduck codegen median ` +
        `${median(our).toFixed(0)} ms, kysely-codegen (PostgreSQL) median ${median(their).toFixed(0)} ms, ` +
        `ratio ${ratio.toFixed(2)} (target <= 0.6); start-up (node + loading the generator) ` +
        `${median(startup).toFixed(0)} ms = ${((100 * median(startup)) / median(our)).toFixed(0)}% of our run`,
    )
    return [
      {
        name: `codegen CLI: kysely-motherduck ÷ kysely-codegen on PostgreSQL (${TABLES}×20)`,
        ratio,
        target: '<= 0.6',
        pass: ratio <= 0.6,
      },
    ]
  } finally {
    endpoint.child.send('stop')
    await new Promise((resolveExit) => endpoint.child.once('exit', resolveExit))
    await postgres.stop()
    await rm(cwd, { recursive: true, force: true })
  }
}

await runWhenMain(import.meta.url, run)
