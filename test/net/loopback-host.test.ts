import { describe, expect, it } from 'vitest'
import { isLoopbackHost, refersToThisMachine } from '../../src/net/loopback-host.js'

// [host, loopback (plain text allowed), refers to this machine (readers refuse it)]
const CASES: [string, boolean, boolean][] = [
  ['localhost', true, true],
  ['LocalHost', true, true],
  ['127.0.0.1', true, true],
  ['127.255.0.9', true, true],
  ['::1', true, true],
  ['[::1]', true, true],
  ['0:0:0:0:0:0:0:1', true, true],
  ['::ffff:127.0.0.1', true, true],
  // Not loopback whatever DNS answers, yet "this machine" to anyone reading a URL.
  ['0.0.0.0', false, true],
  ['::', false, true],
  ['[::]', false, true],
  ['minio.localhost', false, true],
  ['localhost.', false, true],
  // Remote.
  ['::ffff:10.0.0.1', false, false],
  ['128.0.0.1', false, false],
  ['10.0.0.1', false, false],
  ['::2', false, false],
  ['localhost.example.com', false, false],
  ['pg.us-east-1-aws.motherduck.com', false, false],
  ['', false, false],
]

describe('loopback hosts', () => {
  it.each(CASES)('%s: loopback %s, this machine %s', (host, loopback, thisMachine) => {
    expect(isLoopbackHost(host)).toBe(loopback)
    expect(refersToThisMachine(host)).toBe(thisMachine)
  })
})
