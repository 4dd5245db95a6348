import { serialize } from 'pg-protocol'

/**
 * Frontend messages as bytes, for the fuzzers: the well-formed ones come from pg-protocol's serializer
 * (the bytes `pg` itself sends), the rest are framed by hand so that any type byte, length and body
 * can be combined.
 */

/** A typed message: type byte, then an int32 length (which counts itself), then the body. */
export function typedMessage(
  type: number,
  body: Buffer = Buffer.alloc(0),
  length?: number,
): Buffer {
  const header = Buffer.alloc(5)
  header[0] = type
  header.writeInt32BE(length ?? body.length + 4, 1)
  return Buffer.concat([header, body])
}

/** An untyped startup-phase message: an int32 length, then the body. */
export function untypedMessage(body: Buffer, length?: number): Buffer {
  const header = Buffer.alloc(4)
  header.writeInt32BE(length ?? body.length + 4, 0)
  return Buffer.concat([header, body])
}

export function int32(value: number): Buffer {
  const out = Buffer.alloc(4)
  out.writeInt32BE(value | 0)
  return out
}

export function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`)
}

export const SSL_REQUEST = serialize.requestSsl()
export const GSSENC_REQUEST = untypedMessage(int32(80877104))

export function startupMessage(parameters: Record<string, string> = {}): Buffer {
  return serialize.startup({ user: 'postgres', database: 'md:', ...parameters })
}

/** A StartupMessage with any protocol version number. */
export function startupWithVersion(version: number, parameters: Record<string, string>): Buffer {
  const pairs = Object.entries(parameters).flatMap(([name, value]) => [
    cstring(name),
    cstring(value),
  ])
  return untypedMessage(Buffer.concat([int32(version), ...pairs, Buffer.from([0])]))
}

export function cancelRequest(processId: number, secretKey: number): Buffer {
  return serialize.cancel(processId, secretKey)
}

/** The type bytes a frontend may send after startup (see src/local/protocol/message-codes.ts). */
export const FRONTEND_TYPES = {
  bind: 0x42,
  close: 0x43,
  copyData: 0x64,
  copyDone: 0x63,
  copyFail: 0x66,
  describe: 0x44,
  execute: 0x45,
  flush: 0x48,
  functionCall: 0x46,
  parse: 0x50,
  password: 0x70,
  query: 0x51,
  sync: 0x53,
  terminate: 0x58,
} as const

export const FRONTEND_TYPE_BYTES: readonly number[] = Object.values(FRONTEND_TYPES)

/** A FunctionCall ('F') message: function OID 1, no arguments, text result. */
export function functionCall(): Buffer {
  return typedMessage(
    FRONTEND_TYPES.functionCall,
    Buffer.concat([int32(1), Buffer.from([0, 0, 0, 0, 0, 0])]),
  )
}

/**
 * Splits a client's byte stream into its messages: the first is the untyped StartupMessage (or
 * SSLRequest), the rest typed. Used to cut captured `pg` traffic into a corpus.
 */
export function splitFrontendStream(stream: Buffer): { startup: Buffer[]; typed: Buffer[] } {
  const startup: Buffer[] = []
  const typed: Buffer[] = []
  let offset = 0
  // SSLRequest/GSSENCRequest (8 bytes) may come before the StartupMessage.
  for (;;) {
    const length = stream.readInt32BE(offset)
    startup.push(stream.subarray(offset, offset + length))
    offset += length
    if (length !== 8) break
  }
  while (offset + 5 <= stream.length) {
    const length = stream.readInt32BE(offset + 1)
    typed.push(stream.subarray(offset, offset + 1 + length))
    offset += 1 + length
  }
  return { startup, typed }
}
