import { pathToFileURL } from 'node:url'

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

/**
 * Runs a benchmark module's `run()` when the module is the script node was started with
 * (`npx tsx bench/x.bench.ts`), and prints each ratio against its target.
 */
export async function runWhenMain(
  moduleUrl: string,
  run: () => Promise<readonly BenchResult[]>,
): Promise<void> {
  const script = process.argv[1]
  if (!script || moduleUrl !== pathToFileURL(script).href) return
  for (const result of await run()) {
    const verdict = result.pass ? 'pass' : 'MISS'
    console.log(`${result.name}: ${result.ratio.toFixed(2)} (target ${result.target}) ${verdict}`)
  }
}
