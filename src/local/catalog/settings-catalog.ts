import { quoteString } from '../../sql/quote.js'

/**
 * The per-session table the endpoint keeps in step with its Postgres settings (SessionSettings writes
 * it at startup and whenever a value SHOW shows changes), in DuckDB's per-connection `temp` catalog:
 * no other session sees it. search_path is not in it: DuckDB's own (which `USE` changes too) is read.
 */
export const SETTINGS_TABLE = '__pg_settings'

/** The relations the settings catalog defines (the pg_class stand-in leaves them out). */
export const SETTINGS_RELATIONS = ['pg_settings', SETTINGS_TABLE] as const

/** The functions it defines; DuckDB's own `current_setting` stays reachable as `system.main.current_setting`. */
export const SETTINGS_FUNCTIONS = ['current_setting', 'set_config'] as const

/** A row of the settings table: a setting's name as Postgres spells it, its value as SHOW shows it. */
export interface SettingRow {
  readonly name: string
  readonly setting: string
  /** pg_settings' context: `user` for a setting SET changes, `internal` for a fixed one. */
  readonly context: string
}

/** Creates the settings table holding `rows` (at session start, before any query). */
export function createSettingsTableSql(rows: readonly SettingRow[]): string {
  const values = rows.map(
    (row) => `(${quoteString(row.name)}, ${quoteString(row.setting)}, ${quoteString(row.context)})`,
  )
  return `CREATE OR REPLACE TEMP TABLE ${SETTINGS_TABLE} AS
SELECT * FROM (VALUES ${values.join(', ')}) AS s(name, setting, context)`
}

/** Writes the new values of changed settings into the settings table. */
export function updateSettingsSql(changes: readonly (readonly [string, string])[]): string {
  return changes
    .map(
      ([name, value]) =>
        `UPDATE temp.main.${SETTINGS_TABLE} SET setting = ${quoteString(value)} WHERE name = ${quoteString(name)}`,
    )
    .join(';\n')
}

/** A setting's value by name (any capitalisation): the endpoint's, else DuckDB's own (search_path among them). */
const SETTING_VALUE = `coalesce(
    (SELECT s.setting FROM temp.main.${SETTINGS_TABLE} AS s WHERE lower(s.name) = lower(setting_name)),
    (SELECT CAST(d.value AS VARCHAR) FROM duckdb_settings() AS d WHERE lower(d.name) = lower(setting_name)))`

const UNRECOGNIZED = `error('unrecognized configuration parameter "' || setting_name || '"')`

/**
 * `current_setting(name [, missing_ok])` as Postgres answers it (42704 for an unknown name unless
 * missing_ok), `set_config` anywhere but in `SELECT set_config('name', 'value', is_local)` on its own
 * (which the endpoint answers: a DuckDB function cannot change the session) refused with 0A000, and the
 * `pg_settings` view: the endpoint's settings, then DuckDB's own.
 */
export function settingsCatalogSql(): string {
  return `
CREATE OR REPLACE TEMP MACRO current_setting(setting_name) AS (
  CASE WHEN ${SETTING_VALUE} IS NULL THEN ${UNRECOGNIZED} ELSE ${SETTING_VALUE} END),
  (setting_name, missing_ok) AS (
  CASE WHEN ${SETTING_VALUE} IS NOT NULL OR missing_ok THEN ${SETTING_VALUE} ELSE ${UNRECOGNIZED} END);
CREATE OR REPLACE TEMP MACRO set_config(setting_name, new_value, is_local) AS (
  CAST(error('set_config is supported only as a statement of its own, SELECT set_config(''name'', ''value'', false), with literal arguments: use SET name = value (SET LOCAL for is_local)') AS VARCHAR));
CREATE OR REPLACE TEMP VIEW pg_settings AS
SELECT name, setting, CAST(NULL AS VARCHAR) AS unit, context
FROM temp.main.${SETTINGS_TABLE}
UNION ALL
SELECT name, CAST(value AS VARCHAR), NULL, 'user' FROM duckdb_settings()
WHERE lower(name) NOT IN (SELECT lower(name) FROM temp.main.${SETTINGS_TABLE});`
}
