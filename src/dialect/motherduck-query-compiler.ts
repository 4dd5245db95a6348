import {
  type AlterTableColumnAlterationNode,
  type AlterTableNode,
  AndNode,
  BinaryOperationNode,
  type CompiledQuery,
  type FunctionNode,
  IdentifierNode,
  type JSONOperatorChainNode,
  type JSONPathLegNode,
  type LimitNode,
  type OffsetNode,
  type OperationNode,
  OperatorNode,
  OrNode,
  ParensNode,
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
import { MotherDuckInvalidRowCountError, MotherDuckUnsupportedError } from './motherduck-errors.js'
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
 * comparisons (`=`, `<`, `in`, `between`, `like`, …). There DuckDB reads the text as
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
 * **LIMIT and OFFSET** are written as integer literals, never parameters: DuckDB needs constants there
 * inside correlated subqueries (`jsonObjectFrom(… .orderBy(…).limit(1))`). A value that is not a
 * non-negative safe integer throws a {@link MotherDuckInvalidRowCountError} at compile time.
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
    if (isMultiActionAlterTable(node) && compiled.parameters.length > 0) {
      // Several statements travel only in pg's simple protocol, which carries no parameters.
      throw new MotherDuckUnsupportedError(
        'alter table with several actions and parameters',
        'DuckDB takes one action per ALTER TABLE, so the dialect sends one statement per action, which ' +
          'cannot carry parameters: run one alterTable() per action, or write the values with sql.lit().',
      )
    }
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

  protected override visitLimit(node: LimitNode): void {
    this.append('limit ')
    this.#appendRowCount(node.limit, 'limit')
  }

  protected override visitOffset(node: OffsetNode): void {
    this.append('offset ')
    this.#appendRowCount(node.offset, 'offset')
  }

  protected override visitBinaryOperation(node: BinaryOperationNode): void {
    const symmetric = symmetricBetween(node)
    if (symmetric === undefined) {
      super.visitBinaryOperation(node)
      return
    }
    this.visitNode(symmetric)
  }

  /**
   * DuckDB takes one action per ALTER TABLE ("Only one ALTER command per statement"): each further
   * action becomes its own `alter table` statement after a `;`, and pg sends them all in one round trip
   * (a query without parameters travels as one simple-protocol message).
   */
  protected override compileColumnAlterations(
    alterations: readonly AlterTableColumnAlterationNode[],
  ): void {
    const { table } = this.nodeStack[this.nodeStack.length - 1] as AlterTableNode
    alterations.forEach((alteration, index) => {
      if (index > 0) {
        this.append('; alter table ')
        this.visitNode(table)
        this.append(' ')
      }
      this.visitNode(alteration)
    })
  }

  /** `->` chains: a negative index in parentheses, or DuckDB reads `->-1` as an operator `->-`. */
  protected override visitJSONOperatorChain(node: JSONOperatorChainNode): void {
    node.values.forEach((value, index) => {
      if (index === node.values.length - 1) this.visitNode(node.operator)
      else this.append('->')
      const negative = typeof value.value === 'number' && value.value < 0
      if (negative) this.append('(')
      this.visitNode(value)
      if (negative) this.append(')')
    })
  }

  /** JSON path legs: DuckDB counts from the end with `[#-1]`, where MySQL's `[last]` is Kysely's `at('last')`. */
  protected override visitJSONPathLeg(node: JSONPathLegNode): void {
    if (node.type === 'ArrayLocation' && (node.value === 'last' || (node.value as number) < 0)) {
      const fromEnd = node.value === 'last' ? 1 : -(node.value as number)
      this.append(`[#-${fromEnd}]`)
      return
    }
    super.visitJSONPathLeg(node)
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

  /**
   * A LIMIT or OFFSET value as an integer literal: DuckDB refuses a parameter there inside a correlated
   * subquery ("Non-constant limit not supported"), and a literal is valid everywhere. Expressions
   * (`sql\`…\``, subqueries) are written as they are.
   */
  #appendRowCount(node: OperationNode, clause: 'limit' | 'offset'): void {
    if (node.kind !== 'ValueNode') {
      this.visitNode(node)
      return
    }
    const { value } = node as ValueNode
    if (value === null && clause === 'limit') {
      this.append('null')
      return
    }
    const count = typeof value === 'bigint' ? value : typeof value === 'number' ? value : undefined
    if (
      count === undefined ||
      !(typeof count === 'bigint' || Number.isSafeInteger(count)) ||
      count < 0 ||
      count > Number.MAX_SAFE_INTEGER
    ) {
      throw new MotherDuckInvalidRowCountError(clause, value)
    }
    this.append(String(count))
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

/**
 * `x between symmetric a and b` (Kysely's `betweenSymmetric`), which DuckDB's parser lacks ("Expression
 * type T_List"), as `(x between a and b or x between b and a)`. Undefined for every other operation.
 */
function symmetricBetween(node: BinaryOperationNode): OperationNode | undefined {
  const operator = node.operator as OperationNode & { operator?: string }
  if (operator.kind !== 'OperatorNode' || operator.operator !== 'between symmetric')
    return undefined
  if (node.rightOperand.kind !== 'AndNode') return undefined
  const { left, right } = node.rightOperand as AndNode
  const between = (low: OperationNode, high: OperationNode) =>
    BinaryOperationNode.create(
      node.leftOperand,
      OperatorNode.create('between'),
      AndNode.create(low, high),
    )
  return ParensNode.create(OrNode.create(between(left, right), between(right, left)))
}

function isMultiActionAlterTable(node: RootOperationNode): boolean {
  return node.kind === 'AlterTableNode' && (node.columnAlterations?.length ?? 0) > 1
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
