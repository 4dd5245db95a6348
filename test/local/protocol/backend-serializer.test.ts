import { PassThrough } from 'node:stream'
import { parse as parseStream } from 'pg-protocol'
import { describe, expect, it } from 'vitest'
import { BackendSerializer } from '../../../src/local/protocol/backend-serializer.js'
import { TransactionStatus } from '../../../src/local/protocol/message-codes.js'

/** Parses backend bytes with pg's own protocol parser, the one the `pg` driver uses. */
async function pgParse(bytes: Buffer): Promise<Record<string, unknown>[]> {
  const stream = new PassThrough()
  const messages: Record<string, unknown>[] = []
  const done = parseStream(stream, (message) => {
    // DatabaseError keeps `message` as a non-enumerable Error property.
    const copy: Record<string, unknown> = { ...(message as unknown as Record<string, unknown>) }
    if (message instanceof Error) copy.message = message.message
    messages.push(copy)
  })
  stream.end(bytes)
  await done
  return messages
}

describe('BackendSerializer: byte layouts', () => {
  it('writes ReadyForQuery, CommandComplete and the empty messages', () => {
    const out = new BackendSerializer()
    out.readyForQuery(TransactionStatus.Idle)
    expect(out.take().toString('hex')).toBe('5a' + '00000005' + '49')
    out.commandComplete('SELECT 1')
    expect(out.take().toString('hex')).toBe(
      `430000000d${Buffer.from('SELECT 1\0').toString('hex')}`,
    )
    out
      .parseComplete()
      .bindComplete()
      .closeComplete()
      .noData()
      .portalSuspended()
      .emptyQueryResponse()
    expect(out.take().toString('hex')).toBe(
      ['31', '32', '33', '6e', '73', '49'].map((code) => `${code}00000004`).join(''),
    )
  })

  it('writes DataRows from column-major values, NULL as -1 and UTF-8 byte lengths', () => {
    const out = new BackendSerializer()
    out.dataRows(
      [
        ['1', 'é'],
        [null, '🦆'],
      ],
      0,
      2,
    )
    expect(out.take().toString('hex')).toBe(
      // D, len 15, 2 fields: "1" and NULL
      '44' +
        '0000000f' +
        '0002' +
        '00000001' +
        '31' +
        'ffffffff' +
        // D, len 20, 2 fields: "é" (2 bytes) and "🦆" (4 bytes)
        '44' +
        '00000014' +
        '0002' +
        '00000002' +
        'c3a9' +
        '00000004' +
        'f09fa686',
    )
  })

  it('writes long and non-ASCII values with their UTF-8 byte length', async () => {
    const long = 'x'.repeat(1000)
    const longUnicode = `${'ü'.repeat(40)}🦆`
    const out = new BackendSerializer()
    out.dataRows([[long], [longUnicode], [`${'a'.repeat(31)}é`], ['']], 0, 1)
    expect((await pgParse(out.take()))[0]).toMatchObject({
      fields: [long, longUnicode, `${'a'.repeat(31)}é`, ''],
    })
  })

  it('writes a window of rows', () => {
    const out = new BackendSerializer()
    out.dataRows([['a', 'b', 'c']], 1, 1)
    expect(out.take().toString('hex')).toBe('44' + '0000000b' + '0001' + '00000001' + '62')
  })

  it('writes AuthenticationSASL with its mechanism list', () => {
    const out = new BackendSerializer()
    out.authenticationSASL(['SCRAM-SHA-256'])
    const body = Buffer.from('SCRAM-SHA-256\0\0')
    expect(out.take().toString('hex')).toBe(
      `52${(body.length + 8).toString(16).padStart(8, '0')}0000000a${body.toString('hex')}`,
    )
  })
})

describe('BackendSerializer: read back by pg-protocol', () => {
  it('round-trips every message pg reads', async () => {
    const out = new BackendSerializer()
    out
      .authenticationOk()
      .parameterStatus('server_version', '15.0')
      .backendKeyData(7, -123456)
      .readyForQuery(TransactionStatus.InTransaction)
      .rowDescription([
        { name: 'id', oid: 23, typeSize: 4, typeModifier: -1 },
        { name: 'naïve', oid: 25, typeSize: -1, typeModifier: -1 },
      ])
      .dataRows(
        [
          ['1', '2'],
          ['x', null],
        ],
        0,
        2,
      )
      .commandComplete('SELECT 2')
      .parameterDescription([23, 25])
      .errorResponse({
        severity: 'ERROR',
        code: '42P01',
        message: 'Table with name nope does not exist!',
        detail: 'd',
        hint: 'h',
        position: 15,
        internalPosition: 2,
        internalQuery: 'iq',
        where: 'w',
        schema: 'main',
        table: 'nope',
        column: 'c',
        dataType: 'int4',
        constraint: 'pk',
        file: 'f.c',
        line: 12,
        routine: 'r',
      })
      .noticeResponse({
        severity: 'WARNING',
        code: '25P01',
        message: 'there is no transaction in progress',
      })
      .authenticationSASLContinue('r=abc,s=c2FsdA==,i=4096')
      .authenticationSASLFinal('v=xyz')
      .authenticationCleartextPassword()
      .readyForQuery(TransactionStatus.Failed)
    const messages = await pgParse(out.take())
    expect(messages.map((message) => message.name)).toEqual([
      'authenticationOk',
      'parameterStatus',
      'backendKeyData',
      'readyForQuery',
      'rowDescription',
      'dataRow',
      'dataRow',
      'commandComplete',
      'parameterDescription',
      'error',
      'notice',
      'authenticationSASLContinue',
      'authenticationSASLFinal',
      'authenticationCleartextPassword',
      'readyForQuery',
    ])
    expect(messages[1]).toMatchObject({ parameterName: 'server_version', parameterValue: '15.0' })
    expect(messages[2]).toMatchObject({ processID: 7, secretKey: -123456 })
    expect(messages[3]).toMatchObject({ status: 'T' })
    const fields = (messages[4] as { fields: Record<string, unknown>[] }).fields
    expect(fields.map((field) => [field.name, field.dataTypeID, field.format])).toEqual([
      ['id', 23, 'text'],
      ['naïve', 25, 'text'],
    ])
    expect(messages[5]).toMatchObject({ fields: ['1', 'x'] })
    expect(messages[6]).toMatchObject({ fields: ['2', null] })
    expect(messages[7]).toMatchObject({ text: 'SELECT 2' })
    expect(messages[8]).toMatchObject({ dataTypeIDs: [23, 25] })
    expect(messages[9]).toMatchObject({
      severity: 'ERROR',
      code: '42P01',
      message: 'Table with name nope does not exist!',
      detail: 'd',
      hint: 'h',
      position: '15',
      internalPosition: '2',
      internalQuery: 'iq',
      where: 'w',
      schema: 'main',
      table: 'nope',
      column: 'c',
      dataType: 'int4',
      constraint: 'pk',
      file: 'f.c',
      line: '12',
      routine: 'r',
    })
    expect(messages[10]).toMatchObject({ severity: 'WARNING', code: '25P01' })
    expect(messages[11]).toMatchObject({ data: 'r=abc,s=c2FsdA==,i=4096' })
    expect(messages[12]).toMatchObject({ data: 'v=xyz' })
    expect(messages[14]).toMatchObject({ status: 'E' })
  })

  it('writes 10,000 rows that pg reads back in order', async () => {
    const count = 10_000
    const ids = Array.from({ length: count }, (_, i) => String(i))
    const names = Array.from({ length: count }, (_, i) => (i % 7 === 0 ? null : `name ${i}`))
    const out = new BackendSerializer()
    out.dataRows([ids, names], 0, count)
    const messages = await pgParse(out.take())
    expect(messages).toHaveLength(count)
    expect(messages.map((message) => (message as { fields: unknown[] }).fields)).toEqual(
      ids.map((id, i) => [id, names[i]]),
    )
  })
})
