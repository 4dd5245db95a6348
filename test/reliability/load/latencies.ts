/**
 * Latencies of one scenario, recorded per operation and summarised as percentiles. The figures are
 * printed, never asserted: this machine is shared and noisy.
 */
export class Latencies {
  readonly #samples: number[] = []

  /** Adds one operation's duration in milliseconds. */
  record(ms: number): void {
    this.#samples.push(ms)
  }

  /** Runs `operation`, records how long it took, and returns its result (a failure records nothing). */
  async time<T>(operation: () => Promise<T>): Promise<T> {
    const start = performance.now()
    const result = await operation()
    this.record(performance.now() - start)
    return result
  }

  get count(): number {
    return this.#samples.length
  }

  /** The nearest-rank percentile (`p` in 0–100) in milliseconds; NaN without samples. */
  percentile(p: number): number {
    if (this.#samples.length === 0) return Number.NaN
    const sorted = [...this.#samples].sort((a, b) => a - b)
    const rank = Math.ceil((p / 100) * sorted.length)
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN
  }

  /** `n 6400, p50 3.1 ms, p99 25 ms, max 80 ms` */
  summary(): string {
    return (
      `n ${this.count}, p50 ${formatMs(this.percentile(50))}, ` +
      `p99 ${formatMs(this.percentile(99))}, max ${formatMs(this.percentile(100))}`
    )
  }
}

/** `3.1 ms` below 10 ms, `25 ms` above. */
export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}
