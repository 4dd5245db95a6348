import { connect, type Socket } from 'node:net'
import type { BackendMessage } from 'pg-protocol/dist/messages.js'
import { Parser } from 'pg-protocol/dist/parser.js'

/** A backend message as pg-protocol decodes it, with the fields the tests read. */
export type WireMessage = BackendMessage & Record<string, unknown>

/** Raised when the server neither answers nor closes within the time a step allows. */
export class WireTimeoutError extends Error {
  override readonly name = 'WireTimeoutError'
}

/**
 * A raw client connection for hostile tests: writes any bytes, reads the server's replies with
 * pg-protocol's parser (the one `pg` uses), and tells when and how the server closed. Unlike a real
 * client it never trusts the server to answer: every wait has a deadline. Single-byte answers to
 * SSLRequest/GSSENCRequest are read with `negotiate()`, before the framed messages.
 */
export class WireConnection {
  /** Every framed message received, in order. */
  readonly received: WireMessage[] = []
  /** Bytes the client wrote. */
  sentBytes = 0
  private readonly parser = new Parser()
  private singleByteWanted = 0
  private readonly singleBytes: number[] = []
  private readonly waiters = new Set<() => void>()
  private closedFlag = false
  private readIndex = 0
  private parseError: Error | undefined

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('close', () => {
      this.closedFlag = true
      this.wake()
    })
    socket.on('error', () => undefined)
  }

  static async open(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<WireConnection> {
    const socket = connect({ host, port, noDelay: true })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new WireTimeoutError(`connect to ${host}:${port} took over ${timeoutMs} ms`))
      }, timeoutMs)
      socket.once('connect', () => {
        clearTimeout(timer)
        resolve()
      })
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
    })
    return new WireConnection(socket)
  }

  /** True once the server (or we) closed the socket. */
  get closed(): boolean {
    return this.closedFlag
  }

  /** A pg-protocol parse failure of what the server sent (never expected). */
  get malformedReply(): Error | undefined {
    return this.parseError
  }

  send(bytes: Buffer): void {
    if (this.socket.destroyed || this.socket.writableEnded) return
    this.sentBytes += bytes.length
    this.socket.write(bytes)
  }

  /**
   * Sends an SSLRequest or GSSENCRequest (plus any `trailing` bytes in the same write) and returns the
   * server's one-byte answer ('S', 'N'), or null when it answered with an error or closed instead.
   */
  async negotiate(request: Buffer, trailing?: Buffer, timeoutMs = 5_000): Promise<string | null> {
    this.singleByteWanted++
    this.send(trailing === undefined ? request : Buffer.concat([request, trailing]))
    await this.waitFor(
      () => this.singleBytes.length > 0 || this.singleByteWanted === 0 || this.closedFlag,
      timeoutMs,
      'answer',
    )
    const byte = this.singleBytes.shift()
    return byte === undefined ? null : String.fromCharCode(byte)
  }

  /** The next message not read yet by `next`/`until`. */
  async next(timeoutMs = 5_000): Promise<WireMessage> {
    await this.waitFor(
      () => this.readIndex < this.received.length || this.closedFlag,
      timeoutMs,
      'a message',
    )
    const message = this.received[this.readIndex]
    if (message === undefined) throw new Error('the server closed the connection')
    this.readIndex++
    return message
  }

  /** Messages up to and including the first one named `name` (e.g. 'readyForQuery'). */
  async until(name: string, timeoutMs = 5_000): Promise<WireMessage[]> {
    const start = this.readIndex
    await this.waitFor(
      () => this.received.slice(this.readIndex).some((m) => m.name === name) || this.closedFlag,
      timeoutMs,
      name,
    )
    const index = this.received.findIndex((m, i) => i >= start && m.name === name)
    if (index === -1) {
      this.readIndex = this.received.length
      throw new Error(`the server closed the connection before ${name}`)
    }
    this.readIndex = index + 1
    return this.received.slice(start, index + 1)
  }

  /** Waits until `done()` holds (checked on every reply and on close); WireTimeoutError after `timeoutMs`. */
  waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return this.waitFor(done, timeoutMs, what)
  }

  /** Resolves true once the server closed the socket, false after `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    try {
      await this.waitFor(() => this.closedFlag, timeoutMs, 'close')
      return true
    } catch (error) {
      if (error instanceof WireTimeoutError) return false
      throw error
    }
  }

  /** Half-closes: the server sees the end of the stream. */
  end(): void {
    if (!this.socket.destroyed) this.socket.end()
  }

  destroy(): void {
    this.socket.destroy()
  }

  /** The FATAL ErrorResponses received. */
  fatals(): WireMessage[] {
    return this.received.filter((m) => m.name === 'error' && m.severity === 'FATAL')
  }

  private onData(chunk: Buffer): void {
    let data = chunk
    while (this.singleByteWanted > 0 && data.length > 0) {
      this.singleByteWanted--
      // The answer is 'S' or 'N'; a server that refuses the request instead sends an ErrorResponse ('E').
      if (data[0] !== 0x53 && data[0] !== 0x4e) continue
      this.singleBytes.push(data[0] as number)
      data = data.subarray(1)
    }
    if (data.length > 0 && this.parseError === undefined) {
      try {
        this.parser.parse(data, (message) => this.received.push(message as WireMessage))
      } catch (error) {
        this.parseError = error as Error
      }
    }
    this.wake()
  }

  private async waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!done()) return
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new WireTimeoutError(`no ${what} from the server within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiters.add(check)
    })
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter()
  }
}
