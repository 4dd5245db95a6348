import { GENERATED_TYPE_NAMES } from './column-type-aliases.js'
import { GLOBAL_DEFINITIONS, GLOBAL_IMPORTS, toKyselyPascalCase } from './kysely-codegen.js'

/**
 * Appended to a table name that kysely-codegen would mishandle as a symbol id (see
 * {@link needsSubstituteId}); the serializer removes it from the `DB` interface's keys, so only the
 * interface's name shows it (`DBTable`, `ConstructorTable`). No DuckDB name contains NUL, so it cannot
 * clash with a real name.
 */
export const SUBSTITUTE_ID_SUFFIX = '\u0000table'

// kysely-codegen keeps symbols in plain objects: an id like `constructor` finds Object.prototype's.
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype))

// Names the generated file refers to: a table or enum interface of that name would shadow or merge with them.
const RESERVED_NAMES = new Set([
  'DB',
  'Date',
  'Buffer',
  'Record',
  'Extract',
  ...GENERATED_TYPE_NAMES,
  ...Object.keys(GLOBAL_DEFINITIONS),
  ...Object.keys(GLOBAL_IMPORTS),
])

/** The interface name kysely-codegen derives from a symbol id (its `SymbolCollection`'s rule). */
function symbolNameOf(id: string): string {
  return toKyselyPascalCase(id.replaceAll(/[^\w$\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/g, '_'))
}

/**
 * Whether kysely-codegen would mishandle `id` (a table key, or an enum's symbol id) as a symbol: an
 * `Object.prototype` key (`constructor`, `__proto__`, `toString`: its symbol table is a plain object, and
 * generation crashed), a type name the file uses (`Generated`, `ColumnType`, `Int8`, `JsonValue`: columns
 * of that type would get the table's interface), or an id whose interface name is one of those or `DB`,
 * `Date`, `Buffer`, `Record`, `Extract` (a table `db` would merge into the `DB` interface, a table `date`
 * would shadow `Date`, a table `timestamp` the `Timestamp` alias).
 *
 * ### Examples
 *
 * ```ts
 * needsSubstituteId('orders') // false
 * needsSubstituteId('constructor') // true
 * needsSubstituteId('d_b') // true: its interface would be `DB`
 * ```
 */
export function needsSubstituteId(id: string): boolean {
  return PROTOTYPE_KEYS.has(id) || RESERVED_NAMES.has(id) || RESERVED_NAMES.has(symbolNameOf(id))
}
