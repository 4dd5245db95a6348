import { quoteIdentifier as id, quoteString as lit } from '../../../src/sql/quote.js'
import {
  HOSTILE_NAMES,
  keyRoundTrips,
  LONG_NAME_LENGTH,
  longHostileString,
  UNKEYABLE_TABLE_NAMES,
} from './hostile-strings.js'

/**
 * A database whose every name is hostile, for codegen: tables, columns, schemas, an attached database,
 * enum types and labels, STRUCT fields, views and column comments, all from `HOSTILE_NAMES`, plus
 * tables that cannot be keyed (`UNKEYABLE_TABLE_NAMES`, schemas with `:` or `.`).
 */

/** The connected database. */
export const MAIN_DATABASE = 'hostile_main'
/** A second attached database with a hostile name (no `.` or `:`, so that its tables can be keyed). */
export const OTHER_DATABASE = `it's "other" */ db; --🦆`

/** One table the catalog creates, with the columns its typed round trip writes and reads. */
export interface HostileTable {
  readonly database: string
  readonly schema: string
  readonly table: string
  /** Every table has `id INTEGER PRIMARY KEY` and these VARCHAR columns. */
  readonly columns: readonly string[]
  /** Whether codegen can key it (else it is left out with a warning). */
  readonly keyable: boolean
}

/** Enum labels: every hostile name, and labels TypeScript cannot use as member names as they are. */
export const ENUM_LABELS: readonly string[] = [...HOSTILE_NAMES, '1', '-1', 'Infinity', 'A-B']
export const ENUM_TYPE = '*/ mood; drop table canary; --'
/** Enum types whose names are also symbol names a generated file needs. */
export const RESERVED_ENUM_TYPES: readonly string[] = ['d_b', 'constructor', 'json_value', 'buffer']

const UNKEYABLE_SCHEMAS = ['sch:colon', 'sch.dot']

/** The tables of the hostile catalog. */
export function hostileTables(): HostileTable[] {
  const tables: HostileTable[] = []
  const add = (database: string, schema: string, table: string, columns: readonly string[]) => {
    const parts =
      database !== MAIN_DATABASE
        ? [database, schema, table]
        : schema === 'main'
          ? [table]
          : [schema, table]
    tables.push({ database, schema, table, columns, keyable: keyRoundTrips(parts) })
  }
  HOSTILE_NAMES.forEach((name, i) => {
    const other = HOSTILE_NAMES[(i + 7) % HOSTILE_NAMES.length]!
    add(MAIN_DATABASE, 'main', name, [name, other])
    // Each name is also a schema (holding a table named after another one), in both databases.
    add(MAIN_DATABASE, name, other, [name])
    if (i % 3 === 0) add(OTHER_DATABASE, name, other, [other])
  })
  add(MAIN_DATABASE, 'main', 'wide', HOSTILE_NAMES)
  // A long table name with a long column, in a long schema name.
  const long = longHostileString(LONG_NAME_LENGTH).replaceAll(/[.:]| as /g, '_')
  add(MAIN_DATABASE, `s${long}`, `t${long}`, [`c${long}`])
  add(OTHER_DATABASE, 'main', HOSTILE_NAMES[0]!, HOSTILE_NAMES.slice(0, 5))
  for (const name of UNKEYABLE_TABLE_NAMES) add(MAIN_DATABASE, 'main', name, ['v'])
  for (const schema of UNKEYABLE_SCHEMAS) add(MAIN_DATABASE, schema, 't', ['v'])
  return tables
}

function qualified(table: { database: string; schema: string; table: string }): string {
  return [table.database, table.schema, table.table].map(id).join('.')
}

/** The statements that build the catalog (run on the connected database `MAIN_DATABASE`). */
export function hostileCatalogStatements(tables: readonly HostileTable[]): string[] {
  const statements: string[] = []
  const schemas = new Set<string>()
  for (const table of tables) {
    const schemaKey = JSON.stringify([table.database, table.schema])
    if (table.schema !== 'main' && !schemas.has(schemaKey)) {
      schemas.add(schemaKey)
      statements.push(`create schema if not exists ${id(table.database)}.${id(table.schema)}`)
    }
    const columns = table.columns.map((column) => `${id(column)} varchar`)
    statements.push(
      `create table ${qualified(table)} (id integer primary key, ${columns.join(', ')})`,
    )
    for (const column of table.columns) {
      // The comment is the name itself: `*/` and newlines in a JSDoc block.
      statements.push(`comment on column ${qualified(table)}.${id(column)} is ${lit(column)}`)
    }
  }
  statements.push(
    `create type ${id(ENUM_TYPE)} as enum (${ENUM_LABELS.map(lit).join(', ')})`,
    ...RESERVED_ENUM_TYPES.map(
      (name, i) => `create type ${id(name)} as enum (${lit(`${name} label`)}, ${lit(`l${i}`)})`,
    ),
    `create table enums (id integer primary key, mood ${id(ENUM_TYPE)}, ${RESERVED_ENUM_TYPES.map(
      (name, i) => `e${i} ${id(name)}`,
    ).join(
      ', ',
    )}, fields struct(${HOSTILE_NAMES.map((name) => `${id(name)} varchar`).join(', ')}))`,
    `create view ${id('view */ of; --')} as select * from ${id(HOSTILE_NAMES[0]!)}`,
  )
  return statements
}
