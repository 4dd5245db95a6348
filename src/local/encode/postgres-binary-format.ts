/**
 * Postgres' binary (send) format of the scalar values the local endpoint sends, written from DuckDB's
 * physical representation straight into an EncodedColumn, as Postgres' `*_send` functions lay them
 * out (all integers big-endian):
 *
 * - int2/int4/int8, float4/float8: the value's bytes; NaN as Postgres' own (positive, quiet) NaN;
 * - numeric: int16 ndigits, int16 weight, int16 sign, int16 dscale, then ndigits base-10000 digits;
 * - date: int32 days since 2000-01-01; timestamp(tz): int64 µs since 2000-01-01 00:00 UTC; the
 *   infinities are int32/int64 max and min;
 * - time: int64 µs; timetz: int64 µs, int32 zone in seconds *west* of UTC;
 * - interval: int64 µs, int32 days, int32 months; uuid: its 16 bytes; bytea: the bytes;
 * - varbit: int32 bit count, then the bits, most significant first;
 * - arrays: int32 ndim, int32 has-nulls, int32 element OID, per dimension int32 length and int32
 *   lower bound (1), then each element as int32 length (-1 = NULL) and its bytes. Empty: ndim 0.
 *
 * Every writer takes the column, the offset to write at (its `end`, or further inside an array) and
 * the value, and returns the offset after what it wrote; the caller ends the row with `finish`.
 */
import {
  DATE_INFINITY_DAYS,
  DATE_NEG_INFINITY_DAYS,
  POSTGRES_DATE_INFINITY_DAYS,
  POSTGRES_DATE_NEG_INFINITY_DAYS,
  POSTGRES_EPOCH_DAYS,
  POSTGRES_EPOCH_MICROS,
  POSTGRES_TIMESTAMP_INFINITY,
  POSTGRES_TIMESTAMP_NEG_INFINITY,
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
} from '../../types/calendar.js'
import { SqlState } from '../errors/sql-state.js'
import type { EncodedColumn } from '../protocol/encoded-column.js'

const TWO_POW_32 = 4_294_967_296
const POSTGRES_EPOCH_MICROS_NUMBER = Number(POSTGRES_EPOCH_MICROS)
const INT64_MIN = -(2n ** 63n)
const INT32_MIN = -2_147_483_648

/** numeric's sign word: positive, negative. */
const NUMERIC_POS = 0x0000
const NUMERIC_NEG = 0x4000

/**
 * A value that Postgres' binary format cannot carry (a DuckDB date beyond int32 days from 2000, a
 * TIMESTAMP_NS with nanoseconds). The result encoder turns it into an EndpointError naming the column.
 */
export class UnencodableValueError extends Error {
  override readonly name = 'UnencodableValueError'

  constructor(
    /** The SQLSTATE to report. */
    readonly code: SqlState,
    message: string,
    /** What the user can do instead. */
    readonly hint: string,
  ) {
    super(message)
  }
}

/** A date or timestamp too far from 2000-01-01 for Postgres' binary count of `units`. */
function outOfBinaryRange(type: string, units: string): UnencodableValueError {
  return new UnencodableValueError(
    SqlState.DatetimeFieldOverflow,
    `${type} out of range for the binary format (Postgres counts ${units} from 2000-01-01)`,
    'Request this column in text format (format code 0).',
  )
}

export function writeInt16(out: EncodedColumn, at: number, value: number): number {
  out.reserveAt(at, 2).writeInt16BE(value, at)
  return at + 2
}

export function writeInt32(out: EncodedColumn, at: number, value: number): number {
  out.reserveAt(at, 4).writeInt32BE(value, at)
  return at + 4
}

/** Postgres' oid: an unsigned 32-bit integer. */
export function writeOid(out: EncodedColumn, at: number, value: number): number {
  out.reserveAt(at, 4).writeUInt32BE(value, at)
  return at + 4
}

/** An int64 given as a number within ±2^53 or as a bigint. */
export function writeInt64(out: EncodedColumn, at: number, value: number | bigint): number {
  const bytes = out.reserveAt(at, 8)
  if (typeof value === 'bigint') {
    bytes.writeBigInt64BE(value, at)
  } else {
    const high = Math.floor(value / TWO_POW_32)
    bytes.writeInt32BE(high, at)
    bytes.writeUInt32BE(value - high * TWO_POW_32, at + 4)
  }
  return at + 8
}

/** float4; NaN is written as Postgres' NaN (7fc00000) whatever bits DuckDB produced. */
export function writeFloat4(out: EncodedColumn, at: number, value: number): number {
  const bytes = out.reserveAt(at, 4)
  if (Number.isNaN(value)) bytes.writeUInt32BE(0x7fc0_0000, at)
  else bytes.writeFloatBE(value, at)
  return at + 4
}

/** float8; NaN is written as Postgres' NaN (7ff8000000000000); -0 keeps its sign. */
export function writeFloat8(out: EncodedColumn, at: number, value: number): number {
  const bytes = out.reserveAt(at, 8)
  if (Number.isNaN(value)) {
    bytes.writeUInt32BE(0x7ff8_0000, at)
    bytes.writeUInt32BE(0, at + 4)
  } else {
    bytes.writeDoubleBE(value, at)
  }
  return at + 8
}

/**
 * numeric of a scaled integer with `scale` fractional digits (DECIMAL's representation; scale 0 for
 * HUGEINT and the other wide integers), as Postgres stores it: base-10000 digits aligned on the
 * decimal point, leading and trailing zero digits dropped, dscale = `scale`, and zero as no digits at
 * weight 0.
 */
export function writeNumeric(
  out: EncodedColumn,
  at: number,
  scaled: number | bigint,
  scale: number,
): number {
  const negative = scaled < 0
  let digits = String(negative ? -scaled : scaled)
  // Align on the decimal point: the fraction to whole base-10000 digits, then the integer part.
  const fractionPadding = (4 - (scale % 4)) % 4
  const fractionGroups = (scale + fractionPadding) / 4
  const leadPadding = (4 - ((digits.length + fractionPadding) % 4)) % 4
  digits = '0'.repeat(leadPadding) + digits + '0'.repeat(fractionPadding)
  const groupCount = digits.length / 4
  let first = 0
  while (first < groupCount && digits.startsWith('0000', first * 4)) first++
  let last = groupCount - 1
  while (last >= first && digits.startsWith('0000', last * 4)) last--
  const count = last - first + 1
  const weight = count === 0 ? 0 : groupCount - fractionGroups - 1 - first
  const bytes = out.reserveAt(at, 8 + count * 2)
  bytes.writeInt16BE(count, at)
  bytes.writeInt16BE(weight, at + 2)
  bytes.writeUInt16BE(count !== 0 && negative ? NUMERIC_NEG : NUMERIC_POS, at + 4)
  bytes.writeInt16BE(scale, at + 6)
  let offset = at + 8
  for (let group = first; group <= last; group++) {
    bytes.writeInt16BE(Number(digits.slice(group * 4, group * 4 + 4)), offset)
    offset += 2
  }
  return offset
}

/** A DuckDB DATE (days since 1970-01-01) as Postgres' int32 days since 2000-01-01. */
export function writeDate(out: EncodedColumn, at: number, days: number): number {
  if (days === DATE_INFINITY_DAYS) return writeInt32(out, at, POSTGRES_DATE_INFINITY_DAYS)
  if (days === DATE_NEG_INFINITY_DAYS) return writeInt32(out, at, POSTGRES_DATE_NEG_INFINITY_DAYS)
  const shifted = days - POSTGRES_EPOCH_DAYS
  if (shifted <= INT32_MIN) {
    throw outOfBinaryRange('date', 'int32 days')
  }
  return writeInt32(out, at, shifted)
}

/**
 * A timestamp in microseconds since 1970-01-01 (UTC for timestamptz), as a number when exact or as
 * a bigint, as Postgres' int64 microseconds since 2000-01-01; DuckDB's ±infinity become Postgres'.
 */
export function writeTimestamp(out: EncodedColumn, at: number, micros: number | bigint): number {
  if (typeof micros === 'number') {
    const shifted = micros - POSTGRES_EPOCH_MICROS_NUMBER
    if (shifted >= -Number.MAX_SAFE_INTEGER && micros <= Number.MAX_SAFE_INTEGER) {
      return writeInt64(out, at, shifted)
    }
    return writeTimestamp(out, at, BigInt(micros))
  }
  if (micros === TIMESTAMP_INFINITY) return writeInt64(out, at, POSTGRES_TIMESTAMP_INFINITY)
  if (micros === TIMESTAMP_NEG_INFINITY) return writeInt64(out, at, POSTGRES_TIMESTAMP_NEG_INFINITY)
  const shifted = micros - POSTGRES_EPOCH_MICROS
  if (shifted <= INT64_MIN) {
    throw outOfBinaryRange('timestamp', 'int64 microseconds')
  }
  return writeInt64(out, at, shifted)
}

/** time: int64 microseconds since midnight. */
export function writeTime(out: EncodedColumn, at: number, micros: number | bigint): number {
  return writeInt64(out, at, micros)
}

/** timetz: the time, then the UTC offset in seconds west of Greenwich (Postgres' `zone`). */
export function writeTimeTz(
  out: EncodedColumn,
  at: number,
  micros: bigint,
  offsetSeconds: number,
): number {
  return writeInt32(out, writeInt64(out, at, micros), -offsetSeconds)
}

export function writeInterval(
  out: EncodedColumn,
  at: number,
  months: number,
  days: number,
  micros: bigint,
): number {
  return writeInt32(out, writeInt32(out, writeInt64(out, at, micros), days), months)
}

/** uuid: the 128-bit value, big-endian. */
export function writeUuid(out: EncodedColumn, at: number, value: bigint): number {
  const bytes = out.reserveAt(at, 16)
  bytes.writeBigUInt64BE(value >> 64n, at)
  bytes.writeBigUInt64BE(value & 0xffff_ffff_ffff_ffffn, at + 8)
  return at + 16
}

/** bytea (and any value whose binary form is its bytes, such as text's UTF-8). */
export function writeBytes(out: EncodedColumn, at: number, source: Uint8Array): number {
  out.reserveAt(at, source.length).set(source, at)
  return at + source.length
}

/** text, json and the types sent as text: the UTF-8 bytes of `text`. */
export function writeUtf8(out: EncodedColumn, at: number, text: string): number {
  const bytes = out.reserveAt(at, text.length * 3)
  return at + bytes.write(text, at, 'utf8')
}

/** varbit: int32 bit count, then the bits packed most significant first, zero-padded. */
export function writeVarbit(out: EncodedColumn, at: number, bits: readonly boolean[]): number {
  const byteCount = (bits.length + 7) >> 3
  const bytes = out.reserveAt(at, 4 + byteCount)
  bytes.writeInt32BE(bits.length, at)
  bytes.fill(0, at + 4, at + 4 + byteCount)
  for (let i = 0; i < bits.length; i++) {
    if (bits[i]) bytes[at + 4 + (i >> 3)]! |= 0x80 >> (i & 7)
  }
  return at + 4 + byteCount
}

/**
 * A one-dimensional array (lower bound 1) of `items`, each written by `writeElement`; an empty
 * array has no dimension, as Postgres sends `'{}'`.
 */
export function writeArray<T>(
  out: EncodedColumn,
  at: number,
  elementOid: number,
  items: readonly (T | null)[],
  writeElement: (out: EncodedColumn, at: number, item: T) => number,
): number {
  let hasNull = false
  for (const item of items) if (item === null || item === undefined) hasNull = true
  const header = out.reserveAt(at, 20)
  header.writeInt32BE(items.length === 0 ? 0 : 1, at)
  header.writeInt32BE(hasNull ? 1 : 0, at + 4)
  header.writeInt32BE(elementOid, at + 8)
  if (items.length === 0) return at + 12
  header.writeInt32BE(items.length, at + 12)
  header.writeInt32BE(1, at + 16)
  let offset = at + 20
  for (const item of items) {
    const lengthAt = offset
    if (item === null || item === undefined) {
      offset = writeInt32(out, offset, -1)
      continue
    }
    out.reserveAt(offset, 4)
    offset = writeElement(out, offset + 4, item)
    out.bytes.writeInt32BE(offset - lengthAt - 4, lengthAt)
  }
  return offset
}
