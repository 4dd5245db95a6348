import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect, promisify } from 'node:util'
import { Kysely, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  MotherDuckCertificateError,
  MotherDuckConfigError,
  MotherDuckDialect,
  type MotherDuckDialectConfig,
  MotherDuckInsecureConnectionError,
  motherDuckPoolConfig,
  resolveMotherDuckConnection,
} from '../../src/index.js'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { rejection } from '../local/helpers/pg-clients.js'
import {
  type BadCertificates,
  createBadCertificates,
  createTestCertificates,
  OPENSSL,
  type TestCertificates,
} from '../local/helpers/test-certificates.js'
import { reportFigure } from './stress-scale.js'

/**
 * Issue 7, "TLS". (1) Remote hosts are always verified unless the user explicitly asks for `require`:
 * every way to ask for TLS (option, URL sslmode, sslrootcert) resolved for remote and loopback hosts.
 * (2) A wrong CA, a wrong host name or an expired certificate fails with a MotherDuckCertificateError
 * that says which, without the token. (3) The local endpoint with TLS passes verify-full: pg with
 * `rejectUnauthorized: true` and the test CA, Kysely through the dialect, and `psql` with
 * `sslmode=verify-full`.
 */

const TOKEN = 'tls-test-token-5f1c2a9e-never-shown'
const run = promisify(execFile)
const PSQL = '/usr/bin/psql'
const hasOpenssl = existsSync(OPENSSL)

/** The resolved TLS of one config, as pg will get it. */
function tlsOf(config: MotherDuckDialectConfig) {
  const resolved = resolveMotherDuckConnection({ token: TOKEN, env: {}, ...config })
  return {
    mode: resolved.sslMode,
    ssl: resolved.ssl,
    pool: motherDuckPoolConfig({ token: TOKEN, env: {}, ...config }).ssl,
  }
}

const url = (host: string, query: string) =>
  `postgresql://postgres:${TOKEN}@${host}:5432/md:${query}`

describe('remote hosts are verified unless `require` is asked for explicitly', () => {
  // `*.localhost` and 0.0.0.0 are not loopback for TLS: DNS may send them elsewhere (src/net/loopback-host.ts).
  const REMOTE = [
    'pg.us-east-1-aws.motherduck.com',
    'db.example.com',
    '10.1.2.3',
    'db.localhost',
    '0.0.0.0',
  ]
  const LOOPBACK = ['127.0.0.1', '127.1.2.3', 'localhost', '::1']
  const verifyFull = { mode: 'verify-full' }

  /** [what, config, expected mode] for a remote `host`. */
  const remoteCases = (host: string): [string, MotherDuckDialectConfig, string][] => [
    ['no TLS option', { host }, 'verify-full'],
    ["ssl: 'verify-full'", { host, ssl: 'verify-full' }, 'verify-full'],
    ["ssl: 'require'", { host, ssl: 'require' }, 'require'],
    ['URL without sslmode', { url: url(host, '') }, 'verify-full'],
    ['URL sslmode=allow', { url: url(host, '?sslmode=allow') }, 'verify-full'],
    ['URL sslmode=prefer', { url: url(host, '?sslmode=prefer') }, 'verify-full'],
    ['URL sslmode=PREFER', { url: url(host, '?sslmode=PREFER') }, 'verify-full'],
    ['URL sslmode=require', { url: url(host, '?sslmode=require') }, 'require'],
    ['URL sslmode=verify-ca', { url: url(host, '?sslmode=verify-ca') }, 'verify-full'],
    ['URL sslmode=verify-full', { url: url(host, '?sslmode=verify-full') }, 'verify-full'],
    [
      'URL sslmode=require, option verify-full',
      { url: url(host, '?sslmode=require'), ssl: 'verify-full' },
      'verify-full',
    ],
    [
      'URL sslmode=require&sslrootcert=system',
      { url: url(host, '?sslmode=require&sslrootcert=system') },
      'custom',
    ],
    [
      'URL sslmode=prefer&sslrootcert=system',
      { url: url(host, '?sslmode=prefer&sslrootcert=system') },
      'custom',
    ],
    ['URL sslrootcert=system', { url: url(host, '?sslrootcert=system') }, 'custom'],
    ['ssl: { ca }', { host, ssl: { ca: 'PEM' } }, 'custom'],
  ]

  it.each(REMOTE)(
    '%s: every mode but an explicit require verifies the certificate and host name',
    (host) => {
      const seen: string[] = []
      for (const [what, config, mode] of remoteCases(host)) {
        const { mode: resolved, ssl, pool } = tlsOf(config)
        expect({ what, mode: resolved }).toEqual({ what, mode })
        expect(ssl, what).not.toBe(false)
        const options = ssl as { rejectUnauthorized?: boolean; servername?: string; ca?: unknown }
        // What pg gets is what was resolved.
        expect(pool, what).toEqual(ssl)
        if (mode === 'require') {
          expect(options.rejectUnauthorized, what).toBe(false)
        } else {
          // true, or left out so that Node's default (true) applies; never false.
          expect(options.rejectUnauthorized ?? true, what).toBe(true)
          if (mode === 'custom' && config.ssl === undefined) expect(options.ca, what).toBeDefined()
        }
        // The server name is the host (SNI and the name checked), except for an IP address.
        expect(options.servername, what).toBe(isIP(host) === 0 ? host : undefined)
        seen.push(`${what} → ${resolved}`)
      }
      expect(seen).toHaveLength(remoteCases(host).length)
    },
  )

  it.each(REMOTE)('%s: plain text is refused, by option and by sslmode=disable', (host) => {
    expect(() => tlsOf({ host, ssl: false })).toThrow(MotherDuckInsecureConnectionError)
    expect(() => tlsOf({ url: url(host, '?sslmode=disable') })).toThrow(
      MotherDuckInsecureConnectionError,
    )
    expect(() => tlsOf({ url: url(host, '?sslmode=disable') })).toThrow(
      `Refusing an unencrypted connection to ${host}: the token is the password and would travel in clear text.`,
    )
    expect(() => tlsOf({ url: url(host, '?sslmode=disable') })).not.toThrow(TOKEN)
  })

  it('refuses an unknown sslmode and an unknown ssl value without showing the URL', () => {
    const attempt = () => tlsOf({ url: url('db.example.com', '?sslmode=verify-none') })
    expect(attempt).toThrow(MotherDuckConfigError)
    expect(attempt).toThrow(
      /sslmode=verify-none; use disable \(loopback hosts only\), require or verify-full/,
    )
    expect(attempt).not.toThrow(TOKEN)
    expect(() => new MotherDuckDialect({ ssl: 'prefer' as 'require' })).toThrow(/`ssl` must be/)
  })

  it.each(LOOPBACK)(
    '%s (loopback): plain text by default and for disable/allow/prefer; TLS when asked',
    (host) => {
      const bracketed = host === '::1' ? '[::1]' : host
      expect(tlsOf({ host })).toMatchObject({ mode: 'disable', ssl: false })
      expect(tlsOf({ host, ssl: false })).toMatchObject({ mode: 'disable', ssl: false })
      for (const mode of ['disable', 'allow', 'prefer']) {
        expect(tlsOf({ url: url(bracketed, `?sslmode=${mode}`) }), mode).toMatchObject({
          mode: 'disable',
          ssl: false,
        })
      }
      expect(tlsOf({ url: url(bracketed, '?sslmode=require') }).mode).toBe('require')
      expect(tlsOf({ url: url(bracketed, '?sslmode=verify-full') })).toMatchObject(verifyFull)
      expect(tlsOf({ host, ssl: 'verify-full' })).toMatchObject(verifyFull)
    },
  )
})

describe.skipIf(!hasOpenssl)('the local endpoint with TLS', () => {
  let certificates: TestCertificates
  let bad: BadCertificates
  let endpoint: LocalEndpoint
  let wrongHostEndpoint: LocalEndpoint
  let expiredEndpoint: LocalEndpoint
  let caDir: string

  beforeAll(async () => {
    certificates = createTestCertificates()
    bad = createBadCertificates()
    endpoint = await startLocalEndpoint({ token: TOKEN, tls: certificates })
    wrongHostEndpoint = await startLocalEndpoint({ token: TOKEN, tls: bad.wrongHost })
    expiredEndpoint = await startLocalEndpoint({ token: TOKEN, tls: bad.expired })
    caDir = mkdtempSync(join(tmpdir(), 'kysely-motherduck-tls-test-'))
    writeFileSync(join(caDir, 'test-ca.pem'), certificates.ca)
    writeFileSync(join(caDir, 'other-ca.pem'), bad.ca)
  })

  afterAll(async () => {
    await endpoint?.stop()
    await wrongHostEndpoint?.stop()
    await expiredEndpoint?.stop()
    if (caDir) rmSync(caDir, { recursive: true, force: true })
  })

  /** One query through Kysely and MotherDuckDialect; resolves to its rows. */
  async function kyselyQuery(config: MotherDuckDialectConfig): Promise<unknown[]> {
    const db = new Kysely<Record<string, never>>({
      dialect: new MotherDuckDialect({
        token: TOKEN,
        connectRetry: false,
        env: {},
        ...config,
      }),
    })
    try {
      return (await sql<{ ok: number }>`select 1 as ok`.execute(db)).rows
    } finally {
      await db.destroy()
    }
  }

  async function certificateError(config: MotherDuckDialectConfig) {
    const error = await rejection(kyselyQuery(config))
    expect(error).toBeInstanceOf(MotherDuckCertificateError)
    for (const text of [
      error.message,
      String(error.stack),
      inspect(error, { depth: 5 }),
      JSON.stringify(error),
    ]) {
      expect(text).not.toContain(TOKEN)
    }
    return error as unknown as MotherDuckCertificateError
  }

  describe('verify-full passes with the test CA', () => {
    it('pg with rejectUnauthorized: true and the CA, by IP address and by host name', async () => {
      for (const host of ['127.0.0.1', 'localhost']) {
        const client = new pg.Client({
          host,
          port: endpoint.port,
          user: 'postgres',
          password: TOKEN,
          database: 'md:',
          ssl: {
            rejectUnauthorized: true,
            ca: certificates.ca,
            ...(host === 'localhost' ? { servername: host } : {}),
          },
        })
        client.on('error', () => undefined)
        await client.connect()
        expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }])
        expect(
          (client as unknown as { connection: { stream: { authorized?: boolean } } }).connection
            .stream.authorized,
        ).toBe(true)
        await client.end()
      }
    })

    it('Kysely with MotherDuckDialect: ssl { ca }, and a URL with sslmode=verify-full&sslrootcert=<file>', async () => {
      expect(
        await kyselyQuery({ host: '127.0.0.1', port: endpoint.port, ssl: { ca: certificates.ca } }),
      ).toEqual([{ ok: 1 }])
      expect(
        await kyselyQuery({ host: 'localhost', port: endpoint.port, ssl: { ca: certificates.ca } }),
      ).toEqual([{ ok: 1 }])
      const withRootCert = `postgresql://postgres:${TOKEN}@localhost:${endpoint.port}/md:?sslmode=verify-full&sslrootcert=${encodeURIComponent(join(caDir, 'test-ca.pem'))}`
      expect(await kyselyQuery({ url: withRootCert })).toEqual([{ ok: 1 }])
    })

    it('refuses a plaintext startup with 28000, and a wrong token over TLS with 28P01', async () => {
      const plain = await rejection(
        kyselyQuery({ host: '127.0.0.1', port: endpoint.port, ssl: false }),
      )
      expect(plain.message).toMatch(/SQLSTATE 28000: the endpoint requires TLS/)
      const wrong = await rejection(
        kyselyQuery({
          host: '127.0.0.1',
          port: endpoint.port,
          token: 'nope',
          ssl: { ca: certificates.ca },
        }),
      )
      expect(wrong.message).toMatch(/SQLSTATE 28P01: password authentication failed/)
    })
  })

  describe('a certificate that fails verification says why, and never shows the token', () => {
    it('a CA other than the one that signed it: untrusted-ca', async () => {
      const error = await certificateError({
        host: 'localhost',
        port: endpoint.port,
        ssl: { ca: bad.ca },
      })
      expect(error.problem).toBe('untrusted-ca')
      expect(error.message).toBe(
        'The TLS certificate of localhost is not signed by a trusted certificate authority (UNABLE_TO_VERIFY_LEAF_SIGNATURE), ' +
          'so the server could not be verified and the token was not sent. If the server uses its own CA (e.g. the local ' +
          "endpoint with TLS), pass it: ssl: { ca: fs.readFileSync('ca.pem') }, or sslrootcert=<file> in the URL. " +
          "ssl: 'require' (sslmode=require) would encrypt without verifying, letting anyone on the network path read the token.",
      )
      reportFigure('TLS wrong CA', error.message)
    })

    it("no CA at all (Node's bundled CAs): untrusted-ca", async () => {
      const error = await certificateError({
        host: 'localhost',
        port: endpoint.port,
        ssl: 'verify-full',
      })
      expect(error.problem).toBe('untrusted-ca')
      expect(error.message).toMatch(
        /^The TLS certificate of localhost is not signed by a trusted certificate authority/,
      )
    })

    it('a certificate for another host name: wrong-host, naming both', async () => {
      const error = await certificateError({
        host: '127.0.0.1',
        port: wrongHostEndpoint.port,
        ssl: { ca: bad.ca },
      })
      expect(error.problem).toBe('wrong-host')
      expect(error.certificateNames).toBe('DNS:db.other.test')
      expect(error.expectedName).toBe('127.0.0.1')
      expect(error.message).toBe(
        'The TLS certificate presented by 127.0.0.1 is for DNS:db.other.test, not for 127.0.0.1 (ERR_TLS_CERT_ALTNAME_INVALID), ' +
          'so the token was not sent. Check the host (or region) you connect to; if you reach the server under a name its ' +
          "certificate does not carry (an IP address, a tunnel), set ssl: { servername: '<a name it carries>' }. " +
          "ssl: 'require' (sslmode=require) would encrypt without verifying, letting anyone on the network path read the token.",
      )
      reportFigure('TLS wrong host', error.message)
    })

    it('a server name the certificate does not carry (MotherDuck host name on the local endpoint): wrong-host', async () => {
      const error = await certificateError({
        host: '127.0.0.1',
        port: endpoint.port,
        ssl: { ca: certificates.ca, servername: 'pg.us-east-1-aws.motherduck.com' },
      })
      expect(error.problem).toBe('wrong-host')
      expect(error.message).toMatch(
        /^The TLS certificate presented by 127\.0\.0\.1 is for DNS:localhost, IP Address:127\.0\.0\.1, not for pg\.us-east-1-aws\.motherduck\.com \(ERR_TLS_CERT_ALTNAME_INVALID\)/,
      )
    })

    it('an expired certificate: expired', async () => {
      const error = await certificateError({
        host: 'localhost',
        port: expiredEndpoint.port,
        ssl: { ca: bad.ca },
      })
      expect(error.problem).toBe('expired')
      expect(error.message).toMatch(
        /^The TLS certificate of localhost has expired or is not valid yet \(CERT_HAS_EXPIRED\)/,
      )
    })

    it("passes with ssl: 'require' only, which the user asks for explicitly", async () => {
      expect(
        await kyselyQuery({ host: 'localhost', port: wrongHostEndpoint.port, ssl: 'require' }),
      ).toEqual([{ ok: 1 }])
    })
  })

  describe.skipIf(!existsSync(PSQL))(`psql (${PSQL}) with sslmode=verify-full`, () => {
    /** psql with libpq settings from the environment, so the token is not on a command line. */
    async function psql(host: string, port: number, rootCert: string) {
      try {
        const { stdout, stderr } = await run(PSQL, ['-X', '-A', '-t', '-c', 'SELECT 40 + 2'], {
          env: {
            ...process.env,
            PGHOST: host,
            PGPORT: String(port),
            PGUSER: 'postgres',
            PGPASSWORD: TOKEN,
            PGDATABASE: 'md:',
            PGSSLMODE: 'verify-full',
            PGSSLROOTCERT: join(caDir, rootCert),
            PGCONNECT_TIMEOUT: '10',
          },
        })
        return { stdout, stderr, code: 0 }
      } catch (error) {
        const failed = error as { stdout: string; stderr: string; code: number }
        return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code }
      }
    }

    it('connects by host name and by IP address with the test CA', async () => {
      for (const host of ['localhost', '127.0.0.1']) {
        const result = await psql(host, endpoint.port, 'test-ca.pem')
        expect({ host, ...result }).toEqual({ host, stdout: '42\n', stderr: '', code: 0 })
      }
    })

    it('refuses another CA and another host name, as libpq words it', async () => {
      const wrongCa = await psql('localhost', endpoint.port, 'other-ca.pem')
      expect(wrongCa.code).not.toBe(0)
      expect(wrongCa.stderr).toMatch(/certificate verify failed/)
      const wrongHost = await psql('127.0.0.1', wrongHostEndpoint.port, 'other-ca.pem')
      expect(wrongHost.code).not.toBe(0)
      expect(wrongHost.stderr).toMatch(
        /server certificate for "db\.other\.test".* does not match host name "127\.0\.0\.1"/,
      )
      for (const result of [wrongCa, wrongHost]) expect(result.stderr).not.toContain(TOKEN)
    })
  })
})
