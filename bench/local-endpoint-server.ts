/**
 * The local endpoint as its own process, for the benchmarks: a real server is a separate process, so
 * its encoding work runs beside the client's parsing, not on the client's event loop.
 * Sends `{ url }` to the parent over IPC once listening; answers 'cpu' with `{ cpuMs }` (the CPU time
 * this process has used so far, user + system); stops on 'stop' or when the parent goes away.
 * Started by bench/local-endpoint-process.ts.
 */
import { startLocalEndpoint } from '../src/local/index.js'

const endpoint = await startLocalEndpoint({ databases: { bench: ':memory:' } })
process.send?.({ url: endpoint.url })

const stop = async () => {
  await endpoint.stop()
  process.exit(0)
}
process.on('message', (message) => {
  if (message === 'stop') void stop()
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage()
    process.send?.({ cpuMs: (user + system) / 1000 })
  }
})
process.on('disconnect', () => void stop())
