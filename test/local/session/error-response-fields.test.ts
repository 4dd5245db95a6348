import { describe, expect, it } from 'vitest'
import { MotherDuckError } from '../../../src/errors/motherduck-error.js'
import { EndpointError } from '../../../src/local/errors/endpoint-error.js'
import { SqlState } from '../../../src/local/errors/sql-state.js'
import { FrontendParser } from '../../../src/local/protocol/frontend-parser.js'
import {
  ProtocolViolationError,
  UnsupportedProtocolVersionError,
} from '../../../src/local/protocol/protocol-violation-error.js'
import { errorResponseFields } from '../../../src/local/session/error-response-fields.js'

describe('errorResponseFields', () => {
  it("sends a protocol violation with the protocol layer's own fields (FATAL 08P01)", () => {
    const [message] = new FrontendParser().parse(Buffer.from([0, 0, 0, 2]))
    expect(message?.type).toBe('protocolViolation')
    const error = message?.type === 'protocolViolation' ? message.error : undefined
    expect(error).toBeInstanceOf(ProtocolViolationError)
    expect(error).toBeInstanceOf(MotherDuckError)
    expect(errorResponseFields(error)).toEqual({
      severity: 'FATAL',
      code: SqlState.ProtocolViolation,
      message: 'invalid startup packet length 2',
    })
  })

  it('keeps the hint of a violation that has one', () => {
    const error = new ProtocolViolationError('too big', { hint: 'Send less.' })
    expect(errorResponseFields(error)).toEqual({
      severity: 'FATAL',
      code: '08P01',
      message: 'too big',
      hint: 'Send less.',
    })
  })

  it('sends an unsupported protocol version as FATAL 0A000, as Postgres does', () => {
    const error = new UnsupportedProtocolVersionError(2, 0)
    expect(error).toBeInstanceOf(ProtocolViolationError)
    expect(error).toMatchObject({ major: 2, minor: 0, name: 'UnsupportedProtocolVersionError' })
    expect(errorResponseFields(error)).toEqual({
      severity: 'FATAL',
      code: SqlState.FeatureNotSupported,
      message: 'unsupported frontend protocol 2.0: server supports 3.0 to 3.0',
    })
  })

  it('maps every other error as toPgError does', () => {
    expect(errorResponseFields(new EndpointError(SqlState.DuplicateCursor, 'taken'))).toEqual({
      severity: 'ERROR',
      code: '42P03',
      message: 'taken',
    })
    expect(errorResponseFields(new Error('Parser Error: syntax error at or near "x"')).code).toBe(
      SqlState.SyntaxError,
    )
  })
})
