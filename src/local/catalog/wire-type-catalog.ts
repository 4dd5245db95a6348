import { quoteString } from '../../sql/quote.js'
import {
  CLIENT_PARAMETER_TYPES,
  DUCKDB_SCALAR_TYPES,
  WIRE_TYPES,
  type WireTypeName,
} from '../../types/duckdb-types.js'
import { DUCKDB_OID_TYPE as OID } from './oid-types.js'

/**
 * The Postgres catalog's view of the types the endpoint sends, generated from the one type table
 * (src/types/duckdb-types.ts), so that `pg_attribute.atttypid`, `pg_type.oid` and `format_type()`
 * agree with the OIDs in RowDescription. DuckDB's own pg_catalog emulation uses DuckDB's internal type
 * ids in `pg_attribute` (an INTEGER column reads as oid 13) and Postgres OIDs in `pg_type`, so a join
 * of the two (pgjdbc's getColumns) loses columns and `format_type` names the wrong type.
 */

/** Postgres' `format_type` spelling of each type (SQL-standard names, as SQLAlchemy expects them). */
const SQL_NAMES: Readonly<Record<WireTypeName | keyof typeof CLIENT_PARAMETER_TYPES, string>> = {
  bool: 'boolean',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  numeric: 'numeric',
  float4: 'real',
  float8: 'double precision',
  text: 'text',
  json: 'json',
  bytea: 'bytea',
  date: 'date',
  time: 'time without time zone',
  timetz: 'time with time zone',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  interval: 'interval',
  uuid: 'uuid',
  varbit: 'bit varying',
  varchar: 'character varying',
  bpchar: 'character',
  name: 'name',
  char: '"char"',
  unknown: 'unknown',
  jsonb: 'jsonb',
  oid: 'oid',
}

/** Postgres' typcategory of each wire type. */
const CATEGORIES: Readonly<Record<WireTypeName, string>> = {
  bool: 'B',
  int2: 'N',
  int4: 'N',
  int8: 'N',
  numeric: 'N',
  float4: 'N',
  float8: 'N',
  text: 'S',
  json: 'U',
  bytea: 'U',
  date: 'D',
  time: 'D',
  timetz: 'D',
  timestamp: 'D',
  timestamptz: 'D',
  interval: 'T',
  uuid: 'U',
  varbit: 'V',
}

/** One row of the shadowing `pg_type`. */
interface CatalogType {
  readonly oid: number
  readonly typname: string
  readonly sqlName: string
  readonly typlen: number
  readonly category: string
  readonly element: number
  readonly array: number
  /** 'b' (base type) or 'p' (pseudo-type). */
  readonly typtype: string
}

/**
 * Postgres' pg_type facts of the types clients may declare: typlen, typcategory, and where they differ
 * from a plain base type, typtype and typelem (`name` is a fixed-length array of `"char"`).
 */
const CLIENT_TYPE_FACTS: Readonly<
  Record<
    keyof typeof CLIENT_PARAMETER_TYPES,
    { typlen: number; category: string; typtype?: string; element?: number }
  >
> = {
  varchar: { typlen: -1, category: 'S' },
  bpchar: { typlen: -1, category: 'S' },
  name: { typlen: 64, category: 'S', element: CLIENT_PARAMETER_TYPES.char.oid },
  char: { typlen: 1, category: 'Z' },
  unknown: { typlen: -2, category: 'X', typtype: 'p' },
  jsonb: { typlen: -1, category: 'U' },
  oid: { typlen: 4, category: 'N' },
}

function catalogTypes(): CatalogType[] {
  const types: CatalogType[] = []
  for (const [name, wire] of Object.entries(WIRE_TYPES) as [
    WireTypeName,
    (typeof WIRE_TYPES)[WireTypeName],
  ][]) {
    const sqlName = SQL_NAMES[name]
    types.push({
      oid: wire.oid,
      typname: name,
      sqlName,
      typlen: wire.size,
      category: CATEGORIES[name],
      element: 0,
      array: wire.arrayOid,
      typtype: 'b',
    })
    types.push({
      oid: wire.arrayOid,
      typname: `_${name}`,
      sqlName: `${sqlName}[]`,
      typlen: -1,
      category: 'A',
      element: wire.oid,
      array: 0,
      typtype: 'b',
    })
  }
  for (const [name, client] of Object.entries(CLIENT_PARAMETER_TYPES) as [
    keyof typeof CLIENT_PARAMETER_TYPES,
    (typeof CLIENT_PARAMETER_TYPES)[keyof typeof CLIENT_PARAMETER_TYPES],
  ][]) {
    const facts = CLIENT_TYPE_FACTS[name]
    types.push({
      oid: client.oid,
      typname: name,
      sqlName: SQL_NAMES[name],
      typlen: facts.typlen,
      category: facts.category,
      element: facts.element ?? 0,
      array: client.arrayOid,
      typtype: facts.typtype ?? 'b',
    })
    if (client.arrayOid !== 0) {
      types.push({
        oid: client.arrayOid,
        typname: `_${name}`,
        sqlName: `${SQL_NAMES[name]}[]`,
        typlen: -1,
        category: 'A',
        element: client.oid,
        array: 0,
        typtype: 'b',
      })
    }
  }
  return types
}

const CATALOG_TYPES = catalogTypes()

/**
 * The rows of the shadowing `pg_type`, as a SELECT with Postgres' column names (those DuckDB's own view
 * has): the wire types, their array types and the parameter types clients may declare.
 */
export function pgTypeRowsSql(): string {
  const rows = CATALOG_TYPES.map(
    (type) =>
      `(${type.oid}, ${quoteString(type.typname)}, ${type.typlen}, ${quoteString(type.category)}, ${type.element}, ${type.array}, ${quoteString(type.typtype)})`,
  )
  return `SELECT t.oid::${OID} AS oid, t.typname, (SELECT oid FROM duckdb_schemas() WHERE database_name = 'system' AND schema_name = 'pg_catalog')::${OID} AS typnamespace,
  0::${OID} AS typowner, t.typlen::BIGINT AS typlen, t.typlen IN (1, 2, 4, 8) AS typbyval, t.typtype, t.typcategory,
  false AS typispreferred, true AS typisdefined, ',' AS typdelim, 0::${OID} AS typrelid, NULL AS typsubscript,
  t.typelem::${OID} AS typelem, t.typarray::${OID} AS typarray, NULL AS typinput, NULL AS typoutput, NULL AS typreceive,
  NULL AS typsend, NULL AS typmodin, NULL AS typmodout, NULL AS typanalyze,
  CASE WHEN t.typlen = 8 THEN 'd' WHEN t.typlen = 4 THEN 'i' WHEN t.typlen = 2 THEN 's' ELSE 'c' END AS typalign,
  CASE WHEN t.typlen = -1 THEN 'x' ELSE 'p' END AS typstorage, false AS typnotnull, 0::${OID} AS typbasetype,
  -1 AS typtypmod, 0 AS typndims, 0::${OID} AS typcollation, NULL AS typdefaultbin, NULL::VARCHAR AS typdefault, NULL AS typacl
FROM (VALUES ${rows.join(', ')}) AS t(oid, typname, typlen, typcategory, typelem, typarray, typtype)`
}

/**
 * `format_type(type_oid, typemod)` as Postgres spells it: `integer`, `character varying`,
 * `numeric(10,2)`, `timestamp with time zone`, `integer[]`; NULL for a NULL oid, `???` for an unknown one.
 */
export function formatTypeSql(oid: string, typmod: string): string {
  const names = CATALOG_TYPES.map((type) =>
    type.oid === WIRE_TYPES.numeric.oid
      ? `WHEN ${type.oid} THEN 'numeric' || CASE WHEN ${typmod} >= 4 THEN '(' || ((${typmod} - 4) >> 16) || ',' || ((${typmod} - 4) & 65535) || ')' ELSE '' END`
      : `WHEN ${type.oid} THEN ${quoteString(type.sqlName)}`,
  )
  return `CASE WHEN ${oid} IS NULL THEN NULL ELSE CASE ${oid} ${names.join(' ')} ELSE '???' END END`
}

/**
 * `duckdb_columns()` with each column's wire type, as the endpoint announces the column's values:
 * `wire_oid` and `wire_typlen`, from `data_type` (`INTEGER`, `DECIMAL(10,2)`, `VARCHAR[]`,
 * `STRUCT(a INTEGER)`, an enum's name…): lists of a scalar as that scalar's array type, other nested
 * types as json, enums (and any spelling the type table does not know) as text. A join with the type
 * table rather than one CASE per column: DuckDB binds a view with nested CASEs of regexes slowly.
 */
export function columnsWithWireTypesSql(): string {
  const rows = Object.entries(DUCKDB_SCALAR_TYPES).flatMap(([name, entry]) => {
    const wire = WIRE_TYPES[entry.wire]
    return [name, ...entry.aliases].map(
      (spelling) => `(${quoteString(spelling)}, ${wire.oid}, ${wire.arrayOid}, ${wire.size})`,
    )
  })
  const nested = `'^(STRUCT|MAP|UNION)\\('`
  return `(SELECT c.*,
    CASE WHEN c.is_json THEN ${WIRE_TYPES.json.oid} WHEN c.is_list THEN coalesce(w.array_oid, ${WIRE_TYPES.json.oid})
      ELSE coalesce(w.oid, ${WIRE_TYPES.text.oid}) END AS wire_oid,
    CASE WHEN c.is_json OR c.is_list THEN -1 ELSE coalesce(w.typlen, -1) END AS wire_typlen
  FROM (
    SELECT l.*,
      regexp_matches(upper(l.data_type), ${nested})
        OR (l.is_list AND (l.element LIKE '%]' OR regexp_matches(upper(l.element), ${nested}))) AS is_json,
      regexp_replace(upper(l.element), '\\s*\\(.*\\)$', '') AS base
    FROM (SELECT *, regexp_matches(data_type, '\\[\\d*\\]$') AS is_list,
            regexp_replace(data_type, '\\[\\d*\\]$', '') AS element FROM duckdb_columns()) AS l
  ) AS c
  LEFT JOIN (VALUES ${rows.join(', ')}) AS w(spelling, oid, array_oid, typlen) ON w.spelling = c.base)`
}
