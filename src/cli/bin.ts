#!/usr/bin/env node
import * as nodeModule from 'node:module'

// Start-up is most of a short command (codegen in CI): Node keeps the compiled code of the modules
// between runs (in its cache folder under the system's temp directory) where it can.
;(nodeModule as Partial<typeof nodeModule>).enableCompileCache?.()
const { runCli } = await import('./cli.js')

process.exitCode = await runCli(process.argv.slice(2))
