import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api'
import type { ResultEncoder, WireColumn } from '../encode/value-encoder.js'
import type { EncodedColumn } from '../protocol/encoded-column.js'

/** Rows `start … start + count - 1` of a chunk's encoded columns. */
export interface RowWindow {
  readonly columns: readonly EncodedColumn[]
  readonly start: number
  readonly count: number
}

/**
 * A query result read chunk by chunk and encoded column by column as it is sent, so that no more than
 * one chunk (2,048 rows) per session is held in wire form. A portal suspended by a row limit keeps its
 * place inside the current chunk.
 *
 * DuckDB keeps one streaming result per connection and silently ends it when the connection runs
 * anything else (even a prepare), so before that the StatementRunner calls `spill()`: the
 * remaining chunks move into memory and the portal stays readable, as Postgres portals do.
 */
export class ResultCursor {
  private result: DuckDBResult | null
  private readonly spilled: DuckDBDataChunk[] = []
  private encoded: readonly EncodedColumn[] = []
  private rowCount = 0
  private offset = 0
  private exhausted = false
  /** An error met while spilling, raised when the reader gets to it. */
  private failure: unknown = null

  constructor(
    result: DuckDBResult,
    private readonly encoder: ResultEncoder,
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

  /**
   * Up to `limit` rows, or null at the end. `fetch` reads the next chunk from DuckDB (the session
   * wraps it so that a cancel can interrupt it).
   */
  async next(
    limit: number,
    fetch: (result: DuckDBResult) => Promise<DuckDBDataChunk | null>,
  ): Promise<RowWindow | null> {
    if (this.offset >= this.rowCount) {
      const chunk = await this.nextChunk(fetch)
      if (chunk === null) {
        this.exhausted = true
        this.encoded = []
        this.rowCount = 0
        this.offset = 0
        return null
      }
      this.encoded = this.encoder.encodeChunkBytes(chunk)
      this.rowCount = chunk.rowCount
      this.offset = 0
    }
    const start = this.offset
    const count = Math.min(limit, this.rowCount - start)
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
    this.failure = null
  }

  /** Reads what is left of DuckDB's result into memory, freeing the connection for other work. */
  async spill(fetch: (result: DuckDBResult) => Promise<DuckDBDataChunk | null>): Promise<void> {
    const result = this.result
    if (result === null) return
    this.result = null
    try {
      for (;;) {
        const chunk = await fetch(result)
        if (chunk === null || chunk.rowCount === 0) break
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
