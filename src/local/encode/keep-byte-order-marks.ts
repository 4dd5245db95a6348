import { createRequire } from 'node:module'

/*
 * @duckdb/node-api decodes strings (VARCHAR values, and the strings inside LISTs, STRUCTs, MAPs, JSON)
 * with a default TextDecoder, which drops a leading U+FEFF as a byte-order mark: a value stored as
 * "\uFEFFabc…" would reach clients one character short. Its accessors look the decoder up in their
 * module's exports on every call, so replacing it with one that keeps byte-order marks makes every
 * string come back as DuckDB holds it. Loaded for its effect by the value encoder; if a later
 * @duckdb/node-api version no longer has this shape, it does nothing (test/reliability/hostile-input
 * then fails on its leading-U+FEFF values).
 */
const accessors = createRequire(import.meta.url)(
  '@duckdb/node-api/lib/vectors/dataAccessors.js',
) as {
  textDecoder?: unknown
}
if (accessors.textDecoder instanceof TextDecoder && !accessors.textDecoder.ignoreBOM) {
  accessors.textDecoder = new TextDecoder('utf-8', { ignoreBOM: true })
}
