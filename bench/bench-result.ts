/** One measured ratio of a benchmark, as `bench/run-all.ts` prints it. */
export interface BenchResult {
  /** What was compared, e.g. `read 1,000,000 rows: wire / in-process throughput`. */
  readonly name: string
  /** The measured ratio. */
  readonly ratio: number
  /** The target as text, e.g. `>= 0.8` or `<= 2`. */
  readonly target: string
  /** Whether `ratio` meets `target`. */
  readonly pass: boolean
}
