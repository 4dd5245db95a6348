import {
  AliasNode,
  ColumnNode,
  IdentifierNode,
  type OperationNode,
  type OrderByItemNode,
  RawNode,
  ReferenceNode,
  SelectAllNode,
  SelectionNode,
  SelectQueryNode,
  type TableNode,
  ValueNode,
} from 'kysely'

/*
 * jsonArrayFrom aggregates a subquery's rows with DuckDB's list(). list() is a parallel aggregate: it
 * does not see the rows in the subquery's ORDER BY order (a million rows on two threads come out
 * shuffled). An ordered aggregate, list(x ORDER BY …), is sorted by DuckDB itself, so the ORDER BY moves
 * into the aggregate. Its items are evaluated outside the subquery, where only the subquery's output
 * columns (agg."name") exist, so each item becomes either:
 * - an output column: the item names a column the subquery outputs under a name no other output can
 *   also have (an alias, a selected column, a column of a single-table `*`), or
 * - a hidden column: the item's expression is added to the subquery's select list under a reserved
 *   name, ordered by, and left out of the JSON objects.
 * The aggregate reads the output columns as JSON (json-column-value.ts), so the ORDER BY items refer to
 * them through a struct of the subquery's row as it was, `agg."__kysely_motherduck_source"."name"`.
 * Hidden columns change what DISTINCT compares and cannot be added to one branch of a UNION, so such
 * subqueries with an item that is not an output column are aggregated unordered, as before.
 * The subquery keeps its own ORDER BY only where it picks rows (LIMIT, OFFSET, DISTINCT ON); elsewhere
 * it would be a second sort of the same rows (measured: +26 % on two million rows).
 */

/** Names of the columns added to a subquery for ORDER BY items that are not among its output columns. */
const HIDDEN_ORDER_COLUMN_PREFIX = '__kysely_motherduck_order_'

/** How jsonArrayFrom aggregates a subquery. */
export type JsonArrayPlan =
  | { readonly kind: 'unordered' }
  | {
      readonly kind: 'ordered'
      /** The subquery to aggregate: with the hidden columns selected, without a needless ORDER BY. */
      readonly subquery: SelectQueryNode
      /** The aggregate's ORDER BY items, referring to fields of `agg`'s source row struct. */
      readonly orderBy: readonly OrderByItemNode[]
      /** The hidden columns to leave out of each JSON object. */
      readonly hiddenColumns: readonly string[]
    }

/** What one selection of the subquery outputs. */
type Output =
  | { readonly kind: 'named'; readonly name: string; readonly expression: OperationNode }
  | { readonly kind: 'star'; readonly table: TableNode | undefined }
  | { readonly kind: 'unknown' }

/** A FROM or JOIN item: the name its columns are qualified with. */
interface ScopeItem {
  readonly schema: string | undefined
  readonly name: string
  /** An aliased item's columns are only reachable through the alias. */
  readonly aliased: boolean
}

type Key =
  | { readonly kind: 'output'; readonly name: string }
  | { readonly kind: 'hidden'; readonly expression: OperationNode }
  | { readonly kind: 'unsupported' }

const UNORDERED: JsonArrayPlan = { kind: 'unordered' }

/** Decides how jsonArrayFrom keeps the ORDER BY of `node` (the operation node of its argument). */
export function planJsonArray(node: OperationNode): JsonArrayPlan {
  if (!SelectQueryNode.is(node)) return UNORDERED
  const items = node.orderBy?.items ?? []
  if (items.length === 0) return UNORDERED
  const outputs = (node.selections ?? []).map(output)
  const scope = [...(node.from?.froms ?? []), ...(node.joins ?? []).map((join) => join.table)].map(
    scopeItem,
  )
  const combined = (node.setOperations ?? []).length > 0
  // DISTINCT (or any other front modifier, which may be a raw DISTINCT) would compare hidden columns too.
  const hiddenAllowed = !combined && (node.frontModifiers ?? []).length === 0

  const hiddenColumns: string[] = []
  const hiddenSelections: SelectionNode[] = []
  const orderBy: OrderByItemNode[] = []
  for (const item of items) {
    const key = combined ? unionKey(item.orderBy, outputs) : orderKey(item.orderBy, outputs, scope)
    let name: string
    if (key.kind === 'output') {
      name = key.name
    } else if (key.kind === 'hidden' && hiddenAllowed) {
      name = `${HIDDEN_ORDER_COLUMN_PREFIX}${hiddenColumns.length + 1}`
      hiddenColumns.push(name)
      hiddenSelections.push(
        SelectionNode.create(AliasNode.create(key.expression, IdentifierNode.create(name))),
      )
    } else {
      return UNORDERED
    }
    orderBy.push(Object.freeze({ ...item, orderBy: aggColumn(name) }))
  }
  // The subquery's own ORDER BY only costs a second sort unless it decides which rows there are.
  const decidesRows =
    node.limit !== undefined ||
    node.offset !== undefined ||
    node.fetch !== undefined ||
    node.top !== undefined ||
    (node.distinctOn ?? []).length > 0
  const unsorted = decidesRows ? node : SelectQueryNode.cloneWithoutOrderBy(node)
  const subquery =
    hiddenSelections.length === 0
      ? unsorted
      : SelectQueryNode.cloneWithSelections(unsorted, hiddenSelections)
  return { kind: 'ordered', subquery, orderBy, hiddenColumns }
}

/**
 * The column that carries each row of the subquery as it was (a struct), next to the row's columns as
 * JSON: the aggregate orders by its fields, since the JSON columns do not compare as their values do.
 */
export const SOURCE_ROW_COLUMN = '__kysely_motherduck_source'

/**
 * `agg."__kysely_motherduck_source"."name"`, the field `name` of the source row, written as raw SQL like
 * the `agg` alias itself (no plugin takes it for a table).
 */
function aggColumn(name: string): OperationNode {
  return RawNode.create(
    ['agg.', '.', ''],
    [IdentifierNode.create(SOURCE_ROW_COLUMN), IdentifierNode.create(name)],
  )
}

function output(selection: SelectionNode): Output {
  const node = selection.selection
  if (AliasNode.is(node)) {
    return IdentifierNode.is(node.alias)
      ? { kind: 'named', name: node.alias.name, expression: node.node }
      : { kind: 'unknown' }
  }
  if (SelectAllNode.is(node)) return { kind: 'star', table: undefined }
  if (ReferenceNode.is(node)) {
    return SelectAllNode.is(node.column)
      ? { kind: 'star', table: node.table }
      : { kind: 'named', name: node.column.column.name, expression: node }
  }
  if (ColumnNode.is(node)) return { kind: 'named', name: node.column.name, expression: node }
  return { kind: 'unknown' }
}

function scopeItem(node: OperationNode): ScopeItem | undefined {
  if (AliasNode.is(node)) {
    return IdentifierNode.is(node.alias)
      ? { schema: undefined, name: node.alias.name, aliased: true }
      : undefined
  }
  if (isTable(node)) {
    return { schema: node.table.schema?.name, name: node.table.identifier.name, aliased: false }
  }
  return undefined
}

function isTable(node: OperationNode): node is TableNode {
  return node.kind === 'TableNode'
}

/** DuckDB resolves identifiers case-insensitively, quoted or not. */
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/** The one FROM/JOIN item a qualified reference's table names, if exactly one. */
function resolveTable(
  table: TableNode,
  scope: readonly (ScopeItem | undefined)[],
): ScopeItem | undefined {
  const schema = table.table.schema?.name
  const name = table.table.identifier.name
  const matches = scope.filter(
    (item) =>
      item !== undefined &&
      same(item.name, name) &&
      (schema === undefined ||
        (!item.aliased && item.schema !== undefined && same(item.schema, schema))),
  )
  return matches.length === 1 ? matches[0] : undefined
}

/**
 * True when `name` is certainly the name of exactly one output column: a `*` or an unnamed expression
 * could output a column of the same name, and DuckDB renames duplicates (`name_1`).
 */
function uniqueOutput(name: string, outputs: readonly Output[]): boolean {
  return (
    outputs.every((o) => o.kind === 'named') &&
    outputs.filter((o) => o.kind === 'named' && same(o.name, name)).length === 1
  )
}

/** The output that the literal `n` in `ORDER BY n` refers to (SQL's column position), if it is one. */
function position(expression: OperationNode): number | undefined {
  let text: string | undefined
  if (RawNode.is(expression) && expression.parameters.length === 0) {
    text = expression.sqlFragments.join('')
  } else if (ValueNode.is(expression) && expression.immediate === true) {
    text = String(expression.value)
  }
  return text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : undefined
}

function positionKey(n: number, outputs: readonly Output[]): Key {
  const target = outputs[n - 1]
  return target?.kind === 'named' && uniqueOutput(target.name, outputs)
    ? { kind: 'output', name: target.name }
    : { kind: 'unsupported' }
}

/** ORDER BY of a UNION/INTERSECT/EXCEPT: only output names and positions mean anything there. */
function unionKey(expression: OperationNode, outputs: readonly Output[]): Key {
  const n = position(expression)
  if (n !== undefined) return positionKey(n, outputs)
  if (ReferenceNode.is(expression) && ColumnNode.is(expression.column) && !expression.table) {
    const name = expression.column.column.name
    if (uniqueOutput(name, outputs)) {
      const target = outputs.find((o) => o.kind === 'named' && same(o.name, name))
      if (target?.kind === 'named') return { kind: 'output', name: target.name }
    }
  }
  return { kind: 'unsupported' }
}

function orderKey(
  expression: OperationNode,
  outputs: readonly Output[],
  scope: readonly (ScopeItem | undefined)[],
): Key {
  const n = position(expression)
  if (n !== undefined) return positionKey(n, outputs)
  if (!ReferenceNode.is(expression) || !ColumnNode.is(expression.column)) {
    return { kind: 'hidden', expression }
  }
  const column = expression.column.column.name
  const named = outputs.filter(
    (o): o is Extract<Output, { kind: 'named' }> => o.kind === 'named' && same(o.name, column),
  )
  const stars = outputs.filter((o) => o.kind === 'star')
  const onlyItem = scope.length === 1 ? scope[0] : undefined
  // A column of a `*` is an output column when that `*` is the only source of columns of that name.
  const fromStar = (table: ScopeItem | undefined) =>
    table !== undefined &&
    named.length === 0 &&
    stars.length === 1 &&
    outputs.every((o) => o.kind !== 'unknown') &&
    stars.some(
      (star) =>
        star.kind === 'star' &&
        (star.table === undefined ? onlyItem === table : resolveTable(star.table, scope) === table),
    )

  if (!expression.table) {
    // Unqualified: ORDER BY binds an output name before an input column (Postgres and DuckDB alike).
    const [first] = named
    if (first !== undefined) {
      if (uniqueOutput(first.name, outputs)) return { kind: 'output', name: first.name }
      // Order by what that output computes; the bare name would bind an input column in a select list.
      return named.length === 1
        ? { kind: 'hidden', expression: first.expression }
        : { kind: 'unsupported' }
    }
    return fromStar(onlyItem) ? { kind: 'output', name: column } : { kind: 'hidden', expression }
  }

  // Qualified: the column of one FROM/JOIN item (else maybe of the outer query: a hidden column).
  const table = resolveTable(expression.table, scope)
  if (table === undefined) return { kind: 'hidden', expression }
  for (const candidate of outputs) {
    if (candidate.kind !== 'named') continue
    const selected = columnReference(candidate.expression)
    const sameColumn =
      selected !== undefined &&
      same(selected.column, column) &&
      (selected.table
        ? resolveTable(selected.table, scope) === table
        : // An unqualified selected column is this table's when this table is the only one.
          onlyItem === table)
    if (sameColumn && uniqueOutput(candidate.name, outputs)) {
      return { kind: 'output', name: candidate.name }
    }
  }
  return fromStar(table) ? { kind: 'output', name: column } : { kind: 'hidden', expression }
}

function columnReference(
  node: OperationNode,
): { readonly table: TableNode | undefined; readonly column: string } | undefined {
  if (ColumnNode.is(node)) return { table: undefined, column: node.column.name }
  if (ReferenceNode.is(node) && ColumnNode.is(node.column)) {
    return { table: node.table, column: node.column.column.name }
  }
  return undefined
}
