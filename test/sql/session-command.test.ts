import { describe, expect, it } from 'vitest'
import { type SessionCommand, sessionCommand } from '../../src/sql/session-command.js'
import { type SetCommand, setCommand } from '../../src/sql/set-command.js'
import { splitStatements, tokenizeSql } from '../../src/sql/sql-tokenizer.js'

const tokens = (text: string) => splitStatements(tokenizeSql(text))[0] ?? []

describe('sessionCommand', () => {
  it.each<[string, SessionCommand | undefined]>([
    ['SHOW TimeZone', { kind: 'show', name: 'TimeZone' }],
    ['show time zone', { kind: 'show', name: 'TimeZone' }],
    ['SHOW TRANSACTION ISOLATION LEVEL', { kind: 'show', name: 'transaction_isolation' }],
    ['SHOW "search_path"', { kind: 'show', name: 'search_path' }],
    ['SHOW ALL', undefined],
    ['SHOW TABLES FROM my_db', undefined],
    ['BEGIN', { kind: 'begin', tag: 'BEGIN', modes: {} }],
    [
      'BEGIN WORK READ ONLY, ISOLATION LEVEL REPEATABLE READ NOT DEFERRABLE',
      {
        kind: 'begin',
        tag: 'BEGIN',
        modes: { readOnly: true, isolation: 'repeatable read', deferrable: false },
      },
    ],
    [
      'start transaction isolation level read uncommitted',
      { kind: 'begin', tag: 'START TRANSACTION', modes: { isolation: 'read uncommitted' } },
    ],
    ['START', undefined],
    ['BEGIN ISOLATION LEVEL SNAPSHOT', { kind: 'syntax-error', near: 'SNAPSHOT' }],
    ['BEGIN READ', { kind: 'syntax-error', near: 'READ' }],
    [
      'SET TRANSACTION READ WRITE',
      { kind: 'transaction-modes', session: false, modes: { readOnly: false } },
    ],
    [
      'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE',
      { kind: 'transaction-modes', session: true, modes: { isolation: 'serializable' } },
    ],
    ['SET TimeZone = 1', undefined],
    ['SAVEPOINT a', { kind: 'savepoint', verb: 'SAVEPOINT' }],
    ['RELEASE SAVEPOINT a', { kind: 'savepoint', verb: 'RELEASE' }],
    ['ROLLBACK WORK TO SAVEPOINT a', { kind: 'savepoint', verb: 'ROLLBACK TO' }],
    ['ROLLBACK', undefined],
    ['DEALLOCATE ALL', { kind: 'deallocate', name: null }],
    ['DEALLOCATE PREPARE "Mixed"', { kind: 'deallocate', name: 'Mixed' }],
    ['DEALLOCATE Stmt', { kind: 'deallocate', name: 'stmt' }],
    ['DEALLOCATE', { kind: 'syntax-error', near: null }],
    ['DECLARE c CURSOR FOR SELECT 1', { kind: 'cursor', verb: 'DECLARE' }],
    ['FETCH 10 FROM c', { kind: 'cursor', verb: 'FETCH' }],
  ])('%s', (text, expected) => {
    expect(sessionCommand(tokens(text))).toEqual(expected)
  })
})

describe('setCommand: lists and RESET ALL', () => {
  it.each<[string, SetCommand | undefined]>([
    ['RESET ALL', { action: 'reset', scope: 'default', name: 'ALL', value: null, all: true }],
    ['RESET "ALL"', { action: 'reset', scope: 'default', name: 'ALL', value: null }],
    [
      'SET search_path TO my_db, "Other", \'x\'',
      { action: 'set', scope: 'default', name: 'search_path', value: 'my_db, "Other", x' },
    ],
    [
      "SET LOCAL TimeZone = 'UTC'",
      { action: 'set', scope: 'local', name: 'TimeZone', value: 'UTC' },
    ],
    [
      'SET search_path TO a, DEFAULT',
      { action: 'set', scope: 'default', name: 'search_path', value: undefined },
    ],
  ])('%s', (text, expected) => {
    expect(setCommand(tokens(text))).toEqual(expected)
  })
})
