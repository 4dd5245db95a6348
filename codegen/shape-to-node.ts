import {
  ArrayExpressionNode,
  ColumnTypeNode,
  type ExpressionNode,
  GenericExpressionNode,
  IdentifierNode,
  LiteralNode,
  ObjectExpressionNode,
  PropertyNode,
  UnionExpressionNode,
} from './kysely-codegen.js'
import { type ColumnShapes, shapesEqual, type TsShape } from './ts-shape.js'

/**
 * kysely-codegen's expression node for a shape. STRUCT fields become an object type and MAP a `Record`:
 * kysely-codegen's adapters only map a type name to a node, so nested types are built here as nodes and
 * registered as the adapter's scalars (see `MotherDuckCodegenAdapter`); its serializer prints them.
 * The run-time type of INTERVAL values is printed `IntervalValue`: in a generated file `Interval` names
 * the column type, as in kysely-codegen.
 */
function shapeToNode(shape: TsShape): ExpressionNode {
  switch (shape.kind) {
    case 'name':
      return new IdentifierNode(shape.name === 'Interval' ? 'IntervalValue' : shape.name)
    case 'alias':
      return new IdentifierNode(shape.name)
    case 'literal':
      return new LiteralNode(shape.value)
    case 'array':
      return new ArrayExpressionNode(shapeToNode(shape.element))
    case 'arrayType':
      return new GenericExpressionNode('ArrayType', [shapeToNode(shape.element)])
    case 'object':
      return new ObjectExpressionNode(
        shape.fields.map((field) => new PropertyNode(field.key, shapeToNode(field.shape))),
      )
    case 'record':
      return new GenericExpressionNode('Record', [
        new IdentifierNode('string'),
        shapeToNode(shape.value),
      ])
    case 'union':
      return new UnionExpressionNode(shape.members.map(shapeToNode))
  }
}

/**
 * The node a generated file writes for a column: its shared alias where it has one (`Int8`,
 * `ArrayType<Int8 | null>`), else `T` when the column accepts what it returns, else
 * `ColumnType<Select, Insert, Update>` (update = insert).
 */
export function columnTypeNode(shapes: ColumnShapes): ExpressionNode {
  return shapes.written ? shapeToNode(shapes.written) : inlineColumnTypeNode(shapes)
}

/** The column type without aliases: `T`, or `ColumnType<Select, Insert, Update>`; an alias's body. */
export function inlineColumnTypeNode(shapes: ColumnShapes): ExpressionNode {
  const select = shapeToNode(shapes.select)
  if (shapesEqual(shapes.select, shapes.insert)) return select
  return new ColumnTypeNode(select, shapeToNode(shapes.insert), shapeToNode(shapes.insert))
}
