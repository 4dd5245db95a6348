import { EndpointError } from './endpoint-error.js'
import { SqlState } from './sql-state.js'

/** The fields of a Postgres ErrorResponse that the local endpoint fills in. */
export interface PgErrorFields {
  readonly severity: 'ERROR' | 'FATAL'
  readonly code: string
  readonly message: string
  readonly detail?: string
  readonly hint?: string
  readonly position?: number
}

interface Rule {
  /** DuckDB's error class, the text before ` Error: ` (`Catalog`, `Binder`, `Constraint`…). */
  readonly type?: string
  /** Tested against the message after the class prefix. */
  readonly pattern?: RegExp
  readonly code: SqlState
  readonly hint?: string
  readonly severity?: 'FATAL'
}

const CAST_HINT =
  'DuckDB could not infer the type of a parameter or literal here: add an explicit cast, ' +
  'e.g. CAST($1 AS INTEGER) or $1::DATE.'

const HTTPFS_HINT =
  'The local endpoint cannot load httpfs offline: map the URL prefix to a local directory with ' +
  "the objectStore option, e.g. { 's3://bucket': './data' }."

// First match wins: specific message patterns before the catch-all of each error class.
const RULES: readonly Rule[] = [
  { type: 'Parser', code: SqlState.SyntaxError },
  { type: 'Syntax', code: SqlState.SyntaxError },

  { pattern: /Current transaction is aborted/i, code: SqlState.InFailedSqlTransaction },
  { pattern: /Division by zero|divide by zero/i, code: SqlState.DivisionByZero },
  {
    pattern: /read-only mode|read only mode|read-only database/i,
    code: SqlState.InsufficientPrivilege,
  },

  {
    type: 'Catalog',
    pattern: /^Table with name .* does not exist/i,
    code: SqlState.UndefinedTable,
  },
  { type: 'Catalog', pattern: /^View with name .* does not exist/i, code: SqlState.UndefinedTable },
  {
    type: 'Catalog',
    pattern: /Function with name .* does not exist/i,
    code: SqlState.UndefinedFunction,
  },
  {
    type: 'Catalog',
    pattern: /^Schema with name .* does not exist/i,
    code: SqlState.InvalidSchemaName,
  },
  {
    type: 'Catalog',
    pattern: /^Type with name .* does not exist/i,
    code: SqlState.UndefinedObject,
  },
  {
    type: 'Catalog',
    pattern: /^Catalog .* does not exist|No catalog \+ schema named/i,
    code: SqlState.InvalidCatalogName,
  },
  {
    type: 'Catalog',
    pattern: /^(Table|View) with name .* already exists/i,
    code: SqlState.DuplicateTable,
  },
  {
    type: 'Catalog',
    pattern: /^Schema with name .* already exists/i,
    code: SqlState.DuplicateSchema,
  },
  { type: 'Catalog', pattern: /already exists/i, code: SqlState.DuplicateObject },
  {
    type: 'Catalog',
    pattern: /unrecognized configuration parameter/i,
    code: SqlState.UndefinedObject,
  },
  { type: 'Catalog', pattern: /does not exist/i, code: SqlState.UndefinedObject },
  {
    type: 'Catalog',
    pattern: /Cannot drop entry .* because/i,
    code: SqlState.DependentObjectsStillExist,
  },
  { type: 'Catalog', code: SqlState.SyntaxErrorOrAccessRuleViolation },

  {
    type: 'Binder',
    pattern: /Referenced column .* not found|Could not find key .* in struct/i,
    code: SqlState.UndefinedColumn,
  },
  {
    type: 'Binder',
    pattern: /Column .* does not exist|column .* not found/i,
    code: SqlState.UndefinedColumn,
  },
  {
    type: 'Binder',
    pattern: /Referenced table .* not found|Table .* does not exist/i,
    code: SqlState.UndefinedTable,
  },
  {
    type: 'Binder',
    pattern: /^Catalog .* does not exist|^Database .* not found/i,
    code: SqlState.InvalidCatalogName,
  },
  { type: 'Binder', pattern: /ambiguous/i, code: SqlState.AmbiguousColumn },
  {
    type: 'Binder',
    pattern: /Could not choose a best candidate function|No function matches/i,
    code: SqlState.UndefinedFunction,
    hint: CAST_HINT,
  },
  {
    type: 'Binder',
    pattern: /must appear in the GROUP BY clause|GROUP BY/i,
    code: SqlState.GroupingError,
  },
  { type: 'Binder', code: SqlState.SyntaxErrorOrAccessRuleViolation },

  { type: 'Constraint', pattern: /NOT NULL/i, code: SqlState.NotNullViolation },
  { type: 'Constraint', pattern: /foreign key/i, code: SqlState.ForeignKeyViolation },
  { type: 'Constraint', pattern: /CHECK constraint/i, code: SqlState.CheckViolation },
  {
    type: 'Constraint',
    pattern: /Duplicate key|unique|primary key/i,
    code: SqlState.UniqueViolation,
  },
  { type: 'Constraint', code: SqlState.IntegrityConstraintViolation },

  { type: 'Conversion', pattern: /Unimplemented type for cast/i, code: SqlState.CannotCoerce },
  { type: 'Conversion', pattern: /out of range/i, code: SqlState.NumericValueOutOfRange },
  { type: 'Conversion', code: SqlState.InvalidTextRepresentation },
  { type: 'Out of Range', code: SqlState.NumericValueOutOfRange },
  { type: 'Decimal', code: SqlState.NumericValueOutOfRange },
  { type: 'Divide by Zero', code: SqlState.DivisionByZero },
  { type: 'Mismatch Type', code: SqlState.DatatypeMismatch },
  { type: 'Invalid type', code: SqlState.DatatypeMismatch },
  { type: 'Unknown Type', code: SqlState.UndefinedObject },

  { type: 'INTERRUPT', code: SqlState.QueryCanceled },
  { type: 'Interrupt', code: SqlState.QueryCanceled },

  {
    type: 'TransactionContext',
    pattern: /no transaction is active/i,
    code: SqlState.NoActiveSqlTransaction,
  },
  {
    type: 'TransactionContext',
    pattern: /within a transaction|already active/i,
    code: SqlState.ActiveSqlTransaction,
  },
  { type: 'TransactionContext', pattern: /conflict/i, code: SqlState.SerializationFailure },
  { type: 'TransactionContext', code: SqlState.InvalidTransactionState },

  { type: 'Not implemented', code: SqlState.FeatureNotSupported },
  { type: 'Permission', code: SqlState.InsufficientPrivilege },
  { type: 'Dependency', code: SqlState.DependentObjectsStillExist },
  { type: 'Sequence', code: SqlState.SequenceGeneratorLimitExceeded },
  { type: 'Object Size', code: SqlState.ProgramLimitExceeded },
  { type: 'Out of Memory', code: SqlState.OutOfMemory },

  { type: 'Parameter Not Resolved', code: SqlState.IndeterminateDatatype, hint: CAST_HINT },
  { type: 'Parameter Not Allowed', code: SqlState.FeatureNotSupported },
  {
    type: 'Invalid Input',
    pattern: /Expected \d+ parameters?, but/i,
    code: SqlState.ProtocolViolation,
  },
  {
    type: 'Invalid Input',
    pattern: /Values were not provided for the following/i,
    code: SqlState.ProtocolViolation,
  },
  // The session's current_setting and set_config stand-ins (src/local/catalog/settings-catalog.ts).
  {
    type: 'Invalid Input',
    pattern: /unrecognized configuration parameter/i,
    code: SqlState.UndefinedObject,
  },
  {
    type: 'Invalid Input',
    pattern: /set_config is supported only as a statement/i,
    code: SqlState.FeatureNotSupported,
  },
  // Strict mode's lock_configuration: a setting no client may change.
  {
    type: 'Invalid Input',
    pattern: /the configuration has been locked/i,
    code: SqlState.InsufficientPrivilege,
  },
  { type: 'Invalid Input', code: SqlState.InvalidParameterValue },
  { type: 'Settings', code: SqlState.InvalidParameterValue },
  { type: 'Invalid Configuration', code: SqlState.InvalidParameterValue },

  {
    type: 'IO',
    pattern: /No files found|No such file|does not exist|not found/i,
    code: SqlState.UndefinedFile,
  },
  { type: 'IO', code: SqlState.IoError },
  { type: 'HTTP', code: SqlState.IoError, hint: HTTPFS_HINT },
  { type: 'Missing Extension', code: SqlState.FeatureNotSupported, hint: HTTPFS_HINT },
  { type: 'Extension Autoloading', code: SqlState.FeatureNotSupported, hint: HTTPFS_HINT },

  { type: 'FATAL', code: SqlState.InternalError, severity: 'FATAL' },
]

const DUCKDB_ERROR = /^([A-Za-z][A-Za-z ]*?) Error: ([\s\S]*)$/

/**
 * The SQLSTATE, severity and message for anything thrown while running SQL. DuckDB errors keep
 * DuckDB's own message text (what MotherDuck users see) and get their code from DuckDB's error class
 * and message; an {@link EndpointError} keeps its own fields; anything else is XX000.
 *
 * ### Examples
 * ```ts
 * toPgError(new Error('Catalog Error: Table with name nope does not exist!'))
 * // { severity: 'ERROR', code: '42P01', message: 'Catalog Error: Table with name nope does not exist!' }
 * ```
 */
export function toPgError(error: unknown): PgErrorFields {
  if (error instanceof EndpointError) {
    return {
      severity: error.severity,
      code: error.code,
      message: error.message,
      ...(error.detail === undefined ? {} : { detail: error.detail }),
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    }
  }
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : String(error)
  const match = DUCKDB_ERROR.exec(message)
  if (match) {
    const type = match[1]!
    const body = match[2]!
    for (const rule of RULES) {
      if (rule.type !== undefined && rule.type.toLowerCase() !== type.toLowerCase()) continue
      if (rule.pattern !== undefined && !rule.pattern.test(body)) continue
      return {
        severity: rule.severity ?? 'ERROR',
        code: rule.code,
        message,
        ...(rule.hint === undefined ? {} : { hint: rule.hint }),
      }
    }
  }
  return { severity: 'ERROR', code: SqlState.InternalError, message: message || 'Internal error' }
}
