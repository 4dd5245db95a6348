import {
  type CompiledQuery,
  type FunctionNode,
  IdentifierNode,
  type OperationNode,
  PostgresQueryCompiler,
  type PrimitiveValueListNode,
  type QueryId,
  type RootOperationNode,
  type SchemableIdentifierNode,
  type SelectModifierNode,
  type ValueNode,
} from 'kysely'
import { qualifiedSchemaParts } from '../catalog/table-key.js'
import { assertRepresentable } from '../sql/sql-string-literal.js'
import {
  type ParameterColumn,
  parameterColumnOf,
  recordParameterColumns,
} from './motherduck-column-values.js'
import { MotherDuckUnsupportedError } from './motherduck-errors.js'
import { castPlaceholder, parameterCast } from './motherduck-parameters.js'

/**
 * Operators next to which DuckDB infers a parameter's type from the other operand
 * (`"id" = $1` binds $1 as the column's type).
 */
const TYPING_OPERATORS = new Set([
  '=',
  '==',
  '!=',
  '<>',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not in',
  'is',
  'is not',
  'like',
  'not like',
  'ilike',
  'not ilike',
  'is distinct from',
  'is not distinct from',
  'between',
  'between symmetric',
  'not between',
  'not between symmetric',
])

const ROW_LOCKS: Record<string, string> = {
  ForUpdate: 'for update',
  ForNoKeyUpdate: 'for no key update',
  ForShare: 'for share',
  ForKeyShare: 'for key share',
  NoWait: 'nowait',
  SkipLocked: 'skip locked',
}

const SQL_TEXT_HINT =
  'It comes from a name (table, column, alias) or a sql.lit() / sql.raw() text of the query: remove it ' +
  'there; a NUL can instead travel in a value: send the value as a parameter (interpolated into a sql`` template).'

/** The builder method that adds a modifier: `ForUpdate` → `forUpdate`. */
const lockMethod = (modifier: string): string => modifier[0]!.toLowerCase() + modifier.slice(1)

const QUANTIFIED_FUNCTIONS = new Set(['any', 'all', 'some'])

/**
 * Kysely's Postgres compiler, adjusted to DuckDB as MotherDuck runs it.
 *
 * **Names of other databases.** Kysely parses a table reference by splitting it at every `.` and keeping
 * two parts, so `'db.schema.table'` would silently lose the table. Tables of another attached database are
 * therefore written `'database:schema.table'` (and their columns `'database:schema.table.column'`), which
 * Kysely keeps as schema `database:schema`, and which this compiler writes as `"database"."schema"."table"`.
 * A schema given as `'database.schema'` through `withSchema()` is split the same way.
 *
 * **Parameters.** pg sends parameters as untyped text and DuckDB infers each one's type from its
 * position. Where it can, the parameter stays a bare `$n`: insert values, `set` values, and operands of
 * comparisons (`=`, `<`, `in`, `between`, `like`, …), `limit` and `offset`. There DuckDB reads the text as
 * the column's own type, so e.g. `0.1` inserted into `DECIMAL(38,20)` stays exact and a `Date` compared
 * with a TIMESTAMP column is read as UTC. Everywhere else (select lists, arithmetic, function arguments,
 * `case`, raw `sql` templates) DuckDB cannot infer a type ("Could not choose a best candidate function"),
 * so the parameter is cast from its JavaScript value: a safe integer to INTEGER or BIGINT by magnitude,
 * other numbers to DOUBLE, bigint to BIGINT/HUGEINT, boolean to BOOLEAN, Date to TIMESTAMPTZ,
 * Buffer/Uint8Array to BLOB; strings and nulls are never cast. Arrays are always sent as JSON and read as
 * `CAST(CAST($n AS JSON) AS T[])`, plain objects as `CAST($n AS JSON)`. `compile().parameters` holds
 * the values as given (what plugins and loggers see); the connection converts them for the wire when it
 * sends the query (Dates to UTC text, arrays and objects to JSON text).
 *
 * **Unsupported.** Row locks (`forUpdate()`, `forShare()`, `skipLocked()`, …) throw a
 * {@link MotherDuckUnsupportedError} at compile time. `= any(list)` is rewritten to
 * `= any(select unnest(list))`, the form DuckDB accepts. SQL text holding a NUL character or a lone
 * UTF-16 surrogate (from a name or a `sql.lit()` value; parameters may hold them) throws an
 * `UnrepresentableStringError` at compile time: the wire protocol cannot carry it.
 *
 * ### Examples
 *
 * ```ts
 * db.selectFrom('sample_data:hn.hacker_news as h').select((eb) => [eb('h.score', '*', 1.5).as('s')])
 * ```
 *
 * The generated SQL:
 *
 * ```sql
 * select "h"."score" * CAST($1 AS DOUBLE) as "s" from "sample_data"."hn"."hacker_news" as "h"
 * ```
 */
export class MotherDuckQueryCompiler extends PostgresQueryCompiler {
  /** The column each parameter of the query being compiled is written to (the value policy's input). */
  #parameterColumns: (ParameterColumn | undefined)[] = []

  override compileQuery(node: RootOperationNode, queryId: QueryId): CompiledQuery {
    this.#parameterColumns = []
    const compiled = super.compileQuery(node, queryId)
    recordParameterColumns(compiled, this.#parameterColumns)
    // pg would send the text cut at a NUL (the server then reports a protocol error and drops the
    // connection) and a lone surrogate as U+FFFD (another name): refuse both here, saying where.
    assertRepresentable(compiled.sql, 'compiled SQL text', SQL_TEXT_HINT)
    return compiled
  }

  protected override visitValue(node: ValueNode): void {
    if (node.immediate) {
      super.visitValue(node)
      return
    }
    this.#appendParameter(node.value, this.#isTypedPosition())
  }

  protected override visitPrimitiveValueList(node: PrimitiveValueListNode): void {
    const typed = this.#isTypedPosition()
    this.append('(')
    node.values.forEach((value, index) => {
      if (index > 0) this.append(', ')
      this.#appendParameter(value, typed, index)
    })
    this.append(')')
  }

  protected override visitSchemableIdentifier(node: SchemableIdentifierNode): void {
    const schemaParts = node.schema && qualifiedSchemaParts(node.schema.name)
    if (schemaParts !== undefined) {
      this.#appendQualifiedName(schemaParts)
      this.append('.')
      this.visitNode(node.identifier)
      return
    }
    super.visitSchemableIdentifier(node)
  }

  protected override visitIdentifier(node: IdentifierNode): void {
    // `createSchema('db:schema')` / `dropSchema(...)`: a schema in another database.
    const parent = this.parentNode
    const schemaParts =
      parent?.kind === 'CreateSchemaNode' || parent?.kind === 'DropSchemaNode'
        ? qualifiedSchemaParts(node.name)
        : undefined
    if (schemaParts !== undefined) {
      this.#appendQualifiedName(schemaParts)
      return
    }
    super.visitIdentifier(node)
  }

  protected override visitSelectModifier(node: SelectModifierNode): void {
    const lock = node.modifier === undefined ? undefined : ROW_LOCKS[node.modifier]
    if (lock !== undefined) {
      throw new MotherDuckUnsupportedError(
        lock,
        `DuckDB (and so MotherDuck) has no row locks: remove .${lockMethod(node.modifier!)}() from the query. ` +
          'Writes in a transaction are isolated by MVCC; a conflicting concurrent write fails at commit.',
      )
    }
    super.visitSelectModifier(node)
  }

  protected override visitFunction(node: FunctionNode): void {
    const [argument] = node.arguments
    if (
      QUANTIFIED_FUNCTIONS.has(node.func.toLowerCase()) &&
      node.arguments.length === 1 &&
      argument !== undefined &&
      !isSubquery(argument)
    ) {
      // DuckDB has `= any(subquery)` but not `= any(list)`.
      this.append(`${node.func}(select unnest(`)
      this.visitNode(argument)
      this.append('))')
      return
    }
    super.visitFunction(node)
  }

  /** Adds the user's value as it is (the connection converts it for the wire) and its placeholder. */
  #appendParameter(value: unknown, typedPosition: boolean, listIndex?: number): void {
    const cast = parameterCast(value)
    this.addParameter(value)
    this.#parameterColumns[this.numParameters - 1] = parameterColumnOf(this.nodeStack, listIndex)
    const placeholder = this.getCurrentParameterPlaceholder()
    this.append(
      typedPosition && cast.form === 'plain' ? placeholder : castPlaceholder(placeholder, cast),
    )
  }

  #appendQualifiedName(parts: readonly string[]): void {
    parts.forEach((part, index) => {
      if (index > 0) this.append('.')
      super.visitIdentifier(IdentifierNode.create(part))
    })
  }

  /** Whether DuckDB infers the type of the parameter being visited (the node on top of the stack). */
  #isTypedPosition(): boolean {
    const stack = this.nodeStack
    const self = stack[stack.length - 1]
    const parent = stack[stack.length - 2]
    if (self === undefined || parent === undefined) return false
    switch (parent.kind) {
      case 'ValuesNode':
      case 'ColumnUpdateNode':
      case 'LimitNode':
      case 'OffsetNode':
        return true
      case 'ValueListNode':
        return stack[stack.length - 3]?.kind === 'ValuesNode'
      case 'BinaryOperationNode':
        return typedComparison(parent, self)
      case 'AndNode': {
        // `x between $1 and $2`
        const grandparent = stack[stack.length - 3]
        return grandparent?.kind === 'BinaryOperationNode' && typedComparison(grandparent, parent)
      }
      default:
        return false
    }
  }
}

function typedComparison(operation: OperationNode, operand: OperationNode): boolean {
  const { leftOperand, operator, rightOperand } = operation as OperationNode & {
    leftOperand: OperationNode
    operator: OperationNode & { operator?: string }
    rightOperand: OperationNode
  }
  if (operator.kind !== 'OperatorNode' || operator.operator === undefined) return false
  if (!TYPING_OPERATORS.has(operator.operator)) return false
  const other = operand === leftOperand ? rightOperand : leftOperand
  return !isValue(other)
}

function isValue(node: OperationNode): boolean {
  return (
    node.kind === 'ValueNode' ||
    node.kind === 'PrimitiveValueListNode' ||
    (node.kind === 'AndNode' &&
      isValue((node as OperationNode & { left: OperationNode }).left) &&
      isValue((node as OperationNode & { right: OperationNode }).right))
  )
}

function isSubquery(node: OperationNode): boolean {
  if (node.kind === 'SelectQueryNode' || node.kind === 'RawNode') return true
  if (node.kind === 'ParensNode')
    return isSubquery((node as OperationNode & { node: OperationNode }).node)
  return false
}
