import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 (port 0) in front of the local endpoint, to play the network: it counts
 * connections, can reset the first ones (a transient failure) and can drop every open connection at
 * once (the server side going away).
 */
export interface TcpProxy {
  readonly port: number
  /** Connections accepted so far. */
  readonly connections: number
  /** Reset (destroy right away) the next `count` connections. */
  resetNext(count: number): void
  /** Destroy every open connection, both sides. */
  dropAll(): void
  stop(): Promise<void>
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>()
  let connections = 0
  let toReset = 0
  const server: Server = createServer((client) => {
    connections++
    client.on('error', () => {})
    if (toReset > 0) {
      toReset--
      client.resetAndDestroy()
      return
    }
    const upstream = connect({ host: targetHost, port: targetPort })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    client.on('close', () => {
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    })
    upstream.on('close', () => client.destroy())
    client.pipe(upstream)
    upstream.pipe(client)
    open.add(client)
    open.add(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy has no port')
  return {
    port: address.port,
    get connections() {
      return connections
    },
    resetNext(count) {
      toReset = count
    },
    dropAll() {
      for (const socket of open) socket.destroy()
      open.clear()
    },
    async stop() {
      for (const socket of open) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
