import { connect, type Socket } from 'node:net'
import { serialize } from 'pg-protocol'
import type { BackendMessage } from 'pg-protocol/dist/messages.js'
import { Parser } from 'pg-protocol/dist/parser.js'

/** A backend message as pg-protocol decodes it, with the fields the tests read. */
export type RawMessage = BackendMessage & Record<string, unknown>

/**
 * A bare protocol client for what `pg` cannot do on purpose: pipelining, row limits on portals it does
 * not own, reading transaction status bytes, sending malformed bytes. It frames outgoing messages with
 * pg-protocol's serializer and reads replies with pg-protocol's parser (the ones `pg` uses).
 */
export class RawClient {
  private readonly messages: RawMessage[] = []
  private waiter: (() => void) | null = null
  private ended = false

  private constructor(readonly socket: Socket) {
    const parser = new Parser()
    socket.on('data', (chunk) =>
      parser.parse(chunk, (message) => {
        this.messages.push(message as RawMessage)
        this.wake()
      }),
    )
    socket.on('close', () => {
      this.ended = true
      this.wake()
    })
    socket.on('error', () => undefined)
  }

  /** Opens a socket without starting up. */
  static async open(port: number): Promise<RawClient> {
    const socket = connect({ host: '127.0.0.1', port })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    return new RawClient(socket)
  }

  /**
   * Connects and logs in with a cleartext password (the endpoint must use `auth: 'password'`), or
   * with none when the server trusts the client (the PostgreSQL oracle of test/support).
   */
  static async login(
    port: number,
    password: string,
    parameters: Record<string, string> = {},
  ): Promise<RawClient> {
    const client = await RawClient.open(port)
    client.send(serialize.startup({ user: 'postgres', database: 'md:', ...parameters }))
    const [request] = await client.read(1)
    if (request?.name === 'authenticationCleartextPassword') {
      client.send(serialize.password(password))
    } else if (request?.name !== 'authenticationOk') {
      throw new Error(`expected a cleartext password request, got ${request?.name}`)
    }
    const greeting = await client.until('readyForQuery')
    const error = greeting.find((message) => message.name === 'error')
    if (error !== undefined) throw new Error(`login failed: ${String(error.message)}`)
    return client
  }

  send(...buffers: Buffer[]): void {
    this.socket.write(Buffer.concat(buffers))
  }

  /** The next `count` messages. */
  async read(count: number): Promise<RawMessage[]> {
    while (this.messages.length < count) await this.wait()
    return this.messages.splice(0, count)
  }

  /** Messages up to and including the first one named `name` (e.g. 'readyForQuery'). */
  async until(name: string): Promise<RawMessage[]> {
    for (;;) {
      const index = this.messages.findIndex((message) => message.name === name)
      if (index !== -1) return this.messages.splice(0, index + 1)
      await this.wait()
    }
  }

  /** Every message until the server closes the socket. */
  async untilClosed(): Promise<RawMessage[]> {
    while (!this.ended) await this.wait()
    return this.messages.splice(0)
  }

  /** A simple query; returns its messages up to ReadyForQuery. */
  async query(sql: string): Promise<RawMessage[]> {
    this.send(serialize.query(sql))
    return this.until('readyForQuery')
  }

  close(): void {
    this.socket.destroy()
  }

  private wait(): Promise<void> {
    if (this.ended) throw new Error('the server closed the connection')
    return new Promise((resolve) => {
      this.waiter = resolve
    })
  }

  private wake(): void {
    const waiter = this.waiter
    this.waiter = null
    waiter?.()
  }
}

/** Message names, for compact assertions. */
export function names(messages: readonly RawMessage[]): string[] {
  return messages.map((message) => message.name)
}

/** The text values of every DataRow. */
export function rows(messages: readonly RawMessage[]): unknown[][] {
  return messages
    .filter((message) => message.name === 'dataRow')
    .map((message) => message.fields as unknown[])
}

/**
 * What a client sees of a reply, one line per message, for comparing the local endpoint's replies with
 * PostgreSQL's (the oracle): `T name:oid,…`, `D [values]`, `C tag`, `Z status`, `error code`.
 */
export function transcript(messages: readonly RawMessage[]): string[] {
  return messages.map((message) => {
    switch (message.name) {
      case 'parameterStatus':
        return `S ${message.parameterName}=${message.parameterValue}`
      case 'rowDescription':
        return `T ${(message.fields as { name: string; dataTypeID: number }[]).map((f) => `${f.name}:${f.dataTypeID}`).join(',')}`
      case 'dataRow':
        return `D ${JSON.stringify(message.fields)}`
      case 'commandComplete':
        return `C ${message.text}`
      case 'readyForQuery':
        return `Z ${message.status}`
      case 'error':
      case 'notice':
        return `${message.name} ${message.code}`
      default:
        return message.name
    }
  })
}
