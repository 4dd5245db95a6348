import ts from 'typescript'
import type { HostileTable } from './hostile-catalog.js'
import { parsesAsItself } from './hostile-strings.js'

/**
 * The typed round trip of a generated file: a TypeScript module that, for every keyed table, inserts a
 * row through `db.insertInto(key).values(row)` (typed `Insertable<DB[key]>`) and reads it back with
 * `selectAll()` and, for columns Kysely can name, `select([column])` — code that must type-check against
 * the generated `DB` and is then run on the endpoint. `expected` is what `run()` must resolve to.
 */
export interface TypedRoundTrip {
  readonly source: string
  readonly expected: unknown[]
}

/** The value the round trip writes into `column` of `table`: hostile text that names both. */
export function cellValue(table: HostileTable, column: string): string {
  return `${column} ⇐ ${table.database}.${table.schema}.${table.table} '"; --`
}

/**
 * An object literal with computed keys: a plain `"__proto__": v` in a literal sets the prototype instead
 * of a property.
 */
function objectLiteral(row: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(row).map(
    ([k, v]) => `[${JSON.stringify(k)}]: ${JSON.stringify(v)}`,
  )
  return `{ ${entries.join(', ')} }`
}

export function typedRoundTrip(
  tables: readonly { table: HostileTable; key: string }[],
  enumRow?: { key: string; row: Readonly<Record<string, unknown>> },
): TypedRoundTrip {
  const lines = [
    'import type { Insertable, Kysely, Selectable } from "kysely";',
    'import type { DB } from "./db.js";',
    '',
    'export async function run(db: Kysely<DB>): Promise<unknown[]> {',
    '  const results: unknown[] = [];',
  ]
  const expected: unknown[] = []
  for (const { table, key } of tables) {
    const k = JSON.stringify(key)
    // fromEntries defines own properties, `__proto__` included.
    const row: Record<string, unknown> = Object.fromEntries([
      ['id', 2],
      ...table.columns.map((column) => [column, cellValue(table, column)]),
    ])
    const named = table.columns.filter(parsesAsItself)
    lines.push(
      '  {',
      `    const row: Insertable<DB[${k}]> = ${objectLiteral(row)};`,
      `    await db.insertInto(${k}).values(row).execute();`,
      `    const rows: Selectable<DB[${k}]>[] = await db.selectFrom(${k}).selectAll().where("id", "=", 2).execute();`,
      '    results.push(rows);',
    )
    expected.push([row])
    if (named.length > 0) {
      const shape = named.map((column) => `${JSON.stringify(column)}: string | null`).join('; ')
      lines.push(
        `    const picked: { ${shape} }[] = await db.selectFrom(${k}).select(${JSON.stringify(named)}).where("id", "=", 2).execute();`,
        '    results.push(picked);',
      )
      expected.push([Object.fromEntries(named.map((column) => [column, cellValue(table, column)]))])
    }
    lines.push('  }')
  }
  if (enumRow !== undefined) {
    const k = JSON.stringify(enumRow.key)
    lines.push(
      `  await db.insertInto(${k}).values(${objectLiteral(enumRow.row)}).execute();`,
      `  results.push(await db.selectFrom(${k}).select(${JSON.stringify(Object.keys(enumRow.row))}).execute());`,
    )
    expected.push([enumRow.row])
  }
  lines.push('  return results;', '}')
  return { source: lines.join('\n'), expected }
}

/**
 * The keys of the `DB` interface of a generated file, and whether the file holds anything but
 * declarations: an injected `export const …` (or any statement that is not an import, a type alias, an
 * interface or an enum) shows that a name escaped from a comment or a string.
 */
export function inspectGeneratedFile(text: string): { keys: string[]; foreign: string[] } {
  const file = ts.createSourceFile('db.ts', text, ts.ScriptTarget.Latest, true)
  const foreign = file.statements
    .filter(
      (statement) =>
        !ts.isImportDeclaration(statement) &&
        !ts.isTypeAliasDeclaration(statement) &&
        !ts.isInterfaceDeclaration(statement) &&
        !ts.isEnumDeclaration(statement),
    )
    .map((statement) => statement.getText(file).slice(0, 80))
  const db = file.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'DB',
  )
  const keys = (db?.members ?? []).map((member) => {
    const name = member.name
    if (name === undefined || !(ts.isIdentifier(name) || ts.isStringLiteral(name))) {
      throw new Error(
        `a DB key that is neither an identifier nor a string: ${member.getText(file)}`,
      )
    }
    return name.text
  })
  return { keys, foreign }
}
