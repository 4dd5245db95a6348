import { DEFAULT_MAX_BUFFERED_INPUT_BYTES } from './protocol/frontend-channel.js'
import { defaultConcurrentQueries } from './session/query-admission.js'
import { DEFAULT_SESSION_LIMITS } from './session/session-limits.js'
import type { LocalServerLimits } from './startup/server.js'

/**
 * The endpoint's resource bounds, options of {@link startLocalEndpoint}: no client can take the
 * endpoint down or starve the others. Going past one is an ErrorResponse for that client (54000
 * program_limit_exceeded) or, for input, a paused socket; never a crash.
 */
export interface LocalEndpointLimitOptions {
  /**
   * The largest result value, in (estimated) bytes of its Postgres text, checked before the value is
   * built: a bigger one fails its query with 54000. Default: 64 MiB.
   */
  readonly maxValueBytes?: number
  /**
   * The rows, in (estimated) bytes of their text, that a suspended portal (Execute with a row limit)
   * keeps in memory when its connection runs another statement; beyond it the portal returns what it
   * kept, then fails with 54000. Default: 64 MiB.
   */
  readonly maxSpillBytes?: number
  /** The longest query text (simple Query or Parse), in UTF-8 bytes; a longer one fails with 54000. Default: 256 KiB. */
  readonly maxQueryBytes?: number
  /**
   * The bytes of pipelined messages a connection may have waiting; past it the endpoint stops reading
   * its socket until the session catches up. Default: 8 MiB.
   */
  readonly maxBufferedInputBytes?: number
  /**
   * DuckDB calls (prepare, execute, fetch a chunk) running at once across all sessions; the others
   * wait their turn. Each holds a thread of libuv's pool, which logins need too. Default: the pool's
   * size (`UV_THREADPOOL_SIZE`, 4 unless set before the process starts; the CLI sets 16) minus 2.
   */
  readonly maxConcurrentQueries?: number
}

/** The limits with their defaults; `refuse(option, message)` throws for a value that cannot work. */
export function resolveEndpointLimits(
  options: LocalEndpointLimitOptions,
  refuse: (option: string, message: string) => never,
): LocalServerLimits {
  const positive = (option: keyof LocalEndpointLimitOptions, fallback: number): number => {
    const value = options[option] ?? fallback
    if (!Number.isSafeInteger(value) || value < 1) {
      refuse(option, `${option} must be a positive integer, got ${value}`)
    }
    return value
  }
  return {
    maxValueBytes: positive('maxValueBytes', DEFAULT_SESSION_LIMITS.maxValueBytes),
    maxSpillBytes: positive('maxSpillBytes', DEFAULT_SESSION_LIMITS.maxSpillBytes),
    maxQueryBytes: positive('maxQueryBytes', DEFAULT_SESSION_LIMITS.maxQueryBytes),
    maxBufferedInputBytes: positive('maxBufferedInputBytes', DEFAULT_MAX_BUFFERED_INPUT_BYTES),
    maxConcurrentQueries: positive('maxConcurrentQueries', defaultConcurrentQueries()),
  }
}
