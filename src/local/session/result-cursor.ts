import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api'
import type { ResultEncoder, WireColumn } from '../encode/value-encoder.js'
import type { ValueSizes } from '../encode/value-size.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { formatBytes } from '../errors/format-bytes.js'
import { SqlState } from '../errors/sql-state.js'
import type { EncodedColumn } from '../protocol/encoded-column.js'

/** Rows `start … start + count - 1` of a chunk's encoded columns. */
export interface RowWindow {
  readonly columns: readonly EncodedColumn[]
  readonly start: number
  readonly count: number
}

/**
 * A query result read chunk by chunk and encoded as it is sent, so that a session holds one chunk
 * (2,048 rows) in wire form, or a window of about 8 MiB of it when its rows are large (see
 * ValueSizes, which also refuses a single value above `maxValueBytes`). A portal suspended by a row
 * limit keeps its place inside the current window.
 *
 * DuckDB keeps one streaming result per connection and silently ends it when the connection runs
 * anything else (even a prepare), so before that the StatementRunner calls `spill()`: the remaining
 * chunks move into memory and the portal stays readable, as Postgres portals do — up to
 * `maxSpillBytes` of rows. Beyond that the spill stops, the other statement runs, and the portal
 * returns the rows it kept, then fails with 54000 instead of holding an unbounded result.
 */
export class ResultCursor {
  private result: DuckDBResult | null
  private readonly spilled: DuckDBDataChunk[] = []
  private chunk: DuckDBDataChunk | null = null
  /** Ends (exclusive) of the current chunk's windows still to encode. */
  private windowEnds: number[] = []
  private encoded: readonly EncodedColumn[] = []
  /** The chunk's row the encoded window starts at, and its end (exclusive). */
  private windowStart = 0
  private windowEnd = 0
  private offset = 0
  private exhausted = false
  /** An error met while spilling, raised when the reader gets to it. */
  private failure: unknown = null

  constructor(
    result: DuckDBResult,
    private readonly encoder: ResultEncoder,
    private readonly sizes: ValueSizes,
    private readonly maxSpillBytes: number,
  ) {
    this.result = result
  }

  get columns(): readonly WireColumn[] {
    return this.encoder.columns
  }

  /** True while the cursor depends on DuckDB's streaming result (rows not fetched yet). */
  get isStreaming(): boolean {
    return this.result !== null
  }

  /** True when every row has been returned. */
  get done(): boolean {
    return this.exhausted
  }

  /** True when a spill stopped short (maxSpillBytes, or an error): the reader meets the failure. */
  get spillFailed(): boolean {
    return this.failure !== null
  }

  /**
   * Up to `limit` rows, or null at the end. `fetch` reads the next chunk from DuckDB (the session
   * wraps it so that a cancel can interrupt it).
   */
  async next(
    limit: number,
    fetch: (result: DuckDBResult) => Promise<DuckDBDataChunk | null>,
  ): Promise<RowWindow | null> {
    if (this.offset >= this.windowEnd) {
      if (this.windowEnds.length === 0) {
        const chunk = await this.nextChunk(fetch)
        if (chunk === null) {
          this.exhausted = true
          this.chunk = null
          this.encoded = []
          this.windowStart = this.windowEnd = this.offset = 0
          return null
        }
        this.windowEnds = this.sizes.windowEnds(chunk)
        this.chunk = chunk
        this.windowEnd = 0
      }
      const chunk = this.chunk!
      this.windowStart = this.windowEnd
      this.windowEnd = this.windowEnds.shift()!
      this.encoded = this.encoder.encodeRowsBytes(
        chunk,
        this.windowStart,
        this.windowEnd - this.windowStart,
      )
      this.offset = this.windowStart
    }
    const start = this.offset - this.windowStart
    const count = Math.min(limit, this.windowEnd - this.offset)
    this.offset += count
    return { columns: this.encoded, start, count }
  }

  /**
   * Drops DuckDB's result and the rows held: the portal reading them was closed. DuckDB ends the
   * abandoned result itself when the connection runs anything else.
   */
  close(): void {
    this.result = null
    this.spilled.length = 0
    this.chunk = null
    this.windowEnds = []
    this.failure = null
  }

  /**
   * Reads what is left of DuckDB's result into memory, freeing the connection for other work; stops
   * after `maxSpillBytes` of (estimated) rows, and the reader then meets a 54000 after them.
   */
  async spill(fetch: (result: DuckDBResult) => Promise<DuckDBDataChunk | null>): Promise<void> {
    const result = this.result
    if (result === null) return
    this.result = null
    let bytes = 0
    try {
      for (;;) {
        const chunk = await fetch(result)
        if (chunk === null || chunk.rowCount === 0) break
        bytes += this.sizes.chunkBytes(chunk)
        if (bytes > this.maxSpillBytes) {
          this.failure = spillLimitExceeded(this.maxSpillBytes)
          break
        }
        this.spilled.push(chunk)
      }
    } catch (error) {
      this.failure = error
    }
  }

  private async nextChunk(
    fetch: (result: DuckDBResult) => Promise<DuckDBDataChunk | null>,
  ): Promise<DuckDBDataChunk | null> {
    const spilled = this.spilled.shift()
    if (spilled !== undefined) return spilled
    if (this.failure !== null) {
      const failure = this.failure
      this.failure = null
      throw failure
    }
    if (this.result === null) return null
    const chunk = await fetch(this.result)
    if (chunk === null || chunk.rowCount === 0) {
      this.result = null
      return null
    }
    return chunk
  }
}

function spillLimitExceeded(maxSpillBytes: number): EndpointError {
  return new EndpointError(
    SqlState.ProgramLimitExceeded,
    `the rest of this suspended portal's result was dropped: another statement ran on the connection while it had more than ${formatBytes(maxSpillBytes)} of rows left to read (maxSpillBytes)`,
    {
      hint: 'Read the portal to its end (or close it) before running another statement on the same connection, or start the endpoint with a larger maxSpillBytes.',
    },
  )
}
