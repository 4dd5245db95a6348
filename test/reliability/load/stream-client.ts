/**
 * A streaming client alone in a process, so that its resident memory can be measured apart from the
 * test's and the endpoint's. It reads `--rows` generated rows (`range(n)`, four columns) from the
 * endpoint at `--port` through Kysely's `.stream()` with MotherDuckDialect, checks every row, and prints
 * JSON lines on stdout: `{"event":"streaming"}` once the first rows arrived,
 * `{"event":"halfway","peakRss":…}` after half of them, then
 * `{"event":"done","rows":…,"ms":…,"rssBefore":…,"halfwayPeakRss":…,"peakRss":…}` (bytes, from
 * /proc/self/status: VmRSS before the stream, VmHWM halfway and after it). Comparing the two peaks tells
 * bounded memory (the second half adds nothing) from memory that grows with the rows. The token comes
 * from `MOTHERDUCK_TOKEN`, never from argv.
 *
 * ```sh
 * MOTHERDUCK_TOKEN=… node --import tsx test/reliability/load/stream-client.ts --port 5433 --rows 1000000
 * ```
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Kysely, sql } from 'kysely'
import { MotherDuckDialect } from '../../../src/index.js'

/** What the client prints when it is done. */
export interface StreamClientResult {
  readonly event: 'done'
  readonly rows: number
  readonly ms: number
  /** VmRSS right before the stream started, in bytes. */
  readonly rssBefore: number
  /** VmHWM after half of the rows, in bytes. */
  readonly halfwayPeakRss: number
  /** VmHWM once the stream ended: the process's peak resident size, in bytes. */
  readonly peakRss: number
}

/** One line the client prints. */
export type StreamClientEvent =
  | { readonly event: 'streaming' }
  | { readonly event: 'halfway'; readonly peakRss: number }
  | StreamClientResult

function residentKib(field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync('/proc/self/status', 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/self/status`)
  return Number(match[1]) * 1024
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      rows: { type: 'string' },
      database: { type: 'string', default: 'md:' },
      'chunk-size': { type: 'string', default: '10000' },
    },
  })
  const port = Number(values.port)
  const rows = Number(values.rows)
  const chunkSize = Number(values['chunk-size'])
  if (!Number.isInteger(port) || !Number.isInteger(rows) || !Number.isInteger(chunkSize)) {
    throw new Error(
      'usage: stream-client.ts --port <port> --rows <n> [--chunk-size <n>] [--database <name>]',
    )
  }
  const db = new Kysely<Record<string, never>>({
    dialect: new MotherDuckDialect({
      host: '127.0.0.1',
      port,
      database: values.database,
      ssl: false,
      pool: { max: 1 },
    }),
  })
  try {
    // Connected, and pg, Kysely and the dialect loaded, before the baseline is read.
    await sql`select 1`.execute(db)
    const rssBefore = residentKib('VmRSS')
    const query = db
      .selectNoFrom([
        sql<bigint>`i`.as('i'),
        sql<number>`cast(i % 1000 as integer)`.as('bucket'),
        sql<string>`'row-' || i`.as('label'),
        sql<number>`i / 4`.as('quarter'),
      ])
      .modifyEnd(sql`from range(${sql.lit(rows)}) as r(i)`)
    const start = performance.now()
    const halfway = Math.floor(rows / 2)
    let halfwayPeakRss = 0
    let seen = 0
    for await (const row of query.stream(chunkSize)) {
      // Every row checked, so a lost, repeated or garbled row fails the run.
      const i = seen
      if (
        row.i !== BigInt(i) ||
        row.bucket !== i % 1000 ||
        row.label !== `row-${i}` ||
        row.quarter !== i / 4
      ) {
        throw new Error(
          `row ${i} is wrong: ${JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`,
        )
      }
      if (seen === 0) print({ event: 'streaming' })
      seen++
      if (seen === halfway) {
        halfwayPeakRss = residentKib('VmHWM')
        print({ event: 'halfway', peakRss: halfwayPeakRss })
      }
    }
    const ms = performance.now() - start
    print({
      event: 'done',
      rows: seen,
      ms,
      rssBefore,
      halfwayPeakRss,
      peakRss: residentKib('VmHWM'),
    })
  } finally {
    await db.destroy()
  }
}

function print(event: StreamClientEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exit(1)
})
