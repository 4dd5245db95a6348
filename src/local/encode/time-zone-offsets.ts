/**
 * A session's TimeZone as UTC offsets, for writing timestamptz text the way Postgres does: each
 * instant at the offset its zone had then (`2024-03-10 07:00:00-05`, `-04:56:02` for New York's
 * local mean time before 1883).
 *
 * The offsets come from the JavaScript runtime's time-zone database (ICU, through Intl), which holds
 * the same IANA history as Postgres' and DuckDB's. Asking Intl costs microseconds, so offsets are
 * remembered per day (and per hour on the days a zone changes its offset); only inside an hour that
 * holds a change is each value asked for.
 */

const MS_PER_DAY = 86_400_000
const MS_PER_HOUR = 3_600_000
/** A JavaScript Date holds ±8.64e15 ms; instants beyond take the offset at that limit. */
const DATE_LIMIT_MS = 8.64e15
/** Remembered buckets per zone before the memory is cleared. */
const MAX_REMEMBERED = 16_384
/** Zone names Intl resolves to Coordinated Universal Time, whose text is the fixed `+00`. */
const UTC_NAMES = /^(?:Etc\/)?(?:UTC|UCT|GMT|GMT[+-]?0|Universal|Zulu|Greenwich)$/i
const OFFSET_TEXT = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?/

/**
 * The UTC offset of a time zone at any instant.
 *
 * ### Examples
 * ```ts
 * const zone = timeZoneOffsets('America/New_York')!
 * zone.offsetSecondsAt(1_710_072_000_000_000) // -14400: 2024-03-10 12:00 UTC is 08:00 EDT
 * timeZoneOffsets('UTC') // undefined: a fixed +00
 * ```
 */
export class TimeZoneOffsets {
  private readonly format: Intl.DateTimeFormat
  /** Offset of a whole day (or hour), NaN when the offset changes inside it. */
  private readonly days = new Map<number, number>()
  private readonly hours = new Map<number, number>()
  private lastDay = Number.NaN
  private lastDayOffset = 0

  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' })
  }

  /** The offset east of UTC, in seconds, at `micros` microseconds after 1970-01-01 UTC. */
  offsetSecondsAt(micros: number | bigint): number {
    const raw = Math.floor(Number(micros) / 1000)
    const ms = Math.min(Math.max(raw, -DATE_LIMIT_MS), DATE_LIMIT_MS)
    const day = Math.floor(ms / MS_PER_DAY)
    if (day === this.lastDay) return this.lastDayOffset
    const dayOffset = this.uniformOffset(this.days, day, MS_PER_DAY)
    if (!Number.isNaN(dayOffset)) {
      this.lastDay = day
      this.lastDayOffset = dayOffset
      return dayOffset
    }
    const hourOffset = this.uniformOffset(this.hours, Math.floor(ms / MS_PER_HOUR), MS_PER_HOUR)
    return Number.isNaN(hourOffset) ? this.offsetAtMs(ms) : hourOffset
  }

  /** The offset throughout bucket `index` of `size` ms, or NaN when it changes inside. */
  private uniformOffset(memory: Map<number, number>, index: number, size: number): number {
    const known = memory.get(index)
    if (known !== undefined) return known
    const start = Math.max(index * size, -DATE_LIMIT_MS)
    const end = Math.min(index * size + size - 1, DATE_LIMIT_MS)
    const first = this.offsetAtMs(start)
    const offset = first === this.offsetAtMs(end) ? first : Number.NaN
    if (memory.size >= MAX_REMEMBERED) memory.clear()
    memory.set(index, offset)
    return offset
  }

  private offsetAtMs(ms: number): number {
    const parts = this.format.formatToParts(ms)
    const text = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT'
    const match = OFFSET_TEXT.exec(text)
    if (match?.[1] === undefined) return 0
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0)
    return match[1] === '-' ? -seconds : seconds
  }
}

const ZONES = new Map<string, TimeZoneOffsets | undefined>()

/**
 * The offsets of a session's TimeZone (an IANA name, any case, or a fixed offset such as `+05:30`),
 * shared by every result in that zone; undefined for UTC and its aliases, and for a name the
 * runtime's time-zone database does not know (written at `+00`, as before SET TimeZone existed).
 */
export function timeZoneOffsets(name: string): TimeZoneOffsets | undefined {
  if (ZONES.has(name)) return ZONES.get(name)
  let zone: TimeZoneOffsets | undefined
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions()
    zone = UTC_NAMES.test(resolved.timeZone) ? undefined : new TimeZoneOffsets(resolved.timeZone)
  } catch {
    zone = undefined
  }
  if (ZONES.size >= 256) ZONES.clear()
  ZONES.set(name, zone)
  return zone
}
