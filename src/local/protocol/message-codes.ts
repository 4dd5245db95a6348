/**
 * Message type bytes and magic numbers of the PostgreSQL wire protocol 3.0.
 * See https://www.postgresql.org/docs/current/protocol-message-formats.html
 * The startup-phase codes (CancelRequest, SSLRequest…) are shared with the dialect: src/wire/startup-codes.ts.
 */

/** Type byte of each message a client (frontend) sends after the startup phase. */
export enum FrontendCode {
  Bind = 0x42, // B
  Close = 0x43, // C
  CopyData = 0x64, // d
  CopyDone = 0x63, // c
  CopyFail = 0x66, // f
  Describe = 0x44, // D
  Execute = 0x45, // E
  Flush = 0x48, // H
  FunctionCall = 0x46, // F
  Parse = 0x50, // P
  /** PasswordMessage, SASLInitialResponse and SASLResponse share this byte. */
  Password = 0x70, // p
  Query = 0x51, // Q
  Sync = 0x53, // S
  Terminate = 0x58, // X
}

/** Type byte of each message the server (backend) sends. */
export enum BackendCode {
  Authentication = 0x52, // R
  BackendKeyData = 0x4b, // K
  BindComplete = 0x32, // 2
  CloseComplete = 0x33, // 3
  CommandComplete = 0x43, // C
  DataRow = 0x44, // D
  EmptyQueryResponse = 0x49, // I
  ErrorResponse = 0x45, // E
  NegotiateProtocolVersion = 0x76, // v
  NoData = 0x6e, // n
  NoticeResponse = 0x4e, // N
  ParameterDescription = 0x74, // t
  ParameterStatus = 0x53, // S
  ParseComplete = 0x31, // 1
  PortalSuspended = 0x73, // s
  ReadyForQuery = 0x5a, // Z
  RowDescription = 0x54, // T
}

/** The int32 that follows an Authentication ('R') message's length. */
export enum AuthenticationCode {
  Ok = 0,
  CleartextPassword = 3,
  SASL = 10,
  SASLContinue = 11,
  SASLFinal = 12,
}

/** Field type bytes inside ErrorResponse and NoticeResponse. */
export enum ErrorFieldCode {
  Severity = 0x53, // S (localized)
  SeverityNonLocalized = 0x56, // V
  Code = 0x43, // C
  Message = 0x4d, // M
  Detail = 0x44, // D
  Hint = 0x48, // H
  Position = 0x50, // P
  InternalPosition = 0x70, // p
  InternalQuery = 0x71, // q
  Where = 0x57, // W
  SchemaName = 0x73, // s
  TableName = 0x74, // t
  ColumnName = 0x63, // c
  DataTypeName = 0x64, // d
  ConstraintName = 0x6e, // n
  File = 0x46, // F
  Line = 0x4c, // L
  Routine = 0x52, // R
}

/** Transaction status byte of ReadyForQuery. */
export enum TransactionStatus {
  Idle = 0x49, // I
  InTransaction = 0x54, // T
  Failed = 0x45, // E
}
