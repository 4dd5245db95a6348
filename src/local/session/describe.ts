import {
  type DuckDBPreparedStatement,
  type DuckDBType,
  DuckDBTypeId,
  StatementType,
  VARCHAR,
} from '@duckdb/node-api'
import type { StatementInfo } from '../../sql/sql-statements.js'
import { oidTypeOf } from '../catalog/oid-types.js'
import { type WireColumn, wireColumnOf } from '../encode/value-encoder.js'

const TEXT_OID = 25

/**
 * The ParameterDescription of a prepared statement: the OIDs the client declared in Parse, else
 * what DuckDB inferred, else text.
 */
export function parameterOids(
  prepared: DuckDBPreparedStatement | null,
  declaredTypes: readonly number[],
): number[] {
  const count = prepared?.parameterCount ?? 0
  const oids: number[] = []
  for (let index = 0; index < count; index++) {
    const declared = declaredTypes[index] ?? 0
    if (declared !== 0) {
      oids.push(declared)
      continue
    }
    const type = knownType(
      () => prepared!.parameterTypeId(index + 1),
      () => prepared!.parameterType(index + 1),
    )
    oids.push(type === undefined ? TEXT_OID : wireColumnOf('', oidTypeOf(prepared!, type)).oid)
  }
  return oids
}

/**
 * RowDescription of a statement that has not run: DuckDB's prepared column types (text where DuckDB
 * cannot tell before binding), or null when the statement returns no rows.
 */
export function statementColumns(
  prepared: DuckDBPreparedStatement,
  info: StatementInfo | undefined,
): WireColumn[] | null {
  if (!returnsRows(prepared, info)) return null
  const columns: WireColumn[] = []
  for (let index = 0; index < prepared.columnCount; index++) {
    const type = knownType(
      () => prepared.columnTypeId(index),
      () => prepared.columnType(index),
    )
    columns.push(wireColumnOf(prepared.columnName(index), oidTypeOf(prepared, type ?? VARCHAR)))
  }
  return columns
}

/**
 * How many columns a prepared statement returns, or null when it returns no rows (Bind's result
 * formats are then not checked, as in Postgres).
 */
export function resultColumnCount(
  prepared: DuckDBPreparedStatement,
  info: StatementInfo | undefined,
): number | null {
  return returnsRows(prepared, info) ? prepared.columnCount : null
}

function knownType(typeId: () => DuckDBTypeId, type: () => DuckDBType): DuckDBType | undefined {
  try {
    return typeId() === DuckDBTypeId.INVALID ? undefined : type()
  } catch {
    return undefined
  }
}

/**
 * Whether a prepared statement returns rows. DuckDB gives DML a one-column `Count` result, so DML
 * returns rows only with RETURNING; the result's own return type decides once it runs.
 */
function returnsRows(prepared: DuckDBPreparedStatement, info: StatementInfo | undefined): boolean {
  switch (prepared.statementType) {
    case StatementType.INSERT:
    case StatementType.UPDATE:
    case StatementType.DELETE:
    case StatementType.MERGE_INTO:
      return info?.returning ?? !(prepared.columnCount === 1 && prepared.columnName(0) === 'Count')
    case StatementType.SELECT:
    case StatementType.EXPLAIN:
    case StatementType.PRAGMA:
    case StatementType.CALL:
    case StatementType.RELATION:
    case StatementType.EXECUTE:
      return prepared.columnCount > 0
    default:
      return false
  }
}
