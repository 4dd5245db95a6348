import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A PEM key and certificate for a server. */
export interface ServerCertificate {
  readonly key: string
  readonly cert: string
}

/**
 * A certificate authority of its own (not the test CA of test/local/helpers/test-certificates.ts), and
 * server certificates that fail verification in one way each: issued for another host name, or
 * expired. Made with the openssl CLI in a temporary directory that is deleted afterwards.
 */
export interface BadCertificates {
  /** PEM of this CA: trusted by nobody unless a test passes it. */
  readonly ca: string
  /** Signed by `ca`, valid now, for `DNS:db.other.test` only. */
  readonly wrongHost: ServerCertificate
  /** Signed by `ca`, for localhost and 127.0.0.1, valid only in January 2020. */
  readonly expired: ServerCertificate
}

const OPENSSL = '/usr/bin/openssl'

export function createBadCertificates(): BadCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'kysely-motherduck-bad-tls-'))
  const run = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: 'pipe' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  try {
    run(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=kysely-motherduck other CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    )
    writeFileSync(join(dir, 'index.txt'), '')
    writeFileSync(join(dir, 'serial'), '01\n')
    const issue = (name: string, altNames: string, dates: readonly string[]): ServerCertificate => {
      writeFileSync(
        join(dir, `${name}.cnf`),
        [
          '[ca]',
          'default_ca = test',
          '[test]',
          'database = index.txt',
          'new_certs_dir = .',
          'serial = serial',
          'default_md = sha256',
          'policy = any',
          'x509_extensions = server',
          'unique_subject = no',
          '[any]',
          'commonName = supplied',
          '[server]',
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
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${name}`,
      )
      run(
        'ca',
        '-batch',
        '-notext',
        '-config',
        `${name}.cnf`,
        '-cert',
        'ca.crt',
        '-keyfile',
        'ca.key',
        '-in',
        `${name}.csr`,
        '-out',
        `${name}.crt`,
        ...dates,
      )
      return {
        key: readFileSync(join(dir, `${name}.key`), 'utf8'),
        cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
      }
    }
    return {
      ca: readFileSync(join(dir, 'ca.crt'), 'utf8'),
      wrongHost: issue('db.other.test', 'DNS:db.other.test', ['-days', '2']),
      expired: issue('localhost', 'DNS:localhost,IP:127.0.0.1', [
        '-startdate',
        '20200101000000Z',
        '-enddate',
        '20200201000000Z',
      ]),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
