/**
 * Admission control for DuckDB work: at most `limit` statement calls (prepare, execute, fetch a
 * chunk) run at once across the endpoint's sessions; the others wait their turn, first come first
 * served. Every such call holds a thread of libuv's pool while DuckDB works, and that pool also
 * serves logins (`instance.connect()`) and the file system: with the pool full of long queries the
 * whole endpoint froze. Keeping `limit` below the pool's size leaves threads for them.
 *
 * A slot is held only for the length of one DuckDB call, never while a session waits for its
 * client, so a slow reader never blocks the others.
 *
 * ### Examples
 * ```ts
 * const admission = new QueryAdmission(2)
 * const chunk = await admission.run(() => result.fetchChunk())
 * ```
 */
export class QueryAdmission {
  private running = 0
  private readonly waiting: { admit: () => void }[] = []

  constructor(readonly limit: number) {}

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.waiting.length
  }

  /**
   * Runs `call` once a slot is free. `onQueued` receives a function that takes the call out of the
   * queue, rejecting with the error given (a cancel while it waits); it is not called when a slot is
   * free at once.
   */
  async run<T>(
    call: () => Promise<T>,
    onQueued?: (leave: (error: unknown) => void) => void,
  ): Promise<T> {
    if (this.running >= this.limit) await this.wait(onQueued)
    else this.running++
    try {
      return await call()
    } finally {
      this.release()
    }
  }

  /** Waits in line; on return the slot was handed over (`running` already counts it). */
  private wait(onQueued?: (leave: (error: unknown) => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry = { admit: resolve }
      this.waiting.push(entry)
      onQueued?.((error) => {
        const index = this.waiting.indexOf(entry)
        if (index === -1) return
        this.waiting.splice(index, 1)
        reject(error)
      })
    })
  }

  private release(): void {
    const next = this.waiting.shift()
    // The slot passes straight to the next in line, so `running` stays as it is.
    if (next !== undefined) next.admit()
    else this.running--
  }
}

/** Threads in libuv's pool: UV_THREADPOOL_SIZE as the process started with it, else libuv's 4. */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number(env.UV_THREADPOOL_SIZE)
  return Number.isInteger(size) && size >= 1 ? Math.min(size, 1024) : 4
}

/** Pool threads kept free of queries: one for logins and one for everything else (files, DNS). */
export const RESERVED_POOL_THREADS = 2

/** The default limit of concurrent DuckDB calls: the pool's threads but {@link RESERVED_POOL_THREADS}. */
export function defaultConcurrentQueries(env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(1, threadPoolSize(env) - RESERVED_POOL_THREADS)
}
