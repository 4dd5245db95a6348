/** Renders rows as an aligned plain-text table, the way a terminal user reads query results. */
export function formatTable(rows: readonly Record<string, unknown>[], maxWidth = 48): string {
  const first = rows[0]
  if (!first) return '(no rows)'
  const columns = Object.keys(first)
  const cells = rows.map((row) =>
    columns.map((column) => truncate(formatValue(row[column]), maxWidth)),
  )
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...cells.map((cellRow) => cellRow[i]?.length ?? 0)),
  )
  const line = (values: readonly string[]) =>
    values.map((value, i) => value.padEnd(widths[i] ?? 0)).join(' │ ')
  const rule = widths.map((width) => '─'.repeat(width)).join('─┼─')
  return [line(columns), rule, ...cells.map(line)].join('\n')
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (value instanceof Date)
    return value
      .toISOString()
      .replace('T', ' ')
      .replace(/\.000Z$/, 'Z')
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`
  if (typeof value === 'object')
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  return String(value)
}

function truncate(text: string, maxWidth: number): string {
  return text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text
}
