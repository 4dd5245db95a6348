import {
  DUCKDB_SCALAR_TYPES,
  type TsTypeName,
  type TypeParsingOptions,
  tsInsertNames,
  tsJsonName,
  tsSelectName,
} from '../src/types/duckdb-types.js'
import { type ColumnTypeAliasName, columnTypeAliasOf } from './column-type-aliases.js'
import type { DuckDBType } from './duckdb-type-parser.js'
import { toKyselyCamelCase } from './kysely-codegen.js'

/**
 * A TypeScript type, as data: what codegen prints for a DuckDB type, and what the round-trip tests check
 * run-time values against. Keeping it as data (not text) lets one mapping serve both.
 */
export type TsShape =
  | { readonly kind: 'name'; readonly name: TsTypeName | 'null' }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'array'; readonly element: TsShape }
  | { readonly kind: 'object'; readonly fields: readonly TsField[] }
  | { readonly kind: 'record'; readonly value: TsShape }
  | { readonly kind: 'union'; readonly members: readonly TsShape[] }
  /** A shared column-type alias (`Int8`): only in {@link ColumnShapes.written}. */
  | { readonly kind: 'alias'; readonly name: ColumnTypeAliasName }
  /** kysely-codegen's `ArrayType<T>` (a `ColumnType` of arrays): only in {@link ColumnShapes.written}. */
  | { readonly kind: 'arrayType'; readonly element: TsShape }

export interface TsField {
  readonly key: string
  readonly shape: TsShape
}

/** What a column returns (`select`) and what it accepts in inserts and updates (`insert`). */
export interface ColumnShapes {
  readonly select: TsShape
  readonly insert: TsShape
  /**
   * How a generated file writes the column, with the shared aliases: `Int8` for a BIGINT,
   * `ArrayType<Int8 | null>` for a BIGINT[]. Absent: `select`, or `ColumnType<select, insert, insert>`.
   */
  readonly written?: TsShape
}

/**
 * Whether values nested in a column (STRUCT fields, UNION members, LIST/ARRAY elements, MAP values) are
 * typed `T | null` (`'nullable'`: DuckDB lets any of them be NULL) or `T` (`'non-null'`: shorter, but a
 * NULL inside a value contradicts the type).
 */
export type NestedNullability = 'nullable' | 'non-null'

/** How DuckDB types map to TypeScript: the dialect's type parsing, the CamelCasePlugin, nested NULLs. */
export interface TypeMappingOptions extends TypeParsingOptions {
  /** Struct field names as Kysely's `CamelCasePlugin` returns them (it renames nested keys too). */
  readonly camelCase?: boolean | undefined
  /** Nested values typed `T | null` (`'nullable'`, the default: the truth) or `T` (`'non-null'`). */
  readonly nestedNullability?: NestedNullability | undefined
}

const named = (name: TsTypeName | 'null'): TsShape => ({ kind: 'name', name })

const NULL: TsShape = named('null')

/** A nested value's shape: `T | null` unless `nestedNullability` is `'non-null'`. */
function nested(shape: TsShape, options: TypeMappingOptions): TsShape {
  return options.nestedNullability === 'non-null' ? shape : unionOf([shape, NULL])
}

/** A union without duplicates or nested unions; a single member stands for itself. */
function unionOf(members: readonly TsShape[]): TsShape {
  const flat: TsShape[] = []
  for (const member of members.flatMap((m) => (m.kind === 'union' ? m.members : [m]))) {
    if (!flat.some((existing) => shapesEqual(existing, member))) flat.push(member)
  }
  return flat.length === 1 ? flat[0]! : { kind: 'union', members: flat }
}

export function shapesEqual(a: TsShape, b: TsShape): boolean {
  switch (a.kind) {
    case 'name':
      return b.kind === 'name' && a.name === b.name
    case 'literal':
      return b.kind === 'literal' && a.value === b.value
    case 'array':
      return b.kind === 'array' && shapesEqual(a.element, b.element)
    case 'record':
      return b.kind === 'record' && shapesEqual(a.value, b.value)
    case 'alias':
      return b.kind === 'alias' && a.name === b.name
    case 'arrayType':
      return b.kind === 'arrayType' && shapesEqual(a.element, b.element)
    case 'object':
      return (
        b.kind === 'object' &&
        a.fields.length === b.fields.length &&
        a.fields.every(
          (f, i) => f.key === b.fields[i]?.key && shapesEqual(f.shape, b.fields[i].shape),
        )
      )
    case 'union':
      return (
        b.kind === 'union' &&
        a.members.length === b.members.length &&
        a.members.every((m) => b.members.some((n) => shapesEqual(m, n)))
      )
  }
}

const labelsShape = (labels: readonly string[]): TsShape =>
  unionOf(labels.map((value): TsShape => ({ kind: 'literal', value })))

/**
 * The type of a value nested in a `json`-encoded column (STRUCT, MAP, UNION, lists of those, lists of
 * lists): what DuckDB's JSON cast writes and `parseJson` gives back. Scalars follow `tsJsonName` from the
 * type table; a UNION is written as `{ "<member>": value }`. Fields, members, elements and map values
 * may be NULL (typed `T | null`, unless `nestedNullability` is `'non-null'`).
 */
function jsonShape(type: DuckDBType, options: TypeMappingOptions = {}): TsShape {
  const key = (name: string) => (options.camelCase ? toKyselyCamelCase(name) : name)
  switch (type.kind) {
    case 'scalar': {
      const name = tsJsonName(type.name)
      return name === 'number | bigint' ? unionOf([named('number'), named('bigint')]) : named(name)
    }
    case 'enum':
      return labelsShape(type.labels)
    case 'list':
      return { kind: 'array', element: nested(jsonShape(type.element, options), options) }
    case 'struct':
      return {
        kind: 'object',
        fields: type.fields.map((f) => ({
          key: key(f.name),
          shape: nested(jsonShape(f.type, options), options),
        })),
      }
    case 'map':
      // JSON object keys are strings whatever the MAP's key type.
      return { kind: 'record', value: nested(jsonShape(type.value, options), options) }
    case 'union':
      // A member's value may be NULL too: `union_value(n := NULL)` is written `{"n": null}`.
      return unionOf(
        type.members.map(
          (m): TsShape => ({
            kind: 'object',
            fields: [{ key: key(m.name), shape: nested(jsonShape(m.type, options), options) }],
          }),
        ),
      )
    case 'unknown':
      return named('JsonValue')
  }
}

/** A LIST/ARRAY travels as a Postgres array when its element is a scalar (or an enum), else as JSON. */
function travelsAsPostgresArray(type: DuckDBType & { kind: 'list' }): boolean {
  return type.element.kind === 'scalar' || type.element.kind === 'enum'
}

/**
 * The select and insert types of a column of DuckDB type `type`, consistent with what the dialect's type
 * parsers return: scalars by their wire type (`tsSelectName` / `tsInsertNames`), lists of scalars as
 * arrays of those (elements may be NULL), everything else nested through `jsonShape`. Unknown types
 * arrive as text. `written` is the same type with the shared aliases (see `COLUMN_TYPE_ALIASES`).
 *
 * ### Examples
 *
 * ```ts
 * columnShapes(parseDuckDBType('BIGINT[]'))
 * // { select: (bigint | null)[], insert: (bigint | number | string | null)[],
 * //   written: ArrayType<Int8 | null> } (as shapes)
 * ```
 */
export function columnShapes(type: DuckDBType, options: TypeMappingOptions = {}): ColumnShapes {
  switch (type.kind) {
    case 'scalar': {
      const wire = DUCKDB_SCALAR_TYPES[type.name].wire
      const alias = columnTypeAliasOf(type.name)
      return {
        select: named(tsSelectName(wire, options)),
        insert: unionOf(tsInsertNames(wire).map(named)),
        ...(alias && { written: { kind: 'alias', name: alias } }),
      }
    }
    case 'enum': {
      const shape = labelsShape(type.labels)
      return { select: shape, insert: shape }
    }
    case 'list': {
      if (!travelsAsPostgresArray(type)) {
        const shape = jsonShape(type, options)
        return { select: shape, insert: shape }
      }
      const element = columnShapes(type.element, options)
      return {
        select: { kind: 'array', element: nested(element.select, options) },
        insert: { kind: 'array', element: nested(element.insert, options) },
        // kysely-codegen's idiom: `ArrayType<Alias>` for an aliased element, `T[]` for the others.
        ...(element.written && {
          written: { kind: 'arrayType', element: nested(element.written, options) },
        }),
      }
    }
    case 'struct':
    case 'map':
    case 'union': {
      const shape = jsonShape(type, options)
      return { select: shape, insert: shape }
    }
    case 'unknown':
      // pg hands back the text of a type it has no parser for (see createTypeParsers).
      return { select: named('string'), insert: named('string') }
  }
}
