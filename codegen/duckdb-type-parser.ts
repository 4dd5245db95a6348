// The parser lives with the type table, which the runtime library's value policy also reads.
export * from '../src/types/duckdb-type-parser.js'
