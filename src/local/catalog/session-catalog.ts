import type { DuckDBConnection } from '@duckdb/node-api'
import { quoteString } from '../../sql/quote.js'
import { DUCKDB_OID_TYPE } from './oid-types.js'
import { type SessionIdentity, versionBanner } from './session-identity.js'
import { SETTINGS_FUNCTIONS, SETTINGS_RELATIONS, settingsCatalogSql } from './settings-catalog.js'
import { columnsWithWireTypesSql, formatTypeSql, pgTypeRowsSql } from './wire-type-catalog.js'

/**
 * The catalog views the session shadows: DuckDB's emulation of these answers with DuckDB's internal type
 * ids (`pg_attribute`), leaves primary keys out of `pg_index`, names constraints by their text
 * (`pg_constraint.conname = 'PRIMARY KEY(id)'`) and has no `pg_class` row for the index a key implies.
 */
export const SHADOWED_VIEWS = [
  'pg_attribute',
  'pg_type',
  'pg_class',
  'pg_index',
  'pg_constraint',
  'pg_namespace',
  'pg_range',
  ...SETTINGS_RELATIONS,
] as const

/**
 * The functions the session defines or redefines (`pg_catalog.` before them is dropped, see catalog-rewrite.ts).
 * `pg_advisory_unlock_all()` (asyncpg's pool calls it when a connection is released) releases nothing:
 * the endpoint has no advisory locks.
 */
export const SHADOWED_FUNCTIONS = [
  'version',
  'current_user',
  'session_user',
  'current_role',
  'pg_backend_pid',
  'pg_get_serial_sequence',
  'pg_table_is_visible',
  'format_type',
  'pg_get_indexdef',
  'json_build_object',
  'pg_advisory_unlock_all',
  ...SETTINGS_FUNCTIONS,
] as const

/** Helpers the rewritten casts call: `x::regclass` → `__pg_regclass(x)`, and so on. */
export const CAST_FUNCTIONS = {
  regclass: { oid: '__pg_regclass', text: '__pg_regclass_text' },
  regtype: { oid: '__pg_regtype', text: '__pg_regtype_text' },
} as const

/** `information_schema._pg_expandarray`, which pgjdbc's getPrimaryKeys calls. */
export const EXPAND_ARRAY = '_pg_expandarray'

/**
 * Relations with their database, schema and whether the session's search path sees them: DuckDB's
 * tables, views, sequences and indexes, and one index per PRIMARY KEY / UNIQUE constraint (DuckDB backs
 * each with an ART index; its oid is the one DuckDB's pg_constraint gives the constraint).
 */
const RELATIONS = `
CREATE OR REPLACE TEMP MACRO __pg_relations() AS TABLE
SELECT *, (database_name = current_database() AND schema_name = current_schema())
    OR database_name IN ('system', 'temp') AS visible
FROM (
  SELECT database_name, schema_name, table_oid AS oid, table_name AS relname FROM duckdb_tables()
  UNION ALL SELECT database_name, schema_name, view_oid, view_name FROM duckdb_views()
    WHERE NOT (database_name = 'temp' AND view_name IN (${SHADOWED_VIEWS.map(quoteString).join(', ')}))
  UNION ALL SELECT database_name, schema_name, sequence_oid, sequence_name FROM duckdb_sequences()
  UNION ALL SELECT database_name, schema_name, index_oid, index_name FROM duckdb_indexes()
  UNION ALL SELECT database_name, schema_name, table_oid * 1000000 + constraint_index, constraint_name
    FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')
)`

/**
 * `'name'::regclass` (and `::regclass::text`): the oid of a relation the search path sees (`schema.name`
 * for any schema of the current database), as Postgres fails for one that does not exist; a number is
 * taken as an oid. DuckDB matches names case-insensitively, and so does this.
 *
 * `pg_get_serial_sequence` is NULL: no DuckDB column owns a sequence (a `DEFAULT nextval('s')` does not
 * make `s` the column's). It checks neither the table nor the column, as Postgres does: SQLAlchemy calls
 * it in a correlated subquery for every column it reflects, and DuckDB plans that lookup per row
 * (seconds for one table).
 */
const REGCLASS = `
CREATE OR REPLACE TEMP MACRO __pg_regclass(rel_arg) AS (
  CASE
    WHEN rel_arg IS NULL THEN NULL
    WHEN regexp_full_match(CAST(rel_arg AS VARCHAR), '\\s*\\d+\\s*') THEN CAST(trim(CAST(rel_arg AS VARCHAR)) AS BIGINT)
    ELSE coalesce(
      (SELECT r.oid FROM __pg_relations() AS r,
         (SELECT list_transform(string_split(CAST(rel_arg AS VARCHAR), '.'),
            part -> CASE WHEN part LIKE '"%"' THEN replace(part[2:-2], '""', '"') ELSE trim(part) END) AS parts) AS n
       WHERE lower(r.relname) = lower(n.parts[-1])
         AND CASE WHEN len(n.parts) = 1 THEN r.visible
                  ELSE lower(r.schema_name) = lower(n.parts[-2])
                   AND r.database_name IN (coalesce(n.parts[-3], current_database()), 'system') END
       ORDER BY r.database_name = current_database() DESC LIMIT 1),
      error('relation "' || CAST(rel_arg AS VARCHAR) || '" does not exist'))
  END);
CREATE OR REPLACE TEMP MACRO __pg_regclass_text(rel_arg) AS (
  coalesce(
    (SELECT CASE WHEN r.visible THEN r.relname ELSE r.schema_name || '.' || r.relname END
     FROM __pg_relations() AS r WHERE r.oid = __pg_regclass(rel_arg) LIMIT 1),
    CAST(__pg_regclass(rel_arg) AS VARCHAR)));
CREATE OR REPLACE TEMP MACRO pg_table_is_visible(rel_arg) AS (
  coalesce((SELECT r.visible FROM __pg_relations() AS r WHERE r.oid = rel_arg LIMIT 1), false));
CREATE OR REPLACE TEMP MACRO pg_get_serial_sequence(table_arg, column_arg) AS (CAST(NULL AS VARCHAR));
CREATE OR REPLACE TEMP MACRO pg_get_indexdef(index_arg) AS (
  (SELECT i.sql FROM duckdb_indexes() AS i WHERE i.index_oid = index_arg));`

/** `'int4'::regtype`, `23::regtype::text`: the types of the shadowing pg_type. */
const REGTYPE = `
CREATE OR REPLACE TEMP MACRO format_type(type_arg, typemod_arg) AS (${formatTypeSql('type_arg', 'coalesce(typemod_arg, -1)')});
CREATE OR REPLACE TEMP MACRO __pg_regtype(type_arg) AS (
  CASE
    WHEN type_arg IS NULL THEN NULL
    WHEN regexp_full_match(CAST(type_arg AS VARCHAR), '\\s*\\d+\\s*') THEN CAST(trim(CAST(type_arg AS VARCHAR)) AS BIGINT)
    ELSE coalesce(
      (SELECT t.oid FROM pg_type AS t
       WHERE t.typname = lower(trim(CAST(type_arg AS VARCHAR)))
          OR format_type(t.oid, NULL) = lower(trim(CAST(type_arg AS VARCHAR))) LIMIT 1),
      error('type "' || CAST(type_arg AS VARCHAR) || '" does not exist'))
  END);
CREATE OR REPLACE TEMP MACRO __pg_regtype_text(type_arg) AS (
  CASE __pg_regtype(type_arg) WHEN 0 THEN '-'
    ELSE coalesce(
      (SELECT format_type(t.oid, NULL) FROM pg_type AS t WHERE t.oid = __pg_regtype(type_arg)),
      CAST(__pg_regtype(type_arg) AS VARCHAR)) END);`

/** Key/value pairs `json_build_object` takes (SQLAlchemy's column reflection passes seven). */
const JSON_BUILD_OBJECT_PAIRS = 16

/**
 * `json_build_object(k1, v1, …)`, which SQLAlchemy's column reflection calls: DuckDB's `json_object`.
 * A macro has no variadic form, so one overload per number of pairs.
 */
function jsonBuildObjectSql(): string {
  const overloads = Array.from({ length: JSON_BUILD_OBJECT_PAIRS }, (_, index) => {
    const pairs = Array.from({ length: index + 1 }, (_, pair) => [`k${pair}`, `v${pair}`])
    const values = pairs.map(([key, value]) => `CAST(${key} AS VARCHAR), ${value}`)
    return `(${pairs.flat().join(', ')}) AS json_object(${values.join(', ')})`
  })
  return `CREATE OR REPLACE TEMP MACRO json_build_object${overloads.join(', ')};`
}

/** pgjdbc's getPrimaryKeys: `(information_schema._pg_expandarray(i.indkey)).n`, one row per element. */
const EXPAND_ARRAY_MACRO = `
CREATE OR REPLACE TEMP MACRO ${EXPAND_ARRAY}(arr) AS
  unnest(list_transform(range(1, len(arr) + 1), i -> {'x': arr[i], 'n': i}));`

/**
 * The shadowing views: Postgres' columns, DuckDB's objects, the wire's type OIDs.
 *
 * - `pg_namespace`: DuckDB's lists the current database's schemas only, but the types of `pg_type` live
 *   in the system catalog's `pg_catalog`; that schema and `information_schema` are added.
 * - `pg_range`: empty, with Postgres' columns: DuckDB has no range types (asyncpg's type
 *   introspection joins it).
 */
const VIEWS = `
CREATE OR REPLACE TEMP VIEW pg_type AS ${pgTypeRowsSql()};
CREATE OR REPLACE TEMP VIEW pg_namespace AS
SELECT oid::${DUCKDB_OID_TYPE} AS oid, schema_name AS nspname, 0::${DUCKDB_OID_TYPE} AS nspowner, NULL AS nspacl
FROM duckdb_schemas()
WHERE database_name = current_database()
  OR (database_name = 'system' AND schema_name IN ('pg_catalog', 'information_schema'));
CREATE OR REPLACE TEMP VIEW pg_range AS
SELECT NULL::${DUCKDB_OID_TYPE} AS rngtypid, NULL::${DUCKDB_OID_TYPE} AS rngsubtype,
  NULL::${DUCKDB_OID_TYPE} AS rngmultitypid, NULL::${DUCKDB_OID_TYPE} AS rngcollation,
  NULL::${DUCKDB_OID_TYPE} AS rngsubopc, CAST(NULL AS VARCHAR) AS rngcanonical,
  CAST(NULL AS VARCHAR) AS rngsubdiff
WHERE false;
CREATE OR REPLACE TEMP VIEW pg_attribute AS
SELECT table_oid AS attrelid, column_name AS attname, wire_oid::${DUCKDB_OID_TYPE} AS atttypid,
  0 AS attstattarget, wire_typlen AS attlen, column_index AS attnum, 0 AS attndims,
  -1 AS attcacheoff,
  CASE WHEN data_type LIKE 'DECIMAL(%' THEN numeric_precision * 65536 + numeric_scale + 4 ELSE -1 END AS atttypmod,
  false AS attbyval, NULL AS attstorage, NULL AS attalign, NOT is_nullable AS attnotnull,
  column_default IS NOT NULL AS atthasdef, false AS atthasmissing, '' AS attidentity, '' AS attgenerated,
  false AS attisdropped, true AS attislocal, 0 AS attinhcount, 0 AS attcollation, NULL AS attcompression,
  NULL AS attacl, NULL AS attoptions, NULL AS attfdwoptions, NULL AS attmissingval
FROM ${columnsWithWireTypesSql()};
CREATE OR REPLACE TEMP VIEW pg_constraint AS
SELECT table_oid * 1000000 + constraint_index AS oid, constraint_name AS conname, schema_oid AS connamespace,
  CASE constraint_type WHEN 'CHECK' THEN 'c' WHEN 'UNIQUE' THEN 'u' WHEN 'PRIMARY KEY' THEN 'p'
    WHEN 'FOREIGN KEY' THEN 'f' ELSE 'x' END AS contype,
  false AS condeferrable, false AS condeferred, true AS convalidated, table_oid AS conrelid, 0 AS contypid,
  CASE WHEN constraint_type IN ('PRIMARY KEY', 'UNIQUE') THEN table_oid * 1000000 + constraint_index ELSE 0 END AS conindid,
  0 AS conparentid, 0 AS confrelid, NULL AS confupdtype, NULL AS confdeltype, NULL AS confmatchtype,
  true AS conislocal, 0 AS coninhcount, false AS connoinherit,
  list_transform(constraint_column_indexes, i -> CAST(i + 1 AS SMALLINT)) AS conkey, NULL AS confkey,
  NULL AS conpfeqop, NULL AS conppeqop, NULL AS conffeqop, NULL AS conexclop, expression AS conbin
FROM duckdb_constraints() WHERE constraint_type <> 'NOT NULL';
CREATE OR REPLACE TEMP VIEW pg_index AS
SELECT table_oid * 1000000 + constraint_index AS indexrelid, table_oid AS indrelid,
  len(constraint_column_indexes) AS indnatts, len(constraint_column_indexes) AS indnkeyatts,
  true AS indisunique, constraint_type = 'PRIMARY KEY' AS indisprimary, false AS indisexclusion,
  true AS indimmediate, false AS indisclustered, true AS indisvalid, false AS indcheckxmin, true AS indisready,
  true AS indislive, false AS indisreplident,
  list_transform(constraint_column_indexes, i -> CAST(i + 1 AS SMALLINT)) AS indkey,
  CAST(NULL AS BIGINT[]) AS indcollation, CAST(NULL AS BIGINT[]) AS indclass, CAST(NULL AS SMALLINT[]) AS indoption,
  NULL AS indexprs, NULL AS indpred
FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')
UNION ALL
SELECT indexrelid, indrelid, indnatts, indnkeyatts, indisunique, indisprimary, indisexclusion, indimmediate,
  indisclustered, indisvalid, indcheckxmin, indisready, indislive, indisreplident, CAST(indkey AS SMALLINT[]),
  indcollation, indclass, CAST(indoption AS SMALLINT[]), indexprs, indpred
FROM pg_catalog.pg_index;
CREATE OR REPLACE TEMP VIEW pg_class AS
SELECT * FROM pg_catalog.pg_class
WHERE NOT (relpersistence = 't' AND relname IN (${SHADOWED_VIEWS.map(quoteString).join(', ')})
  AND relnamespace IN (SELECT oid FROM duckdb_schemas() WHERE database_name = 'temp'))
UNION ALL
SELECT table_oid * 1000000 + constraint_index AS oid, constraint_name AS relname, schema_oid AS relnamespace,
  0 AS reltype, 0 AS reloftype, 0 AS relowner, 0 AS relam, 0 AS relfilenode, 0 AS reltablespace, 0 AS relpages,
  0 AS reltuples, 0 AS relallvisible, 0 AS reltoastrelid, 0 AS reltoastidxid, false AS relhasindex,
  false AS relisshared, 'p' AS relpersistence, 'i' AS relkind, len(constraint_column_indexes) AS relnatts,
  0 AS relchecks, false AS relhasoids, false AS relhaspkey, false AS relhasrules, false AS relhastriggers,
  false AS relhassubclass, false AS relrowsecurity, true AS relispopulated, NULL AS relreplident,
  false AS relispartition, 0 AS relrewrite, 0 AS relfrozenxid, NULL AS relminmxid, NULL AS relacl,
  NULL AS reloptions, NULL AS relpartbound
FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE');`

/** The SQL that defines a session's catalog objects: temporary, so only its own connection sees them. */
export function sessionCatalogSql(identity: SessionIdentity): string {
  const info = identity.userInfo
  const user = quoteString(identity.user)
  return `
CREATE OR REPLACE TEMP MACRO version() AS ${quoteString(versionBanner(identity.duckdbVersion))};
CREATE OR REPLACE TEMP MACRO current_user() AS ${user};
CREATE OR REPLACE TEMP MACRO session_user() AS ${user};
CREATE OR REPLACE TEMP MACRO current_role() AS ${user};
CREATE OR REPLACE TEMP MACRO pg_backend_pid() AS CAST(${identity.processId} AS INTEGER);
CREATE OR REPLACE TEMP MACRO pg_advisory_unlock_all() AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE TEMP MACRO md_user() AS ${quoteString(info.username)};
CREATE OR REPLACE TEMP MACRO md_user_info() AS TABLE SELECT
  ${quoteString(info.userId)} AS user_id, ${quoteString(info.username)} AS username,
  ${quoteString(info.orgId)} AS org_id, ${quoteString(info.orgName)} AS org_name,
  ${quoteString(info.orgType)} AS org_type, ${quoteString(info.region)} AS region;
${RELATIONS};
${VIEWS}
${REGCLASS}
${REGTYPE}
${EXPAND_ARRAY_MACRO}
${jsonBuildObjectSql()}
${settingsCatalogSql()}`
}

/**
 * Defines the session's catalog objects on its own DuckDB connection, before the client's first query.
 * They live in DuckDB's per-connection `temp` catalog, first on every search path: no other session
 * sees them, and a client cannot reach another session's (strict mode refuses `temp.` names and
 * temporary objects; without strict mode a client can only redefine its own).
 */
export async function installSessionCatalog(
  connection: DuckDBConnection,
  identity: SessionIdentity,
): Promise<void> {
  await connection.run(sessionCatalogSql(identity))
}
