import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import { serialize } from 'pg-protocol'
import type { WireConnection, WireMessage } from './wire-connection.js'

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) written out step by step, so that tests can
 * send what no real client sends: flipped proof bits, foreign nonces, a replayed final message, a
 * channel-binding header that disagrees with the first message, malformed attributes.
 */

/** The client-first-message and what the final message needs from it. */
export interface ScramClientFirst {
  /** The GS2 header, e.g. `n,,`. */
  readonly gs2Header: string
  /** The client-first-message-bare, e.g. `n=*,r=<nonce>`. */
  readonly bare: string
  /** The whole client-first-message (header + bare). */
  readonly message: string
  readonly clientNonce: string
}

/** The server-first-message, parsed. */
export interface ScramServerFirst {
  readonly text: string
  /** The combined nonce (client's + server's). */
  readonly nonce: string
  readonly salt: Buffer
  readonly iterations: number
}

/** How to spoil the client-final-message (each field is optional; none = an honest message). */
export interface ScramTampering {
  /** Flip this bit of the 32-byte ClientProof (0 = the lowest bit of the first byte). */
  readonly flipProofBit?: number
  /** Send this text as `r=` instead of the nonce the server chose. */
  readonly nonce?: string
  /** Send this GS2 header (base64-encoded into `c=`) instead of the one of the first message. */
  readonly channelBindingHeader?: string
  /** Replace the `p=` value (base64 text) verbatim. */
  readonly proofText?: string
  /** Replace the whole message. */
  readonly message?: string
}

export function clientFirstMessage(
  options: { readonly nonce?: string; readonly gs2Header?: string; readonly user?: string } = {},
): ScramClientFirst {
  const clientNonce = options.nonce ?? randomBytes(18).toString('base64')
  const gs2Header = options.gs2Header ?? 'n,,'
  const bare = `n=${options.user ?? '*'},r=${clientNonce}`
  return { gs2Header, bare, message: gs2Header + bare, clientNonce }
}

export function parseServerFirst(text: string): ScramServerFirst {
  const attributes = new Map(
    text.split(',').map((part) => [part.slice(0, 1), part.slice(2)] as const),
  )
  const nonce = attributes.get('r')
  const salt = attributes.get('s')
  const iterations = Number(attributes.get('i'))
  if (nonce === undefined || salt === undefined || !Number.isInteger(iterations)) {
    throw new Error(`not a server-first-message: ${text}`)
  }
  return { text, nonce, salt: Buffer.from(salt, 'base64'), iterations }
}

/** Hi(Normalize(password), salt, i): the slow part, worth computing once per password and salt. */
export function saltedPassword(password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256')
}

/** The client-final-message, and the server signature an honest server must answer with. */
export function clientFinalMessage(
  first: ScramClientFirst,
  serverFirst: ScramServerFirst,
  salted: Buffer,
  tampering: ScramTampering = {},
): { readonly message: string; readonly serverSignature: string } {
  const header = tampering.channelBindingHeader ?? first.gs2Header
  const withoutProof = `c=${Buffer.from(header).toString('base64')},r=${tampering.nonce ?? serverFirst.nonce}`
  const authMessage = `${first.bare},${serverFirst.text},${withoutProof}`
  const clientKey = hmac(salted, 'Client Key')
  const storedKey = createHash('sha256').update(clientKey).digest()
  const clientSignature = hmac(storedKey, authMessage)
  const proof = Buffer.alloc(32)
  for (let i = 0; i < 32; i++) proof[i] = (clientKey[i] as number) ^ (clientSignature[i] as number)
  if (tampering.flipProofBit !== undefined) {
    const bit = tampering.flipProofBit
    proof[bit >> 3] = (proof[bit >> 3] as number) ^ (1 << (bit & 7))
  }
  const proofText = tampering.proofText ?? proof.toString('base64')
  const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage).toString('base64')
  return { message: tampering.message ?? `${withoutProof},p=${proofText}`, serverSignature }
}

/** The body of a SASLInitialResponse, for tests that spoil its framing. */
export function saslInitialResponseBody(mechanism: string, response: string): Buffer {
  const text = Buffer.from(response)
  const length = Buffer.alloc(4)
  length.writeInt32BE(text.length)
  return Buffer.concat([Buffer.from(`${mechanism}\0`), length, text])
}

/** A password ('p') message with any body. */
export function passwordMessage(body: Buffer): Buffer {
  const header = Buffer.alloc(5)
  header.write('p')
  header.writeInt32BE(body.length + 4, 1)
  return Buffer.concat([header, body])
}

/** Where a scripted SCRAM exchange ended. */
export interface ScramOutcome {
  /** The messages the server sent after the client-final-message (or after the step that failed). */
  readonly replies: readonly WireMessage[]
  /** The client-final-message that was sent (for replay tests). */
  readonly clientFinal?: string
  /** True when the server sent AuthenticationOk. */
  readonly authenticated: boolean
  /** True when the server's final message carried the signature only the token's holder can compute. */
  readonly serverVerified: boolean
}

/**
 * Runs a SCRAM-SHA-256 login on a fresh connection up to the server's verdict: startup, the
 * mechanism list, client-first, server-first, client-final (spoiled as `tampering` says). `salted`
 * may be passed to skip the PBKDF2 (the server's salt and iteration count never change).
 */
export async function scramLogin(
  connection: WireConnection,
  password: string,
  options: {
    readonly tampering?: ScramTampering
    readonly first?: ScramClientFirst
    readonly mechanism?: string
    readonly salted?: (serverFirst: ScramServerFirst) => Buffer
    readonly timeoutMs?: number
  } = {},
): Promise<ScramOutcome> {
  const timeoutMs = options.timeoutMs ?? 5_000
  connection.send(serialize.startup({ user: 'postgres', database: 'md:' }))
  const request = await connection.next(timeoutMs)
  if (request.name !== 'authenticationSASL') {
    return { replies: [request], authenticated: false, serverVerified: false }
  }
  const first = options.first ?? clientFirstMessage()
  connection.send(
    serialize.sendSASLInitialResponseMessage(options.mechanism ?? 'SCRAM-SHA-256', first.message),
  )
  const continued = await connection.next(timeoutMs)
  if (continued.name !== 'authenticationSASLContinue') {
    return { replies: [continued], authenticated: false, serverVerified: false }
  }
  const serverFirst = parseServerFirst(String(continued.data))
  const salted =
    options.salted?.(serverFirst) ??
    saltedPassword(password, serverFirst.salt, serverFirst.iterations)
  const final = clientFinalMessage(first, serverFirst, salted, options.tampering)
  connection.send(serialize.sendSCRAMClientFinalMessage(final.message))
  const replies: WireMessage[] = []
  for (;;) {
    let message: WireMessage
    try {
      message = await connection.next(timeoutMs)
    } catch {
      break
    }
    replies.push(message)
    if (message.name === 'error' || message.name === 'readyForQuery') break
  }
  const saslFinal = replies.find((m) => m.name === 'authenticationSASLFinal')
  return {
    replies,
    clientFinal: final.message,
    authenticated: replies.some((m) => m.name === 'authenticationOk'),
    serverVerified: String(saslFinal?.data ?? '') === `v=${final.serverSignature}`,
  }
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest()
}
