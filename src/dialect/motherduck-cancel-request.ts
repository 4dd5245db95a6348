import { connect as connectTcp, isIP, type Socket } from 'node:net'
import { type ConnectionOptions, connect as connectTls } from 'node:tls'
import { EncryptionResponse, StartupCode } from '../wire/startup-codes.js'

/** Where a CancelRequest goes and how: the same host, port and TLS settings as the pool. */
export interface CancelTarget {
  readonly host: string
  readonly port: number
  readonly ssl: false | ConnectionOptions
}

/**
 * Asks the server to cancel whatever the session `processId` is running, the way Postgres clients do:
 * a new connection (TLS like the pool's when `ssl` is set), one CancelRequest message (length 16,
 * the CancelRequest code, process id, secret key), then the server closes it. No SQL is involved, so
 * it works where `pg_cancel_backend` does not exist (DuckDB). The server sends no reply; this resolves
 * once the request is written and the connection closed, or after `timeoutMs`.
 */
export async function sendCancelRequest(
  target: CancelTarget,
  processId: number,
  secretKey: number | Buffer,
  timeoutMs = 10_000,
): Promise<void> {
  const request = cancelRequestMessage(processId, secretKey)
  let socket: Socket = connectTcp({ host: target.host, port: target.port })
  // Errors are awaited where they matter; a late one (a reset after the server closed) must not crash.
  socket.on('error', ignore)
  const timer = setTimeout(() => socket.destroy(new Error('CancelRequest timed out')), timeoutMs)
  try {
    await once(socket, 'connect')
    if (target.ssl !== false) {
      const ssl = target.ssl
      const header = Buffer.alloc(8)
      header.writeInt32BE(8, 0)
      header.writeInt32BE(StartupCode.SSLRequest, 4)
      socket.write(header)
      const answer = await readByte(socket)
      if (answer !== EncryptionResponse.Accept) {
        throw new Error('The server refused TLS for the CancelRequest connection.')
      }
      // Verify the certificate against the host, as the pool's connection does.
      const servername = isIP(target.host) === 0 ? target.host : undefined
      const tlsSocket = connectTls({ host: target.host, servername, ...ssl, socket })
      tlsSocket.on('error', ignore)
      socket = tlsSocket
      await once(tlsSocket, 'secureConnect')
    }
    await new Promise<void>((resolve, reject) => {
      socket.write(request, (error) => (error ? reject(error) : resolve()))
    })
    socket.end()
    await once(socket, 'close')
  } finally {
    clearTimeout(timer)
    socket.destroy()
  }
}

function ignore(): void {}

function cancelRequestMessage(processId: number, secretKey: number | Buffer): Buffer {
  const key = typeof secretKey === 'number' ? int32(secretKey) : secretKey
  const message = Buffer.alloc(12 + key.length)
  message.writeInt32BE(message.length, 0)
  message.writeInt32BE(StartupCode.CancelRequest, 4)
  message.writeInt32BE(processId | 0, 8)
  key.copy(message, 12)
  return message
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4)
  buffer.writeInt32BE(value | 0, 0)
  return buffer
}

function once(socket: Socket, event: 'connect' | 'secureConnect' | 'close'): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      socket.off(event, onEvent)
      reject(error)
    }
    const onEvent = () => {
      socket.off('error', onError)
      resolve()
    }
    socket.once(event, onEvent)
    if (event !== 'close') socket.once('error', onError)
  })
}

function readByte(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      cleanup()
      socket.pause()
      // Anything after the answer byte would be a protocol violation; TLS starts right after it.
      if (chunk.length > 1) socket.unshift(chunk.subarray(1))
      resolve(chunk[0] ?? -1)
    }
    const onError = (error: Error) => {
      cleanup()
      reject(error)
    }
    const onClose = () => {
      cleanup()
      reject(new Error('The server closed the CancelRequest connection before answering.'))
    }
    const cleanup = () => {
      socket.off('data', onData)
      socket.off('error', onError)
      socket.off('close', onClose)
    }
    socket.on('data', onData)
    socket.once('error', onError)
    socket.once('close', onClose)
  })
}
