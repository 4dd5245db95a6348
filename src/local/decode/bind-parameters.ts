import {
  type DuckDBPreparedStatement,
  type DuckDBType,
  DuckDBTypeId,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import { resolveReaderPath } from '../rules/motherduck-rules.js'
import {
  declaredTypeOf,
  decodeBinary,
  decodeBinaryArray,
  decodeText,
  decodeTextArray,
  isTextOid,
} from './declared-type-decoder.js'
import { decodeAsInferredType, decodeUntypedBinary } from './inferred-type-decoder.js'
import { type ArrayLiteral, isArrayLiteral, parseArrayLiteral } from './postgres-array-literal.js'
import { type TypedValue, varchar } from './typed-value.js'

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

function decodeParameter(
  statement: DuckDBPreparedStatement,
  index: number,
  parameter: WireParameter & { value: Buffer },
  options: BindParametersOptions,
): TypedValue {
  const declared = parameter.oid === 0 ? undefined : declaredTypeOf(parameter.oid)
  if (parameter.format === 1) {
    if (parameter.oid === 0)
      return decodeUntypedBinary(inferredType(statement, index), parameter.value)
    if (declared === undefined) {
      throw new EndpointError(
        SqlState.FeatureNotSupported,
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
  return (type === undefined ? undefined : decodeAsInferredType(text, type)) ?? varchar(text)
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
      SqlState.ProtocolViolation,
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
        SqlState.InvalidTextRepresentation,
        `Could not bind parameter $${index}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
}
