import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 (port 0) in front of the local endpoint, to play the network: it counts
 * connections, can reset the first ones (a transient failure), can drop every open connection at
 * once (the network or the server side going away without a word) and can end every session the way
 * a Postgres server does when it terminates one (FATAL 57P01, then the socket closes).
 */
export interface TcpProxy {
  readonly port: number
  /** Connections accepted so far. */
  readonly connections: number
  /** Reset (destroy right away) the next `count` connections. */
  resetNext(count: number): void
  /** Destroy every open connection, both sides. */
  dropAll(): void
  /**
   * Send each client a FATAL 57P01 ErrorResponse, as `pg_terminate_backend` or an idle-session timeout
   * would, then close both sides. Only safe between messages (an idle or waiting session).
   */
  terminateAll(): void
  /** Open client connections right now. */
  readonly open: number
  stop(): Promise<void>
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>()
  const clients = new Map<Socket, Socket>()
  /** Upstreams closed by terminateAll(): their client side is ended gracefully, not destroyed. */
  const terminated = new WeakSet<Socket>()
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
      clients.delete(client)
    })
    upstream.on('close', () => {
      if (!terminated.has(upstream)) client.destroy()
    })
    client.pipe(upstream)
    upstream.pipe(client)
    open.add(client)
    open.add(upstream)
    clients.set(client, upstream)
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
    get open() {
      return clients.size
    },
    dropAll() {
      for (const socket of open) socket.destroy()
      open.clear()
      clients.clear()
    },
    terminateAll() {
      const goodbye = fatalErrorResponse(
        '57P01',
        'terminating connection due to administrator command',
      )
      for (const [client, upstream] of clients) {
        terminated.add(upstream)
        upstream.unpipe(client)
        upstream.destroy()
        client.end(goodbye)
      }
      clients.clear()
    },
    async stop() {
      for (const socket of open) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * An ErrorResponse ('E', int32 length, then code-tagged NUL-terminated fields and a final NUL) with
 * severity FATAL, the given SQLSTATE and message.
 */
function fatalErrorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8')
  const header = Buffer.alloc(5)
  header.write('E', 0)
  header.writeInt32BE(4 + fields.length, 1)
  return Buffer.concat([header, fields])
}
