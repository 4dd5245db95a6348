import { describe, expect, it } from 'vitest'
import { COLUMN_TYPE_ALIASES, columnTypeAliasOf } from '../../codegen/column-type-aliases.js'
import { parseDuckDBType } from '../../codegen/duckdb-type-parser.js'
import { MotherDuckCodegenAdapter } from '../../codegen/motherduck-codegen-adapter.js'
import { MotherDuckCodegenSerializer } from '../../codegen/motherduck-codegen-serializer.js'
import { columnTypeNode, inlineColumnTypeNode } from '../../codegen/shape-to-node.js'
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
const nonNullSerializer = new MotherDuckCodegenSerializer({ nestedNullability: 'non-null' })
const serializerFor = (options: TypeMappingOptions) =>
  options.nestedNullability === 'non-null' ? nonNullSerializer : serializer

/** The TypeScript text codegen prints for a column of DuckDB type `spelling` (with the shared aliases). */
const typeText = (spelling: string, options: TypeMappingOptions = {}) =>
  serializerFor(options).serializeExpression(
    columnTypeNode(columnShapes(parseDuckDBType(spelling), options)),
  )

/** The same type without the aliases: what the alias stands for. */
const inlineTypeText = (spelling: string, options: TypeMappingOptions = {}) =>
  serializerFor(options).serializeExpression(
    inlineColumnTypeNode(columnShapes(parseDuckDBType(spelling), options)),
  )

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
        const select = tsSelectName(wire, mode).replace('Interval', 'IntervalValue')
        const insert = sorted(tsInsertNames(wire))
        const expected = insert === select ? select : `ColumnType<${select}, ${insert}, ${insert}>`
        expect(inlineTypeText(name, mode)).toBe(expected)
        // A column is written with its alias, whose body (for this mode) is the type above.
        const alias = columnTypeAliasOf(name)
        expect(typeText(name, mode)).toBe(alias ?? expected)
        if (alias) {
          const body = new MotherDuckCodegenAdapter('main', mode).definitions[alias]
          if (body === undefined || body.type === 'Template') throw new Error(`${alias}: no body`)
          expect(serializer.serializeExpression(body)).toBe(expected)
        }
      }
      const nested = tsJsonName(name)
      const json = nested === 'number | bigint' ? 'bigint | number' : nested
      expect(typeText(`STRUCT(f ${name})`)).toBe(`{\n  f: ${json} | null;\n}`)
      expect(typeText(`STRUCT(f ${name})`, { nestedNullability: 'non-null' })).toBe(
        `{\n  f: ${json};\n}`,
      )
    })
  }

  it('every scalar that needs a ColumnType has an alias, named as in kysely-codegen where it has one', () => {
    for (const name of scalars.filter((n) => n !== 'ENUM')) {
      if (inlineTypeText(name).startsWith('ColumnType<'))
        expect(columnTypeAliasOf(name)).toBeDefined()
    }
    expect(COLUMN_TYPE_ALIASES).toMatchObject({
      BIGINT: 'Int8',
      DECIMAL: 'Numeric',
      TIMESTAMP: 'Timestamp',
      TIMESTAMP_TZ: 'Timestamp',
      INTERVAL: 'Interval',
      JSON: 'Json',
    })
  })
})

describe('type mapping: nested types', () => {
  const nonNull = { nestedNullability: 'non-null' } as const

  it('lists of scalars are arrays of what the pg array parser returns, any depth as JSON', () => {
    expect(typeText('INTEGER[]')).toBe('(number | null)[]')
    expect(typeText('INTEGER[]', nonNull)).toBe('number[]')
    expect(typeText('VARCHAR[3]', nonNull)).toBe('string[]')
    expect(inlineTypeText('BIGINT[]', nonNull)).toBe(
      'ColumnType<bigint[], (bigint | number | string)[], (bigint | number | string)[]>',
    )
    // Written with kysely-codegen's ArrayType, whose elements may be NULL.
    expect(typeText('BIGINT[]')).toBe('ArrayType<Int8 | null>')
    expect(typeText('BIGINT[]', nonNull)).toBe('ArrayType<Int8>')
    expect(inlineTypeText('BIGINT[]')).toBe(
      'ColumnType<(bigint | null)[], (bigint | number | string | null)[], (bigint | number | string | null)[]>',
    )
    // A list of lists travels as JSON: its integers are JSON numbers (bigint beyond 2^53).
    expect(typeText('BIGINT[][]', nonNull)).toBe('(bigint | number)[][]')
    expect(typeText('BIGINT[][]')).toBe('((bigint | number | null)[] | null)[]')
    expect(typeText('TIMESTAMP[][]', nonNull)).toBe('string[][]')
  })

  it('enums are unions of their labels, in DuckDB order', () => {
    expect(typeText("ENUM('b', 'a', 'it''s')")).toBe('"b" | "a" | "it\'s"')
    expect(typeText("ENUM('x', 'y')[]", nonNull)).toBe('("x" | "y")[]')
    expect(typeText("ENUM('x', 'y')[]")).toBe('("x" | "y" | null)[]')
  })

  it('STRUCT is an object type with quoted keys where needed; MAP a Record; UNION a tagged union', () => {
    expect(typeText('STRUCT("a b" INTEGER, c STRUCT(d DATE))', nonNull)).toBe(
      '{\n  "a b": number;\n  c: {\n    d: string;\n  };\n}',
    )
    expect(typeText('MAP(INTEGER, DOUBLE[])', nonNull)).toBe('Record<string, number[]>')
    expect(typeText('UNION(n INTEGER, s VARCHAR)', nonNull)).toBe(
      '{\n  n: number;\n} | {\n  s: string;\n}',
    )
  })

  it('values inside STRUCT, MAP, UNION and lists may be NULL, and are typed so by default', () => {
    expect(typeText('STRUCT("a b" INTEGER, c STRUCT(d DATE))')).toBe(
      '{\n  "a b": number | null;\n  c: {\n    d: string | null;\n  } | null;\n}',
    )
    expect(typeText('MAP(INTEGER, DOUBLE[])')).toBe('Record<string, (number | null)[] | null>')
    expect(typeText('UNION(n INTEGER, s VARCHAR)')).toBe(
      '{\n  n: number | null;\n} | {\n  s: string | null;\n}',
    )
    expect(typeText('STRUCT(k VARCHAR)[]')).toBe('({\n  k: string | null;\n} | null)[]')
  })

  it('camelCase renames STRUCT fields and UNION tags as the CamelCasePlugin renames nested keys', () => {
    expect(
      typeText('STRUCT(first_name VARCHAR, inner_s STRUCT(zip_code INTEGER))', {
        camelCase: true,
        ...nonNull,
      }),
    ).toBe('{\n  firstName: string;\n  innerS: {\n    zipCode: number;\n  };\n}')
  })

  it('unknown types are typed as the text pg hands back', () => {
    expect(typeText('INET')).toBe('string')
    expect(typeText('STRUCT(x INET)', nonNull)).toBe('{\n  x: JsonValue;\n}')
    expect(typeText('STRUCT(x INET)')).toBe('{\n  x: JsonValue | null;\n}')
  })
})
