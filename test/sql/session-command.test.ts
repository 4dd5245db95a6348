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
    ['UNLISTEN *', { kind: 'notification', verb: 'UNLISTEN' }],
    ['LISTEN chan', { kind: 'notification', verb: 'LISTEN' }],
    ['NOTIFY chan', { kind: 'notification', verb: 'NOTIFY' }],
    ['DEALLOCATE', { kind: 'syntax-error', near: null }],
    [
      'DECLARE c CURSOR FOR SELECT 1',
      { kind: 'declare', name: 'c', binary: false, scroll: false, hold: false },
    ],
    [
      'DECLARE "My C" BINARY INSENSITIVE NO SCROLL CURSOR WITH HOLD FOR VALUES (1)',
      { kind: 'declare', name: 'My C', binary: true, scroll: false, hold: true },
    ],
    [
      'declare c scroll cursor without hold for select 1',
      { kind: 'declare', name: 'c', binary: false, scroll: true, hold: false },
    ],
    ['DECLARE c CURSOR', { kind: 'syntax-error', near: null }],
    ['DECLARE c NO CURSOR FOR SELECT 1', { kind: 'syntax-error', near: 'CURSOR' }],
    ['DECLARE c CURSOR WITH FOR SELECT 1', { kind: 'syntax-error', near: 'FOR' }],
    ['FETCH 10 FROM c', { kind: 'fetch', move: false, name: 'c', count: 10 }],
    ['FETCH FORWARD 2000 FROM "X"', { kind: 'fetch', move: false, name: 'X', count: 2000 }],
    ['FETCH FORWARD ALL IN c', { kind: 'fetch', move: false, name: 'c', count: null }],
    ['FETCH FORWARD c', { kind: 'fetch', move: false, name: 'c', count: 1 }],
    ['FETCH ALL c', { kind: 'fetch', move: false, name: 'c', count: null }],
    ['FETCH NEXT FROM C', { kind: 'fetch', move: false, name: 'c', count: 1 }],
    ['FETCH c', { kind: 'fetch', move: false, name: 'c', count: 1 }],
    ['MOVE 5 IN c', { kind: 'fetch', move: true, name: 'c', count: 5 }],
    ['FETCH PRIOR FROM c', { kind: 'fetch', move: false, name: 'c', count: 1, backward: 'PRIOR' }],
    [
      'FETCH BACKWARD 2 FROM c',
      { kind: 'fetch', move: false, name: 'c', count: 2, backward: 'BACKWARD' },
    ],
    [
      'FETCH ABSOLUTE 3 FROM c',
      { kind: 'fetch', move: false, name: 'c', count: 1, backward: 'ABSOLUTE' },
    ],
    ['FETCH -1 FROM c', { kind: 'fetch', move: false, name: 'c', count: -1, backward: '-1' }],
    ['FETCH FORWARD 0 FROM c', { kind: 'fetch', move: false, name: 'c', count: 0, backward: '0' }],
    ['FETCH 10 FROM', { kind: 'syntax-error', near: null }],
    ['FETCH 10 FROM c d', { kind: 'syntax-error', near: 'd' }],
    ['CLOSE c', { kind: 'close', name: 'c' }],
    ['CLOSE ALL', { kind: 'close', name: null }],
    ['CLOSE', { kind: 'syntax-error', near: null }],
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
