/**
 * The local endpoint alone in a child process, so that its resident memory can be measured apart from
 * the test's. Started by `startEndpointProcess()` (endpoint-child.ts): it waits for its options over
 * IPC, answers `{ type: 'ready', port }`, answers `'memory'` with `process.memoryUsage()` after a GC, and stops on
 * `'stop'` or when the parent goes away. Uncaught errors are reported, then the process exits non-zero
 * (a crash the parent sees as an exit code).
 */
import { type LocalEndpoint, startLocalEndpoint } from '../../../src/local/index.js'
import type { ChildReply, ChildRequest } from './endpoint-child.js'

let endpoint: LocalEndpoint | undefined

function reply(message: ChildReply): void {
  process.send?.(message)
}

async function stop(code: number): Promise<void> {
  await endpoint?.stop()
  process.exit(code)
}

process.on('uncaughtException', (error) => {
  reply({ type: 'crash', message: String(error?.stack ?? error) })
  process.exit(70)
})
process.on('unhandledRejection', (error) => {
  reply({ type: 'crash', message: String((error as Error)?.stack ?? error) })
  process.exit(70)
})

process.on('message', (message: ChildRequest) => {
  if (message.type === 'start') {
    void startLocalEndpoint(message.options).then(
      (started) => {
        endpoint = started
        reply({ type: 'ready', port: started.port })
      },
      (error: unknown) => {
        reply({ type: 'crash', message: String((error as Error)?.stack ?? error) })
        process.exit(71)
      },
    )
  } else if (message.type === 'memory') {
    // Garbage is not memory held: collect it first (the process runs with --expose-gc).
    ;(globalThis as { gc?: () => void }).gc?.()
    reply({ type: 'memory', usage: process.memoryUsage() })
  } else if (message.type === 'stop') {
    void stop(0)
  }
})
process.on('disconnect', () => void stop(0))
