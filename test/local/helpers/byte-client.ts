import { connect, type Socket } from 'node:net'

/** One backend message: its type character and its body (after the length). */
export interface ByteMessage {
  readonly type: string
  readonly body: Buffer
}

/** One RowDescription field, every attribute but the name's position. */
export interface ByteField {
  readonly name: string
  readonly tableOid: number
  readonly columnNumber: number
  readonly oid: number
  readonly typeSize: number
  readonly typeModifier: number
  readonly format: number
}

/** What one extended-protocol round trip sends: Parse, Bind, Describe, Execute, Sync. */
export interface ExtendedRequest {
  readonly parameterTypes?: readonly number[]
  readonly parameters?: readonly (Buffer | null)[]
  readonly parameterFormats?: readonly number[]
  readonly resultFormats?: readonly number[]
  /** Describe the statement ('S') or the portal ('P', the default) before executing. */
  readonly describe?: 'S' | 'P'
}

/**
 * A protocol client that keeps every byte: DataRow values arrive as Buffers (pg-protocol's parser
 * decodes them as UTF-8 text, which would garble binary results), so the same request sent to a real
 * PostgreSQL server and to the local endpoint can be compared byte for byte.
 */
export class ByteClient {
  private buffered = Buffer.alloc(0)
  private readonly messages: ByteMessage[] = []
  private waiter: (() => void) | null = null
  private closed = false

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk])
      while (this.buffered.length >= 5) {
        const length = this.buffered.readInt32BE(1)
        if (this.buffered.length < length + 1) break
        const type = String.fromCharCode(this.buffered[0]!)
        this.messages.push({ type, body: Buffer.from(this.buffered.subarray(5, length + 1)) })
        this.buffered = this.buffered.subarray(length + 1)
      }
      this.wake()
    })
    socket.on('close', () => {
      this.closed = true
      this.wake()
    })
    socket.on('error', () => undefined)
  }

  /**
   * Connects to 127.0.0.1:`port` and logs in: trust (a test PostgreSQL) or a cleartext `password`
   * (a local endpoint started with `auth: 'password'`). `parameters` go into the startup packet.
   */
  static async connect(
    port: number,
    options: { password?: string; database: string; parameters?: Record<string, string> },
  ): Promise<ByteClient> {
    const socket = connect({ host: '127.0.0.1', port })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const client = new ByteClient(socket)
    const pairs = { user: 'postgres', database: options.database, ...options.parameters }
    const body = Buffer.concat([
      int32(196608),
      ...Object.entries(pairs).flatMap(([key, value]) => [cstring(key), cstring(value)]),
      Buffer.from([0]),
    ])
    socket.write(Buffer.concat([int32(body.length + 4), body]))
    for (;;) {
      const message = await client.next()
      if (message.type === 'E') throw new Error(`login failed: ${errorOf([message])?.message}`)
      if (message.type === 'R' && message.body.readInt32BE(0) === 3) {
        socket.write(frame('p', cstring(options.password ?? '')))
      }
      if (message.type === 'Z') return client
    }
  }

  /** A simple query; its messages up to ReadyForQuery. */
  async query(sql: string): Promise<ByteMessage[]> {
    this.socket.write(frame('Q', cstring(sql)))
    return this.untilReady()
  }

  /** Parse, Bind, Describe, Execute and Sync of the unnamed statement; messages up to ReadyForQuery. */
  async extended(sql: string, request: ExtendedRequest = {}): Promise<ByteMessage[]> {
    const types = request.parameterTypes ?? []
    const parameters = request.parameters ?? []
    const parameterFormats = request.parameterFormats ?? []
    const resultFormats = request.resultFormats ?? []
    this.socket.write(
      Buffer.concat([
        frame('P', cstring(''), cstring(sql), int16(types.length), ...types.map(int32)),
        frame(
          'B',
          cstring(''),
          cstring(''),
          int16(parameterFormats.length),
          ...parameterFormats.map(int16),
          int16(parameters.length),
          ...parameters.flatMap((value) =>
            value === null ? [int32(-1)] : [int32(value.length), value],
          ),
          int16(resultFormats.length),
          ...resultFormats.map(int16),
        ),
        frame('D', Buffer.from(request.describe ?? 'P'), cstring('')),
        frame('E', cstring(''), int32(0)),
        frame('S'),
      ]),
    )
    return this.untilReady()
  }

  close(): void {
    this.socket.destroy()
  }

  private async untilReady(): Promise<ByteMessage[]> {
    const received: ByteMessage[] = []
    for (;;) {
      const message = await this.next()
      received.push(message)
      if (message.type === 'Z') return received
    }
  }

  private async next(): Promise<ByteMessage> {
    for (;;) {
      const message = this.messages.shift()
      if (message !== undefined) return message
      if (this.closed) throw new Error('the server closed the connection')
      await new Promise<void>((resolve) => {
        this.waiter = resolve
      })
    }
  }

  private wake(): void {
    const waiter = this.waiter
    this.waiter = null
    waiter?.()
  }
}

/** The values of every DataRow: Buffers, null for SQL NULL. */
export function dataRows(messages: readonly ByteMessage[]): (Buffer | null)[][] {
  return messages
    .filter((message) => message.type === 'D')
    .map(({ body }) => {
      const values: (Buffer | null)[] = []
      let at = 2
      for (let i = 0; i < body.readInt16BE(0); i++) {
        const length = body.readInt32BE(at)
        at += 4
        values.push(length === -1 ? null : body.subarray(at, at + length))
        if (length > 0) at += length
      }
      return values
    })
}

/** The fields of the first RowDescription, if any. */
export function rowDescription(messages: readonly ByteMessage[]): ByteField[] | undefined {
  const message = messages.find((m) => m.type === 'T')
  if (message === undefined) return undefined
  const body = message.body
  const fields: ByteField[] = []
  let at = 2
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const end = body.indexOf(0, at)
    const name = body.toString('utf8', at, end)
    at = end + 1
    fields.push({
      name,
      tableOid: body.readInt32BE(at),
      columnNumber: body.readInt16BE(at + 4),
      oid: body.readInt32BE(at + 6),
      typeSize: body.readInt16BE(at + 10),
      typeModifier: body.readInt32BE(at + 12),
      format: body.readInt16BE(at + 16),
    })
    at += 18
  }
  return fields
}

/** The SQLSTATE and message of the first ErrorResponse, if any. */
export function errorOf(
  messages: readonly ByteMessage[],
): { code: string; message: string } | undefined {
  const message = messages.find((m) => m.type === 'E')
  if (message === undefined) return undefined
  const fields = new Map<string, string>()
  let at = 0
  while (message.body[at] !== 0 && at < message.body.length) {
    const end = message.body.indexOf(0, at + 1)
    fields.set(String.fromCharCode(message.body[at]!), message.body.toString('utf8', at + 1, end))
    at = end + 1
  }
  return { code: fields.get('C') ?? '', message: fields.get('M') ?? '' }
}

function frame(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts)
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body])
}

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8')
}

export function int16(value: number): Buffer {
  const buffer = Buffer.alloc(2)
  buffer.writeInt16BE(value)
  return buffer
}

export function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4)
  buffer.writeInt32BE(value)
  return buffer
}
