import { describe, expect, it } from 'vitest'
import { FrontendParser } from '../../src/local/protocol/frontend-parser.js'
import { EncryptionResponse, StartupCode } from '../../src/wire/startup-codes.js'

function untyped(code: number, ...int32s: number[]): Buffer {
  const message = Buffer.alloc(8 + 4 * int32s.length)
  message.writeInt32BE(message.length, 0)
  message.writeInt32BE(code, 4)
  for (const [index, value] of int32s.entries()) message.writeInt32BE(value, 8 + 4 * index)
  return message
}

describe('startup codes', () => {
  it('are the numbers Postgres defines (1234 in the high 16 bits, 5678… in the low)', () => {
    expect(StartupCode.ProtocolVersion3).toBe(196608)
    expect(StartupCode.CancelRequest).toBe(((1234 << 16) | 5678) >>> 0)
    expect(StartupCode.SSLRequest).toBe(((1234 << 16) | 5679) >>> 0)
    expect(StartupCode.GSSENCRequest).toBe(((1234 << 16) | 5680) >>> 0)
    expect(String.fromCharCode(EncryptionResponse.Accept, EncryptionResponse.Refuse)).toBe('SN')
  })

  it("are what the endpoint's parser reads", () => {
    expect(new FrontendParser().parse(untyped(StartupCode.SSLRequest))).toEqual([
      { type: 'sslRequest' },
    ])
    expect(new FrontendParser().parse(untyped(StartupCode.GSSENCRequest))).toEqual([
      { type: 'gssEncRequest' },
    ])
    expect(new FrontendParser().parse(untyped(StartupCode.CancelRequest, 42, -7))).toEqual([
      { type: 'cancelRequest', processId: 42, secretKey: -7 },
    ])
  })
})
