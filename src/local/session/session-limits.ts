import { EndpointError } from '../errors/endpoint-error.js'
import { formatBytes } from '../errors/format-bytes.js'
import { SqlState } from '../errors/sql-state.js'

/**
 * What one session may make the endpoint hold, so that no client can exhaust its memory. Each is an
 * option of the endpoint (see LocalEndpointOptions, where the defaults are documented); going past
 * one is an ErrorResponse for that client only.
 */
export interface SessionLimits {
  /** The estimated Postgres text size of one result value (54000 beyond). */
  readonly maxValueBytes: number
  /** The estimated bytes of rows a suspended portal may keep when another statement runs (54000 beyond). */
  readonly maxSpillBytes: number
  /** The UTF-8 bytes of one query text, simple or Parse (54000 beyond). */
  readonly maxQueryBytes: number
}

/** The default of each limit. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxValueBytes: 64 * 1024 * 1024,
  maxSpillBytes: 64 * 1024 * 1024,
  maxQueryBytes: 256 * 1024,
}

/**
 * Refuses a query text longer than `maxQueryBytes` before it is lexed: lexing holds about 90 bytes of
 * heap per byte of SQL for a while and runs on the event loop, which every session shares (a 1 MiB
 * text of 500,000 tokens kept it for seconds), and DuckDB's own parser needs hundreds of bytes per
 * token of such a text.
 */
export function checkQueryLength(sql: string, limits: SessionLimits): void {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only a text near the limit needs counting.
  if (sql.length * 3 <= limits.maxQueryBytes) return
  const bytes = Buffer.byteLength(sql)
  if (bytes <= limits.maxQueryBytes) return
  throw new EndpointError(
    SqlState.ProgramLimitExceeded,
    `the query text is ${bytes} bytes, more than the endpoint's limit of ${formatBytes(limits.maxQueryBytes)} (maxQueryBytes)`,
    {
      hint: 'Send large values as parameters ($1) rather than in the SQL text, or start the endpoint with a larger maxQueryBytes.',
    },
  )
}
