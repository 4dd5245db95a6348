import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import { type SecureContext, TLSSocket } from 'node:tls'
import { type DuckDBInstance, version as duckdbVersion } from '@duckdb/node-api'
import { EncryptionResponse } from '../../wire/startup-codes.js'
import { type MotherDuckUserInfo, resolveUserInfo } from '../catalog/session-identity.js'
import { EndpointError } from '../errors/endpoint-error.js'
import type { PgErrorFields } from '../errors/pg-error-fields.js'
import { SqlState } from '../errors/sql-state.js'
import { BackendSerializer } from '../protocol/backend-serializer.js'
import { FrontendChannel } from '../protocol/frontend-channel.js'
import { type FrontendMessage, FrontendParser } from '../protocol/frontend-parser.js'
import type { MotherDuckRulesOptions } from '../rules/motherduck-rules.js'
import type { DuckDBSettingScopes } from '../session/duckdb-setting-scopes.js'
import { errorResponseFields } from '../session/error-response-fields.js'
import { QueryAdmission } from '../session/query-admission.js'
import { Session } from '../session/session.js'
import type { SessionLimits } from '../session/session-limits.js'
import { CatalogEpoch } from '../session/statement-cache.js'
import { isAddressInUse, LocalEndpointPortInUseError } from './port-in-use-error.js'
import {
  parseSaslInitialResponse,
  SCRAM_SHA_256,
  type ScramCredentials,
  ScramServerExchange,
} from './scram.js'
import { startupSettings } from './startup-settings.js'

/** How clients prove they hold the token. */
export type LocalEndpointAuth = 'scram-sha-256' | 'password'

export interface LocalServerOptions {
  readonly host: string
  readonly port: number
  /** When set, SSLRequest upgrades to TLS and plaintext startups are refused. */
  readonly secureContext: SecureContext | undefined
  readonly auth: LocalEndpointAuth
  /** The token's SCRAM verifier (scram-sha-256). */
  readonly credentials: ScramCredentials
  /** SHA-256 of the token (cleartext password auth), compared in constant time. */
  readonly tokenDigest: Buffer
  /** Attached database names; the first is the default (`md:`). */
  readonly databases: readonly string[]
  readonly instance: DuckDBInstance
  readonly rules: MotherDuckRulesOptions
  readonly limits: LocalServerLimits
  /** DuckDB's settings and their scopes (duckdb_settings()), which strict mode refuses to SET. */
  readonly duckDBSettings: DuckDBSettingScopes
  /** What `md_user_info()` answers; unset values take their defaults per session (see resolveUserInfo). */
  readonly userInfo: MotherDuckUserInfo
}

/** The endpoint's resource bounds (see LocalEndpointOptions for each one's default). */
export interface LocalServerLimits extends SessionLimits {
  /** Bytes of parsed, unhandled input a connection may hold before its socket is paused. */
  readonly maxBufferedInputBytes: number
  /** DuckDB calls running at once across sessions; the others wait (see QueryAdmission). */
  readonly maxConcurrentQueries: number
}

/** Postgres' authentication_timeout: a client that does not finish its startup in time is dropped. */
const STARTUP_TIMEOUT_MS = 60_000

type StartupMessage = Extract<FrontendMessage, { type: 'startup' }>

/**
 * The TCP side of the local endpoint: accepts connections, negotiates TLS (SSLRequest) and refuses
 * GSSAPI encryption, authenticates with SCRAM-SHA-256 or a cleartext password, picks the database
 * named by the startup `database` parameter and hands the connection to a Session. It also keeps
 * the registry that routes a CancelRequest, which arrives on a new connection, to its session.
 */
export class LocalServer {
  private readonly sessions = new Map<number, Session>()
  private readonly handshakes = new Set<Socket>()
  private readonly running = new Set<Promise<void>>()
  /** One catalog for all sessions: DDL in one makes every session's cached statements stale. */
  private readonly catalog = new CatalogEpoch()
  private readonly admission: QueryAdmission
  private nextProcessId = 1000 + Math.floor(Math.random() * 1000)
  private closing: Promise<void> | null = null

  private constructor(
    private readonly server: Server,
    private readonly options: LocalServerOptions,
  ) {
    this.admission = new QueryAdmission(options.limits.maxConcurrentQueries)
  }

  /**
   * Starts listening; resolves once the port is bound. A port another process holds rejects with
   * {@link LocalEndpointPortInUseError}: the port is never shared (no SO_REUSEPORT), so clients cannot
   * reach an older server while believing they reached this one.
   */
  static async listen(options: LocalServerOptions): Promise<LocalServer> {
    const server = createServer({ noDelay: true })
    const local = new LocalServer(server, options)
    server.on('connection', (socket) => local.accept(socket))
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void =>
        reject(
          isAddressInUse(error)
            ? new LocalEndpointPortInUseError(options.host, options.port, { cause: error })
            : error,
        )
      server.once('error', failed)
      server.listen(options.port, options.host, () => {
        server.off('error', failed)
        resolve()
      })
    })
    // Errors after listening (EMFILE…) must not crash the process.
    server.on('error', () => undefined)
    return local
  }

  /** The bound port (the real one when 0 was asked for). */
  get port(): number {
    const address = this.server.address()
    return typeof address === 'object' && address !== null ? address.port : this.options.port
  }

  /** Stops accepting, ends every session (FATAL 57P01 to its client) and waits for them. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()))
      for (const session of this.sessions.values()) session.terminate()
      for (const socket of this.handshakes) socket.destroy()
      await Promise.allSettled([...this.running])
      await stopped
    })()
    return this.closing
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined)
    if (this.closing !== null) {
      socket.destroy()
      return
    }
    const work = this.serve(socket).catch(() => undefined)
    this.running.add(work)
    void work.finally(() => this.running.delete(work))
  }

  private async serve(socket: Socket): Promise<void> {
    this.handshakes.add(socket)
    const channel = new FrontendChannel(
      socket,
      new FrontendParser(),
      this.options.limits.maxBufferedInputBytes,
    )
    const timer = setTimeout(() => channel.socket.destroy(), STARTUP_TIMEOUT_MS)
    let session: Session | undefined
    try {
      const startup = await this.negotiate(channel)
      if (startup === null) return
      const parameters = startup.parameters
      const user = parameters.user ?? ''
      if (this.options.secureContext !== undefined && !(channel.socket instanceof TLSSocket)) {
        throw new EndpointError(
          SqlState.InvalidAuthorizationSpecification,
          'the endpoint requires TLS',
          {
            severity: 'FATAL',
            hint: 'Connect with ssl (node-postgres: ssl: { ca, rejectUnauthorized: true }; libpq: sslmode=require).',
          },
        )
      }
      this.negotiateProtocolVersion(channel, startup)
      if (!(await this.authenticate(channel, user))) return
      channel.parser.authenticated()
      const database = resolveDatabase(parameters.database, this.options.databases)
      write(channel.socket, new BackendSerializer().authenticationOk())
      clearTimeout(timer)
      const processId = this.nextProcessId++
      session = new Session(channel, {
        instance: this.options.instance,
        database,
        rules: this.options.rules,
        processId,
        secretKey: randomBytes(4).readInt32BE(0),
        startupSettings: startupSettings(parameters),
        duckDBSettings: this.options.duckDBSettings,
        identity: {
          user,
          processId,
          duckdbVersion: duckdbVersion(),
          userInfo: resolveUserInfo(this.options.userInfo, user),
        },
        catalog: this.catalog,
        limits: this.options.limits,
        admission: this.admission,
      })
      this.sessions.set(processId, session)
      this.handshakes.delete(socket)
      this.handshakes.delete(channel.socket)
      if (this.closing !== null) session.terminate()
      await session.run()
    } catch (error) {
      sendFatal(channel, errorResponseFields(error))
    } finally {
      clearTimeout(timer)
      this.handshakes.delete(socket)
      this.handshakes.delete(channel.socket)
      if (session !== undefined) this.sessions.delete(session.processId)
    }
  }

  /** The startup phase up to the StartupMessage; null when the connection ends before it. */
  private async negotiate(channel: FrontendChannel): Promise<StartupMessage | null> {
    for (;;) {
      const message = await channel.next()
      if (message === null) return null
      switch (message.type) {
        case 'startup':
          return message
        case 'sslRequest':
        case 'gssEncRequest': {
          // Bytes sent before our answer would bypass the encryption being negotiated.
          if (channel.parser.bufferedBytes > 0 || channel.queued > 0) {
            throw new EndpointError(
              SqlState.ProtocolViolation,
              'received unencrypted data after SSL request',
              {
                severity: 'FATAL',
              },
            )
          }
          const upgrade =
            message.type === 'sslRequest' &&
            this.options.secureContext !== undefined &&
            !(channel.socket instanceof TLSSocket)
          if (!upgrade) {
            channel.socket.write(Buffer.of(EncryptionResponse.Refuse))
          } else {
            const raw = channel.detach()
            raw.write(Buffer.of(EncryptionResponse.Accept))
            const secure = new TLSSocket(raw, {
              isServer: true,
              secureContext: this.options.secureContext,
            })
            secure.on('error', () => undefined)
            this.handshakes.add(secure)
            channel.attach(secure)
          }
          channel.push(channel.parser.resume())
          break
        }
        case 'cancelRequest':
          this.cancel(message.processId, message.secretKey)
          channel.socket.destroy()
          return null
        case 'protocolViolation':
          throw message.error
        default:
          throw new EndpointError(
            SqlState.ProtocolViolation,
            `unexpected ${message.type} message during startup`,
            {
              severity: 'FATAL',
            },
          )
      }
    }
  }

  /** Protocol 3.x with x > 0 or `_pq_.` options: tell the client we speak 3.0 without options. */
  private negotiateProtocolVersion(channel: FrontendChannel, startup: StartupMessage): void {
    const minor = startup.protocolVersion & 0xffff
    const options = Object.keys(startup.parameters).filter((name) => name.startsWith('_pq_.'))
    if (minor === 0 && options.length === 0) return
    write(channel.socket, new BackendSerializer().negotiateProtocolVersion(0, options))
  }

  /** True when the client proved it holds the token; false when it left during the exchange. */
  private async authenticate(channel: FrontendChannel, user: string): Promise<boolean> {
    const failed = (): EndpointError =>
      new EndpointError(
        SqlState.InvalidPassword,
        `password authentication failed for user "${user}"`,
        {
          severity: 'FATAL',
        },
      )
    if (this.options.auth === 'password') {
      write(channel.socket, new BackendSerializer().authenticationCleartextPassword())
      const data = await nextPassword(channel)
      if (data === null) return false
      if (!cleartextPasswordMatches(data, this.options.tokenDigest)) throw failed()
      return true
    }
    write(channel.socket, new BackendSerializer().authenticationSASL([SCRAM_SHA_256]))
    const initial = await nextPassword(channel)
    if (initial === null) return false
    const { mechanism, response } = parseSaslInitialResponse(initial)
    if (mechanism !== SCRAM_SHA_256) {
      throw new EndpointError(
        SqlState.ProtocolViolation,
        'client selected an invalid SASL authentication mechanism',
        {
          severity: 'FATAL',
        },
      )
    }
    const exchange = new ScramServerExchange(this.options.credentials)
    write(
      channel.socket,
      new BackendSerializer().authenticationSASLContinue(exchange.start(response)),
    )
    const final = await nextPassword(channel)
    if (final === null) return false
    const serverFinal = exchange.finish(final.toString('utf8'))
    if (serverFinal === null) throw failed()
    write(channel.socket, new BackendSerializer().authenticationSASLFinal(serverFinal))
    return true
  }

  private cancel(processId: number, secretKey: number): void {
    const session = this.sessions.get(processId)
    if (session === undefined) return
    const given = Buffer.alloc(4)
    given.writeInt32BE(secretKey)
    const expected = Buffer.alloc(4)
    expected.writeInt32BE(session.secretKey)
    if (timingSafeEqual(given, expected)) session.cancel()
  }
}

/**
 * The attached database a startup `database` parameter names: `''` or `md:` is the default (the
 * first), `md:name` or `name` an attached one (matched without regard to case, like DuckDB catalogs).
 */
function resolveDatabase(requested: string | undefined, databases: readonly string[]): string {
  const wanted = requested === undefined || requested === 'md:' ? '' : requested.replace(/^md:/, '')
  if (wanted === '') return databases[0]!
  const found = databases.find((name) => name.toLowerCase() === wanted.toLowerCase())
  if (found !== undefined) return found
  throw new EndpointError(SqlState.InvalidCatalogName, `database "${wanted}" does not exist`, {
    severity: 'FATAL',
    hint: `Connect to md: (the default database, ${databases[0]}) or to one of: ${databases.join(', ')}.`,
  })
}

/**
 * Checks a PasswordMessage body (the password and its NUL) against the SHA-256 of the token. Both
 * sides are 32-byte digests compared with `timingSafeEqual`, so the time taken does not depend on
 * how much of the token the client got right, nor on its length. A body that is not exactly one
 * NUL-terminated string is a protocol violation (08P01), as in Postgres.
 *
 * ### Examples
 * ```ts
 * cleartextPasswordMatches(Buffer.from('my-token\0'), createHash('sha256').update('my-token').digest()) // true
 * ```
 */
export function cleartextPasswordMatches(message: Buffer, tokenDigest: Buffer): boolean {
  if (message.length === 0 || message.indexOf(0) !== message.length - 1) {
    throw new EndpointError(SqlState.ProtocolViolation, 'invalid password packet size', {
      severity: 'FATAL',
    })
  }
  const digest = createHash('sha256')
    .update(message.subarray(0, message.length - 1))
    .digest()
  return timingSafeEqual(digest, tokenDigest)
}

async function nextPassword(channel: FrontendChannel): Promise<Buffer | null> {
  const message = await channel.next()
  if (message === null) return null
  if (message.type === 'protocolViolation') throw message.error
  if (message.type !== 'password') {
    throw new EndpointError(
      SqlState.ProtocolViolation,
      `expected a password message, got ${message.type}`,
      {
        severity: 'FATAL',
      },
    )
  }
  return message.data
}

function write(socket: Socket, messages: BackendSerializer): void {
  if (!socket.destroyed) socket.write(messages.take())
}

function sendFatal(channel: FrontendChannel, fields: PgErrorFields): void {
  const socket = channel.socket
  if (socket.destroyed || socket.writableEnded) return
  void channel.end(new BackendSerializer().errorResponse({ ...fields, severity: 'FATAL' }).take())
}
