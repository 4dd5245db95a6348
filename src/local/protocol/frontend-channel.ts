import type { Socket } from 'node:net'
import type { FrontendMessage, FrontendParser } from './frontend-parser.js'

/** Stop reading the socket when this many parsed messages wait to be handled… */
const HIGH_WATER_MARK = 256
const LOW_WATER_MARK = 32
/** …or when their bytes pass this (the default of the endpoint's `maxBufferedInputBytes`). */
export const DEFAULT_MAX_BUFFERED_INPUT_BYTES = 8 * 1024 * 1024
/** How long `end()` keeps reading after the last bytes, for the client to close its side first. */
const LINGER_MS = 1_000
const NO_BYTES = Buffer.alloc(0)

/**
 * One client connection seen as a queue of messages, read one at a time with `next()`. It is what
 * makes each session serial (a message is handled only after the previous one finished) and gives
 * backpressure on input: a client that pipelines faster than its queries run is paused at the socket
 * once 256 messages or `maxBufferedBytes` of them wait (counting the bytes the parser holds of a
 * message still arriving), and read again when the session has taken them down to 32 messages and
 * half the bytes. One message larger than the bound is still read whole (the parser bounds a message
 * by its own `maxMessageSize`), once the messages before it were handled.
 * The socket can be swapped for its TLS wrapper after an SSLRequest.
 */
export class FrontendChannel {
  private readonly queue: FrontendMessage[] = []
  /** The bytes each queued message came in (a chunk's bytes shared among the messages it completed). */
  private readonly queueBytes: number[] = []
  private bufferedBytes = 0
  private waiter: (() => void) | null = null
  private ended = false
  private current: Socket
  /** Set by `end()`: input is read and thrown away. */
  private discarding = false
  private readonly onData = (chunk: Buffer): void => {
    if (this.discarding) return
    // The completed messages' bytes: this chunk's, plus those of a message it completed that the
    // parser held from earlier chunks, minus those of a message it starts.
    const heldBefore = this.parser.bufferedBytes
    const messages = this.parser.parse(chunk)
    this.enqueue(messages, Math.max(0, chunk.length + heldBefore - this.parser.bufferedBytes))
    if (this.overHighWater()) this.current.pause()
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
    private readonly maxBufferedBytes: number = DEFAULT_MAX_BUFFERED_INPUT_BYTES,
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

  /** Bytes of the messages parsed and not taken yet, and of the message the parser is collecting. */
  get queuedBytes(): number {
    return this.bufferedBytes + this.parser.heldBytes
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
        this.bufferedBytes -= this.queueBytes.shift() ?? 0
        if (this.current.isPaused() && this.underLowWater()) this.current.resume()
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
    this.enqueue(messages, 0)
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
    this.queueBytes.length = 0
    this.bufferedBytes = 0
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

  private enqueue(messages: readonly FrontendMessage[], bytes: number): void {
    if (messages.length === 0) return
    const share = Math.floor(bytes / messages.length)
    for (const message of messages) {
      this.queue.push(message)
      this.queueBytes.push(share)
    }
    this.queueBytes[this.queueBytes.length - 1]! += bytes - share * messages.length
    this.bufferedBytes += bytes
  }

  private overHighWater(): boolean {
    return this.queue.length >= HIGH_WATER_MARK || this.queuedBytes > this.maxBufferedBytes
  }

  private underLowWater(): boolean {
    return this.queue.length <= LOW_WATER_MARK && this.queuedBytes <= this.maxBufferedBytes / 2
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
