import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { StreamClientEvent, StreamClientResult } from './stream-client.js'

const STREAM_CLIENT = fileURLToPath(new URL('./stream-client.ts', import.meta.url))

/** What the stream client is asked to read. */
export interface StreamClientOptions {
  readonly port: number
  readonly token: string
  readonly database: string
  readonly rows: number
  /** The `.stream(chunkSize)` argument: rows per round trip. */
  readonly chunkSize: number
  /** Called when the client has read half of the rows (it has just printed its own peak). */
  readonly onHalfway?: () => void
}

/** The stream client (stream-client.ts) running in a child process. */
export interface StreamClientProcess {
  readonly pid: number
  /** Resolves once the first rows arrived (or the client failed). */
  readonly streaming: Promise<void>
  /** Resolves with its result once it exited 0; rejects with its stderr otherwise. */
  readonly done: Promise<StreamClientResult>
  /** SIGKILL, if it still runs. */
  kill(): void
}

/**
 * Starts stream-client.ts in a Node child process with tsx's loader. The token travels in the child's
 * environment (`MOTHERDUCK_TOKEN`), never in argv, which `ps` shows to every user.
 */
export function startStreamClient(options: StreamClientOptions): StreamClientProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      STREAM_CLIENT,
      `--port=${options.port}`,
      `--rows=${options.rows}`,
      `--chunk-size=${options.chunkSize}`,
      `--database=${options.database}`,
    ],
    {
      env: { ...environmentWithoutMotherDuck(), MOTHERDUCK_TOKEN: options.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let onStreaming: () => void = () => {}
  const streaming = new Promise<void>((resolve) => {
    onStreaming = resolve
  })
  const done = new Promise<StreamClientResult>((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    let result: StreamClientResult | undefined
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text
      for (let end = stdout.indexOf('\n'); end >= 0; end = stdout.indexOf('\n')) {
        const line = stdout.slice(0, end)
        stdout = stdout.slice(end + 1)
        // Its events are JSON objects; anything else (a runtime warning) is not for us.
        if (!line.startsWith('{')) continue
        const event = JSON.parse(line) as StreamClientEvent
        if (event.event === 'streaming') onStreaming()
        else if (event.event === 'halfway') options.onHalfway?.()
        else result = event
      }
    })
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text
    })
    child.once('exit', (code, signal) => {
      if (code === 0 && result !== undefined) resolve(result)
      else reject(new Error(`the stream client exited with ${code ?? signal}:\n${stderr}`))
    })
  })
  // A client that fails before its first rows must not leave the test waiting for them.
  done.catch(() => onStreaming())
  return {
    pid: child.pid as number,
    streaming,
    done,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}

/** This process's environment without MOTHERDUCK_* variables, which would configure the client too. */
function environmentWithoutMotherDuck(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('MOTHERDUCK_')),
  )
}
