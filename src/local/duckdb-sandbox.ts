import type { DuckDBConnection } from '@duckdb/node-api'
import { quoteString } from '../sql/quote.js'

/**
 * DuckDB settings a client may still change once the configuration is locked: the session's time zone,
 * which the endpoint sets per connection (`SET SESSION TimeZone`) for the zone the client announced.
 * `search_path` and `schema` (USE) stay changeable in any case: DuckDB never locks them.
 */
const SESSION_CONFIGS = ['TimeZone'] as const

/**
 * Turns DuckDB itself into strict mode's boundary, once the databases are attached: files are readable
 * and writable only under the object-store folders (`allowed_directories`), every other file, ATTACH of
 * one, extension install/load and `COPY`/`EXPORT` elsewhere are refused by DuckDB
 * (`enable_external_access = false`), and no client can change an instance-wide setting afterwards
 * (`lock_configuration = true`, set last because it locks itself too).
 *
 * The attached database files need no entry: DuckDB keeps writing their WAL and checkpoints without one
 * (measured on DuckDB 1.5), while allowing their folders would open every file next to them (a project's
 * `.env` beside `my_db.duckdb`).
 *
 * ### Examples
 * ```ts
 * await lockDownInstance(connection, ['/data/bucket'])
 * // SELECT * FROM read_text('/etc/passwd') → Permission Error: … file system operations are disabled by configuration
 * ```
 */
export async function lockDownInstance(
  connection: DuckDBConnection,
  objectStoreDirs: readonly string[],
): Promise<void> {
  // A trailing slash: DuckDB matches allowed directories as prefixes, so '/data/b' would allow '/data/bucket2'.
  const folders = objectStoreDirs.map((dir) => quoteString(dir.endsWith('/') ? dir : `${dir}/`))
  await connection.run(`SET allowed_directories = [${folders.join(', ')}]`)
  await connection.run('SET allowed_paths = []')
  await connection.run('SET enable_external_access = false')
  await connection.run(
    `SET allowed_configs = [${SESSION_CONFIGS.map((name) => quoteString(name)).join(', ')}]`,
  )
  await connection.run('SET lock_configuration = true')
}
