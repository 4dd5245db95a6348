import {
  INFINITY_TEXT,
  MICROS_PER_DAY,
  MICROS_PER_SECOND,
  NEG_INFINITY_TEXT,
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
} from '../../types/calendar.js'
import { type EncodedColumn, writeTwoDigits } from '../protocol/encoded-column.js'
import { civilDate, formatOffset, shiftMicros, TimestampFormatter } from './postgres-text-format.js'
import type { TimeZoneOffsets } from './time-zone-offsets.js'

const MAX_EXACT = Number.MAX_SAFE_INTEGER

/**
 * Writes TIMESTAMP / TIMESTAMPTZ values of one column straight into an EncodedColumn, with the same
 * text as {@link TimestampFormatter} (`2024-03-01 12:34:56.789`, suffix `+00` for timestamptz, ` BC`
 * last): the date part is formatted once per day and copied, the time of day is written digit by
 * digit. Values beyond ±2^53 µs (and the infinities) take TimestampFormatter's path.
 *
 * ### Examples
 * ```ts
 * const writer = new TimestampBytesWriter('+00')
 * writer.write(column, 1_709_296_496_789_000) // 2024-03-01 12:34:56.789+00
 * ```
 */
export class TimestampBytesWriter {
  private readonly formatter: TimestampFormatter
  private readonly suffix: readonly number[]
  private lastDay = Number.NaN
  /** `YYYY-MM-DD ` of `lastDay`, as char codes. */
  private datePrefix: readonly number[] = []
  private bc = false

  constructor(suffix: string) {
    this.formatter = new TimestampFormatter(suffix)
    this.suffix = Array.from(suffix, (char) => char.charCodeAt(0))
  }

  /** `micros` since the epoch, as a number when it is exact (|micros| <= 2^53) or as a bigint. */
  write(column: EncodedColumn, micros: number | bigint): void {
    if (typeof micros !== 'number' || micros > MAX_EXACT || micros < -MAX_EXACT) {
      column.ascii(this.formatter.format(micros))
      return
    }
    const days = Math.floor(micros / MICROS_PER_DAY)
    if (days !== this.lastDay) {
      this.lastDay = days
      const date = civilDate(days)
      this.bc = date.endsWith(' BC')
      const prefix = `${this.bc ? date.slice(0, -3) : date} `
      this.datePrefix = Array.from(prefix, (char) => char.charCodeAt(0))
    }
    const prefix = this.datePrefix
    const suffix = this.suffix
    // Date, "HH:MM:SS", ".ffffff", suffix, " BC".
    const bytes = column.reserve(prefix.length + 15 + suffix.length + 3)
    let at = column.end
    for (let i = 0; i < prefix.length; i++) bytes[at++] = prefix[i]!
    const timeOfDay = micros - days * MICROS_PER_DAY
    const seconds = Math.floor(timeOfDay / MICROS_PER_SECOND)
    const hours = Math.floor(seconds / 3600)
    const minutes = Math.floor((seconds - hours * 3600) / 60)
    writeTwoDigits(bytes, at, hours)
    bytes[at + 2] = 58
    writeTwoDigits(bytes, at + 3, minutes)
    bytes[at + 5] = 58
    writeTwoDigits(bytes, at + 6, seconds - hours * 3600 - minutes * 60)
    at += 8
    let fraction = timeOfDay - seconds * MICROS_PER_SECOND
    if (fraction !== 0) {
      bytes[at] = 46
      for (let i = 6; i >= 1; i--) {
        const tenth = (fraction / 10) | 0
        bytes[at + i] = 48 + fraction - tenth * 10
        fraction = tenth
      }
      at += 7
      while (bytes[at - 1] === 48) at--
    }
    for (let i = 0; i < suffix.length; i++) bytes[at++] = suffix[i]!
    if (this.bc) {
      bytes[at] = 32
      bytes[at + 1] = 66
      bytes[at + 2] = 67
      at += 3
    }
    column.finish(at)
  }
}

/**
 * Writes timestamptz values of one column in a session's time zone (see ZonedTimestampFormatter):
 * each value at its zone offset, through one {@link TimestampBytesWriter} per offset met, so that a
 * column keeps its one-date-per-day cache within each offset.
 *
 * ### Examples
 * ```ts
 * const writer = new ZonedTimestampBytesWriter(timeZoneOffsets('America/New_York')!)
 * writer.write(column, 1_710_072_000_000_000) // 2024-03-10 08:00:00-04
 * ```
 */
export class ZonedTimestampBytesWriter {
  private readonly byOffset = new Map<number, TimestampBytesWriter>()

  constructor(private readonly zone: TimeZoneOffsets) {}

  /** `micros` since the epoch (UTC), as a number when it is exact (|micros| <= 2^53) or as a bigint. */
  write(column: EncodedColumn, micros: number | bigint): void {
    if (micros === TIMESTAMP_INFINITY || micros === TIMESTAMP_NEG_INFINITY) {
      column.ascii(micros === TIMESTAMP_INFINITY ? INFINITY_TEXT : NEG_INFINITY_TEXT)
      return
    }
    const offset = this.zone.offsetSecondsAt(micros)
    let writer = this.byOffset.get(offset)
    if (writer === undefined) {
      writer = new TimestampBytesWriter(formatOffset(offset))
      this.byOffset.set(offset, writer)
    }
    writer.write(column, shiftMicros(micros, offset))
  }
}
