import { BufferWriter } from './buffer-writer.js'
import type { EncodedColumn } from './encoded-column.js'
import {
  AuthenticationCode,
  BackendCode,
  ErrorFieldCode,
  type TransactionStatus,
} from './message-codes.js'

/** One RowDescription field (structurally the encoder's `WireColumn`). */
export interface RowDescriptionField {
  readonly name: string
  readonly oid: number
  readonly typeSize: number
  readonly typeModifier: number
  /** 0 = text (the default), 1 = binary: the format of the column's values in DataRow. */
  readonly format?: number
  /** 0: the column is not a plain table column (the endpoint does not track origins). */
  readonly tableOid?: number
  readonly columnNumber?: number
}

/** Every field ErrorResponse and NoticeResponse can carry; undefined fields are left out. */
export interface NoticeFields {
  /** ERROR, FATAL or PANIC for errors; WARNING, NOTICE, DEBUG, INFO or LOG for notices. */
  readonly severity: string
  readonly code: string
  readonly message: string
  readonly detail?: string
  readonly hint?: string
  /** 1-based character position in the query string. */
  readonly position?: number
  readonly internalPosition?: number
  readonly internalQuery?: string
  readonly where?: string
  readonly schema?: string
  readonly table?: string
  readonly column?: string
  readonly dataType?: string
  readonly constraint?: string
  readonly file?: string
  readonly line?: number
  readonly routine?: string
}

const OPTIONAL_FIELDS: readonly [keyof NoticeFields, ErrorFieldCode][] = [
  ['detail', ErrorFieldCode.Detail],
  ['hint', ErrorFieldCode.Hint],
  ['position', ErrorFieldCode.Position],
  ['internalPosition', ErrorFieldCode.InternalPosition],
  ['internalQuery', ErrorFieldCode.InternalQuery],
  ['where', ErrorFieldCode.Where],
  ['schema', ErrorFieldCode.SchemaName],
  ['table', ErrorFieldCode.TableName],
  ['column', ErrorFieldCode.ColumnName],
  ['dataType', ErrorFieldCode.DataTypeName],
  ['constraint', ErrorFieldCode.ConstraintName],
  ['file', ErrorFieldCode.File],
  ['line', ErrorFieldCode.Line],
  ['routine', ErrorFieldCode.Routine],
]

/**
 * Writes backend messages into one growing buffer; `take()` returns the batch for a single socket
 * write. Each method appends one message (DataRows: many) and returns `this`.
 *
 * ### Examples
 * ```ts
 * const out = new BackendSerializer()
 * out.rowDescription(columns).dataRows(values, 0, rowCount).commandComplete(`SELECT ${rowCount}`)
 * socket.write(out.take())
 * ```
 */
export class BackendSerializer {
  private readonly writer = new BufferWriter()

  /** Bytes waiting to be taken. */
  get length(): number {
    return this.writer.length
  }

  /** The bytes of every message written since the last call. */
  take(): Buffer {
    return this.writer.take()
  }

  // Layout: 'R' int32 len, int32 code, then the code's payload.
  authenticationOk(): this {
    this.writer.startMessage(BackendCode.Authentication).int32(AuthenticationCode.Ok).endMessage()
    return this
  }

  authenticationCleartextPassword(): this {
    this.writer
      .startMessage(BackendCode.Authentication)
      .int32(AuthenticationCode.CleartextPassword)
      .endMessage()
    return this
  }

  /** The mechanisms as a list of C strings ended by an empty one. */
  authenticationSASL(mechanisms: readonly string[]): this {
    this.writer.startMessage(BackendCode.Authentication).int32(AuthenticationCode.SASL)
    for (const mechanism of mechanisms) this.writer.cstring(mechanism)
    this.writer.int8(0).endMessage()
    return this
  }

  authenticationSASLContinue(data: string): this {
    this.writer
      .startMessage(BackendCode.Authentication)
      .int32(AuthenticationCode.SASLContinue)
      .string(data)
      .endMessage()
    return this
  }

  authenticationSASLFinal(data: string): this {
    this.writer
      .startMessage(BackendCode.Authentication)
      .int32(AuthenticationCode.SASLFinal)
      .string(data)
      .endMessage()
    return this
  }

  // 'v' int32 len, int32 newest minor version supported, int32 count, count × cstring option.
  negotiateProtocolVersion(newestMinor: number, unsupportedOptions: readonly string[]): this {
    this.writer
      .startMessage(BackendCode.NegotiateProtocolVersion)
      .int32(newestMinor)
      .int32(unsupportedOptions.length)
    for (const option of unsupportedOptions) this.writer.cstring(option)
    this.writer.endMessage()
    return this
  }

  parameterStatus(name: string, value: string): this {
    this.writer.startMessage(BackendCode.ParameterStatus).cstring(name).cstring(value).endMessage()
    return this
  }

  backendKeyData(processId: number, secretKey: number): this {
    this.writer
      .startMessage(BackendCode.BackendKeyData)
      .int32(processId)
      .int32(secretKey)
      .endMessage()
    return this
  }

  readyForQuery(status: TransactionStatus): this {
    this.writer.startMessage(BackendCode.ReadyForQuery).int8(status).endMessage()
    return this
  }

  // 'T' int32 len, int16 count, per field: cstring name, int32 table oid, int16 column number,
  // int32 type oid, int16 type size, int32 type modifier, int16 format (0 = text, 1 = binary).
  rowDescription(fields: readonly RowDescriptionField[]): this {
    const writer = this.writer.startMessage(BackendCode.RowDescription).int16(fields.length)
    for (const field of fields) {
      writer
        .cstring(field.name)
        .int32(field.tableOid ?? 0)
        .int16(field.columnNumber ?? 0)
        .int32(field.oid)
        .int16(field.typeSize)
        .int32(field.typeModifier)
        .int16(field.format ?? 0)
    }
    writer.endMessage()
    return this
  }

  /**
   * `rowCount` DataRow messages from column-major text values, starting at row `startRow`:
   * `columns[c][r]` is the value of column c in row r, null for SQL NULL.
   */
  // 'D' int32 len, int16 count, per field: int32 byte length (-1 = NULL), the bytes.
  dataRows(
    columns: readonly (readonly (string | null)[])[],
    startRow: number,
    rowCount: number,
  ): this {
    const end = startRow + rowCount
    for (let row = startRow; row < end; row++) {
      this.writer.textRowMessage(BackendCode.DataRow, columns, row)
    }
    return this
  }

  /**
   * `count` DataRow messages from encoded columns (see EncodedColumn), starting at row `start`: the
   * bytes the result encoder already wrote are copied, nothing is encoded here.
   */
  encodedDataRows(columns: readonly EncodedColumn[], start: number, count: number): this {
    this.writer.encodedRowMessages(BackendCode.DataRow, columns, start, count)
    return this
  }

  commandComplete(tag: string): this {
    this.writer.startMessage(BackendCode.CommandComplete).cstring(tag).endMessage()
    return this
  }

  emptyQueryResponse(): this {
    this.writer.emptyMessage(BackendCode.EmptyQueryResponse)
    return this
  }

  errorResponse(fields: NoticeFields): this {
    return this.noticeLike(BackendCode.ErrorResponse, fields)
  }

  noticeResponse(fields: NoticeFields): this {
    return this.noticeLike(BackendCode.NoticeResponse, fields)
  }

  parseComplete(): this {
    this.writer.emptyMessage(BackendCode.ParseComplete)
    return this
  }

  bindComplete(): this {
    this.writer.emptyMessage(BackendCode.BindComplete)
    return this
  }

  closeComplete(): this {
    this.writer.emptyMessage(BackendCode.CloseComplete)
    return this
  }

  noData(): this {
    this.writer.emptyMessage(BackendCode.NoData)
    return this
  }

  portalSuspended(): this {
    this.writer.emptyMessage(BackendCode.PortalSuspended)
    return this
  }

  // 't' int32 len, int16 count, count × int32 type oid.
  parameterDescription(oids: readonly number[]): this {
    const writer = this.writer.startMessage(BackendCode.ParameterDescription).int16(oids.length)
    for (const oid of oids) writer.int32(oid | 0)
    writer.endMessage()
    return this
  }

  // 'E'/'N' int32 len, then (byte field type, cstring value)* and a terminating 0 byte.
  private noticeLike(code: BackendCode, fields: NoticeFields): this {
    const writer = this.writer.startMessage(code)
    writer.int8(ErrorFieldCode.Severity).cstring(fields.severity)
    writer.int8(ErrorFieldCode.SeverityNonLocalized).cstring(fields.severity)
    writer.int8(ErrorFieldCode.Code).cstring(fields.code)
    writer.int8(ErrorFieldCode.Message).cstring(fields.message)
    for (const [key, fieldCode] of OPTIONAL_FIELDS) {
      const value = fields[key]
      if (value !== undefined) writer.int8(fieldCode).cstring(String(value))
    }
    writer.int8(0).endMessage()
    return this
  }
}
