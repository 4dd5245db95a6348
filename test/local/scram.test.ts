import { describe, expect, it } from 'vitest'
import {
  deriveScramCredentials,
  parseSaslInitialResponse,
  ScramServerExchange,
} from '../../src/local/startup/scram.js'

describe('ScramServerExchange', () => {
  // RFC 7677 §3: user "user", password "pencil".
  const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64')
  const clientFirst = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO'
  const serverNonce = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0'
  const clientFinal =
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='

  it('reproduces the RFC 7677 test vector', async () => {
    const credentials = await deriveScramCredentials('pencil', { salt })
    const exchange = new ScramServerExchange(credentials, serverNonce)
    expect(exchange.start(clientFirst)).toBe(
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    )
    expect(exchange.finish(clientFinal)).toBe('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')
  })

  it('returns null for a proof made with another password', async () => {
    const credentials = await deriveScramCredentials('not pencil', { salt })
    const exchange = new ScramServerExchange(credentials, serverNonce)
    exchange.start(clientFirst)
    expect(exchange.finish(clientFinal)).toBeNull()
  })

  it('refuses a changed nonce, channel binding and malformed messages with 08P01', async () => {
    const credentials = await deriveScramCredentials('pencil', { salt })
    const exchange = new ScramServerExchange(credentials, serverNonce)
    exchange.start(clientFirst)
    expect(() => exchange.finish(clientFinal.replace('r=rOpr', 'r=XOpr'))).toThrow(/nonce mismatch/)
    expect(() =>
      new ScramServerExchange(credentials).start('p=tls-server-end-point,,n=,r=x'),
    ).toThrow(/channel binding is not supported/)
    expect(() => new ScramServerExchange(credentials).start('n,,r=abc')).toThrow(/malformed SCRAM/)
    expect(() => new ScramServerExchange(credentials).finish('c=biws,r=x,p=AA==')).toThrow(
      expect.objectContaining({ code: '08P01', severity: 'FATAL' }),
    )
  })

  it('parses a SASLInitialResponse body', () => {
    const response = Buffer.from(clientFirst)
    const length = Buffer.alloc(4)
    length.writeInt32BE(response.length)
    const body = Buffer.concat([Buffer.from('SCRAM-SHA-256\0'), length, response])
    expect(parseSaslInitialResponse(body)).toEqual({
      mechanism: 'SCRAM-SHA-256',
      response: clientFirst,
    })
    expect(() => parseSaslInitialResponse(body.subarray(0, body.length - 1))).toThrow(/length/)
  })
})
