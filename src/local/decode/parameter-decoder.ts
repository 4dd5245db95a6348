import {
  BLOB,
  type DuckDBArrayType,
  DuckDBBlobValue,
  type DuckDBDecimalType,
  DuckDBDecimalValue,
  type DuckDBListType,
  type DuckDBPreparedStatement,
  type DuckDBType,
  DuckDBTypeId,
  LIST,
  listValue,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api'
import type { WireTypeName } from '../../types/duckdb-types.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { resolveReaderPath } from '../rules/motherduck-rules.js'
import { type ArrayLiteral, isArrayLiteral, parseArrayLiteral } from './postgres-array-literal.js'
import {
  declaredTypeOf,
  decodeBinary,
  decodeBinaryArray,
  decodeByteaText,
  decodeText,
  decodeTextArray,
  isTextOid,
  parseBooleanText,
  parseDateTimeText,
  parseIntervalText,
  type TypedValue,
  typedList,
} from './postgres-value-decoder.js'

/** One Bind-message parameter. */
export interface WireParameter {
  readonly value: Buffer | null
  readonly format: 0 | 1
  /** The type declared in Parse; 0 = unspecified. */
  readonly oid: number
}

export interface BindParametersOptions {
  /** Remote URL prefix → local directory, applied to reader-path parameters. */
  readonly objectStore: Readonly<Record<string, string>>
  /** 1-based numbers of the parameters that are reader paths (from applyMotherDuckRules). */
  readonly pathParameters: readonly number[]
  /** Refuse unmapped local or remote reader paths, as MotherDuck would (default true). */
  readonly strict?: boolean
}

const DATE_TIME_TYPES = new Map<DuckDBTypeId, 'date' | 'timestamp' | 'timestamptz'>([
  [DuckDBTypeId.DATE, 'date'],
  [DuckDBTypeId.TIMESTAMP, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_S, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_MS, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_NS, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_TZ, 'timestamptz'],
])

function varchar(text: string): TypedValue {
  return { value: text, type: VARCHAR }
}

const INTEGER_RANGES = new Map<DuckDBTypeId, readonly [bigint, bigint, 'number' | 'bigint']>([
  [DuckDBTypeId.TINYINT, [-128n, 127n, 'number']],
  [DuckDBTypeId.SMALLINT, [-32768n, 32767n, 'number']],
  [DuckDBTypeId.INTEGER, [-2147483648n, 2147483647n, 'number']],
  [DuckDBTypeId.BIGINT, [-(2n ** 63n), 2n ** 63n - 1n, 'bigint']],
  [DuckDBTypeId.HUGEINT, [-(2n ** 127n), 2n ** 127n - 1n, 'bigint']],
  [DuckDBTypeId.UTINYINT, [0n, 255n, 'number']],
  [DuckDBTypeId.USMALLINT, [0n, 65535n, 'number']],
  [DuckDBTypeId.UINTEGER, [0n, 4294967295n, 'number']],
  [DuckDBTypeId.UBIGINT, [0n, 2n ** 64n - 1n, 'bigint']],
  [DuckDBTypeId.UHUGEINT, [0n, 2n ** 128n - 1n, 'bigint']],
])

/** Scaled integer of a plain decimal text at exactly `scale` digits, if it has no more than that. */
function scaledDecimal(text: string, scale: number): bigint | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim())
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined
  const fraction = match[3] ?? ''
  if (fraction.length > scale) return undefined
  const scaled = BigInt(`${match[2] || '0'}${fraction.padEnd(scale, '0')}`)
  return match[1] === '-' ? -scaled : scaled
}

/**
 * Untyped text (what `pg` sends, OID 0) as a value of exactly the type DuckDB inferred for the
 * parameter, when the text is a plain spelling of one; undefined leaves the cast to DuckDB (VARCHAR).
 * Binding the inferred type spares DuckDB a rebind and covers the Postgres spellings DuckDB reads
 * differently: array literals (`{1,2}`) for lists, bytea text (`\x0102`) for BLOB, `on`/`off` for
 * BOOLEAN, ` BC` dates and timestamps, and Postgres interval output (`-3 days +04:00:00`).
 */
function valueOfType(text: string, type: DuckDBType): TypedValue | undefined {
  const range = INTEGER_RANGES.get(type.typeId)
  if (range !== undefined) {
    const trimmed = text.trim()
    if (!/^[+-]?\d+$/.test(trimmed)) return undefined
    const value = BigInt(trimmed)
    if (value < range[0] || value > range[1]) return undefined
    return { value: range[2] === 'number' ? Number(value) : value, type }
  }
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return varchar(text)
    case DuckDBTypeId.BOOLEAN: {
      const value = parseBooleanText(text)
      return value === undefined ? undefined : { value, type }
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE: {
      const trimmed = text.trim()
      const special = SPECIAL_FLOATS.get(trimmed.toLowerCase())
      if (special !== undefined) return { value: special, type }
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)
        ? { value: Number(trimmed), type }
        : undefined
    }
    case DuckDBTypeId.DECIMAL: {
      const decimal = type as DuckDBDecimalType
      const scaled = scaledDecimal(text, decimal.scale)
      if (scaled === undefined || (scaled < 0n ? -scaled : scaled) >= 10n ** BigInt(decimal.width))
        return undefined
      return { value: new DuckDBDecimalValue(scaled, decimal.width, decimal.scale), type }
    }
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const wire = DATE_TIME_TYPES.get(type.typeId)!
      if (parseDateTimeText(text) === undefined) return undefined
      const typed = decodeText(wire, Buffer.from(text, 'utf8'))
      return typed.type.typeId === type.typeId ? typed : undefined
    }
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      // DuckDB reads these itself, except BC, which it cannot read at all: bind a TIMESTAMP then.
      return /\bBC\s*$/i.test(text) ? valueOfType(text, TIMESTAMP) : undefined
    case DuckDBTypeId.TIME: {
      const typed = decodeText('time', Buffer.from(text, 'utf8'))
      return typed.type.typeId === DuckDBTypeId.TIME ? typed : undefined
    }
    case DuckDBTypeId.INTERVAL: {
      const interval = parseIntervalText(text)
      return interval === undefined ? undefined : { value: interval, type }
    }
    case DuckDBTypeId.UUID:
      return /^\s*\{?[0-9a-fA-F-]{32,36}\}?\s*$/.test(text)
        ? decodeText('uuid', Buffer.from(text, 'utf8'))
        : undefined
    case DuckDBTypeId.BLOB:
      return { value: new DuckDBBlobValue(decodeByteaText(Buffer.from(text, 'utf8'))), type }
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return isArrayLiteral(text)
        ? listValueOf(parseArrayLiteral(text), type as DuckDBListType | DuckDBArrayType)
        : undefined
    default:
      return undefined
  }
}

const SPECIAL_FLOATS = new Map([
  ['nan', Number.NaN],
  ['infinity', Number.POSITIVE_INFINITY],
  ['+infinity', Number.POSITIVE_INFINITY],
  ['inf', Number.POSITIVE_INFINITY],
  ['-infinity', Number.NEGATIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
])

/**
 * An array literal for a LIST parameter: elements of the list's element type when every element reads
 * as one, else a VARCHAR list that DuckDB casts.
 */
function listValueOf(literal: ArrayLiteral, type: DuckDBListType | DuckDBArrayType): TypedValue {
  const element = type.valueType
  const nested = element.typeId === DuckDBTypeId.LIST || element.typeId === DuckDBTypeId.ARRAY
  const items = literal.map((item): TypedValue | null | undefined => {
    if (item === null) return null
    if (Array.isArray(item))
      return nested ? listValueOf(item, element as DuckDBListType | DuckDBArrayType) : undefined
    return valueOfType(item, element) ?? varchar(item)
  })
  if (items.every((item) => item !== undefined)) {
    const present = items.filter((item): item is TypedValue => item !== null)
    if (present.every((item) => item.type.typeId === element.typeId)) {
      return {
        value: listValue(items.map((item) => (item === null ? null : item!.value))),
        type: LIST(nested ? (present[0]?.type ?? element) : element),
      }
    }
  }
  return typedList(
    literal.map((item) =>
      item === null ? null : varchar(Array.isArray(item) ? JSON.stringify(item) : item),
    ),
    VARCHAR,
  )
}

function inferredType(statement: DuckDBPreparedStatement, index: number): DuckDBType | undefined {
  if (statement.parameterTypeId(index) === DuckDBTypeId.INVALID) return undefined
  try {
    return statement.parameterType(index)
  } catch {
    return undefined
  }
}

function flatten(literal: ArrayLiteral): (string | null)[] {
  return literal.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]))
}

function pathValue(text: string, options: BindParametersOptions): TypedValue {
  const rules = { strict: options.strict ?? true, objectStore: options.objectStore }
  if (!isArrayLiteral(text)) return varchar(resolveReaderPath(text, rules))
  const paths = flatten(parseArrayLiteral(text)).map((path) =>
    path === null ? null : resolveReaderPath(path, rules),
  )
  return { value: listValue(paths), type: LIST(VARCHAR) }
}

const BINARY_WIRE_TYPES = new Map<DuckDBTypeId, WireTypeName>([
  [DuckDBTypeId.BOOLEAN, 'bool'],
  [DuckDBTypeId.SMALLINT, 'int2'],
  [DuckDBTypeId.INTEGER, 'int4'],
  [DuckDBTypeId.BIGINT, 'int8'],
  [DuckDBTypeId.FLOAT, 'float4'],
  [DuckDBTypeId.DOUBLE, 'float8'],
  [DuckDBTypeId.VARCHAR, 'text'],
  [DuckDBTypeId.DATE, 'date'],
  [DuckDBTypeId.TIME, 'time'],
  [DuckDBTypeId.TIMESTAMP, 'timestamp'],
  [DuckDBTypeId.TIMESTAMP_TZ, 'timestamptz'],
  [DuckDBTypeId.INTERVAL, 'interval'],
  [DuckDBTypeId.UUID, 'uuid'],
])

/**
 * A binary parameter without a declared type: Postgres reads it as the type it infers, and so does
 * the endpoint. `pg` sends every Buffer this way, so anything else (BLOB, or no inferred type) is bytes.
 */
function untypedBinary(
  statement: DuckDBPreparedStatement,
  index: number,
  bytes: Buffer,
): TypedValue {
  const type = inferredType(statement, index)
  const wire = type === undefined ? undefined : BINARY_WIRE_TYPES.get(type.typeId)
  if (wire !== undefined) return decodeBinary(wire, bytes)
  return { value: new DuckDBBlobValue(Uint8Array.from(bytes)), type: BLOB }
}

function decodeParameter(
  statement: DuckDBPreparedStatement,
  index: number,
  parameter: WireParameter & { value: Buffer },
  options: BindParametersOptions,
): TypedValue {
  const declared = parameter.oid === 0 ? undefined : declaredTypeOf(parameter.oid)
  if (parameter.format === 1) {
    if (parameter.oid === 0) return untypedBinary(statement, index, parameter.value)
    if (declared === undefined) {
      throw new EndpointError(
        '0A000',
        `The local endpoint does not read parameters of type OID ${parameter.oid} in binary format.`,
        { hint: 'Send the parameter in text format, or declare one of the common types in Parse.' },
      )
    }
    if (options.pathParameters.includes(index) && declared.wire === 'text' && !declared.array)
      return pathValue(parameter.value.toString('utf8'), options)
    return declared.array
      ? decodeBinaryArray(declared.wire, parameter.value, declared.jsonb)
      : decodeBinary(declared.wire, parameter.value, declared.jsonb)
  }
  if (options.pathParameters.includes(index))
    return pathValue(parameter.value.toString('utf8'), options)
  if (declared !== undefined && !isTextOid(parameter.oid)) {
    return declared.array
      ? decodeTextArray(declared.wire, parameter.value.toString('utf8'))
      : decodeText(declared.wire, parameter.value)
  }
  const text = parameter.value.toString('utf8')
  const type = inferredType(statement, index)
  return (type === undefined ? undefined : valueOfType(text, type)) ?? varchar(text)
}

/**
 * Binds Bind-message parameters to a prepared statement, honouring declared OIDs and binary formats.
 * Untyped text (what `pg` sends, OID 0) binds as VARCHAR and DuckDB casts it to the type it inferred
 * for the parameter, except where Postgres and DuckDB spell a value differently (array literals for
 * LIST parameters, bytea text, BC dates…). A declared OID binds that type, in text or binary format
 * (bool, int2/4/8, float4/8, numeric, text, bytea, date, time, timetz, timestamp(tz), interval, uuid,
 * json/jsonb and one- or multi-dimensional arrays of them). Reader-path parameters are mapped through the
 * object store. Where DuckDB cannot infer a type, DuckDB decides; nothing is retried with other types.
 * Throws EndpointError: 08P01 for a wrong count, 22P02/22003/22P03 for bad values, 0A000 for an
 * unsupported binary type.
 *
 * ### Examples
 * ```ts
 * const statement = await connection.prepare('SELECT * FROM t WHERE id = ANY($1)')
 * bindParameters(statement, [{ value: Buffer.from('{1,2,3}'), format: 0, oid: 0 }], {
 *   objectStore: {},
 *   pathParameters: [],
 * })
 * ```
 */
export function bindParameters(
  statement: DuckDBPreparedStatement,
  parameters: readonly WireParameter[],
  options: BindParametersOptions,
): void {
  const required = statement.parameterCount
  if (parameters.length !== required) {
    throw new EndpointError(
      '08P01',
      `bind message supplies ${parameters.length} parameters, but prepared statement requires ${required}`,
    )
  }
  statement.clearBindings()
  for (let i = 0; i < parameters.length; i++) {
    const index = i + 1
    const parameter = parameters[i]!
    if (parameter.value === null) {
      statement.bindNull(index)
      continue
    }
    try {
      const typed = decodeParameter(
        statement,
        index,
        parameter as WireParameter & { value: Buffer },
        options,
      )
      if (typed.type.typeId === DuckDBTypeId.VARCHAR && typeof typed.value === 'string')
        statement.bindVarchar(index, typed.value)
      else statement.bindValue(index, typed.value, typed.type)
    } catch (error) {
      if (error instanceof EndpointError) {
        throw new EndpointError(error.code, error.message, {
          severity: error.severity,
          detail:
            error.detail === undefined
              ? `In parameter $${index}.`
              : `${error.detail} (parameter $${index})`,
          ...(error.hint === undefined ? {} : { hint: error.hint }),
        })
      }
      throw new EndpointError(
        '22P02',
        `Could not bind parameter $${index}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
}
