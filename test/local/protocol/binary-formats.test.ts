import { serialize } from 'pg-protocol'
import { describe, expect, it } from 'vitest'
import { BackendSerializer } from '../../../src/local/protocol/backend-serializer.js'
import { FrontendParser } from '../../../src/local/protocol/frontend-parser.js'

/*
 * Byte fixtures of the protocol's side of binary results: RowDescription carries each column's format
 * code, and a Bind with any format code is a well-formed message (the session, not the parser, refuses
 * codes other than 0 and 1, with 22023, as Postgres does).
 */

const STARTUP = serialize.startup({ user: 'postgres', database: 'md:' })

describe('binary format codes on the wire', () => {
  it('RowDescription writes each field’s format code', () => {
    const out = new BackendSerializer()
    out.rowDescription([
      { name: 'a', oid: 23, typeSize: 4, typeModifier: -1, format: 1 },
      { name: 'b', oid: 25, typeSize: -1, typeModifier: -1 },
    ])
    expect(out.take().toString('hex')).toBe(
      // T, length 46, 2 fields
      '54' +
        '0000002e' +
        '0002' +
        // "a", table 0, column 0, int4 (23), typlen 4, typmod -1, format 1
        '6100' +
        '00000000' +
        '0000' +
        '00000017' +
        '0004' +
        'ffffffff' +
        '0001' +
        // "b", text (25), typlen -1, typmod -1, format 0 (the default)
        '6200' +
        '00000000' +
        '0000' +
        '00000019' +
        'ffff' +
        'ffffffff' +
        '0000',
    )
  })

  it('Bind keeps its format codes as sent, unknown ones included', () => {
    const parser = new FrontendParser()
    expect(parser.parse(STARTUP)[0]?.type).toBe('startup')
    parser.authenticated()
    const bind = Buffer.from(
      // B, length 23, portal "", statement "", 1 parameter format (2), 1 parameter "7",
      // 2 result formats (1, 2)
      '42' +
        '00000017' +
        '00' +
        '00' +
        '0001' +
        '0002' +
        '0001' +
        '00000001' +
        '37' +
        '0002' +
        '0001' +
        '0002',
      'hex',
    )
    expect(parser.parse(bind)).toEqual([
      {
        type: 'bind',
        portal: '',
        statement: '',
        parameterFormats: [2],
        parameters: [Buffer.from('7')],
        resultFormats: [1, 2],
      },
    ])
  })
})
