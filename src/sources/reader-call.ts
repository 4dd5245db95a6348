import { type ReaderPaths, remotePathList } from '../motherduck/remote-path.js'
import { sqlStringLiteral } from '../sql/sql-string-literal.js'
import { InvalidReaderOptionError } from './invalid-reader-option-error.js'
import { mdRunKeyword } from './md-run.js'

/** How one named parameter of a reader is written in SQL. */
export type ReaderOptionKind =
  | 'boolean'
  | 'integer'
  | 'number'
  | 'string'
  | 'strings'
  | 'string-or-strings'
  | 'boolean-or-string'
  /** `{ name: 'TYPE' }` → `{'name': 'TYPE'}` (a DuckDB STRUCT literal). */
  | 'struct'
  | 'strings-or-struct'

/** A reader's named parameters (DuckDB's spelling) and how each is written. */
export type ReaderOptionKinds = Readonly<Record<string, ReaderOptionKind>>

const EXPECTED: Record<ReaderOptionKind, string> = {
  boolean: 'a boolean',
  integer: 'an integer (number or bigint)',
  number: 'a finite number',
  string: 'a string',
  strings: 'a list of strings',
  'string-or-strings': 'a string or a list of strings',
  'boolean-or-string': 'a boolean or a string',
  struct: 'a non-empty object whose values are strings',
  'strings-or-struct': 'a list of strings or a non-empty object whose values are strings',
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

function isStruct(value: unknown): value is Readonly<Record<string, string>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.values(value).every((item) => typeof item === 'string')
  )
}

function listLiteral(items: readonly string[], context: string): string {
  return `[${items.map((item) => sqlStringLiteral(item, context)).join(', ')}]`
}

function structLiteral(struct: Readonly<Record<string, string>>, context: string): string {
  const fields = Object.entries(struct).map(
    ([key, value]) =>
      `${sqlStringLiteral(key, `${context} key`)}: ${sqlStringLiteral(value, `${context} value`)}`,
  )
  return `{${fields.join(', ')}}`
}

/** The SQL for one option value, or undefined when the value does not fit `kind`. */
function optionValueSql(
  kind: ReaderOptionKind,
  value: unknown,
  context: string,
): string | undefined {
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : undefined
    case 'integer':
      if (typeof value === 'bigint') return String(value)
      return Number.isSafeInteger(value) ? String(value) : undefined
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined
    case 'string':
      return typeof value === 'string' ? sqlStringLiteral(value, context) : undefined
    case 'strings':
      return isStringList(value) ? listLiteral(value, context) : undefined
    case 'string-or-strings':
      if (typeof value === 'string') return sqlStringLiteral(value, context)
      return isStringList(value) ? listLiteral(value, context) : undefined
    case 'boolean-or-string':
      if (typeof value === 'boolean') return String(value)
      return typeof value === 'string' ? sqlStringLiteral(value, context) : undefined
    case 'struct':
      return isStruct(value) ? structLiteral(value, context) : undefined
    case 'strings-or-struct':
      if (isStringList(value)) return listLiteral(value, context)
      return isStruct(value) ? structLiteral(value, context) : undefined
  }
}

/**
 * The SQL text of a reader call: `read_csv('s3://b/x.csv', header = true, MD_RUN = REMOTE)`.
 * Paths and option values are written as escaped string literals (never spliced in as SQL); option
 * names come from `kinds` only, so no caller-supplied text ever lands outside a literal.
 */
export function readerCallSql(
  reader: string,
  paths: ReaderPaths,
  options: object | undefined,
  kinds: ReaderOptionKinds,
): string {
  const list = remotePathList(paths, reader)
  const pathSql =
    typeof paths === 'string'
      ? sqlStringLiteral(paths, `${reader} path`)
      : listLiteral(list, `${reader} path`)
  const args = [pathSql]
  let mdRun: unknown
  for (const [name, value] of Object.entries(options ?? {})) {
    if (name === 'mdRun') {
      mdRun = value
      continue
    }
    if (value === undefined) continue
    const kind = Object.hasOwn(kinds, name) ? kinds[name] : undefined
    if (kind === undefined) throw new InvalidReaderOptionError(reader, name, 'unknown')
    const sqlValue = optionValueSql(kind, value, `${reader} option ${name}`)
    if (sqlValue === undefined) throw new InvalidReaderOptionError(reader, name, EXPECTED[kind])
    args.push(`${name} = ${sqlValue}`)
  }
  args.push(`MD_RUN = ${mdRunKeyword(mdRun, reader)}`)
  return `${reader}(${args.join(', ')})`
}
