import type { Socket } from 'node:net'
import type { FrontendMessage, FrontendParser } from './frontend-parser.js'

/** Stop reading the socket when this many parsed messages wait to be handled. */
const HIGH_WATER_MARK = 256
const LOW_WATER_MARK = 32
/** How long `end()` keeps reading after the last bytes, for the client to close its side first. */
const LINGER_MS = 1_000
const NO_BYTES = Buffer.alloc(0)

/**
 * One client connection seen as a queue of messages, read one at a time with `next()`. It is what
 * makes each session serial (a message is handled only after the previous one finished) and gives
 * backpressure on input: a client that pipelines faster than its queries run is paused at the socket.
 * The socket can be swapped for its TLS wrapper after an SSLRequest.
 */
export class FrontendChannel {
  private readonly queue: FrontendMessage[] = []
  private waiter: (() => void) | null = null
  private ended = false
  private current: Socket
  /** Set by `end()`: input is read and thrown away. */
  private discarding = false
  private readonly onData = (chunk: Buffer): void => {
    if (this.discarding) return
    for (const message of this.parser.parse(chunk)) this.queue.push(message)
    if (this.queue.length >= HIGH_WATER_MARK) this.current.pause()
    this.wake()
  }
  private readonly onEnd = (): void => {
    this.ended = true
    this.wake()
  }
  private readonly closeListeners: (() => void)[] = []

  constructor(
    socket: Socket,
    readonly parser: FrontendParser,
  ) {
    this.current = socket
    this.attach(socket)
  }

  /** The socket to write to (the TLS socket once upgraded). */
  get socket(): Socket {
    return this.current
  }

  /** True once the peer closed or the socket failed. */
  get closed(): boolean {
    return this.ended
  }

  /** Messages parsed and not taken yet. */
  get queued(): number {
    return this.queue.length
  }

  /** Runs `listener` once when the connection ends (also if it already has). */
  onClose(listener: () => void): void {
    if (this.ended) listener()
    else this.closeListeners.push(listener)
  }

  /** The next message, or null when the connection is gone. */
  async next(): Promise<FrontendMessage | null> {
    for (;;) {
      const message = this.queue.shift()
      if (message !== undefined) {
        if (this.queue.length === LOW_WATER_MARK && this.current.isPaused()) this.current.resume()
        return message
      }
      if (this.ended) return null
      if (this.current.isPaused()) this.current.resume()
      await new Promise<void>((resolve) => {
        this.waiter = resolve
      })
    }
  }

  /** Adds messages the parser returned outside the socket's data events (after `parser.resume()`). */
  push(messages: readonly FrontendMessage[]): void {
    this.queue.push(...messages)
    this.wake()
  }

  /**
   * Ends the connection after `lastBytes` without losing them. Closing a TCP socket whose input was
   * not read makes the kernel reset the connection (RST) and drop output still in flight — often
   * the ErrorResponse that says why (a client that kept sending after a protocol violation lost its
   * FATAL 196 times out of 200). So the FIN follows the last bytes, and the input is read and thrown
   * away until the client closes its side (as clients do on a FATAL), or for at most a second.
   * Resolves once the last bytes are handed to the kernel. Calling it again does no harm.
   */
  end(lastBytes: Buffer = NO_BYTES): Promise<void> {
    this.discarding = true
    this.queue.length = 0
    const socket = this.current
    if (socket.destroyed) return Promise.resolve()
    socket.resume()
    if (socket.writableEnded) return Promise.resolve()
    const timer = setTimeout(() => socket.destroy(), LINGER_MS)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
    return new Promise((resolve) => socket.end(lastBytes, () => resolve()))
  }

  /** Stops reading from the current socket (before it is wrapped in TLS). */
  detach(): Socket {
    const socket = this.current
    socket.off('data', this.onData)
    socket.off('end', this.onEnd)
    socket.off('close', this.onEnd)
    socket.off('error', this.onEnd)
    return socket
  }

  /** Reads from `socket` from now on. */
  attach(socket: Socket): void {
    this.current = socket
    socket.on('data', this.onData)
    socket.on('end', this.onEnd)
    socket.on('close', this.onEnd)
    socket.on('error', this.onEnd)
  }

  private wake(): void {
    if (this.ended) {
      const listeners = this.closeListeners.splice(0)
      for (const listener of listeners) listener()
    }
    const waiter = this.waiter
    this.waiter = null
    waiter?.()
  }
}
