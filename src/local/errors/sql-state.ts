/**
 * The SQLSTATE codes the local endpoint sends, named as in Postgres' errcodes.txt (in PascalCase), so
 * that code says what it means: `SqlState.InFailedSqlTransaction` rather than '25P02'. Clients branch
 * on these codes (retry on 40001, re-authenticate on 28P01…), so each one is what Postgres sends for
 * the same situation. The protocol layer's two codes live with its own error (ProtocolViolationError).
 * See https://www.postgresql.org/docs/current/errcodes-appendix.html
 *
 * ### Examples
 * ```ts
 * throw new EndpointError(SqlState.FeatureNotSupported, 'MotherDuck does not support ATTACH.')
 * ```
 */
export const SqlState = {
  // Class 08: connection exception
  ConnectionDoesNotExist: '08003',
  ProtocolViolation: '08P01',
  // Class 0A: feature not supported
  FeatureNotSupported: '0A000',
  // Class 22: data exception
  NumericValueOutOfRange: '22003',
  DatetimeFieldOverflow: '22008',
  DivisionByZero: '22012',
  InvalidParameterValue: '22023',
  SequenceGeneratorLimitExceeded: '2200H',
  InvalidTextRepresentation: '22P02',
  InvalidBinaryRepresentation: '22P03',
  // Class 23: integrity constraint violation
  IntegrityConstraintViolation: '23000',
  NotNullViolation: '23502',
  ForeignKeyViolation: '23503',
  UniqueViolation: '23505',
  CheckViolation: '23514',
  // Class 24: invalid cursor state
  InvalidCursorState: '24000',
  // Class 25: invalid transaction state
  InvalidTransactionState: '25000',
  ActiveSqlTransaction: '25001',
  ReadOnlySqlTransaction: '25006',
  NoActiveSqlTransaction: '25P01',
  InFailedSqlTransaction: '25P02',
  // Class 26: invalid SQL statement name (an unknown prepared statement)
  InvalidSqlStatementName: '26000',
  // Class 28: invalid authorization specification
  InvalidAuthorizationSpecification: '28000',
  InvalidPassword: '28P01',
  // Class 2B: dependent privilege descriptors still exist
  DependentObjectsStillExist: '2BP01',
  // Class 34: invalid cursor name (an unknown portal)
  InvalidCursorName: '34000',
  // Class 3D: invalid catalog name (an unknown database)
  InvalidCatalogName: '3D000',
  // Class 3F: invalid schema name
  InvalidSchemaName: '3F000',
  // Class 40: transaction rollback
  SerializationFailure: '40001',
  // Class 42: syntax error or access rule violation
  SyntaxErrorOrAccessRuleViolation: '42000',
  InsufficientPrivilege: '42501',
  SyntaxError: '42601',
  AmbiguousColumn: '42702',
  UndefinedColumn: '42703',
  UndefinedObject: '42704',
  GroupingError: '42803',
  DatatypeMismatch: '42804',
  CannotCoerce: '42846',
  UndefinedFunction: '42883',
  DuplicateObject: '42710',
  UndefinedTable: '42P01',
  DuplicateCursor: '42P03',
  DuplicatePreparedStatement: '42P05',
  DuplicateSchema: '42P06',
  DuplicateTable: '42P07',
  IndeterminateDatatype: '42P18',
  // Class 53: insufficient resources
  OutOfMemory: '53200',
  // Class 54: program limit exceeded
  ProgramLimitExceeded: '54000',
  // Class 55: object not in prerequisite state
  ObjectNotInPrerequisiteState: '55000',
  CantChangeRuntimeParam: '55P02',
  // Class 57: operator intervention
  QueryCanceled: '57014',
  AdminShutdown: '57P01',
  // Class 58: system error (errors external to the server)
  IoError: '58030',
  UndefinedFile: '58P01',
  // Class XX: internal error
  InternalError: 'XX000',
} as const

/** One of the SQLSTATE codes above. */
export type SqlState = (typeof SqlState)[keyof typeof SqlState]
