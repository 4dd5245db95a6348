import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { localCommand } from '../../src/cli/local-command.js'
import type { LocalEndpoint } from '../../src/local/index.js'

/** Runs the command in-process; `whileRunning` gets the endpoint, then the command is stopped. */
async function runLocal(
  argv: string[],
  whileRunning: (endpoint: LocalEndpoint) => Promise<void> = async () => undefined,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  let stop: (signal: string) => void = () => undefined
  const stopped = new Promise<string>((resolve) => {
    stop = resolve
  })
  let work: Promise<void> = Promise.resolve()
  const code = await localCommand.run(argv, {
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    stopSignal: () => stopped,
    onStarted: (endpoint) => {
      work = whileRunning(endpoint).finally(() => stop('SIGTERM'))
    },
  })
  await work
  return { code, stdout, stderr }
}

describe('kysely-motherduck local', () => {
  it('documents every flag in --help', async () => {
    const { code, stdout } = await runLocal(['--help'])
    expect(code).toBe(0)
    expect(stdout).toBe(`${localCommand.help()}\n`)
    for (const flag of localCommand.flags) expect(stdout).toContain(`--${flag.name}`)
  })

  it('refuses unknown flags, stray arguments and malformed pairs', async () => {
    for (const argv of [
      ['--nope'],
      ['serve'],
      ['--database', 'no-equals'],
      ['--port', 'x'],
      ['--tls-cert', 'a.pem'],
    ]) {
      const { code, stderr } = await runLocal(argv)
      expect(code).toBe(1)
      expect(stderr).toMatch(/--help/)
    }
  })

  it('starts with the flags, prints the URL and stops cleanly', async () => {
    let database = ''
    const { code, stdout, stderr } = await runLocal(
      [
        '--token',
        'cli-token',
        '--database',
        'first=:memory:',
        '--database',
        'second=:memory:',
        '--no-strict',
        '--auth=password',
      ],
      async (endpoint) => {
        const client = new pg.Client({ connectionString: endpoint.url })
        await client.connect()
        database = (await client.query('SELECT current_database() AS db')).rows[0].db
        await client.end()
      },
    )
    expect(code).toBe(0)
    expect(database).toBe('first')
    // The token given with --token is not printed.
    expect(stdout).toMatch(
      /MOTHERDUCK_URL=postgresql:\/\/postgres:<token>@127\.0\.0\.1:\d+\/md:\?sslmode=disable/,
    )
    expect(stdout).not.toContain('cli-token')
    expect(stdout).toContain('databases: first, second (md: is first)')
    // --token on the command line: the warning (test/local/local-command-exposure.test.ts), then the stop.
    expect(stderr).toMatch(
      /^Warning: --token on the command line can be read by any user[\s\S]*\nSIGTERM: stopping…\nStopped\.\n$/,
    )
  })

  it('answers md_user_info() from --user-info, and refuses an unknown column', async () => {
    let info: unknown
    const { code } = await runLocal(
      ['--user-info', 'region=eu-central-1', '--user-info', 'org_name=ducks'],
      async (endpoint) => {
        const client = new pg.Client({ connectionString: endpoint.url })
        await client.connect()
        info = (
          await client.query('SELECT username, org_name, org_type, region FROM md_user_info()')
        ).rows[0]
        await client.end()
      },
    )
    expect(code).toBe(0)
    expect(info).toEqual({
      username: 'postgres',
      org_name: 'ducks',
      org_type: 'local',
      region: 'eu-central-1',
    })
    const refused = await runLocal(['--user-info', 'planet=mars'], async () => undefined)
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain(
      '--user-info has no column "planet": give one of user_id, username, org_id, org_name, org_type, region.',
    )
  })

  it('attaches --database name=path:ro read-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kysely-motherduck-cli-ro-'))
    const path = join(dir, 'shared.duckdb')
    const instance = await DuckDBInstance.create(path)
    const writer = await instance.connect()
    await writer.run('CREATE TABLE t AS SELECT 1 AS id')
    writer.closeSync()
    instance.closeSync()
    let answers: unknown[] = []
    const { code } = await runLocal(
      ['--database', 'my_db=:memory:', '--database', `shared=${path}:ro`],
      async (endpoint) => {
        const client = new pg.Client({ connectionString: endpoint.url })
        await client.connect()
        const read = await client.query('SELECT id FROM shared.main.t')
        const write = await client.query('INSERT INTO shared.main.t VALUES (2)').catch((e) => e)
        answers = [read.rows, write.code, write.message]
        await client.end()
      },
    )
    rmSync(dir, { recursive: true, force: true })
    expect(code).toBe(0)
    expect(answers).toEqual([[{ id: 1 }], '42501', expect.stringMatching(/read-only/)])
  })

  it('stops on SIGTERM when run as the bin', async () => {
    const tsx = createRequire(import.meta.url).resolve('tsx/cli')
    const child = spawn(
      process.execPath,
      // Without --token: the generated token is printed in the URL.
      [tsx, 'src/cli/bin.ts', 'local'],
      {
        cwd: new URL('../..', import.meta.url).pathname,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk
        const match = /MOTHERDUCK_URL=(\S+)/.exec(stdout)
        if (match) resolve(match[1]!)
      })
      child.once('exit', () => reject(new Error(`exited early: ${stderr}`)))
    })
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    expect((await client.query('SELECT 40 + 2 AS answer')).rows).toEqual([{ answer: 42 }])
    await client.end()
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(stderr).toContain('Stopped.')
  })
})
