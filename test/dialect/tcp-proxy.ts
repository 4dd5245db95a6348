import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 (port 0) in front of the local endpoint, to play the network: it counts
 * connections, can reset the first ones (a transient failure), can drop every open connection at
 * once (the network or the server side going away without a word) and can end every session the way
 * a Postgres server does when it terminates one (FATAL 57P01, then the socket closes). It also counts
 * the messages clients send, by type (`'E'` for Execute), to tell round trips apart.
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
  /**
   * How many messages of this type (its protocol character, e.g. `'E'` Execute, `'P'` Parse, `'S'`
   * Sync) clients have sent through the proxy so far; the startup packets before them are not counted.
   */
  sent(type: string): number
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
  const sentByType = new Map<string, number>()
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
    client.on('data', countFrontendMessages(sentByType))
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
    sent(type) {
      return sentByType.get(type) ?? 0
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

/** SSLRequest and GSSENCRequest: a startup packet the server answers with one byte, then another follows. */
const ENCRYPTION_REQUESTS = new Set([80877103, 80877104])

/**
 * A listener for one client's bytes that adds each frontend message's type to `counts`. The startup
 * packets (int32 length, int32 code; SSLRequest/GSSENCRequest, then the StartupMessage) have no type
 * byte; every message after them is a type byte and an int32 length that counts itself.
 */
function countFrontendMessages(counts: Map<string, number>): (data: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0)
  let inStartup = true
  return (data) => {
    pending = pending.length === 0 ? data : Buffer.concat([pending, data])
    for (;;) {
      if (inStartup) {
        if (pending.length < 8) return
        const length = pending.readInt32BE(0)
        if (pending.length < length) return
        inStartup = ENCRYPTION_REQUESTS.has(pending.readInt32BE(4))
        pending = pending.subarray(length)
        continue
      }
      if (pending.length < 5) return
      const end = 1 + pending.readInt32BE(1)
      if (pending.length < end) return
      const type = String.fromCharCode(pending[0] ?? 0)
      counts.set(type, (counts.get(type) ?? 0) + 1)
      pending = pending.subarray(end)
    }
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
