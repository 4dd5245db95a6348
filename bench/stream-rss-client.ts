/**
 * One read of `bench_rows` in a process of its own, so that its resident memory is measured apart from
 * the benchmark's: `stream` reads through Kysely's `.stream()` at the default chunk size, `execute`
 * through `.execute()`. The endpoint's URL comes from `BENCH_ENDPOINT_URL` (never argv: it holds the
 * token). Prints one JSON line, `{"rows":…,"rssBefore":…,"halfwayPeakRss":…,"peakRss":…}`: VmRSS once
 * connected and loaded, VmHWM (the peak so far) after half of the rows (stream only) and after the read,
 * in bytes, from /proc/self/status. A stream whose memory is bounded adds nothing in its second half.
 *
 * ```sh
 * BENCH_ENDPOINT_URL=postgresql://… BENCH_ROWS=1000000 npx tsx bench/stream-rss-client.ts stream
 * ```
 */
import { readFileSync } from 'node:fs'
import { Kysely, sql } from 'kysely'
import { MotherDuckDialect } from '../src/dialect/motherduck-dialect.js'
import type { StreamBenchDB } from './stream.bench.js'

/** What the client prints. */
export interface RssClientResult {
  readonly rows: number
  readonly rssBefore: number
  /** The peak after half of the rows; 0 for `execute`, which has no halfway. */
  readonly halfwayPeakRss: number
  readonly peakRss: number
}

function residentBytes(field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync('/proc/self/status', 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/self/status`)
  return Number(match[1]) * 1024
}

const mode = process.argv[2]
const url = process.env.BENCH_ENDPOINT_URL
if ((mode !== 'stream' && mode !== 'execute') || url === undefined) {
  throw new Error('usage: BENCH_ENDPOINT_URL=… stream-rss-client.ts stream|execute')
}
const db = new Kysely<StreamBenchDB>({
  dialect: new MotherDuckDialect({ url, env: {}, pool: { max: 1 } }),
})
try {
  await sql`select 1`.execute(db)
  const rssBefore = residentBytes('VmRSS')
  const query = db.selectFrom('bench_rows').select(['id', 'name', 'score', 'ts'])
  let rows = 0
  let halfwayPeakRss = 0
  if (mode === 'stream') {
    const halfway = Number(process.env.BENCH_ROWS) / 2
    for await (const _ of query.stream()) {
      if (++rows === halfway) halfwayPeakRss = residentBytes('VmHWM')
    }
  } else {
    rows = (await query.execute()).length
  }
  const result: RssClientResult = {
    rows,
    rssBefore,
    halfwayPeakRss,
    peakRss: residentBytes('VmHWM'),
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
} finally {
  await db.destroy()
}
