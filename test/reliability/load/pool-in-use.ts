import type pg from 'pg'

/** How many of a pg pool's connections are checked out at once. */
export interface PoolInUse {
  /** Checked out now. */
  readonly now: number
  /** The most checked out at any one time since tracking began. */
  readonly peak: number
}

/**
 * Follows a pg pool's `acquire` and `release` events, so that a test can show how many connections its
 * clients really held at once (not merely how many the pool may open).
 */
export function trackPoolInUse(pool: pg.Pool): PoolInUse {
  let now = 0
  let peak = 0
  pool.on('acquire', () => {
    now++
    peak = Math.max(peak, now)
  })
  pool.on('release', () => {
    now--
  })
  return {
    get now() {
      return now
    },
    get peak() {
      return peak
    },
  }
}
