/**
 * Quoting of names and strings in DuckDB SQL text, for the few places that write SQL themselves
 * (Kysely's builders quote everything else). DuckDB strings are standard-conforming: only `'` needs
 * doubling, backslashes are literal.
 */

/** `"name"`, with embedded double quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** `'text'`, with embedded single quotes doubled. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}
