import { describe, expect, it } from 'vitest'
import { parseDuckDBType } from '../../codegen/duckdb-type-parser.js'
import { MotherDuckCodegenSerializer } from '../../codegen/motherduck-codegen-serializer.js'
import { columnTypeNode } from '../../codegen/shape-to-node.js'
import { columnShapes, type TypeMappingOptions } from '../../codegen/ts-shape.js'
import {
  DUCKDB_SCALAR_TYPES,
  type DuckDBScalarTypeName,
  type Int64Mode,
  type NumericMode,
  tsInsertNames,
  tsJsonName,
  tsSelectName,
} from '../../src/types/duckdb-types.js'

const serializer = new MotherDuckCodegenSerializer({})

/** The TypeScript text codegen prints for a column of DuckDB type `spelling`. */
const typeText = (spelling: string, options: TypeMappingOptions = {}) =>
  serializer.serializeExpression(columnTypeNode(columnShapes(parseDuckDBType(spelling), options)))

const sorted = (names: readonly string[]) => [...names].sort().join(' | ')

describe('type mapping: every scalar comes from the type table', () => {
  const scalars = Object.keys(DUCKDB_SCALAR_TYPES) as DuckDBScalarTypeName[]
  const modes: { int64: Int64Mode; numeric: NumericMode }[] = [
    { int64: 'bigint', numeric: 'string' },
    { int64: 'number', numeric: 'number' },
    { int64: 'string', numeric: 'string' },
  ]

  for (const name of scalars.filter((n) => n !== 'ENUM')) {
    it(`${name}: select = tsSelectName, insert = tsInsertNames, nested = tsJsonName`, () => {
      const wire = DUCKDB_SCALAR_TYPES[name].wire
      for (const mode of modes) {
        const select = tsSelectName(wire, mode)
        const insert = sorted(tsInsertNames(wire))
        const expected = insert === select ? select : `ColumnType<${select}, ${insert}, ${insert}>`
        expect(typeText(name, mode)).toBe(expected)
      }
      const nested = tsJsonName(name)
      expect(typeText(`STRUCT(f ${name})`)).toBe(
        `{\n  f: ${nested === 'number | bigint' ? 'bigint | number' : nested};\n}`,
      )
    })
  }
})

describe('type mapping: nested types', () => {
  it('lists of scalars are arrays of what the pg array parser returns, any depth as JSON', () => {
    expect(typeText('INTEGER[]')).toBe('number[]')
    expect(typeText('VARCHAR[3]')).toBe('string[]')
    expect(typeText('BIGINT[]')).toBe(
      'ColumnType<bigint[], (bigint | number | string)[], (bigint | number | string)[]>',
    )
    // A list of lists travels as JSON: its integers are JSON numbers (bigint beyond 2^53).
    expect(typeText('BIGINT[][]')).toBe('(bigint | number)[][]')
    expect(typeText('TIMESTAMP[][]')).toBe('string[][]')
  })

  it('enums are unions of their labels, in DuckDB order', () => {
    expect(typeText("ENUM('b', 'a', 'it''s')")).toBe('"b" | "a" | "it\'s"')
    expect(typeText("ENUM('x', 'y')[]")).toBe('("x" | "y")[]')
  })

  it('STRUCT is an object type with quoted keys where needed; MAP a Record; UNION a tagged union', () => {
    expect(typeText('STRUCT("a b" INTEGER, c STRUCT(d DATE))')).toBe(
      '{\n  "a b": number;\n  c: {\n    d: string;\n  };\n}',
    )
    expect(typeText('MAP(INTEGER, DOUBLE[])')).toBe('Record<string, number[]>')
    expect(typeText('UNION(n INTEGER, s VARCHAR)')).toBe('{\n  n: number;\n} | {\n  s: string;\n}')
  })

  it('camelCase renames STRUCT fields and UNION tags as the CamelCasePlugin renames nested keys', () => {
    expect(
      typeText('STRUCT(first_name VARCHAR, inner_s STRUCT(zip_code INTEGER))', { camelCase: true }),
    ).toBe('{\n  firstName: string;\n  innerS: {\n    zipCode: number;\n  };\n}')
  })

  it('unknown types are typed as the text pg hands back', () => {
    expect(typeText('INET')).toBe('string')
    expect(typeText('STRUCT(x INET)')).toBe('{\n  x: JsonValue;\n}')
  })
})
