import {
  type DuckDBArrayType,
  type DuckDBListType,
  type DuckDBType,
  DuckDBTypeId,
  DuckDBUIntegerType,
  LIST,
} from '@duckdb/node-api'

/**
 * Postgres' `oid` on the local endpoint. Postgres types its catalog's type columns (`pg_type.oid`,
 * `typelem`, `pg_attribute.atttypid`…) as `oid`, an unsigned 32-bit integer, and clients rely on it:
 * asyncpg's type introspection binds `$1::oid[]` and reads `oid[]` columns with the only array codecs
 * it has before introspecting (oid[] and text[]). DuckDB has no oid type (`x::oid` is BIGINT), so the
 * session catalog's oid columns are UINTEGER, and in a statement that reads the catalog (a shadowed
 * view or a cast to oid, see catalog-rewrite.ts) UINTEGER values are announced as `oid` (26) and
 * lists of them as `oid[]` (1028). Elsewhere UINTEGER stays int8, as the type table says.
 */

/** The DuckDB type the catalog's oid columns and `::oid` casts have. */
export const DUCKDB_OID_TYPE = 'UINTEGER'

const OID_ALIAS = 'oid'

/** UINTEGER marked as Postgres' oid. */
const OID = DuckDBUIntegerType.create(OID_ALIAS)

/** The prepared statements (or extracted statement lists) whose UINTEGER values are oids. */
const OID_TYPED = new WeakSet<object>()

/** Marks a statement that reads the catalog: its UINTEGER values are oids. */
export function markOidTyped(statement: object): void {
  OID_TYPED.add(statement)
}

/**
 * The type a statement's column or parameter is announced as: UINTEGER (and lists of it) marked as oid
 * in a statement {@link markOidTyped} marked; `type` itself otherwise.
 *
 * ### Examples
 *
 * ```ts
 * markOidTyped(prepared)
 * oidTypeOf(prepared, UINTEGER) // UINTEGER with the alias 'oid', announced as oid (26)
 * oidTypeOf(prepared, LIST(UINTEGER)) // announced as oid[] (1028)
 * ```
 */
export function oidTypeOf(statement: object, type: DuckDBType): DuckDBType {
  if (!OID_TYPED.has(statement)) return type
  if (type.typeId === DuckDBTypeId.UINTEGER) return OID
  if (
    (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) &&
    (type as DuckDBListType | DuckDBArrayType).valueType.typeId === DuckDBTypeId.UINTEGER
  ) {
    return LIST(OID)
  }
  return type
}

/** Whether a type is UINTEGER marked as Postgres' oid (see {@link oidTypeOf}). */
export function isOidType(type: DuckDBType): boolean {
  return type.typeId === DuckDBTypeId.UINTEGER && type.alias === OID_ALIAS
}

/** `statement`, marked as {@link markOidTyped} marked `from` (a simple query's extracted statements). */
export function inheritOidTyped<T extends object>(from: object, statement: T): T {
  if (OID_TYPED.has(from)) OID_TYPED.add(statement)
  return statement
}
