import { endianness } from 'node:os'
import type { DuckDBVector } from '@duckdb/node-api'

/**
 * Fast, read-only access to the memory behind @duckdb/node-api's vectors, for the result encoder.
 *
 * `vector.getItem(i)` tests validity with BigInt arithmetic and allocates a value object per item,
 * which dominates the cost of encoding fixed-width columns. The vector classes keep their data as a
 * typed array (`items`) or a DataView (`dataView`) and a validity mask (`validity.data`, a
 * BigUint64Array, and `validity.offset`); these fields are not public API, so every accessor checks
 * the shape it finds and returns undefined when it differs, and callers then fall back to `getItem`.
 */

interface VectorShape {
  readonly items?: unknown
  readonly dataView?: unknown
  readonly itemOffset?: unknown
  readonly validity?: { readonly data?: unknown; readonly offset?: unknown }
}

const LITTLE_ENDIAN = endianness() === 'LE'

/** Validity of rows `0 … rowCount - 1`: a bit per row (LSB first), or null when all are valid. */
export interface RawValidity {
  readonly bytes: Uint8Array | null
  /** Bit index of row 0. */
  readonly offset: number
}

/** The validity mask of a vector, or undefined when its shape is not the one expected. */
export function rawValidity(vector: DuckDBVector): RawValidity | undefined {
  if (!LITTLE_ENDIAN) return undefined
  const validity = (vector as unknown as VectorShape).validity
  if (validity === undefined || typeof validity.offset !== 'number') return undefined
  if (validity.data === null) return { bytes: null, offset: validity.offset }
  if (!(validity.data instanceof BigUint64Array)) return undefined
  const data = validity.data
  return {
    bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    offset: validity.offset,
  }
}

/** Whether row `row` is valid (not NULL). */
export function isValid(validity: RawValidity, row: number): boolean {
  const bytes = validity.bytes
  if (bytes === null) return true
  const bit = validity.offset + row
  return ((bytes[bit >> 3]! >> (bit & 7)) & 1) === 1
}

type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array

/** The typed array holding a fixed-width vector's values, if it has one of at least `rowCount`. */
export function rawItems(vector: DuckDBVector, rowCount: number): NumericArray | undefined {
  const items = (vector as unknown as VectorShape).items
  if (!ArrayBuffer.isView(items) || items instanceof DataView) return undefined
  const array = items as NumericArray
  return array.length >= rowCount ? array : undefined
}

/**
 * The values (up to 32 bits, or floats: JavaScript numbers) and validity of a fixed-width vector, if
 * it exposes both; undefined for 64-bit integer vectors and other shapes.
 */
export function rawNumbers(
  vector: DuckDBVector,
  rowCount: number,
):
  | { items: Exclude<NumericArray, BigInt64Array | BigUint64Array>; validity: RawValidity }
  | undefined {
  const items = rawItems(vector, rowCount)
  if (items === undefined || items instanceof BigInt64Array || items instanceof BigUint64Array) {
    return undefined
  }
  const validity = rawValidity(vector)
  return validity === undefined ? undefined : { items, validity }
}

/**
 * The 16-byte string headers of a VARCHAR vector (length, then 12 inline bytes or a 4-byte prefix and
 * a pointer), if the vector exposes them for rows `0 … rowCount - 1`.
 */
export function rawStrings(vector: DuckDBVector, rowCount: number): DataView | undefined {
  const shape = vector as unknown as VectorShape
  const view = shape.dataView
  if (!(view instanceof DataView) || shape.itemOffset !== 0) return undefined
  return view.byteLength >= rowCount * 16 ? view : undefined
}

/**
 * An inline string (at most 12 bytes, stored in the header at `offset`) when it is ASCII, without
 * the cost of a TextDecoder call; undefined for longer or non-ASCII strings.
 */
export function inlineAsciiString(view: DataView, offset: number): string | undefined {
  const length = view.getUint32(offset, true)
  if (length > 12) return undefined
  const start = offset + 4
  let text = ''
  for (let i = 0; i < length; i++) {
    const byte = view.getUint8(start + i)
    if (byte >= 0x80) return undefined
    text += String.fromCharCode(byte)
  }
  return text
}
