/**
 * The local endpoint as its own process, for the benchmark: a real server is a separate process, so
 * its encoding work runs beside the client's parsing, not on the client's event loop.
 * Sends `{ url }` to the parent over IPC once listening; stops on 'stop' or when the parent goes away.
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
})
process.on('disconnect', () => void stop())
