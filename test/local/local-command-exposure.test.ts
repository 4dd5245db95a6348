import { spawn } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath, pathToFileURL } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FlagError } from '../../src/cli/flag-parser.js'
import { localCommand } from '../../src/cli/local-command.js'
import { checkListenPlan } from '../../src/cli/network-exposure.js'
import { CANARY_TOKEN, findCanary, redactCanary } from '../support/canary-token.js'
import { type LocalProcess, watchLocalProcess } from '../support/local-process.js'

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(REPOSITORY, 'src/cli/bin.ts')
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const ON_LINUX = process.platform === 'linux'
const ON_POSIX = process.platform !== 'win32'

/** The real bin in a child process, with stdin a pipe. */
function startLocal(args: readonly string[], env: Record<string, string> = {}): LocalProcess {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, BIN, 'local', ...args], {
    cwd: REPOSITORY,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(REPOSITORY, 'tsconfig.json'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  return watchLocalProcess(child)
}

/** Whether a client presenting `password` gets in, by what the server answers to a query. */
async function answerWith(port: number, password: string): Promise<unknown> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'md:',
  })
  await client.connect()
  try {
    return (await client.query('SELECT 40 + 2 AS answer')).rows[0]
  } finally {
    await client.end()
  }
}

/** The process's command line as `ps` shows it to every user (Linux: /proc/PID/cmdline). */
async function commandLineOf(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ')
}

/**
 * Starts the bin with the canary token given one way, logs in with the token, checks what the process list
 * shows, stops it; resolves with its output (in which the token must not appear).
 */
async function serveWithCanary(
  args: readonly string[],
  { env = {}, stdin }: { env?: Record<string, string>; stdin?: string } = {},
): Promise<{ output: string; commandLine: string | undefined }> {
  const local = startLocal(args, env)
  try {
    // Written and left open: the line alone must be enough, without waiting for the end of stdin.
    if (stdin !== undefined) local.child.stdin?.write(stdin)
    const port = await local.listening
    expect(await answerWith(port, CANARY_TOKEN)).toEqual({ answer: 42 })
    await expect(answerWith(port, `${CANARY_TOKEN}x`)).rejects.toThrow(/password/)
    const commandLine = ON_LINUX ? await commandLineOf(local.child.pid ?? 0) : undefined
    local.child.kill('SIGTERM')
    expect(await local.closed).toBe(0)
    const output = local.output()
    expect(findCanary(output), redactCanary(output)).toBeUndefined()
    expect(output).toContain('MOTHERDUCK_URL=postgresql://postgres:<token>@127.0.0.1:')
    return { output, commandLine }
  } finally {
    local.child.kill('SIGKILL')
  }
}

describe('kysely-motherduck local: where the token comes from (the bin, with the canary token)', () => {
  let directory: string

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kmd-local-token-'))
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('--token works, and warns that the process list shows it, naming the other ways', async () => {
    const { output, commandLine } = await serveWithCanary(['--token', CANARY_TOKEN])
    expect(output).toContain(
      'Warning: --token on the command line can be read by any user of this machine in the process',
    )
    expect(output).toMatch(/MOTHERDUCK_LOCAL_TOKEN[\s\S]*--token-file <path>[\s\S]*--token-stdin/)
    expect(output).toContain('(<token> is the token from --token: it is not printed)')
    // What the warning says: the token is in the command line every user can read.
    if (commandLine !== undefined) expect(commandLine).toContain(CANARY_TOKEN)
  })

  it('--token-file <path>: one final newline dropped, no warning for mode 600, not in the process list', async () => {
    const file = join(directory, 'token')
    await writeFile(file, `${CANARY_TOKEN}\n`, { mode: 0o600 })
    await chmod(file, 0o600)
    const { output, commandLine } = await serveWithCanary(['--token-file', file])
    expect(output).not.toContain('Warning')
    expect(output).toContain(`(<token> is the token from --token-file ${file}: it is not printed)`)
    if (commandLine !== undefined) expect(commandLine).not.toContain(CANARY_TOKEN)
  })

  it.runIf(ON_POSIX)(
    '--token-file that others may read: works, with a warning that says chmod 600',
    async () => {
      const file = join(directory, 'shared-token')
      await writeFile(file, `${CANARY_TOKEN}\r\n`)
      await chmod(file, 0o644)
      const { output } = await serveWithCanary(['--token-file', file])
      expect(output).toContain(
        `Warning: --token-file ${file} can be read or written by other users (mode 644).\nMake it private: chmod 600 ${file}`,
      )
    },
  )

  it('--token-stdin reads the first line of a pipe that stays open', async () => {
    const { output, commandLine } = await serveWithCanary(['--token-stdin'], {
      stdin: `${CANARY_TOKEN}\nthe rest is not read\n`,
    })
    expect(output).not.toContain('Warning')
    expect(output).toContain('(<token> is the token from --token-stdin: it is not printed)')
    if (commandLine !== undefined) expect(commandLine).not.toContain(CANARY_TOKEN)
  })

  it('MOTHERDUCK_LOCAL_TOKEN when no flag gives it', async () => {
    const { output, commandLine } = await serveWithCanary([], {
      env: { MOTHERDUCK_LOCAL_TOKEN: CANARY_TOKEN },
    })
    expect(output).not.toContain('Warning')
    expect(output).toContain(
      '(<token> is the token from MOTHERDUCK_LOCAL_TOKEN: it is not printed)',
    )
    if (commandLine !== undefined) expect(commandLine).not.toContain(CANARY_TOKEN)
  })

  it('a flag beats MOTHERDUCK_LOCAL_TOKEN', async () => {
    const file = join(directory, 'flag-token')
    await writeFile(file, CANARY_TOKEN, { mode: 0o600 })
    await chmod(file, 0o600)
    const { output } = await serveWithCanary(['--token-file', file], {
      env: { MOTHERDUCK_LOCAL_TOKEN: 'the-variable-loses' },
    })
    expect(output).toContain(`the token from --token-file ${file}`)
  })
})

/** The command in-process, for the refusals (none of which starts an endpoint). */
async function refusal(
  argv: string[],
  { stdin = '', env = {} }: { stdin?: string; env?: Record<string, string> } = {},
): Promise<string> {
  let stderr = ''
  let started = false
  const code = await localCommand.run(argv, {
    stdout: () => undefined,
    stderr: (text) => {
      stderr += text
    },
    stdin: Readable.from([stdin]),
    env,
    stopSignal: () => Promise.resolve('test'),
    onStarted: () => {
      started = true
    },
  })
  expect(code).toBe(1)
  expect(started).toBe(false)
  expect(stderr).toContain('Run `kysely-motherduck local --help` for the options.')
  expect(findCanary(stderr), redactCanary(stderr)).toBeUndefined()
  return stderr
}

describe('kysely-motherduck local: token refusals', () => {
  let directory: string

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kmd-local-token-refusals-'))
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('two token flags at once', async () => {
    const file = join(directory, 'token')
    await writeFile(file, CANARY_TOKEN)
    expect(await refusal(['--token', CANARY_TOKEN, '--token-file', file])).toContain(
      '--token and --token-file both give the token: pass one of them.',
    )
    expect(await refusal(['--token-file', file, '--token-stdin'])).toContain(
      '--token-file and --token-stdin both give the token',
    )
  })

  it('an empty token from any flag', async () => {
    const empty = join(directory, 'empty')
    await writeFile(empty, '\n')
    expect(await refusal(['--token-file', empty])).toContain(
      `--token-file ${empty} is empty: the token clients must send cannot be empty.`,
    )
    expect(await refusal(['--token-stdin'], { stdin: '\r\n' })).toContain(
      '--token-stdin read an empty line',
    )
    expect(await refusal(['--token-stdin'], { stdin: '' })).toContain(
      '--token-stdin read an empty line',
    )
    expect(await refusal(['--token', ''])).toContain('--token is empty')
  })

  it('a token file of several lines, a missing one, and one too long to be a token', async () => {
    const lines = join(directory, 'lines')
    await writeFile(lines, `${CANARY_TOKEN}\nMOTHERDUCK_TOKEN=${CANARY_TOKEN}\n`)
    expect(await refusal(['--token-file', lines])).toContain(
      `--token-file ${lines} holds more than one line`,
    )
    const missing = join(directory, 'missing')
    expect(await refusal(['--token-file', missing])).toMatch(
      new RegExp(`--token-file ${missing}: ENOENT`),
    )
    const huge = join(directory, 'huge')
    await writeFile(huge, 'x'.repeat(65 * 1024))
    expect(await refusal(['--token-file', huge])).toContain('more than 64 KiB')
    expect(await refusal(['--token-stdin'], { stdin: 'y'.repeat(65 * 1024) })).toContain(
      '--token-stdin: stdin holds more than 64 KiB before a newline',
    )
  })
})

describe('kysely-motherduck local: a --host beyond loopback needs TLS', () => {
  it('refuses 0.0.0.0, ::, a LAN address and a host name without TLS, saying what to pass', async () => {
    for (const host of ['0.0.0.0', '::', '[::]', '192.168.1.10', '10.0.0.5', 'my-laptop.lan']) {
      const stderr = await refusal(['--host', host, '--token', CANARY_TOKEN])
      expect(stderr).toContain(`--host ${host} listens beyond this machine, and without TLS`)
      expect(stderr).toContain('--tls-cert <file>')
      expect(stderr).toContain('--allow-insecure-network')
    }
  })

  it('is checked before the token is read: stdin is left alone', async () => {
    const stderr = await refusal(['--host', '0.0.0.0', '--token-stdin'], { stdin: '' })
    expect(stderr).toContain('--host 0.0.0.0 listens beyond this machine')
  })
})

describe('checkListenPlan', () => {
  it('lets loopback hosts listen without TLS', () => {
    for (const host of [
      undefined,
      '127.0.0.1',
      '127.0.0.2',
      '::1',
      '[::1]',
      'localhost',
      'LOCALHOST',
    ]) {
      expect(checkListenPlan({ host, tls: false, allowInsecureNetwork: false })).toBeUndefined()
    }
  })

  it('lets any host listen with TLS, and without it only when allowed, with a warning', () => {
    expect(
      checkListenPlan({ host: '0.0.0.0', tls: true, allowInsecureNetwork: false }),
    ).toBeUndefined()
    expect(() =>
      checkListenPlan({ host: 'foo.localhost', tls: false, allowInsecureNetwork: false }),
    ).toThrow(FlagError)
    expect(checkListenPlan({ host: '0.0.0.0', tls: false, allowInsecureNetwork: true })).toContain(
      'Warning: listening on 0.0.0.0 without TLS (--allow-insecure-network)',
    )
  })
})
