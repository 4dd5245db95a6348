import type { PgErrorFields } from '../errors/pg-error-fields.js'
import { BackendSerializer } from '../protocol/backend-serializer.js'
import type { FrontendChannel } from '../protocol/frontend-channel.js'

/** Output is handed to the socket once this many bytes are waiting. */
const FLUSH_THRESHOLD = 256 * 1024

/**
 * What a session sends its client: messages collect in one serializer and go to the socket at Sync,
 * Flush, the end of a simple query, or once 256 KiB are waiting. A socket that does not drain holds
 * the session until it does (backpressure), or until it closes or the statement is cancelled.
 */
export class SessionOutput {
  readonly messages = new BackendSerializer()
  /** Resolves the wait of a flush blocked on a full socket. */
  private endDrainWait: (() => void) | null = null

  constructor(private readonly channel: FrontendChannel) {}

  /** Hands the waiting messages to the socket; waits while the socket's buffer is full. */
  async flush(): Promise<void> {
    if (this.messages.length === 0) return
    const bytes = this.messages.take()
    const socket = this.channel.socket
    if (socket.destroyed || socket.writableEnded) return
    if (socket.write(bytes)) return
    await new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off('drain', done)
        socket.off('close', done)
        this.endDrainWait = null
        resolve()
      }
      this.endDrainWait = done
      socket.on('drain', done)
      socket.on('close', done)
    })
  }

  /** Flushes once enough output is waiting, so that a long result never sits in memory whole. */
  async flushIfFull(): Promise<void> {
    if (this.messages.length >= FLUSH_THRESHOLD) await this.flush()
  }

  /** Lets a flush blocked on a client that does not read return, so a cancel is seen. */
  stopWaitingForDrain(): void {
    this.endDrainWait?.()
  }

  /** Sends the waiting messages and a FATAL ErrorResponse, then ends the connection. */
  async sendFatal(fields: PgErrorFields): Promise<void> {
    this.messages.errorResponse({ ...fields, severity: 'FATAL' })
    const socket = this.channel.socket
    const bytes = this.messages.take()
    if (socket.destroyed || socket.writableEnded) return
    await this.channel.end(bytes)
  }
}
