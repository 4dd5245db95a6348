import { execFile, spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.js'

const run = promisify(execFile)

/** A throwaway PostgreSQL server on 127.0.0.1, for benchmarks and as the protocol's oracle in tests. */
export interface PostgresServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  readonly url: string
  readonly port: number
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>
}

/** The folder of Debian's PostgreSQL binaries (`/usr/lib/postgresql/<n>/bin`), or one on PATH. */
export function postgresBinDir(): string | undefined {
  const debian = '/usr/lib/postgresql'
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((name) => existsSync(join(debian, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a))
    if (versions[0] !== undefined) return join(debian, versions[0], 'bin')
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir
  }
  return undefined
}

/**
 * PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user (Debian's package
 * creates it), in a data directory that user owns.
 */
async function asServerUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined
  const { stdout } = await run('id', ['-u', 'postgres'])
  const { stdout: group } = await run('id', ['-g', 'postgres'])
  return { uid: Number(stdout.trim()), gid: Number(group.trim()) }
}

/**
 * Starts PostgreSQL in a new data directory on a free loopback port (no Unix socket, `fsync` off: it
 * holds nothing worth keeping). Throws when no PostgreSQL binaries are installed (Debian: `apt-get
 * install postgresql`).
 *
 * ### Examples
 *
 * ```ts
 * const server = await startPostgres()
 * const client = new pg.Client({ connectionString: server.url })
 * // …
 * await server.stop()
 * ```
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir()
  if (bin === undefined) {
    throw new Error('PostgreSQL is not installed: apt-get install postgresql')
  }
  const user = await asServerUser()
  const dir = await mkdtemp(join(tmpdir(), 'kysely-motherduck-pg-'))
  const data = join(dir, 'data')
  if (user) {
    await chown(dir, user.uid, user.gid)
    await chmod(dir, 0o700)
  }
  const options = user ? { uid: user.uid, gid: user.gid } : {}
  await run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
    options,
  )
  const port = await freePort()
  const server = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      '',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { ...options, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  server.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`
  const stop = async () => {
    server.kill('SIGINT')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  for (let attempt = 0; ; attempt++) {
    if (/ready to accept connections/.test(log)) break
    if (server.exitCode !== null || attempt > 300) {
      await stop()
      throw new Error(`PostgreSQL did not start:\n${log}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { url, port, stop }
}
