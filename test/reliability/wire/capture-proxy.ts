import { connect, createServer, type Socket } from 'node:net'

/** A TCP relay that records what clients send, to capture real `pg` traffic as a fuzzing corpus. */
export interface CaptureProxy {
  readonly port: number
  /** Each connection's client-to-server bytes so far, in the order the connections were made. */
  streams(): Buffer[]
  stop(): Promise<void>
}

/** Starts the relay on 127.0.0.1 (port 0) in front of `targetHost:targetPort`. */
export async function startCaptureProxy(
  targetHost: string,
  targetPort: number,
): Promise<CaptureProxy> {
  const recorded: Buffer[][] = []
  const open = new Set<Socket>()
  const server = createServer((client) => {
    const chunks: Buffer[] = []
    recorded.push(chunks)
    const upstream = connect({ host: targetHost, port: targetPort })
    for (const socket of [client, upstream]) {
      open.add(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => open.delete(socket))
    }
    client.on('data', (chunk: Buffer) => {
      chunks.push(Buffer.from(chunk))
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => client.write(chunk))
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    port,
    streams: () => recorded.map((chunks) => Buffer.concat(chunks)),
    async stop() {
      for (const socket of open) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
