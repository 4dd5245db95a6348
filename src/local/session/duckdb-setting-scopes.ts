import type { DuckDBConnection } from '@duckdb/node-api'

/** Whether a DuckDB setting belongs to the instance (`GLOBAL`) or can be set per connection (`LOCAL`). */
export type DuckDBSettingScope = 'GLOBAL' | 'LOCAL'

/** DuckDB's settings by lower-case name (aliases included), with the scope DuckDB gives each. */
export type DuckDBSettingScopes = ReadonlyMap<string, DuckDBSettingScope>

/**
 * What the engine says about its own settings (`duckdb_settings()`): which are instance-wide. Read once
 * per endpoint; strict mode refuses a client's SET of any of them with a message naming its scope.
 */
export async function readDuckDBSettingScopes(
  connection: DuckDBConnection,
): Promise<DuckDBSettingScopes> {
  const reader = await connection.runAndReadAll(
    'SELECT name, scope, aliases FROM duckdb_settings()',
  )
  const scopes = new Map<string, DuckDBSettingScope>()
  for (const [name, scope, aliases] of reader.getRowsJS()) {
    const value: DuckDBSettingScope = scope === 'LOCAL' ? 'LOCAL' : 'GLOBAL'
    for (const alias of [name, ...((aliases as unknown[] | null) ?? [])]) {
      scopes.set(String(alias).toLowerCase(), value)
    }
  }
  return scopes
}
