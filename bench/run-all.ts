/**
 * `npm run bench`: runs every benchmark in this folder, one after another in one process, and prints one
 * table of the ratios each measured side by side, with its target. Exits non-zero when a target is missed,
 * so a regression is visible; the figures themselves are never asserted in tests (machines are noisy).
 */
import type { BenchResult } from './bench-result.js'

const BENCHMARKS = [
  { name: 'local endpoint', load: () => import('./local-endpoint.bench.js') },
  { name: 'dialect', load: () => import('./dialect.bench.js') },
  { name: 'stream', load: () => import('./stream.bench.js') },
  { name: 'codegen', load: () => import('./codegen.bench.js') },
  { name: 'codegen CLI', load: () => import('./codegen-cli.bench.js') },
  { name: 'insertRows', load: () => import('./insert-rows.bench.js') },
  { name: 'auth timing', load: () => import('./auth-timing.bench.js') },
] as const

const results: BenchResult[] = []
for (const benchmark of BENCHMARKS) {
  console.error(`\n▶ ${benchmark.name}`)
  const module = await benchmark.load()
  results.push(...(await module.run()))
}

const header = ['benchmark', 'ratio', 'target', 'result']
const rows = results.map((result) => [
  result.name,
  result.ratio.toFixed(2),
  result.target,
  result.pass ? 'pass' : 'MISS',
])
const widths = header.map((title, i) =>
  Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)),
)
const format = (row: readonly string[]) =>
  row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')
console.log(`\n${format(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`)
for (const row of rows) console.log(format(row))
if (results.some((result) => !result.pass)) process.exitCode = 1
