import { type DuckDBType, type DuckDBValue, LIST, listValue, VARCHAR } from '@duckdb/node-api'

/** A parameter value ready to bind, with the DuckDB type to bind it as. */
export interface TypedValue {
  readonly value: DuckDBValue
  readonly type: DuckDBType
}

/** Text that binds as VARCHAR, for DuckDB to cast to the type it inferred. */
export function varchar(text: string): TypedValue {
  return { value: text, type: VARCHAR }
}

/**
 * A list of element values as one typed list. Elements of a declared type decode to one DuckDB type,
 * except numerics (a DECIMAL's width varies) and texts DuckDB must parse: those bind as VARCHAR.
 */
export function typedList(
  elements: readonly (TypedValue | null)[],
  fallback: DuckDBType,
): TypedValue {
  const types = new Set(
    elements.flatMap((element) => (element === null ? [] : [element.type.toString()])),
  )
  if (types.size <= 1) {
    const first = elements.find((element) => element !== null)
    return {
      value: listValue(elements.map((element) => (element === null ? null : element.value))),
      type: LIST(first?.type ?? fallback),
    }
  }
  return {
    value: listValue(elements.map((element) => (element === null ? null : String(element.value)))),
    type: LIST(VARCHAR),
  }
}
