import { serialize } from 'pg-protocol'
import { describe, expect, it } from 'vitest'
import {
  type FrontendMessage,
  FrontendParser,
} from '../../../src/local/protocol/frontend-parser.js'

/** A typed message: type byte, int32 length (counting itself), body. */
function typed(type: string, body: Buffer | number[] = []): Buffer {
  const content = Buffer.from(body)
  const header = Buffer.alloc(5)
  header.write(type, 0, 'latin1')
  header.writeInt32BE(content.length + 4, 1)
  return Buffer.concat([header, content])
}

const startup = serialize.startup({ user: 'postgres', database: 'md:', application_name: 'test' })

/** A parser past the StartupMessage and authentication, as a session's parser is. */
function afterStartup(): FrontendParser {
  const parser = new FrontendParser()
  const [message] = parser.parse(startup)
  expect(message?.type).toBe('startup')
  parser.authenticated()
  return parser
}

function violation(messages: FrontendMessage[]): {
  code: string
  severity: string
  message: string
} {
  const last = messages.at(-1)
  if (last?.type !== 'protocolViolation') throw new Error(`expected a violation, got ${last?.type}`)
  return { code: last.error.code, severity: last.error.severity, message: last.error.message }
}

describe('FrontendParser: startup phase', () => {
  it('decodes a StartupMessage from its bytes', () => {
    // int32 length 0x24 (36), int32 196608 (3.0), "user\0postgres\0database\0md:\0\0"
    const bytes = Buffer.from(
      `0000002400030000${Buffer.from('user\0postgres\0database\0md:\0\0').toString('hex')}`,
      'hex',
    )
    expect(bytes.readInt32BE(0)).toBe(bytes.length)
    const parser = new FrontendParser()
    expect(parser.parse(bytes)).toEqual([
      {
        type: 'startup',
        protocolVersion: 196608,
        parameters: { user: 'postgres', database: 'md:' },
      },
    ])
    expect(parser.inStartupPhase).toBe(false)
  })

  it('decodes what pg sends', () => {
    const parser = new FrontendParser()
    const [message] = parser.parse(startup)
    expect(message).toMatchObject({
      type: 'startup',
      parameters: { user: 'postgres', database: 'md:', application_name: 'test' },
    })
  })

  it('stops after an SSLRequest and holds what follows until resumed', () => {
    const parser = new FrontendParser()
    // int32 8, int32 80877103
    const ssl = Buffer.from('0000000804d2162f', 'hex')
    expect(parser.parse(Buffer.concat([ssl, startup]))).toEqual([{ type: 'sslRequest' }])
    expect(parser.bufferedBytes).toBe(startup.length)
    expect(parser.resume()).toMatchObject([{ type: 'startup' }])
    expect(parser.bufferedBytes).toBe(0)
  })

  it('decodes GSSENCRequest and CancelRequest', () => {
    expect(new FrontendParser().parse(Buffer.from('0000000804d21630', 'hex'))).toEqual([
      { type: 'gssEncRequest' },
    ])
    expect(new FrontendParser().parse(serialize.cancel(4242, -17))).toEqual([
      { type: 'cancelRequest', processId: 4242, secretKey: -17 },
    ])
  })

  it('refuses protocol 2.0 with 0A000', () => {
    const bytes = Buffer.from('0000000c' + '00020000' + '00000000', 'hex')
    expect(violation(new FrontendParser().parse(bytes))).toMatchObject({
      code: '0A000',
      severity: 'FATAL',
    })
  })

  it('refuses a startup packet above 10,000 bytes', () => {
    const bytes = Buffer.alloc(8)
    bytes.writeInt32BE(10_001, 0)
    bytes.writeInt32BE(196608, 4)
    expect(violation(new FrontendParser().parse(bytes))).toMatchObject({ code: '08P01' })
  })

  it('refuses a CancelRequest with a wrong length', () => {
    const bytes = Buffer.from('0000000c04d2162e00000001', 'hex')
    expect(violation(new FrontendParser().parse(bytes)).code).toBe('08P01')
  })
})

describe('FrontendParser: messages after startup', () => {
  const pipeline = Buffer.concat([
    serialize.parse({ name: 's1', text: 'SELECT $1::int, $2', types: [23, 0] }),
    serialize.bind({ portal: 'p1', statement: 's1', values: ['42', null] }),
    serialize.describe({ type: 'P', name: 'p1' }),
    serialize.execute({ portal: 'p1', rows: 100 }),
    serialize.flush(),
    serialize.close({ type: 'S', name: 's1' }),
    serialize.sync(),
    serialize.query('SELECT 1; SELECT 2'),
    serialize.end(),
  ])
  const expected: FrontendMessage[] = [
    { type: 'parse', name: 's1', sql: 'SELECT $1::int, $2', parameterTypes: [23, 0] },
    {
      type: 'bind',
      portal: 'p1',
      statement: 's1',
      parameterFormats: [0, 0],
      parameters: [Buffer.from('42'), null],
      resultFormats: [0],
    },
    { type: 'describe', kind: 'P', name: 'p1' },
    { type: 'execute', portal: 'p1', maxRows: 100 },
    { type: 'flush' },
    { type: 'close', kind: 'S', name: 's1' },
    { type: 'sync' },
    { type: 'query', sql: 'SELECT 1; SELECT 2' },
    { type: 'terminate' },
  ]

  it('returns several messages from one chunk', () => {
    expect(afterStartup().parse(pipeline)).toEqual(expected)
  })

  it('returns the same messages whatever way the stream is split', () => {
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const parser = afterStartup()
      const messages: FrontendMessage[] = []
      for (let i = 0; i < pipeline.length; i += size) {
        messages.push(...parser.parse(pipeline.subarray(i, i + size)))
      }
      expect(messages).toEqual(expected)
      expect(parser.bufferedBytes).toBe(0)
    }
  })

  it('collects a large message sent in many chunks', () => {
    const text = `SELECT '${'x'.repeat(200_000)}'`
    const bytes = serialize.query(text)
    const parser = afterStartup()
    const messages: FrontendMessage[] = []
    for (let i = 0; i < bytes.length; i += 1000)
      messages.push(...parser.parse(bytes.subarray(i, i + 1000)))
    expect(messages).toEqual([{ type: 'query', sql: text }])
  })

  it('reads UTF-8 text', () => {
    expect(afterStartup().parse(serialize.query("SELECT 'héllo 🦆'"))).toEqual([
      { type: 'query', sql: "SELECT 'héllo 🦆'" },
    ])
  })

  it('reads binary parameters, NULLs and per-parameter formats from its bytes', () => {
    // portal "", statement "", 2 formats [1, 0], 3 params: int4 7 (binary), NULL, 'ab'; 1 result format [0]
    const body = Buffer.from(
      '00' +
        '00' +
        '0002' +
        '0001' +
        '0000' +
        '0003' +
        '00000004' +
        '00000007' +
        'ffffffff' +
        '00000002' +
        '6162' +
        '0001' +
        '0000',
      'hex',
    )
    expect(afterStartup().parse(typed('B', body))).toEqual([
      {
        type: 'bind',
        portal: '',
        statement: '',
        parameterFormats: [1, 0],
        parameters: [Buffer.from([0, 0, 0, 7]), null, Buffer.from('ab')],
        resultFormats: [0],
      },
    ])
  })

  it('counts up to 65,535 parameters (the count is unsigned)', () => {
    const values = Array.from({ length: 65_535 }, (_, i) => String(i))
    const [message] = afterStartup().parse(serialize.bind({ values }))
    expect(message?.type === 'bind' && message.parameters.length).toBe(65_535)
  })

  it('passes the password message through as bytes while authenticating', () => {
    const parser = new FrontendParser()
    parser.parse(startup)
    expect(parser.parse(serialize.password('secret'))).toEqual([
      { type: 'password', data: Buffer.from('secret\0') },
    ])
  })

  it('refuses a password or SASL message once authenticated, as Postgres does', () => {
    expect(violation(afterStartup().parse(serialize.password('secret')))).toEqual({
      code: '08P01',
      severity: 'FATAL',
      message: 'invalid frontend message type 112',
    })
  })
})

describe('FrontendParser: protocol violations', () => {
  it('refuses a length below 4, after returning the messages before it', () => {
    const parser = afterStartup()
    const bytes = Buffer.concat([serialize.sync(), Buffer.from('5100000002', 'hex')])
    const messages = parser.parse(bytes)
    expect(messages[0]).toEqual({ type: 'sync' })
    expect(violation(messages)).toMatchObject({ code: '08P01', severity: 'FATAL' })
    // A broken stream cannot be resynchronised: the parser ignores everything after.
    expect(parser.parse(serialize.sync())).toEqual([])
  })

  it('refuses an oversized message before reading its body', () => {
    const parser = new FrontendParser({ maxMessageSize: 1024 })
    parser.parse(startup)
    const header = Buffer.from('5100100000', 'hex') // Query of 1 MiB declared
    expect(violation(parser.parse(header)).message).toMatch(/exceeds the limit of 1024 bytes/)
  })

  it('refuses the default 64 MiB limit + 1', () => {
    const header = Buffer.alloc(5)
    header.write('Q')
    header.writeInt32BE(64 * 1024 * 1024 + 1, 1)
    expect(violation(afterStartup().parse(header)).code).toBe('08P01')
  })

  it('refuses an unknown message type', () => {
    expect(violation(afterStartup().parse(typed('?'))).message).toMatch(
      /invalid frontend message type/,
    )
  })

  it('refuses a Sync with a body and a length that cuts a string', () => {
    expect(violation(afterStartup().parse(typed('S', [1]))).code).toBe('08P01')
    expect(
      violation(afterStartup().parse(typed('Q', Buffer.from('no terminator')))).message,
    ).toMatch(/not NUL-terminated/)
  })

  it('refuses a Bind whose parameter runs past the message', () => {
    const body = Buffer.from('0000' + '0000' + '0001' + '00000010' + '6162' + '0000', 'hex')
    expect(violation(afterStartup().parse(typed('B', body))).message).toMatch(
      /invalid Bind message/,
    )
  })

  it('refuses a Describe of an unknown kind', () => {
    expect(violation(afterStartup().parse(typed('D', Buffer.from('X\0')))).code).toBe('08P01')
  })
})

describe('FrontendParser: memory follows the bytes received, not the lengths claimed', () => {
  it('holds nothing for a header that claims 64 MiB, and grows with the bytes that arrive', () => {
    const parser = afterStartup()
    const header = Buffer.alloc(5)
    header.write('Q')
    header.writeInt32BE(64 * 1024 * 1024, 1)
    expect(parser.parse(header)).toEqual([])
    expect(parser.heldBytes).toBe(0)
    parser.parse(Buffer.alloc(10, 0x61))
    expect(parser.heldBytes).toBe(64 * 1024)
    parser.parse(Buffer.alloc(100_000, 0x61))
    expect(parser.heldBytes).toBe(131_072)
    parser.parse(Buffer.alloc(300_000, 0x61))
    expect(parser.heldBytes).toBe(400_010)
    expect(parser.bufferedBytes).toBe(400_015)
  })

  it('collects a message split byte by byte into a buffer of exactly its size', () => {
    const text = `SELECT '${'y'.repeat(70_000)}'`
    const bytes = serialize.query(text)
    const parser = afterStartup()
    const messages: FrontendMessage[] = []
    for (let i = 0; i < bytes.length; i += 1)
      messages.push(...parser.parse(bytes.subarray(i, i + 1)))
    expect(messages).toEqual([{ type: 'query', sql: text }])
    expect(parser.heldBytes).toBe(0)
  })

  it('limits messages to 64 KiB until authenticated (Postgres: PG_MAX_AUTH_TOKEN_LENGTH)', () => {
    const parser = new FrontendParser()
    parser.parse(startup)
    const header = Buffer.from('7000010001', 'hex') // password message of 65,537 bytes declared
    expect(violation(parser.parse(header))).toMatchObject({
      code: '08P01',
      severity: 'FATAL',
      message: 'message of type "p" of 65537 bytes exceeds the limit of 65536 bytes',
    })
    const query = Buffer.from('5100010001', 'hex') // the same length on a Query, once authenticated
    expect(afterStartup().parse(query)).toEqual([])
  })
})

describe('FrontendParser: regressions found by the protocol fuzzer (test/reliability/protocol-fuzz.test.ts)', () => {
  it('skips the arguments of a FunctionCall instead of calling it a protocol violation', () => {
    // 'F', length 14, function OID 1, 0 argument formats, 0 arguments, result format 0
    const bytes = Buffer.from('460000000e00000001000000000000', 'hex')
    expect(afterStartup().parse(bytes)).toEqual([{ type: 'functionCall' }])
  })

  it('refuses an unknown type byte from the header, without waiting for the body it claims', () => {
    // A StartupMessage sent after login: type byte 0x00, "length" 0x00000800 + …
    const bytes = Buffer.from('0000002d000300007573657200', 'hex')
    expect(violation(afterStartup().parse(bytes.subarray(0, 5)))).toEqual({
      code: '08P01',
      severity: 'FATAL',
      message: 'invalid frontend message type 0',
    })
    expect(violation(afterStartup().parse(Buffer.from('7000100000', 'hex'))).message).toBe(
      'invalid frontend message type 112',
    )
  })
})
