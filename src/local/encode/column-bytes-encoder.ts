import type { DuckDBVector } from '@duckdb/node-api'
import type { EncodedColumn } from '../protocol/encoded-column.js'
import { isValid, rawItems, rawValidity } from './vector-internals.js'

/** Encodes one column of a chunk into wire bytes (text or binary), one row after the other. */
export type ColumnBytesEncoder = (
  vector: DuckDBVector,
  rowCount: number,
  out: EncodedColumn,
) => void

const TWO_POW_32 = 4_294_967_296

/**
 * 64-bit values read as two 32-bit halves (as the text encoder's int64Column does): `exact` writes a value within ±2^53,
 * `other` any value (as a bigint, or a number when exact).
 */
export function int64BytesColumn(
  exact: (out: EncodedColumn, value: number) => void,
  other: (out: EncodedColumn, value: number | bigint) => void,
): ColumnBytesEncoder {
  return (vector, rowCount, out) => {
    const items = rawItems(vector, rowCount)
    const validity = items === undefined ? undefined : rawValidity(vector)
    if (!(items instanceof BigInt64Array) || validity === undefined) {
      for (let row = 0; row < rowCount; row++) {
        const value = vector.getItem(row) as bigint | { micros: bigint } | null
        if (value === null) out.null()
        else other(out, typeof value === 'bigint' ? value : value.micros)
      }
      return
    }
    const low = new Uint32Array(items.buffer, items.byteOffset, rowCount * 2)
    const high = new Int32Array(items.buffer, items.byteOffset, rowCount * 2)
    for (let row = 0; row < rowCount; row++) {
      if (!isValid(validity, row)) {
        out.null()
        continue
      }
      const hi = high[row * 2 + 1]!
      if (hi < 2_097_152 && hi >= -2_097_152) exact(out, hi * TWO_POW_32 + low[row * 2]!)
      else other(out, items[row]!)
    }
  }
}
