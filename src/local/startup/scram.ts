import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'

const pbkdf2Async = promisify(pbkdf2)

/** The mechanism name the endpoint offers in AuthenticationSASL. */
export const SCRAM_SHA_256 = 'SCRAM-SHA-256'

/** What the server keeps about a password (RFC 5802 §3): never the password itself. */
export interface ScramCredentials {
  readonly salt: Buffer
  readonly iterations: number
  readonly storedKey: Buffer
  readonly serverKey: Buffer
}

/**
 * Derives the SCRAM-SHA-256 verifier of a password once, so that each connection only costs two
 * HMACs. The password is NFKC-normalised as SASLprep does (pg and libpq do the same client-side);
 * the prohibited-character checks of SASLprep are skipped, as Postgres skips them for its roles.
 *
 * ### Examples
 * ```ts
 * const credentials = await deriveScramCredentials(token)
 * const exchange = new ScramServerExchange(credentials)
 * ```
 */
export async function deriveScramCredentials(
  password: string,
  options: { readonly iterations?: number; readonly salt?: Buffer } = {},
): Promise<ScramCredentials> {
  const iterations = options.iterations ?? 4096
  const salt = options.salt ?? randomBytes(16)
  const salted = await pbkdf2Async(password.normalize('NFKC'), salt, iterations, 32, 'sha256')
  const clientKey = hmac(salted, 'Client Key')
  return {
    salt,
    iterations,
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: hmac(salted, 'Server Key'),
  }
}

/** The mechanism and client-first-message of a SASLInitialResponse body. */
export function parseSaslInitialResponse(data: Buffer): { mechanism: string; response: string } {
  const nul = data.indexOf(0)
  if (nul === -1 || data.length < nul + 5) throw malformed('truncated SASLInitialResponse')
  const mechanism = data.toString('utf8', 0, nul)
  const length = data.readInt32BE(nul + 1)
  const start = nul + 5
  if (length < 0 || start + length !== data.length)
    throw malformed('bad SASLInitialResponse length')
  return { mechanism, response: data.toString('utf8', start) }
}

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) without channel binding:
 * `start` answers the client-first-message, `finish` checks the client's proof and returns the
 * server-final-message, or null when the password was wrong.
 *
 * ### Examples
 * ```ts
 * const serverFirst = exchange.start('n,,n=*,r=fyko+d2lbbFgONRv9qkxdawL')
 * const serverFinal = exchange.finish(clientFinal) // 'v=…' or null
 * ```
 */
export class ScramServerExchange {
  private clientFirstBare = ''
  private serverFirst = ''
  private nonce = ''
  private gs2Header = ''

  constructor(
    private readonly credentials: ScramCredentials,
    /** The server's part of the nonce; random unless a test pins it. */
    private readonly serverNonce = randomBytes(18).toString('base64'),
  ) {}

  start(clientFirstMessage: string): string {
    // gs2-header: cbind-flag "," [authzid] ","  then the bare message.
    const first = clientFirstMessage.indexOf(',')
    const second = clientFirstMessage.indexOf(',', first + 1)
    if (first === -1 || second === -1) throw malformed('missing GS2 header')
    const flag = clientFirstMessage.slice(0, first)
    if (flag.startsWith('p=')) {
      throw new EndpointError(
        SqlState.ProtocolViolation,
        'channel binding is not supported by this server',
        {
          severity: 'FATAL',
          hint: 'Connect with channel_binding=disable or prefer.',
        },
      )
    }
    if (flag !== 'n' && flag !== 'y') throw malformed(`unexpected channel-binding flag "${flag}"`)
    this.gs2Header = clientFirstMessage.slice(0, second + 1)
    this.clientFirstBare = clientFirstMessage.slice(second + 1)
    const attributes = parseAttributes(this.clientFirstBare)
    if (attributes.has('m')) throw malformed('mandatory extension (m=) not supported')
    // RFC 5802: n= (the user name, ignored here) first, then the nonce; extensions may follow.
    const [user, nonce] = attributes.keys()
    const clientNonce = attributes.get('r')
    if (
      user !== 'n' ||
      nonce !== 'r' ||
      clientNonce === undefined ||
      !/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)
    ) {
      throw malformed('client-first-message needs n= and a printable r= nonce')
    }
    this.nonce = clientNonce + this.serverNonce
    const { salt, iterations } = this.credentials
    this.serverFirst = `r=${this.nonce},s=${salt.toString('base64')},i=${iterations}`
    return this.serverFirst
  }

  finish(clientFinalMessage: string): string | null {
    if (this.serverFirst === '') throw malformed('client-final-message before client-first-message')
    const proofAt = clientFinalMessage.lastIndexOf(',p=')
    if (proofAt === -1) throw malformed('client-final-message has no proof')
    const withoutProof = clientFinalMessage.slice(0, proofAt)
    const attributes = parseAttributes(withoutProof)
    const [first, second] = attributes.keys()
    if (first !== 'c' || second !== 'r') throw malformed('client-final-message needs c= then r=')
    const binding = attributes.get('c')
    if (
      binding === undefined ||
      Buffer.from(binding, 'base64').toString('utf8') !== this.gs2Header
    ) {
      throw malformed('channel-binding data does not match the GS2 header')
    }
    if (attributes.get('r') !== this.nonce) throw malformed('nonce mismatch')
    const proofText = clientFinalMessage.slice(proofAt + 3)
    const proof = Buffer.from(proofText, 'base64')
    // The proof's length is the client's, not a secret: refusing early leaks nothing.
    if (!BASE64.test(proofText) || proof.length !== 32) {
      throw malformed('proof is not 32 bytes of base64')
    }

    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`
    const clientSignature = hmac(this.credentials.storedKey, authMessage)
    const clientKey = Buffer.alloc(32)
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!
    const storedKey = createHash('sha256').update(clientKey).digest()
    // Two 32-byte digests compared in constant time: how much of the token the client got right
    // changes neither what is computed nor how long the comparison takes.
    if (!timingSafeEqual(storedKey, this.credentials.storedKey)) return null
    return `v=${hmac(this.credentials.serverKey, authMessage).toString('base64')}`
  }
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest()
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** `a=…,b=…` in order; an attribute given twice is refused (which one would count?). */
function parseAttributes(message: string): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const part of message.split(',')) {
    if (part.length < 2 || part[1] !== '=') throw malformed(`bad attribute "${part.slice(0, 16)}"`)
    const name = part[0]!
    if (attributes.has(name)) throw malformed(`attribute ${name}= given twice`)
    attributes.set(name, part.slice(2))
  }
  return attributes
}

function malformed(reason: string): EndpointError {
  return new EndpointError(SqlState.ProtocolViolation, `malformed SCRAM message: ${reason}`, {
    severity: 'FATAL',
  })
}
