import { StatementType } from '@duckdb/node-api'
import { EndpointError } from '../errors/endpoint-error.js'
import { SqlState } from '../errors/sql-state.js'
import type { DuckDBSettingScopes } from './duckdb-setting-scopes.js'

/** Statement types strict mode refuses whatever their spelling, as DuckDB's parser classifies them. */
export const STRICT_REFUSED: ReadonlyMap<StatementType, { what: string; advice: string }> = new Map(
  [
    [
      StatementType.ATTACH,
      {
        what: 'ATTACH',
        advice:
          'Query your other MotherDuck databases with three-part names (db.schema.table); locally, list them in the databases option of startLocalEndpoint.',
      },
    ],
    [
      StatementType.DETACH,
      {
        what: 'DETACH',
        advice:
          'The databases are shared by every session: query them with three-part names, and leave them attached.',
      },
    ],
    [
      StatementType.LOAD,
      { what: 'installing or loading extensions', advice: 'Drop the INSTALL/LOAD statement.' },
    ],
    [
      StatementType.EXTENSION,
      { what: 'installing or loading extensions', advice: 'Drop the INSTALL/LOAD statement.' },
    ],
    [
      StatementType.UPDATE_EXTENSIONS,
      { what: 'UPDATE EXTENSIONS', advice: 'Drop the UPDATE EXTENSIONS statement.' },
    ],
    [
      StatementType.PRAGMA,
      {
        what: 'PRAGMA statements that change DuckDB (profiling, checkpoints, optimizer, verification)',
        advice:
          'Query information with its table function instead, e.g. SELECT * FROM pragma_table_info(…).',
      },
    ],
  ],
)

/** 42501 for a SET that would change the DuckDB instance every session shares. */
export function instanceWide(name: string): EndpointError {
  return new EndpointError(
    SqlState.InsufficientPrivilege,
    `SET ${name} would change the DuckDB instance every session shares: the local endpoint refuses it in strict mode (MotherDuck's Postgres endpoint restricts SET)`,
    {
      hint: 'Session settings (TimeZone, search_path, application_name…) can be SET; start the endpoint with strict: false to change instance settings.',
    },
  )
}

/** 42704, as Postgres answers a setting it does not know. */
export function unrecognizedSetting(name: string): EndpointError {
  return new EndpointError(
    SqlState.UndefinedObject,
    `unrecognized configuration parameter "${name}"`,
  )
}

/**
 * Strict mode: a DuckDB setting is the instance's, or a knob clients may not turn; unknown names are
 * 42704.
 */
export function refuseDuckDBSetting(name: string, scopes: DuckDBSettingScopes): never {
  const scope = scopes.get(name.toLowerCase())
  if (scope === 'GLOBAL') throw instanceWide(name)
  if (scope === 'LOCAL') {
    throw new EndpointError(
      SqlState.InsufficientPrivilege,
      `the local endpoint does not let clients change DuckDB's setting "${name}" in strict mode (MotherDuck's Postgres endpoint restricts SET)`,
      { hint: 'Start the endpoint with strict: false to change DuckDB settings.' },
    )
  }
  throw unrecognizedSetting(name)
}

/**
 * `USE temp`, `SET schema = 'temp.main'`, `SET search_path = 'temp, …'`: the temp catalog would take
 * unqualified CREATE TABLEs, a temporary table in another spelling, which MotherDuck refuses (the
 * rules layer refuses `CREATE TEMP …` and `temp.…` names). `system` holds no user tables either.
 */
export function refuseTemporaryCatalog(target: string): void {
  const catalogs = target
    .split(',')
    .map((entry) => entry.trim().split('.')[0]?.replaceAll('"', '').toLowerCase())
  if (catalogs.some((catalog) => catalog === 'temp' || catalog === 'system')) {
    throw new EndpointError(
      SqlState.FeatureNotSupported,
      "MotherDuck's Postgres endpoint does not support temporary tables, nor making the temp or system catalog current.",
      {
        hint: 'USE one of your databases (my_db, or my_db.some_schema) and create regular tables there.',
      },
    )
  }
}
