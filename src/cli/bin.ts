#!/usr/bin/env node
import * as nodeModule from 'node:module'

// libuv sizes its thread pool from UV_THREADPOOL_SIZE when it first uses it, so this runs before any
// module is loaded. Every DuckDB call of the local endpoint holds a pool thread while it runs; with
// libuv's 4, four long queries froze every other session and every login (see maxConcurrentQueries).
process.env.UV_THREADPOOL_SIZE ??= '16'
// Start-up is most of a short command (codegen in CI): Node keeps the compiled code of the modules
// between runs (in its cache folder under the system's temp directory) where it can.
;(nodeModule as Partial<typeof nodeModule>).enableCompileCache?.()
const { runCli } = await import('./cli.js')

process.exitCode = await runCli(process.argv.slice(2))
