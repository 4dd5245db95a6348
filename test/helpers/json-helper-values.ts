import { type Expression, type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonArrayFrom, jsonBuildObject, jsonObjectFrom } from '../../src/index.js'
import { startTestEndpoint, type TestEndpoint } from '../support/test-endpoint.js'
import { COLUMN_TYPES, VALUE_CASES, type ValuesDB, type ValuesTable } from './json-helper-cases.js'
import { objectSql, orderedArraySql, unorderedArraySql } from './json-helper-sql.js'

/*
 * Each DuckDB type's value through jsonArrayFrom (ordered and not), jsonObjectFrom and jsonBuildObject,
 * executed through Kysely, pg and the local endpoint: it must arrive exactly as the case says (same type,
 * same text, -0 and NaN included), and be the JSON form of the same column read at top level
 * (`Date` → its toISOString(), `bigint` → its digits, `Buffer` → `\x` hex). The files that call
 * `describeJsonHelperValues` set the process time zone first; none of this may depend on it.
 */

type Column = keyof ValuesTable
const COLUMNS = Object.keys(COLUMN_TYPES) as Column[]

/** The JSON form the helpers give a top-level value (as parsed by the dialect). */
function jsonFormOf(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'bigint') return value.toString()
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`
  if (Array.isArray(value)) return value.map(jsonFormOf)
  return value
}

/**
 * Columns whose JSON form is not derived from the top-level value: INTERVAL is an object at top level
 * and DuckDB's interval text inside JSON.
 */
const NOT_DERIVED: ReadonlySet<Column> = new Set(['interval'])

/**
 * The tests under the process time zone `timeZone`, whose offset from UTC on 2024-01-01 is
 * `januaryOffsetMinutes` (as `Date#getTimezoneOffset` counts: west positive), to check it is in effect.
 */
export function describeJsonHelperValues(timeZone: string, januaryOffsetMinutes: number): void {
  describe(`JSON helper values under TZ=${timeZone}`, () => {
    let local: TestEndpoint
    let db: Kysely<ValuesDB>
    let topLevel: ValuesTable

    beforeAll(async () => {
      expect(process.env.TZ).toBe(timeZone)
      expect(new Date('2024-01-01T00:00:00Z').getTimezoneOffset()).toBe(januaryOffsetMinutes)
      local = await startTestEndpoint()
      db = local.kysely<ValuesDB>()
      const columns = COLUMNS.map(
        (column) =>
          `CAST(${VALUE_CASES[column].literal} AS ${COLUMN_TYPES[column]}) AS "${column}"`,
      )
      await sql.raw(`create table json_values as select ${columns.join(', ')}`).execute(db)
      topLevel = await db.selectFrom('json_values').selectAll().executeTakeFirstOrThrow()
    })

    afterAll(async () => {
      await local?.stop()
    })

    it('jsonObjectFrom: every type, SQL as compiled', async () => {
      const query = db.selectNoFrom((eb) => [
        jsonObjectFrom(eb.selectFrom('json_values').selectAll()).as('row'),
      ])
      expect(query.compile().sql).toBe(
        `select ${objectSql('select * from "json_values"')} as "row"`,
      )
      const { row } = await query.executeTakeFirstOrThrow()
      expect(row).not.toBeNull()
      for (const column of COLUMNS) expectArrives(column, row?.[column])
    })

    it('jsonArrayFrom, unordered and ordered: every type', async () => {
      const unordered = db.selectNoFrom((eb) => [
        jsonArrayFrom(eb.selectFrom('json_values').selectAll()).as('rows'),
      ])
      expect(unordered.compile().sql).toBe(
        `select ${unorderedArraySql('select * from "json_values"')} as "rows"`,
      )
      const ordered = db.selectNoFrom((eb) => [
        jsonArrayFrom(
          eb.selectFrom('json_values').selectAll().orderBy('timestamp').orderBy('decimal_large'),
        ).as('rows'),
      ])
      expect(ordered.compile().sql).toBe(
        `select ${orderedArraySql(
          'agg."__kysely_motherduck_source"."timestamp", agg."__kysely_motherduck_source"."decimal_large"',
          'select * from "json_values"',
        )} as "rows"`,
      )
      for (const query of [unordered, ordered]) {
        const { rows } = await query.executeTakeFirstOrThrow()
        expect(rows).toHaveLength(1)
        expect(Object.keys(rows[0] ?? {})).toEqual(COLUMNS)
        for (const column of COLUMNS) expectArrives(column, rows[0]?.[column])
      }
    })

    it('jsonBuildObject: every type as a value expression', async () => {
      const query = db.selectFrom('json_values').select((eb) => {
        const values: Record<string, Expression<unknown>> = {}
        for (const column of COLUMNS) values[column] = eb.ref(column)
        return jsonBuildObject(values).as('obj')
      })
      const { obj } = await query.executeTakeFirstOrThrow()
      for (const column of COLUMNS) expectArrives(column, obj[column])
    })

    it('jsonBuildObject: SQL with each expression once, and a nested helper', async () => {
      const query = db.selectFrom('json_values').select((eb) =>
        jsonBuildObject({
          at: eb.ref('timestamptz'),
          rows: jsonArrayFrom(eb.selectFrom('json_values').select('bigint_big')),
        }).as('obj'),
      )
      const compiled = query.compile().sql
      // The subquery is written once (in the struct), not once per rewrite branch.
      expect(compiled.split('select "bigint_big"')).toHaveLength(2)
      expect(compiled).toMatch(
        /^select \[json_object\('at', case .* end, 'rows', case .* end\) for v in \[struct_pack\(f0 := "timestamptz", f1 := \(select coalesce/,
      )
      const { obj } = await query.executeTakeFirstOrThrow()
      expect(obj).toStrictEqual({
        at: VALUE_CASES.timestamptz.json,
        rows: [{ bigint_big: VALUE_CASES.bigint_big.json }],
      })
    })

    it('NULL of every type arrives as null', async () => {
      await sql`insert into json_values default values`.execute(db)
      try {
        const { rows } = await db
          .selectNoFrom((eb) => [
            jsonArrayFrom(eb.selectFrom('json_values').selectAll().where('bool', 'is', null)).as(
              'rows',
            ),
          ])
          .executeTakeFirstOrThrow()
        expect(rows).toStrictEqual([Object.fromEntries(COLUMNS.map((column) => [column, null]))])
      } finally {
        await sql`delete from json_values where bool is null`.execute(db)
      }
    })

    function expectArrives(column: Column, value: unknown): void {
      expect(value, column).toStrictEqual(VALUE_CASES[column].json)
      if (!NOT_DERIVED.has(column)) {
        expect(value, `${column} vs top level`).toStrictEqual(jsonFormOf(topLevel[column]))
      }
    }
  })
}
