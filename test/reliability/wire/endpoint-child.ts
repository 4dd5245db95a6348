import { type ChildProcess, fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type {
  LocalEndpointDialectConfig,
  LocalEndpointDialectConfigOptions,
  LocalEndpointOptions,
} from '../../../src/local/index.js'
import { localEndpointDialectConfig } from '../../../src/local/local-endpoint-dialect-config.js'

/** What the parent asks the endpoint process. */
export type ChildRequest =
  | { readonly type: 'start'; readonly options: LocalEndpointOptions }
  | { readonly type: 'memory' }
  | { readonly type: 'stop' }

/** What the endpoint process answers. */
export type ChildReply =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'memory'; readonly usage: NodeJS.MemoryUsage }
  | { readonly type: 'crash'; readonly message: string }

/** Resident-memory figures of a process, from /proc/<pid>/status, in bytes. */
export interface ResidentMemory {
  /** VmRSS: resident now. */
  readonly rss: number
  /** VmHWM: the peak resident size since the process started. */
  readonly peak: number
}

/** The local endpoint running in a child process (see endpoint-process.ts). */
export interface EndpointProcess {
  readonly host: '127.0.0.1'
  readonly port: number
  readonly token: string
  readonly pid: number
  /** A `postgresql://` URL for pg (no TLS). */
  readonly url: string
  /** The config for `new MotherDuckDialect(…)`, as the in-process handle's `dialectConfig()` gives it. */
  dialectConfig(options?: LocalEndpointDialectConfigOptions): LocalEndpointDialectConfig
  /** Null while it runs; its exit code (or signal) once it stopped. */
  exitCode(): number | string | null
  /** Crash reports it sent before exiting. */
  readonly crashes: readonly string[]
  residentMemory(): ResidentMemory
  /** The child's own `process.memoryUsage()` (heap, external and ArrayBuffer bytes), after a full GC. */
  memoryUsage(): Promise<NodeJS.MemoryUsage>
  stop(): Promise<void>
}

const SCRIPT = fileURLToPath(new URL('./endpoint-process.ts', import.meta.url))

/**
 * Forks the endpoint process (Node with tsx's loader, so the TypeScript sources run as they are) and
 * starts the endpoint in it with `options`; resolves once it listens. `environment` adds variables to
 * the child's (e.g. UV_THREADPOOL_SIZE, which libuv reads when the child starts). The token travels over IPC, never
 * through argv or the environment.
 */
export async function startEndpointProcess(
  options: LocalEndpointOptions & { readonly token: string },
  environment: Readonly<Record<string, string>> = {},
): Promise<EndpointProcess> {
  const child: ChildProcess = fork(SCRIPT, [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...environment },
  })
  const crashes: string[] = []
  const memoryWaiters: ((usage: NodeJS.MemoryUsage) => void)[] = []
  let exit: number | string | null = null
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = code ?? signal ?? 'unknown'
      resolve()
    })
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: ChildReply) => {
      if (message.type === 'ready') resolve(message.port)
      else if (message.type === 'memory') memoryWaiters.shift()?.(message.usage)
      else if (message.type === 'crash') {
        crashes.push(message.message)
        reject(new Error(`the endpoint process crashed: ${message.message}`))
      }
    })
    child.once('exit', (code) => reject(new Error(`the endpoint process exited with ${code}`)))
    child.send({ type: 'start', options } satisfies ChildRequest)
  })
  const pid = child.pid as number
  return {
    host: '127.0.0.1',
    port,
    token: options.token,
    pid,
    url: `postgresql://postgres:${encodeURIComponent(options.token)}@127.0.0.1:${port}/md:?sslmode=disable`,
    dialectConfig: (dialectOptions) =>
      localEndpointDialectConfig(
        { host: '127.0.0.1', port, token: options.token, tls: options.tls !== undefined },
        dialectOptions,
      ),
    exitCode: () => exit,
    crashes,
    residentMemory: () => residentMemoryOf(pid),
    memoryUsage: () =>
      new Promise((resolve) => {
        memoryWaiters.push(resolve)
        child.send({ type: 'memory' } satisfies ChildRequest)
      }),
    async stop() {
      if (exit !== null) return
      child.send({ type: 'stop' } satisfies ChildRequest)
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** VmRSS and VmHWM of a running process (Linux /proc). */
export function residentMemoryOf(pid: number): ResidentMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
    if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/${pid}/status`)
    return Number(match[1]) * 1024
  }
  return { rss: kib('VmRSS'), peak: kib('VmHWM') }
}

/** `123.4 MiB` */
export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
