import { isLoopbackHost } from '../net/loopback-host.js'
import { FlagError } from './flag-parser.js'

/** What `kysely-motherduck local` was asked to listen on, as far as the network rule cares. */
export interface ListenPlan {
  /** The `--host`; undefined is the default, 127.0.0.1. */
  readonly host: string | undefined
  /** Whether `--tls-cert` and `--tls-key` were given. */
  readonly tls: boolean
  /** Whether `--allow-insecure-network` was given. */
  readonly allowInsecureNetwork: boolean
}

/**
 * The network rule of `kysely-motherduck local`: listening beyond loopback (`0.0.0.0`, `::`, a LAN address,
 * a host name) needs TLS, or `--allow-insecure-network` to say the plaintext is intended. Without TLS the
 * token crosses the network in clear text with `--auth password`, SCRAM's exchange can be guessed at
 * offline, and every query and result can be read and a session taken over by anyone on the path.
 *
 * Throws a {@link FlagError} of `--host` that says what to pass; returns the warning to print when the
 * plaintext is allowed (undefined when there is nothing to warn about).
 *
 * ### Examples
 *
 * ```ts
 * checkListenPlan({ host: '0.0.0.0', tls: false, allowInsecureNetwork: false }) // throws: give TLS, or …
 * checkListenPlan({ host: '0.0.0.0', tls: true, allowInsecureNetwork: false }) // undefined
 * ```
 */
export function checkListenPlan(plan: ListenPlan): string | undefined {
  if (plan.host === undefined || plan.tls || isLoopbackHost(plan.host)) return undefined
  if (!plan.allowInsecureNetwork) {
    throw new FlagError(
      'host',
      [
        `--host ${plan.host} listens beyond this machine, and without TLS the token and every query`,
        'would cross the network in clear text. Give the endpoint a certificate (--tls-cert <file>',
        '--tls-key <file>; clients then connect with sslmode=verify-full), listen on 127.0.0.1 (the',
        'default), or pass --allow-insecure-network if the network is yours alone.',
      ].join('\n'),
    )
  }
  return [
    `Warning: listening on ${plan.host} without TLS (--allow-insecure-network): anyone on the network`,
    'path can read the queries and results, and the token too with --auth password.',
  ].join('\n')
}
