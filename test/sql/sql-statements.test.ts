import { StatementType } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { commandTag } from '../../src/local/session/command-tag.js'
import { splitStatements } from '../../src/sql/sql-statements.js'

describe('splitStatements', () => {
  it('finds no statement in whitespace, comments and semicolons', () => {
    for (const sql of [
      '',
      '  \n',
      '-- only a comment',
      '/* a /* nested */ comment */',
      ';;',
      ' ; -- x\n ;',
    ]) {
      expect(splitStatements(sql)).toEqual([])
    }
  })

  it('splits on semicolons outside literals, identifiers, comments and dollar quotes', () => {
    const sql = [
      'SELECT \'a;b\', "c;d" FROM t -- e;f',
      "SELECT $$ g;h $$, $tag$ i;j $tag$, E'k\\';l', $1 /* m; */",
      'BEGIN',
    ].join('\n;\n')
    expect(splitStatements(sql).map((statement) => statement.keywords[0])).toEqual([
      'SELECT',
      'SELECT',
      'BEGIN',
    ])
  })

  it('leaves SQL the lexer cannot finish to DuckDB as one statement', () => {
    expect(splitStatements("SELECT 'unterminated")).toEqual([{ keywords: [], returning: false }])
  })

  it('classifies transaction control as Postgres does', () => {
    const kinds = (sql: string) => splitStatements(sql).map((statement) => statement.transaction)
    expect(kinds('begin; start transaction; commit; end; rollback; abort')).toEqual([
      'begin',
      'begin',
      'commit',
      'commit',
      'rollback',
      'rollback',
    ])
    expect(kinds('rollback to savepoint s; select 1')).toEqual([undefined, undefined])
  })

  it('notices RETURNING only outside parentheses', () => {
    expect(splitStatements('INSERT INTO t VALUES (1) RETURNING id')[0]?.returning).toBe(true)
    expect(
      splitStatements("INSERT INTO t SELECT 'returning' FROM (SELECT 1) AS returning_")[0]
        ?.returning,
    ).toBe(false)
  })
})

describe('commandTag', () => {
  const info = (sql: string) => splitStatements(sql)[0]

  it('writes Postgres tags with the row count where clients read it', () => {
    expect(commandTag(info('select 1'), StatementType.SELECT, 3)).toBe('SELECT 3')
    expect(commandTag(info('insert into t values (1)'), StatementType.INSERT, 2)).toBe('INSERT 0 2')
    expect(commandTag(info('update t set a = 1'), StatementType.UPDATE, 1)).toBe('UPDATE 1')
    expect(commandTag(info('delete from t'), StatementType.DELETE, 0)).toBe('DELETE 0')
    expect(
      commandTag(info('create or replace table t (a int)'), StatementType.CREATE, undefined),
    ).toBe('CREATE TABLE')
    expect(commandTag(info('create table t as select 1'), StatementType.CREATE, 1)).toBe('SELECT 1')
    expect(
      commandTag(info('create unique index i on t (a)'), StatementType.CREATE, undefined),
    ).toBe('CREATE INDEX')
    expect(commandTag(info('drop view if exists v'), StatementType.DROP, undefined)).toBe(
      'DROP VIEW',
    )
    expect(commandTag(info('begin transaction'), StatementType.TRANSACTION, undefined)).toBe(
      'BEGIN',
    )
    expect(commandTag(info('end'), StatementType.TRANSACTION, undefined)).toBe('COMMIT')
    expect(commandTag(info("set timezone = 'UTC'"), StatementType.SET, undefined)).toBe('SET')
    expect(commandTag(undefined, StatementType.SELECT, 5)).toBe('SELECT 5')
  })
})
