import {
  type DuckDBArrayType,
  type DuckDBDecimalType,
  type DuckDBListType,
  type DuckDBType,
  DuckDBTypeId,
} from '@duckdb/node-api'
import {
  CLIENT_PARAMETER_TYPES,
  DUCKDB_SCALAR_TYPES,
  type DuckDBScalarTypeName,
  WIRE_TYPES,
  wireTypeOfList,
  wireTypeOfScalar,
} from '../../types/duckdb-types.js'
import { isOidType } from '../catalog/oid-types.js'
import { isJsonType } from './duckdb-json-writer.js'

/** Postgres' oid, as the catalog's statements announce UINTEGER (see catalog/oid-types.ts). */
const OID = CLIENT_PARAMETER_TYPES.oid

/** One RowDescription field. */
export interface WireColumn {
  readonly name: string
  /** The wire type's OID, from the type table. */
  readonly oid: number
  /** Postgres' typlen: bytes of the binary form, -1 for variable length. */
  readonly typeSize: number
  /** numeric(p, s) carries `((p << 16) | s) + 4`; -1 otherwise. */
  readonly typeModifier: number
  /** 0 = text, 1 = binary: the format of the column's values (Bind's result format code). */
  readonly format?: number
}

/** The table's scalar type for a DuckDB type (the JSON alias included), if it is a scalar. */
export function scalarTypeNameOf(type: DuckDBType): DuckDBScalarTypeName | undefined {
  if (isJsonType(type)) return 'JSON'
  const name = DuckDBTypeId[type.typeId]
  return name !== undefined && Object.hasOwn(DUCKDB_SCALAR_TYPES, name)
    ? (name as DuckDBScalarTypeName)
    : undefined
}

export function isList(type: DuckDBType): type is DuckDBListType | DuckDBArrayType {
  return type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY
}

/** How a DuckDB type is announced on the wire: OID, typlen and type modifier, from the type table. */
export function wireColumnOf(name: string, type: DuckDBType): WireColumn {
  if (isOidType(type)) return { name, oid: OID.oid, typeSize: 4, typeModifier: -1 }
  if (isList(type) && isOidType(type.valueType)) {
    return { name, oid: OID.arrayOid, typeSize: -1, typeModifier: -1 }
  }
  const scalar = scalarTypeNameOf(type)
  if (scalar !== undefined) {
    const wire = wireTypeOfScalar(scalar)
    return {
      name,
      oid: wire.oid,
      typeSize: WIRE_TYPES[wire.name].size,
      typeModifier: typeModifierOf(type),
    }
  }
  if (isList(type)) {
    const element = scalarTypeNameOf(type.valueType)
    return {
      name,
      oid: wireTypeOfList(element).oid,
      typeSize: -1,
      typeModifier: element === undefined ? -1 : typeModifierOf(type.valueType),
    }
  }
  if (
    type.typeId === DuckDBTypeId.STRUCT ||
    type.typeId === DuckDBTypeId.MAP ||
    type.typeId === DuckDBTypeId.UNION
  ) {
    return { name, oid: WIRE_TYPES.json.oid, typeSize: -1, typeModifier: -1 }
  }
  // SQLNULL and anything DuckDB may add later travel as text.
  return { name, oid: WIRE_TYPES.text.oid, typeSize: -1, typeModifier: -1 }
}

/** numeric(p, s) announces `((p << 16) | s) + 4`, as Postgres does. */
function typeModifierOf(type: DuckDBType): number {
  if (type.typeId !== DuckDBTypeId.DECIMAL) return -1
  const decimal = type as DuckDBDecimalType
  return ((decimal.width << 16) | decimal.scale) + 4
}
