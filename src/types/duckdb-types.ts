/**
 * The one table that ties DuckDB types, Postgres wire types and TypeScript types together.
 *
 * Three readers depend on it and must never disagree:
 * - the local endpoint announces `wireTypeOf(duckdbType).oid` in RowDescription and encodes values
 *   in the text format that the wire type's parser reads back;
 * - the dialect installs `createTypeParsers()` on each pool, so a value arrives as `tsSelect`;
 * - codegen and the typed source helpers print / infer `tsSelect` and `tsInsert` from the same rows.
 *
 * Everything here is plain data and small functions: no dependency on DuckDB or on `pg`.
 */

/** How 64-bit integers (BIGINT, UINTEGER) are returned. `bigint` (the default) never loses precision. */
export type Int64Mode = 'bigint' | 'number' | 'string'

/**
 * How NUMERIC values (DECIMAL, HUGEINT, UHUGEINT, UBIGINT, BIGNUM) are returned. `string` (the default)
 * keeps every digit; `number` converts, and throws when the conversion would change the value.
 */
export type NumericMode = 'string' | 'number'

/**
 * How TIMESTAMP and TIMESTAMPTZ values (TIMESTAMP_S/_MS/_NS included) are returned. `date` (the default)
 * gives a `Date`, which holds milliseconds: the microseconds (and a TIMESTAMP_NS's nanoseconds) beyond
 * them are cut. `string` gives the text as the server sent it (`2024-03-10 12:00:00.123456`, a
 * TIMESTAMPTZ with its offset `+00`), every digit kept.
 */
export type TimestampMode = 'date' | 'string'

/**
 * Type-parsing choices: the dialect's `typeParsing` option, and codegen's `int64` / `numeric` options,
 * which must match it. The defaults never lose precision.
 *
 * ### Examples
 *
 * ```ts
 * new MotherDuckDialect({ typeParsing: { int64: 'number' } }) // BIGINT as number; throws beyond 2^53 − 1
 * ```
 */
export interface TypeParsingOptions {
  /** 64-bit integers: `'bigint'` (default), `'number'` (throws beyond ±2^53 − 1) or `'string'`. */
  readonly int64?: Int64Mode
  /** Wide integers and decimals: `'string'` (default) or `'number'` (throws when precision would be lost). */
  readonly numeric?: NumericMode
  /** TIMESTAMP/TIMESTAMPTZ: `'date'` (default, a `Date`: milliseconds) or `'string'` (the server's text, every digit). */
  readonly timestamp?: TimestampMode
}

/**
 * The type parsing the dialect uses when `typeParsing` is not given:
 * `{ int64: 'bigint', numeric: 'string', timestamp: 'date' }`, so that no integer or decimal ever loses
 * precision and timestamps are `Date`s. Codegen's `int64` / `numeric` / `timestamp` options default to the same.
 */
export const DEFAULT_TYPE_PARSING: Required<TypeParsingOptions> = Object.freeze({
  int64: 'bigint',
  numeric: 'string',
  timestamp: 'date',
})

/** A DuckDB INTERVAL as it arrives: Postgres' interval fields (pg's own `postgres-interval` shape). */
export interface Interval {
  years?: number
  months?: number
  days?: number
  hours?: number
  minutes?: number
  seconds?: number
  milliseconds?: number
}

/** The fields of an {@link Interval}, largest first. */
export const INTERVAL_FIELDS = [
  'years',
  'months',
  'days',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
] as const satisfies readonly (keyof Interval)[]

/** Any JSON value, as `JSON.parse` returns it (integers beyond ±2^53 − 1 arrive as `bigint`). */
export type JsonValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue }

/**
 * The TypeScript types the table refers to, by name. `int64` and `numeric` follow the parsing modes;
 * the names are what codegen prints.
 */
export interface TsTypeByName {
  boolean: boolean
  number: number
  bigint: bigint
  string: string
  Date: Date
  Buffer: Buffer
  Interval: Interval
  JsonValue: JsonValue
}
export type TsTypeName = keyof TsTypeByName

/** The TypeScript type name of a select result for each parsing mode. */
export type Int64TsName<M extends Int64Mode> = M extends 'bigint'
  ? 'bigint'
  : M extends 'number'
    ? 'number'
    : 'string'
export type NumericTsName<M extends NumericMode> = M extends 'number' ? 'number' : 'string'
export type TimestampTsName<M extends TimestampMode> = M extends 'string' ? 'string' : 'Date'

/**
 * Postgres wire types the endpoint speaks, keyed by their Postgres type name. `size` is Postgres'
 * typlen (-1 = variable length); array types are always variable length.
 */
export const WIRE_TYPES = {
  bool: { oid: 16, arrayOid: 1000, size: 1, select: 'boolean', insert: ['boolean'] },
  int2: { oid: 21, arrayOid: 1005, size: 2, select: 'number', insert: ['number'] },
  int4: { oid: 23, arrayOid: 1007, size: 4, select: 'number', insert: ['number'] },
  int8: {
    oid: 20,
    arrayOid: 1016,
    size: 8,
    select: 'int64',
    insert: ['number', 'bigint', 'string'],
  },
  numeric: {
    oid: 1700,
    arrayOid: 1231,
    size: -1,
    select: 'numeric',
    insert: ['number', 'bigint', 'string'],
  },
  float4: { oid: 700, arrayOid: 1021, size: 4, select: 'number', insert: ['number'] },
  float8: { oid: 701, arrayOid: 1022, size: 8, select: 'number', insert: ['number'] },
  text: { oid: 25, arrayOid: 1009, size: -1, select: 'string', insert: ['string'] },
  json: { oid: 114, arrayOid: 199, size: -1, select: 'JsonValue', insert: ['JsonValue'] },
  bytea: { oid: 17, arrayOid: 1001, size: -1, select: 'Buffer', insert: ['Buffer'] },
  // DATE and TIME stay strings: a JS Date would move them to the reader's time zone.
  date: { oid: 1082, arrayOid: 1182, size: 4, select: 'string', insert: ['string', 'Date'] },
  time: { oid: 1083, arrayOid: 1183, size: 8, select: 'string', insert: ['string'] },
  timetz: { oid: 1266, arrayOid: 1270, size: 12, select: 'string', insert: ['string'] },
  // TIMESTAMP (no zone) is read as UTC, whatever the process time zone is.
  timestamp: {
    oid: 1114,
    arrayOid: 1115,
    size: 8,
    select: 'timestamp',
    insert: ['Date', 'string'],
  },
  timestamptz: {
    oid: 1184,
    arrayOid: 1185,
    size: 8,
    select: 'timestamp',
    insert: ['Date', 'string'],
  },
  interval: { oid: 1186, arrayOid: 1187, size: 16, select: 'Interval', insert: ['string'] },
  uuid: { oid: 2950, arrayOid: 2951, size: 16, select: 'string', insert: ['string'] },
  varbit: { oid: 1562, arrayOid: 1563, size: -1, select: 'string', insert: ['string'] },
} as const satisfies Record<
  string,
  {
    oid: number
    arrayOid: number
    /** Postgres' typlen, announced in RowDescription: bytes of the binary form, -1 = variable. */
    size: number
    select: TsTypeName | 'int64' | 'numeric' | 'timestamp'
    insert: readonly TsTypeName[]
  }
>

export type WireTypeName = keyof typeof WIRE_TYPES

/**
 * Postgres types a client may declare for a parameter (in Parse) that the endpoint never announces
 * itself; their values are read like the wire type named in `as`. `jsonb`'s binary form starts with a
 * version byte; `unknown` is what psql-style clients declare for untyped literals.
 */
export const CLIENT_PARAMETER_TYPES = {
  varchar: { oid: 1043, arrayOid: 1015, as: 'text' },
  bpchar: { oid: 1042, arrayOid: 1014, as: 'text' },
  name: { oid: 19, arrayOid: 1003, as: 'text' },
  char: { oid: 18, arrayOid: 1002, as: 'text' },
  unknown: { oid: 705, arrayOid: 0, as: 'text' },
  jsonb: { oid: 3802, arrayOid: 3807, as: 'json' },
  oid: { oid: 26, arrayOid: 1028, as: 'int8' },
} as const satisfies Record<string, { oid: number; arrayOid: number; as: WireTypeName }>

/**
 * DuckDB's scalar types (the spelling of `DuckDBTypeId` and of `duckdb_columns().data_type`) → wire type.
 * `aliases` are the other spellings DuckDB accepts in SQL, upper-case.
 */
export const DUCKDB_SCALAR_TYPES = {
  BOOLEAN: { wire: 'bool', aliases: ['BOOL', 'LOGICAL'] },
  TINYINT: { wire: 'int2', aliases: ['INT1'] },
  SMALLINT: { wire: 'int2', aliases: ['INT2', 'SHORT'] },
  UTINYINT: { wire: 'int2', aliases: [] },
  INTEGER: { wire: 'int4', aliases: ['INT', 'INT4', 'SIGNED'] },
  USMALLINT: { wire: 'int4', aliases: [] },
  BIGINT: { wire: 'int8', aliases: ['INT8', 'LONG'] },
  UINTEGER: { wire: 'int8', aliases: [] },
  UBIGINT: { wire: 'numeric', aliases: [] },
  HUGEINT: { wire: 'numeric', aliases: ['INT128'] },
  UHUGEINT: { wire: 'numeric', aliases: ['UINT128'] },
  BIGNUM: { wire: 'numeric', aliases: ['VARINT'] },
  DECIMAL: { wire: 'numeric', aliases: ['NUMERIC'] },
  FLOAT: { wire: 'float4', aliases: ['FLOAT4', 'REAL'] },
  DOUBLE: { wire: 'float8', aliases: ['FLOAT8'] },
  VARCHAR: { wire: 'text', aliases: ['TEXT', 'STRING', 'CHAR', 'BPCHAR', 'NVARCHAR'] },
  ENUM: { wire: 'text', aliases: [] },
  GEOMETRY: { wire: 'text', aliases: [] },
  JSON: { wire: 'json', aliases: [] },
  VARIANT: { wire: 'json', aliases: [] },
  BLOB: { wire: 'bytea', aliases: ['BYTEA', 'BINARY', 'VARBINARY'] },
  DATE: { wire: 'date', aliases: [] },
  TIME: { wire: 'time', aliases: [] },
  TIME_NS: { wire: 'time', aliases: [] },
  TIME_TZ: { wire: 'timetz', aliases: ['TIMETZ', 'TIME WITH TIME ZONE'] },
  TIMESTAMP: { wire: 'timestamp', aliases: ['DATETIME', 'TIMESTAMP_US'] },
  TIMESTAMP_S: { wire: 'timestamp', aliases: [] },
  TIMESTAMP_MS: { wire: 'timestamp', aliases: [] },
  TIMESTAMP_NS: { wire: 'timestamp', aliases: [] },
  TIMESTAMP_TZ: { wire: 'timestamptz', aliases: ['TIMESTAMPTZ', 'TIMESTAMP WITH TIME ZONE'] },
  INTERVAL: { wire: 'interval', aliases: [] },
  UUID: { wire: 'uuid', aliases: [] },
  BIT: { wire: 'varbit', aliases: ['BITSTRING'] },
} as const satisfies Record<string, { wire: WireTypeName; aliases: readonly string[] }>

/**
 * The names of DuckDB's scalar types as `duckdb_columns().data_type` spells them: `'BIGINT'`,
 * `'VARCHAR'`, `'TIMESTAMP_TZ'`, `'DECIMAL'`, … (aliases such as `'INT'` or `'TEXT'` are not in it).
 */
export type DuckDBScalarTypeName = keyof typeof DUCKDB_SCALAR_TYPES

/**
 * Nested types. A LIST or fixed-size ARRAY of a scalar travels as that scalar's Postgres array type;
 * everything else nested (lists of lists or of structs, STRUCT, MAP, UNION) travels as `json`,
 * because Postgres arrays are rectangular and Postgres has no struct, map or union on the wire.
 */
export const DUCKDB_NESTED_TYPES = ['LIST', 'ARRAY', 'STRUCT', 'MAP', 'UNION'] as const
export type DuckDBNestedTypeName = (typeof DUCKDB_NESTED_TYPES)[number]

const SCALAR_BY_SPELLING: ReadonlyMap<string, DuckDBScalarTypeName> = new Map(
  Object.entries(DUCKDB_SCALAR_TYPES).flatMap(([name, entry]) => [
    [name, name as DuckDBScalarTypeName],
    ...entry.aliases.map((alias): [string, DuckDBScalarTypeName] => [
      alias,
      name as DuckDBScalarTypeName,
    ]),
  ]),
)

/** The scalar type named by a spelling (`'INT'`, `'TIMESTAMP WITH TIME ZONE'`, `'DECIMAL(10,2)'`…). */
export function scalarTypeOf(spelling: string): DuckDBScalarTypeName | undefined {
  const upper = spelling.trim().toUpperCase()
  const base = upper.startsWith('ENUM(') ? 'ENUM' : upper.replace(/\s*\(.*\)$/s, '')
  return SCALAR_BY_SPELLING.get(base)
}

/** The wire type of a scalar DuckDB type, and how one of its values is announced on the wire. */
export function wireTypeOfScalar(name: DuckDBScalarTypeName): { name: WireTypeName; oid: number } {
  const wireName = DUCKDB_SCALAR_TYPES[name].wire
  return { name: wireName, oid: WIRE_TYPES[wireName].oid }
}

/** The wire type of a LIST/ARRAY whose elements are `element` (a scalar), else `json`. */
export function wireTypeOfList(element: DuckDBScalarTypeName | undefined): {
  name: string
  oid: number
} {
  if (element === undefined) return { name: 'json', oid: WIRE_TYPES.json.oid }
  const wireName = DUCKDB_SCALAR_TYPES[element].wire
  return { name: `_${wireName}`, oid: WIRE_TYPES[wireName].arrayOid }
}

/** The TypeScript type name a wire type's values are returned as, under the given parsing modes. */
export function tsSelectName(wire: WireTypeName, options: TypeParsingOptions = {}): TsTypeName {
  const select = WIRE_TYPES[wire].select
  if (select === 'int64') {
    const mode = options.int64 ?? DEFAULT_TYPE_PARSING.int64
    return mode === 'bigint' ? 'bigint' : mode === 'number' ? 'number' : 'string'
  }
  if (select === 'numeric')
    return (options.numeric ?? DEFAULT_TYPE_PARSING.numeric) === 'number' ? 'number' : 'string'
  if (select === 'timestamp')
    return (options.timestamp ?? DEFAULT_TYPE_PARSING.timestamp) === 'string' ? 'string' : 'Date'
  return select
}

/** The TypeScript type names a value of a wire type may be written as (insert and update). */
export function tsInsertNames(wire: WireTypeName): readonly TsTypeName[] {
  return WIRE_TYPES[wire].insert
}

/**
 * The TypeScript type name of a scalar DuckDB type nested inside a `json`-encoded value (a STRUCT field,
 * a MAP value, a list of lists): what `to_json` writes for it and `JSON.parse` gives back.
 * Integers beyond ±2^53 − 1 arrive as `bigint` (see `parseJson`).
 */
export function tsJsonName(
  name: DuckDBScalarTypeName,
): 'boolean' | 'number' | 'string' | 'JsonValue' | 'number | bigint' {
  switch (DUCKDB_SCALAR_TYPES[name].wire) {
    case 'bool':
      return 'boolean'
    case 'int2':
    case 'int4':
    case 'float4':
    case 'float8':
      return 'number'
    case 'int8':
    case 'numeric':
      return 'number | bigint'
    case 'json':
      return 'JsonValue'
    default:
      return 'string'
  }
}

// ---------------------------------------------------------------------------------------------------
// Type level: DuckDB type spelling → TypeScript type, for the typed source helpers.

type Upper<S extends string> = Uppercase<S>
type Trim<S extends string> = S extends ` ${infer R}`
  ? Trim<R>
  : S extends `${infer R} `
    ? Trim<R>
    : S

type ScalarSpelling<S extends string> = {
  [K in DuckDBScalarTypeName]: S extends K | (typeof DUCKDB_SCALAR_TYPES)[K]['aliases'][number]
    ? K
    : never
}[DuckDBScalarTypeName]

type SelectNameOf<
  W extends WireTypeName,
  O extends TypeParsingOptions,
> = (typeof WIRE_TYPES)[W]['select'] extends 'int64'
  ? Int64TsName<O['int64'] extends Int64Mode ? O['int64'] : 'bigint'>
  : (typeof WIRE_TYPES)[W]['select'] extends 'numeric'
    ? NumericTsName<O['numeric'] extends NumericMode ? O['numeric'] : 'string'>
    : (typeof WIRE_TYPES)[W]['select'] extends 'timestamp'
      ? TimestampTsName<O['timestamp'] extends TimestampMode ? O['timestamp'] : 'date'>
      : (typeof WIRE_TYPES)[W]['select']

type ScalarTs<
  K extends DuckDBScalarTypeName,
  O extends TypeParsingOptions,
> = TsTypeByName[SelectNameOf<(typeof DUCKDB_SCALAR_TYPES)[K]['wire'], O> & TsTypeName]

/**
 * The TypeScript type of a value of the DuckDB type spelled `S`, as this library returns it:
 * `DuckDBTypeToTs<'BIGINT'>` is `bigint`, `DuckDBTypeToTs<'VARCHAR[]'>` is `string[]`,
 * `DuckDBTypeToTs<'DECIMAL(10,2)'>` is `string`. STRUCT, MAP and UNION give `JsonValue`; lists of lists
 * give their scalars' JSON form (`'BIGINT[][]'` is `(number | bigint)[][]`, `'TIMESTAMP[][]'` is `string[][]`).
 */
export type DuckDBTypeToTs<S extends string, O extends TypeParsingOptions = {}> = _ToTs<
  Trim<Upper<S>>,
  O
>

type _ToTs<S extends string, O extends TypeParsingOptions> = S extends `${infer E}[]`
  ? _ListOf<Trim<E>, O>
  : S extends `${infer E}[${number}]`
    ? _ListOf<Trim<E>, O>
    : S extends `STRUCT${string}` | `MAP${string}` | `UNION${string}`
      ? JsonValue
      : S extends `ENUM${string}`
        ? string
        : S extends `${infer Base}(${string})`
          ? ScalarSpelling<Trim<Base>> extends infer K extends DuckDBScalarTypeName
            ? [K] extends [never]
              ? unknown
              : ScalarTs<K, O>
            : unknown
          : ScalarSpelling<S> extends infer K extends DuckDBScalarTypeName
            ? [K] extends [never]
              ? unknown
              : ScalarTs<K, O>
            : unknown

// A list of scalars travels as a Postgres array (elements parsed like the scalar); a list of lists
// travels as `json`, so its scalars arrive as `to_json` wrote them (see `tsJsonName`).
type _ListOf<E extends string, O extends TypeParsingOptions> = E extends `${string}]`
  ? _ToJsonTs<E>[]
  : _ToTs<E, O>[]

type JsonScalarTs<K extends DuckDBScalarTypeName> =
  (typeof DUCKDB_SCALAR_TYPES)[K]['wire'] extends 'bool'
    ? boolean
    : (typeof DUCKDB_SCALAR_TYPES)[K]['wire'] extends 'int2' | 'int4' | 'float4' | 'float8'
      ? number
      : (typeof DUCKDB_SCALAR_TYPES)[K]['wire'] extends 'int8' | 'numeric'
        ? number | bigint
        : (typeof DUCKDB_SCALAR_TYPES)[K]['wire'] extends 'json'
          ? JsonValue
          : string

type _ToJsonTs<S extends string> = S extends `${infer E}[]`
  ? _ToJsonTs<Trim<E>>[]
  : S extends `${infer E}[${number}]`
    ? _ToJsonTs<Trim<E>>[]
    : S extends `STRUCT${string}` | `MAP${string}` | `UNION${string}`
      ? JsonValue
      : S extends `ENUM${string}`
        ? string
        : ScalarSpelling<
              S extends `${infer Base}(${string})` ? Trim<Base> : S
            > extends infer K extends DuckDBScalarTypeName
          ? [K] extends [never]
            ? unknown
            : JsonScalarTs<K>
          : unknown
