import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The local endpoint running in a child process (bench/local-endpoint-server.ts). */
export interface LocalEndpointProcess {
  /** `postgresql://postgres:<token>@127.0.0.1:<port>/md:?sslmode=disable`. */
  readonly url: string
  /** The CPU time (user + system) the endpoint process has used so far, in milliseconds. */
  cpuMs(): Promise<number>
  stop(): void
}

/**
 * Starts the local endpoint in its own process, as a real server would run: its encoding work then
 * runs beside the benchmark's client, not on the client's event loop.
 */
export async function startLocalEndpointProcess(): Promise<LocalEndpointProcess> {
  const here = fileURLToPath(import.meta.url)
  const script = here.replace(/local-endpoint-process\.(ts|js)$/, 'local-endpoint-server.$1')
  const child: ChildProcess = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url))
    child.once('exit', (code) => reject(new Error(`the endpoint process exited with code ${code}`)))
  })
  return {
    url,
    cpuMs: () =>
      new Promise<number>((resolve) => {
        const answer = (message: unknown) => {
          const cpuMs = (message as { cpuMs?: unknown }).cpuMs
          if (typeof cpuMs !== 'number') return
          child.off('message', answer)
          resolve(cpuMs)
        }
        child.on('message', answer)
        child.send('cpu')
      }),
    stop: () => {
      child.send('stop')
    },
  }
}
