import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const OPENSSL = '/usr/bin/openssl'

/** A PEM key and certificate for a server. */
export interface ServerCertificate {
  readonly key: string
  readonly cert: string
}

export interface TestCertificates extends ServerCertificate {
  /** PEM of the test CA that signed `cert` (for localhost and 127.0.0.1). */
  readonly ca: string
}

/**
 * A CA of its own (not the test CA of {@link createTestCertificates}) and server certificates it signed
 * that fail verification in one way each: issued for another host name, or expired.
 */
export interface BadCertificates {
  /** PEM of this CA: trusted by nobody unless a test passes it. */
  readonly ca: string
  /** Signed by `ca`, valid now, for `DNS:db.other.test` only. */
  readonly wrongHost: ServerCertificate
  /** Signed by `ca`, for localhost and 127.0.0.1, valid only in January 2020. */
  readonly expired: ServerCertificate
}

/** A throwaway CA and a server certificate it signed, for `localhost` and `127.0.0.1`. */
export function createTestCertificates(): TestCertificates {
  return withCertificateAuthority('kysely-motherduck test CA', (ca, issue) => ({
    ca,
    ...issue('localhost', 'DNS:localhost,IP:127.0.0.1'),
  }))
}

/** See {@link BadCertificates}. */
export function createBadCertificates(): BadCertificates {
  return withCertificateAuthority('kysely-motherduck other CA', (ca, issue) => ({
    ca,
    wrongHost: issue('db.other.test', 'DNS:db.other.test'),
    expired: issue('localhost', 'DNS:localhost,IP:127.0.0.1', {
      start: '20200101000000Z',
      end: '20200201000000Z',
    }),
  }))
}

type Issue = (
  commonName: string,
  altNames: string,
  validity?: { readonly start: string; readonly end: string },
) => ServerCertificate

/**
 * Makes a CA with the openssl CLI in a temporary directory, hands its PEM and an `issue` function for
 * server certificates (valid for two days unless `validity` says otherwise) to `use`, and deletes the
 * directory afterwards. P-256 keys keep it fast.
 */
function withCertificateAuthority<T>(name: string, use: (ca: string, issue: Issue) => T): T {
  if (!existsSync(OPENSSL)) throw new Error(`${OPENSSL} is missing`)
  const dir = mkdtempSync(join(tmpdir(), 'kysely-motherduck-tls-'))
  const run = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: 'pipe' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  const read = (file: string) => readFileSync(join(dir, file), 'utf8')
  try {
    run(
      ...['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2'],
      ...['-subj', `/CN=${name}`],
      ...['-addext', 'basicConstraints=critical,CA:TRUE'],
      ...['-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    )
    writeFileSync(join(dir, 'index.txt'), '')
    writeFileSync(join(dir, 'serial'), '01\n')
    let issued = 0
    const issue: Issue = (commonName, altNames, validity) => {
      // `openssl ca` rather than `x509 -req`: it takes explicit start and end dates.
      const file = `server-${++issued}`
      writeFileSync(
        join(dir, `${file}.cnf`),
        [
          ...['[ca]', 'default_ca = test', '[test]', 'database = index.txt', 'new_certs_dir = .'],
          ...['serial = serial', 'default_md = sha256', 'policy = any', 'x509_extensions = server'],
          ...['unique_subject = no', '[any]', 'commonName = supplied', '[server]'],
          `subjectAltName = ${altNames}`,
          'extendedKeyUsage = serverAuth',
          '',
        ].join('\n'),
      )
      run(
        'req',
        '-new',
        ...ec,
        '-keyout',
        `${file}.key`,
        '-out',
        `${file}.csr`,
        '-subj',
        `/CN=${commonName}`,
      )
      const dates = validity
        ? ['-startdate', validity.start, '-enddate', validity.end]
        : ['-days', '2']
      run(
        ...[
          'ca',
          '-batch',
          '-notext',
          '-config',
          `${file}.cnf`,
          '-cert',
          'ca.crt',
          '-keyfile',
          'ca.key',
        ],
        ...['-in', `${file}.csr`, '-out', `${file}.crt`, ...dates],
      )
      return { key: read(`${file}.key`), cert: read(`${file}.crt`) }
    }
    return use(read('ca.crt'), issue)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
