import { StatementType } from '@duckdb/node-api'
import type { StatementInfo } from '../../sql/sql-statements.js'

/** Object kinds that complete CREATE/DROP/ALTER tags, as Postgres names them. */
const OBJECT_KINDS = new Set([
  'TABLE',
  'VIEW',
  'SCHEMA',
  'SEQUENCE',
  'MACRO',
  'FUNCTION',
  'TYPE',
  'INDEX',
  'SECRET',
  'DATABASE',
])

/**
 * The CommandComplete tag Postgres would send, so that clients read the affected-row count where
 * they expect it: `SELECT 3`, `INSERT 0 2`, `UPDATE 1`, `DELETE 0`, `CREATE TABLE`, `BEGIN`….
 * `rows` is the row count returned (queries and RETURNING) or changed (DML); a CREATE TABLE … AS
 * that reports a count becomes `SELECT n`, as in Postgres.
 *
 * ### Examples
 * ```ts
 * commandTag(splitStatements('insert into t values (1)')[0], StatementType.INSERT, 1) // 'INSERT 0 1'
 * ```
 */
export function commandTag(
  info: StatementInfo | undefined,
  statementType: StatementType,
  rows: number | undefined,
): string {
  const count = rows ?? 0
  // FETCH from a SQL-level cursor: the rows are its query's, the tag the FETCH's.
  if (info?.command?.kind === 'fetch') return `FETCH ${count}`
  switch (statementType) {
    case StatementType.INSERT:
      return `INSERT 0 ${count}`
    case StatementType.UPDATE:
      return `UPDATE ${count}`
    case StatementType.DELETE:
      return `DELETE ${count}`
    case StatementType.MERGE_INTO:
      return `MERGE ${count}`
    case StatementType.COPY:
      return `COPY ${count}`
    case StatementType.CREATE:
      return rows === undefined ? withObjectKind('CREATE', info) : `SELECT ${count}`
    case StatementType.DROP:
      return withObjectKind('DROP', info)
    case StatementType.ALTER:
      return withObjectKind('ALTER', info)
    case StatementType.TRANSACTION:
      if (info?.transaction === 'begin') return 'BEGIN'
      if (info?.transaction === 'commit') return 'COMMIT'
      if (info?.transaction === 'rollback') return 'ROLLBACK'
      return info?.keywords[0] ?? 'TRANSACTION'
    case StatementType.SELECT:
      // SHOW (a setting, or DuckDB's SHOW TABLES) is tagged SHOW, as in Postgres.
      if (info?.keywords[0] === 'SHOW') return 'SHOW'
      return rows === undefined ? (info?.keywords[0] ?? 'SELECT') : `SELECT ${count}`
    case StatementType.EXPLAIN:
    case StatementType.PRAGMA:
    case StatementType.CALL:
    case StatementType.RELATION:
      return rows === undefined ? (info?.keywords[0] ?? 'SELECT') : `SELECT ${count}`
    default:
      return info?.keywords[0] ?? StatementType[statementType] ?? 'OK'
  }
}

function withObjectKind(command: string, info: StatementInfo | undefined): string {
  const kind = info?.keywords.slice(1).find((word) => OBJECT_KINDS.has(word))
  return kind === undefined ? command : `${command} ${kind}`
}
