import { describe, expect, it } from 'vitest'
import { type SetCommand, setCommand } from '../../src/sql/set-command.js'
import { splitStatements, tokenizeSql } from '../../src/sql/sql-tokenizer.js'

const parse = (text: string): SetCommand | undefined =>
  setCommand(splitStatements(tokenizeSql(text))[0] ?? [])

describe('setCommand', () => {
  it.each<[string, SetCommand | undefined]>([
    [
      "SET TimeZone = 'Europe/Paris'",
      { action: 'set', scope: 'default', name: 'TimeZone', value: 'Europe/Paris' },
    ],
    ["set timezone to 'UTC'", { action: 'set', scope: 'default', name: 'timezone', value: 'UTC' }],
    [
      "SET TIME ZONE 'Asia/Tokyo'",
      { action: 'set', scope: 'default', name: 'TimeZone', value: 'Asia/Tokyo' },
    ],
    [
      'SET extra_float_digits = 3',
      { action: 'set', scope: 'default', name: 'extra_float_digits', value: '3' },
    ],
    [
      'SET extra_float_digits = -2',
      { action: 'set', scope: 'default', name: 'extra_float_digits', value: '-2' },
    ],
    ['SET datestyle TO ISO', { action: 'set', scope: 'default', name: 'datestyle', value: 'ISO' }],
    [
      'SET application_name TO DEFAULT',
      { action: 'set', scope: 'default', name: 'application_name', value: null },
    ],
    ['SET GLOBAL threads = 1', { action: 'set', scope: 'global', name: 'threads', value: '1' }],
    [
      'SET SESSION "TimeZone" = \'UTC\'',
      { action: 'set', scope: 'session', name: 'TimeZone', value: 'UTC' },
    ],
    ['SET VARIABLE x = 1 + 2', { action: 'set', scope: 'variable', name: 'x', value: undefined }],
    ['SET session = 1', { action: 'set', scope: 'default', name: 'session', value: '1' }],
    ['RESET threads', { action: 'reset', scope: 'default', name: 'threads', value: null }],
    [
      'RESET GLOBAL memory_limit',
      { action: 'reset', scope: 'global', name: 'memory_limit', value: null },
    ],
    ["SET s3.region = 'x'", { action: 'set', scope: 'default', name: 's3.region', value: 'x' }],
    ['SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE', undefined],
    ['SELECT 1', undefined],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected)
  })
})
