import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFromSources, REPO_ROOT, typeCheck } from './helpers/compile-typescript.js'
import { generateFor } from './helpers/in-process-catalog.js'

const DIR = resolve(REPO_ROOT, 'test/codegen/__aliases__')

/** The names the file declares with `export type`, in order. */
const declaredTypes = (text: string) =>
  [...text.matchAll(/^export type (\w+)/gm)].map((match) => match[1])

describe('shared column-type aliases', () => {
  it('declares only the aliases a column uses, and imports nothing a column does not need', async () => {
    const plain = await generateFor(['CREATE TABLE t (a INTEGER, b VARCHAR NOT NULL, c BLOB)'])
    expect(declaredTypes(plain)).toEqual([])
    expect(plain).not.toContain('import')

    const bigint = await generateFor(['CREATE TABLE t (id BIGINT, n BIGINT NOT NULL)'])
    expect(declaredTypes(bigint)).toEqual(['Int8'])
    expect(bigint).toContain('import type { ColumnType } from "kysely";')
    expect(bigint).toMatch(/^ {2}id: Int8 \| null;$/m)
    expect(bigint).toMatch(/^ {2}n: Int8;$/m)
  })

  it('writes JsonValue and IntervalValue into the file, or imports them with selfContained: false', async () => {
    const statements = ['CREATE TABLE t (j JSON, i INTERVAL)']
    const own = await generateFor(statements)
    // It depends on kysely alone.
    expect([...own.matchAll(/^import .*$/gm)].map((match) => match[0])).toEqual([
      'import type { ColumnType } from "kysely";',
    ])
    expect(declaredTypes(own)).toEqual([
      'Interval',
      'IntervalValue',
      'Json',
      'JsonArray',
      'JsonObject',
      'JsonPrimitive',
      'JsonValue',
    ])

    const importing = await generateFor(statements, { selfContained: false })
    expect(importing).toContain(
      'import type { Interval as IntervalValue, JsonValue } from "kysely-motherduck";',
    )
    expect(declaredTypes(importing)).toEqual(['Interval', 'Json'])
  })

  it('alias bodies follow the int64 and numeric modes', async () => {
    const text = await generateFor(['CREATE TABLE t (a BIGINT, b DECIMAL(10, 2))'], {
      int64: 'string',
      numeric: 'number',
    })
    expect(text).toContain(
      'export type Int8 = ColumnType<string, bigint | number | string, bigint | number | string>;',
    )
    expect(text).toContain(
      'export type Numeric = ColumnType<number, bigint | number | string, bigint | number | string>;',
    )
  })

  it('tables named like an alias or a value type keep their columns typed by the alias', async () => {
    const text = await generateFor([
      'CREATE TABLE int8 (a BIGINT)',
      'CREATE TABLE "timestamp" (t TIMESTAMP)',
      'CREATE TABLE json_value (j JSON)',
      'CREATE TABLE interval_value (i INTERVAL)',
      'CREATE TABLE extract (l BIGINT[])',
      'CREATE TABLE array_type (l DATE[])',
    ])
    expect(text).toContain('export interface Int8Table {\n  a: Int8 | null;\n}')
    expect(text).toContain('export interface TimestampTable {\n  t: Timestamp | null;\n}')
    expect(text).toContain(
      'export interface ExtractTable {\n  l: ArrayType<Int8 | null> | null;\n}',
    )
    expect(text).toMatch(/^ {2}int8: Int8Table;$/m)
    const errors = typeCheck({
      [resolve(DIR, 'db.ts')]: importFromSources(text, DIR),
      [resolve(DIR, 'check.ts')]: [
        'import type { Selectable } from "kysely";',
        'import type { DB } from "./db.js";',
        'export const a: Selectable<DB["int8"]>["a"] = 1n;',
        'export const t: Selectable<DB["timestamp"]>["t"] = new Date();',
        'export const j: Selectable<DB["json_value"]>["j"] = { a: [1, null] };',
        'export const i: Selectable<DB["interval_value"]>["i"] = { days: 1 };',
        'export const l: Selectable<DB["extract"]>["l"] = [1n, null];',
        'export const d: Selectable<DB["array_type"]>["l"] = ["2024-01-01", null];',
      ].join('\n'),
    })
    expect(errors).toEqual([])
  })

  it('an ENUM array is ArrayType of the named type, runtime enum or union', async () => {
    const statements = [
      "CREATE TYPE order_status AS ENUM ('pending', 'paid')",
      'CREATE TABLE orders (s order_status[], f order_status[2])',
    ]
    const unions = await generateFor(statements)
    expect(unions).toContain('export type OrderStatus = "paid" | "pending";')
    expect(unions).toMatch(/^ {2}s: ArrayType<OrderStatus \| null> \| null;$/m)
    expect(unions).toMatch(/^ {2}f: ArrayType<OrderStatus \| null> \| null;$/m)
    const enums = await generateFor(statements, {
      runtimeEnums: true,
      nestedNullability: 'non-null',
    })
    expect(enums).toContain('export enum OrderStatus {')
    expect(enums).toMatch(/^ {2}s: ArrayType<OrderStatus> \| null;$/m)
  })
})
