import type {
  ColumnUpdateNode,
  CompiledQuery,
  InsertQueryNode,
  OperationNode,
  UpdateQueryNode,
  ValueListNode,
} from 'kysely'
import type { CatalogConnection } from '../catalog/catalog-connection.js'
import { readTableColumns } from '../catalog/catalog-queries.js'
import { qualifiedSchemaParts } from '../catalog/table-key.js'
import { MotherDuckError } from '../errors/motherduck-error.js'
import { scalarTypeOf } from '../types/duckdb-types.js'
import { encoderFor, RefusedValueError } from '../types/value-policy.js'

/*
 * `insertInto().values()`, `update().set()` and `onConflict(… doUpdateSet())` parameters follow the value
 * policy (src/types/value-policy.ts), as `insertRows` does: the compiler records which column each such
 * parameter is written to, and the connection, before sending, checks the value against the column's
 * DuckDB type and sends the policy's text for it (a Date in a DATE column as its local date, −0 as
 * `-0.0`, nested values with their fields' types). Column types come from one `duckdb_columns()` query
 * per table, kept per dialect; a statement that may change a table (anything but a query or DML) drops
 * them, and a refusal is re-checked against freshly read types before it is thrown.
 */

/** The column a parameter is written to. */
export interface ParameterColumn {
  /** The schema as the query names it (`main`, `my_db:main`, `my_db.main`), if it does. */
  readonly schema: string | undefined
  readonly table: string
  readonly column: string
}

const PARAMETER_COLUMNS = new WeakMap<CompiledQuery, readonly (ParameterColumn | undefined)[]>()

/** Records the columns of a compiled query's parameters (index = parameter number − 1). */
export function recordParameterColumns(
  compiled: CompiledQuery,
  columns: readonly (ParameterColumn | undefined)[],
): void {
  if (columns.some((column) => column !== undefined)) PARAMETER_COLUMNS.set(compiled, columns)
}

/**
 * The column the parameter on top of the compiler's node stack is written to: a value of an INSERT's
 * VALUES row (`listIndex` is its position in a primitive value list), or of a SET (of UPDATE or of
 * ON CONFLICT DO UPDATE). Undefined anywhere else.
 */
export function parameterColumnOf(
  stack: readonly OperationNode[],
  listIndex: number | undefined,
): ParameterColumn | undefined {
  const top = stack.length - 1
  const self = stack[top]
  const parent = stack[top - 1]
  if (self === undefined || parent === undefined) return undefined
  if (self.kind === 'PrimitiveValueListNode' && parent.kind === 'ValuesNode') {
    return insertColumn(stack[top - 2], listIndex)
  }
  if (parent.kind === 'ValueListNode' && stack[top - 2]?.kind === 'ValuesNode') {
    return insertColumn(stack[top - 3], (parent as ValueListNode).values.indexOf(self))
  }
  if (parent.kind === 'ColumnUpdateNode') {
    const column = columnName((parent as ColumnUpdateNode).column)
    if (column === undefined) return undefined
    for (let i = top - 2; i >= 0; i--) {
      const node = stack[i]!
      if (node.kind === 'InsertQueryNode')
        return tableColumn((node as InsertQueryNode).into, column)
      if (node.kind === 'UpdateQueryNode')
        return tableColumn((node as UpdateQueryNode).table, column)
      if (node.kind === 'SelectQueryNode') return undefined
    }
  }
  return undefined
}

function insertColumn(
  node: OperationNode | undefined,
  index: number | undefined,
): ParameterColumn | undefined {
  if (node?.kind !== 'InsertQueryNode' || index === undefined || index < 0) return undefined
  const insert = node as InsertQueryNode
  const column = insert.columns?.[index]
  return column === undefined ? undefined : tableColumn(insert.into, column.column.name)
}

function columnName(node: OperationNode): string | undefined {
  if (node.kind === 'ColumnNode')
    return (node as unknown as { column: { name: string } }).column.name
  if (node.kind === 'ReferenceNode') {
    const column = (node as unknown as { column: OperationNode }).column
    return column.kind === 'ColumnNode' ? columnName(column) : undefined
  }
  return undefined
}

function tableColumn(node: OperationNode | undefined, column: string): ParameterColumn | undefined {
  // `update('t as x')`: the table inside the alias.
  const table =
    node?.kind === 'AliasNode' ? (node as unknown as { node: OperationNode }).node : node
  if (table?.kind !== 'TableNode') return undefined
  const name = (
    table as unknown as { table: { schema?: { name: string }; identifier: { name: string } } }
  ).table
  return { schema: name.schema?.name, table: name.identifier.name, column }
}

/**
 * Thrown before a query is sent when a value given to `values()` or `set()` cannot be stored exactly in
 * its column (the value policy, the same that `insertRows` follows): 2.5 for an INTEGER, 2 for a BOOLEAN,
 * an object with a key the STRUCT lacks, 1e39 for a FLOAT… `valueType` and `reason` say which.
 */
export class InvalidColumnValueError extends MotherDuckError {
  override readonly name = 'InvalidColumnValueError'
  readonly valueType: string
  readonly reason: string
  constructor(
    readonly table: string,
    readonly column: string,
    readonly dataType: string,
    refusal: RefusedValueError,
  ) {
    super(`${table}, column ${JSON.stringify(column)} (${dataType}): ${refusal.message}`)
    this.valueType = refusal.valueType
    this.reason = refusal.message
  }
}

type ColumnTypes = ReadonlyMap<string, string>

/** What does not change a table: queries and DML (their parameters may be checked against cached types). */
const KEEPS_TABLES =
  /^\s*\(?\s*(?:select|with|insert|update|delete|from|values|show|describe|explain|summarize|pivot|unpivot)\b/i

/** The column types of the tables a dialect's queries write to, and the checks that use them. */
export class ColumnValuePolicy {
  readonly #tables = new Map<string, Promise<ColumnTypes>>()

  /**
   * The parameters pg should send for `compiled`: those written to a column encoded by the value policy
   * for its type (a refused one throws {@link InvalidColumnValueError}), the rest by `fallback`.
   */
  async wireParameters(
    compiled: CompiledQuery,
    connection: CatalogConnection,
    fallback: (parameters: readonly unknown[]) => unknown[],
  ): Promise<unknown[]> {
    if (!KEEPS_TABLES.test(compiled.sql)) this.#tables.clear()
    const wire = fallback(compiled.parameters)
    const columns = PARAMETER_COLUMNS.get(compiled)
    if (columns === undefined) return wire
    for (let i = 0; i < columns.length; i++) {
      const target = columns[i]
      const value = compiled.parameters[i]
      if (target === undefined || value === null || value === undefined) continue
      const encoded = await this.#encode(connection, target, value)
      if (encoded !== undefined) wire[i] = wireValue(encoded, value, wire[i])
    }
    return wire
  }

  /**
   * The column's type and the policy's text for `value`, encoded once; the types are read again when
   * the cached ones lack the column or refuse the value (the table may have changed since).
   */
  async #encode(
    connection: CatalogConnection,
    target: ParameterColumn,
    value: unknown,
  ): Promise<Encoded | undefined> {
    const key = `${target.schema ?? ''}\u0000${target.table}`
    const cached = this.#tables.get(key)
    if (cached !== undefined) {
      const dataType = lookup(await cached, target.column)
      const text = dataType === undefined ? undefined : tryEncode(dataType, value)
      if (text !== undefined) return { dataType: dataType!, text }
    }
    const fresh = readTypes(connection, target)
    this.#tables.set(key, fresh)
    const dataType = lookup(await fresh, target.column)
    if (dataType === undefined) return undefined
    try {
      return { dataType, text: encoderFor(dataType)(value) }
    } catch (error) {
      if (error instanceof RefusedValueError) {
        const table =
          target.schema === undefined ? target.table : `${target.schema}.${target.table}`
        throw new InvalidColumnValueError(table, target.column, dataType, error)
      }
      throw error
    }
  }
}

/** A parameter's column type and the value policy's JSON text for it. */
interface Encoded {
  readonly dataType: string
  readonly text: string
}

function lookup(types: ColumnTypes, column: string): string | undefined {
  return types.get(column) ?? types.get(column.toLowerCase())
}

/** The policy's text for `value`, or undefined when the type refuses it. */
function tryEncode(dataType: string, value: unknown): string | undefined {
  try {
    return encoderFor(dataType)(value)
  } catch (error) {
    if (error instanceof RefusedValueError) return undefined
    throw error
  }
}

async function readTypes(
  connection: CatalogConnection,
  target: ParameterColumn,
): Promise<ColumnTypes> {
  const parts =
    target.schema === undefined ? [] : (qualifiedSchemaParts(target.schema) ?? [target.schema])
  const [database, schema] = parts.length === 2 ? parts : [undefined, parts[0]]
  const columns = await readTableColumns(connection, { database, schema, table: target.table })
  const types = new Map<string, string>()
  for (const column of columns) {
    types.set(column.name, column.dataType)
    if (!types.has(column.name.toLowerCase())) types.set(column.name.toLowerCase(), column.dataType)
  }
  return types
}

/**
 * The text pg sends for a value the policy encoded: its JSON text for nested and JSON columns (the
 * compiler reads arrays and objects with `CAST($n AS JSON)`; a JSON column reads JSON text), else the
 * scalar's text (a JSON string's content). BLOB values keep their bytes.
 */
function wireValue({ dataType, text }: Encoded, value: unknown, fallback: unknown): unknown {
  const scalar = scalarTypeOf(dataType)
  if (scalar === 'BLOB' || value instanceof Uint8Array) return fallback
  if (scalar === undefined || scalar === 'JSON' || scalar === 'VARIANT') return text
  return text.startsWith('"') ? (JSON.parse(text) as string) : text
}
