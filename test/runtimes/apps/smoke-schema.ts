/*
 * The smoke apps' table, report and constants, apart from the queries so that the vitest side can import
 * them without loading the package.
 */

/** The smoke table's row, as codegen would type it. */
export interface SmokeEventTable {
  id: number
  name: string
  amount: bigint
  tags: string[]
}

/** The database the smoke apps query. */
export interface SmokeDatabase {
  smoke_events: SmokeEventTable
}

/** The line prefix of the report an app prints; the test reads the JSON after it. */
export const SMOKE_REPORT_PREFIX = 'SMOKE_REPORT '

/** What an app saw, as JSON (bigints as decimal strings, with their JS type kept apart). */
export interface SmokeReport {
  /** `navigator.userAgent` of the runtime, e.g. `Bun/1.4.5`, `Deno/2.9.6`, `Cloudflare-Workers`. */
  readonly userAgent: string
  /** What `insertRows` resolved to. */
  readonly inserted: number
  /** The typed query's rows: the events whose amount is at least the threshold, by id. */
  readonly large: readonly { readonly name: string; readonly amount: string }[]
  /** `typeof` the first large row's amount: BIGINT must arrive as `bigint` in every runtime. */
  readonly amountType: string
  /** Every row, in id order, as `.stream(2)` yielded them. */
  readonly streamed: readonly {
    readonly id: number
    readonly name: string
    readonly tags: string[]
  }[]
}

/** The amount from which the typed query keeps an event; the test asks Node the same question. */
export const LARGE_AMOUNT = 3_000_000_000n

/** The report as the one line an app prints. */
export function smokeReportLine(report: SmokeReport): string {
  return `${SMOKE_REPORT_PREFIX}${JSON.stringify(report)}`
}
