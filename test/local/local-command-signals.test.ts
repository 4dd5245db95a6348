import { spawn } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startedByNpm } from '../../src/cli/stop-signal.js'
import { freePort } from '../support/free-port.js'
import { type LocalProcess, watchLocalProcess } from '../support/local-process.js'

// npm runs a bin through `sh -c`. dash (Debian's and Ubuntu's sh) dies of the SIGTERM npm passes it and
// leaves the bin running; bash as sh execs the bin, which then gets the signal itself.
const SH_DROPS_SIGNALS = basename(realpathSync('/bin/sh')) === 'dash'
const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(REPOSITORY, 'src/cli/bin.ts')
// One Node process with tsx's loader (tsx's own CLI would put a second process in between).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const env = {
  ...process.env,
  // npm and npx run on the repository's Node 24, as in the npm scripts.
  PATH: `${join(REPOSITORY, 'node_modules/.bin')}:${process.env.PATH}`,
  TSX_TSCONFIG_PATH: join(REPOSITORY, 'tsconfig.json'),
}

function startProcess(command: string, args: readonly string[], cwd = REPOSITORY): LocalProcess {
  return watchLocalProcess(spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }))
}

/** `kysely-motherduck local <args>` run as the bin is (node on src/cli/bin.ts). */
function startLocal(args: readonly string[]): LocalProcess {
  return startProcess(process.execPath, ['--import', TSX_LOADER, BIN, 'local', ...args])
}

/** Whether a new server can listen on the port, i.e. nothing holds it any more. */
async function portIsFree(port: number): Promise<boolean> {
  const server = createServer()
  return await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

async function answer(port: number, url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    expect(client.port).toBe(port)
    return (await client.query('SELECT 40 + 2 AS answer')).rows[0]
  } finally {
    await client.end()
  }
}

function urlIn(output: string): string {
  const match = /MOTHERDUCK_URL=(\S+)/.exec(output)
  if (!match?.[1]) throw new Error(`no URL in:\n${output}`)
  return match[1]
}

async function fileOrUndefined(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined)
}

describe('kysely-motherduck local under a signal', () => {
  let directory: string
  const started: LocalProcess[] = []

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kysely-motherduck-signals-'))
  })

  afterAll(async () => {
    for (const local of started) if (local.child.exitCode === null) local.child.kill('SIGKILL')
    await rm(directory, { recursive: true, force: true })
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: closes the server and DuckDB, removes --pid-file, exits 0 and frees the port`, async () => {
      const port = await freePort()
      const pidFile = join(directory, `${signal}.pid`)
      const local = startLocal(['--port', String(port), '--pid-file', pidFile])
      started.push(local)
      expect(await local.listening).toBe(port)
      expect(await fileOrUndefined(pidFile)).toBe(`${local.child.pid}\n`)
      expect(await answer(port, urlIn(local.output()))).toEqual({ answer: 42 })

      local.child.kill(signal)
      expect(await local.closed).toBe(0)
      expect(local.output()).toContain(`${signal}: stopping…\nStopped.\n`)
      expect(await portIsFree(port)).toBe(true)
      expect(await fileOrUndefined(pidFile)).toBeUndefined()
    })
  }

  it('refuses a port in use with the port and what to do, and leaves the running one alone', async () => {
    const port = await freePort()
    const pidFile = join(directory, 'shared.pid')
    const first = startLocal(['--port', String(port), '--pid-file', pidFile])
    started.push(first)
    await first.listening

    const second = startLocal(['--port', String(port)])
    expect(await second.closed).toBe(1)
    expect(second.output()).toContain(
      `Could not start the local endpoint: port ${port} on 127.0.0.1 is already in use.\n` +
        'Another process listens there, perhaps a `kysely-motherduck local` an earlier run left behind',
    )
    expect(second.output()).toContain('or pass another --port (--port 0 picks a free one')

    // With the same --pid-file, the message names the process that holds the port; the file is
    // removed, so a script waiting for it to appear does not take the old server for a new one.
    const third = startLocal(['--port', String(port), '--pid-file', pidFile])
    expect(await third.closed).toBe(1)
    expect(third.output()).toContain(
      `--pid-file ${pidFile} named process ${first.child.pid}, which still runs`,
    )
    expect(third.output()).toContain(`Stop it (kill ${first.child.pid}), or pass another --port`)
    expect(await fileOrUndefined(pidFile)).toBeUndefined()

    expect(await answer(port, urlIn(first.output()))).toEqual({ answer: 42 })
    first.child.kill('SIGTERM')
    expect(await first.closed).toBe(0)
  })

  describe('started through npx', () => {
    let project: string

    beforeAll(async () => {
      // A project where `npx --no-install kysely-motherduck` finds this repository's bin, as it finds
      // an installed package's: npm runs it through `sh -c`, as it does any bin.
      project = join(directory, 'project')
      await mkdir(join(project, 'node_modules/.bin'), { recursive: true })
      await writeFile(join(project, 'package.json'), '{ "name": "consumer", "private": true }\n')
      const shim = join(project, 'node_modules/.bin/kysely-motherduck')
      await writeFile(
        shim,
        `#!/bin/sh\nexec "${process.execPath}" --import "${TSX_LOADER}" "${BIN}" "$@"\n`,
      )
      await chmod(shim, 0o755)
    })

    function startWithNpx(args: readonly string[]): LocalProcess {
      return startProcess('npx', ['--no-install', 'kysely-motherduck', 'local', ...args], project)
    }

    it('stops when npx gets SIGTERM (`kill $!` in a script): npm does not pass it on', async () => {
      const port = await freePort()
      const pidFile = join(directory, 'npx.pid')
      const local = startWithNpx(['--port', String(port), '--pid-file', pidFile])
      started.push(local)
      expect(await local.listening).toBe(port)
      const serverPid = Number(await fileOrUndefined(pidFile))
      expect(serverPid).not.toBe(local.child.pid)

      local.child.kill('SIGTERM')
      await local.closed
      expect(local.output()).toContain('the process that started it exited: stopping…\nStopped.\n')
      expect(await portIsFree(port)).toBe(true)
      expect(await fileOrUndefined(pidFile)).toBeUndefined()
    })

    it("runs the README's CI pattern twice in a row; with the port taken it fails instead of using it", async () => {
      const readme = await readFile(join(REPOSITORY, 'README.md'), 'utf8')
      const pattern = /```sh\n(rm -f local-endpoint\.pid[\s\S]*?)```/.exec(readme)?.[1]
      if (pattern === undefined) throw new Error("the README's CI pattern is gone")
      const port = await freePort()
      await writeFile(join(project, 'ci.sh'), `set -e\n${pattern.replaceAll('5433', String(port))}`)
      // `npm test` of the pattern: a query through the URL it sets.
      await writeFile(
        join(project, 'check.cjs'),
        `const pg = require(${JSON.stringify(createRequire(import.meta.url).resolve('pg'))})
const client = new pg.Client(process.env.MOTHERDUCK_URL)
client.connect().then(() => client.query('SELECT 40 + 2 AS answer')).then(({ rows }) => {
  console.log('answer', rows[0].answer)
  return client.end()
})\n`,
      )
      await writeFile(
        join(project, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, scripts: { test: 'node check.cjs' } }),
      )
      for (const run of [1, 2]) {
        const ci = startProcess('sh', ['ci.sh'], project)
        expect(await ci.closed, `run ${run}:\n${ci.output()}`).toBe(0)
        expect(ci.output()).toContain('answer 42')
        expect(ci.output()).toContain('SIGTERM: stopping…\nStopped.\n')
        expect(await portIsFree(port)).toBe(true)
      }

      const holder = startLocal(['--port', String(port)])
      started.push(holder)
      await holder.listening
      const ci = startProcess('sh', ['ci.sh'], project)
      expect(await ci.closed).not.toBe(0)
      expect(ci.output()).toContain(`port ${port} on 127.0.0.1 is already in use.`)
      expect(ci.output()).not.toContain('answer')
      holder.child.kill('SIGTERM')
      expect(await holder.closed).toBe(0)
    })

    it.runIf(SH_DROPS_SIGNALS)(
      'without --exit-with-parent the endpoint outlives npx: the reason the flag is on under npm',
      async () => {
        const port = await freePort()
        const pidFile = join(directory, 'npx-no-watch.pid')
        const local = startWithNpx([
          '--port',
          String(port),
          '--pid-file',
          pidFile,
          '--no-exit-with-parent',
        ])
        started.push(local)
        await local.listening
        const serverPid = Number(await fileOrUndefined(pidFile))
        local.child.kill('SIGTERM')
        await new Promise((resolve) => local.child.once('exit', resolve))

        expect(await answer(port, urlIn(local.output()))).toEqual({ answer: 42 })
        expect(await portIsFree(port)).toBe(false)
        // The --pid-file way: kill the endpoint itself.
        process.kill(serverPid, 'SIGTERM')
        await local.closed
        expect(local.output()).toContain('SIGTERM: stopping…\nStopped.\n')
        expect(await portIsFree(port)).toBe(true)
      },
    )
  })
})

describe('startedByNpm', () => {
  it('is true when npm runs kysely-motherduck itself, false otherwise', () => {
    expect(startedByNpm({ npm_lifecycle_script: "'kysely-motherduck'" })).toBe(true)
    expect(startedByNpm({ npm_lifecycle_script: 'kysely-motherduck local --port 5433' })).toBe(true)
    expect(
      startedByNpm({ npm_lifecycle_script: './node_modules/.bin/kysely-motherduck local' }),
    ).toBe(true)
    expect(startedByNpm({ npm_lifecycle_script: 'sh ./start-db.sh' })).toBe(false)
    expect(startedByNpm({ npm_lifecycle_script: 'kysely-motherduck-other local' })).toBe(false)
    expect(startedByNpm({})).toBe(false)
  })
})
