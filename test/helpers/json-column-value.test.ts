import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { jsonColumnValue } from '../../src/helpers/json-column-value.js'
import { compileOnlyDb } from '../sources/compile-only-db.js'

/*
 * The per-value rewrite of the JSON helpers, written out: a CASE on typeof(x) whose branches all bind for
 * any type (TRY_CAST), with a scalar and a list branch per rewritten kind, and to_json(x) otherwise.
 */

/** `Date#toISOString()` of the TIMESTAMP `u`, as the rewrite spells it. */
const iso = (u: string) =>
  `to_json(case when year(${u}) between 0 and 9999 then strftime(${u}, '%Y-%m-%dT%H:%M:%S.%gZ') when year(${u}) is not null then (case when year(${u}) < 0 then '-' else '+' end) || lpad(abs(year(${u}))::VARCHAR, 6, '0') || strftime(${u}, '-%m-%dT%H:%M:%S.%gZ') when ${u} > 'epoch' then '+275760-09-13T00:00:00.000Z' when ${u} < 'epoch' then '-271821-04-20T00:00:00.000Z' end)`

const kinds: readonly (readonly [pattern: string, type: string, json: string])[] = [
  [
    String.raw`BIGINT|UINTEGER|UBIGINT|HUGEINT|UHUGEINT|BIGNUM|VARINT|DECIMAL\(\d+,\d+\)`,
    'VARCHAR',
    'to_json(e)',
  ],
  ['FLOAT', 'FLOAT', 'case when isfinite(e) then e::VARCHAR::JSON else to_json(e) end'],
  ['TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS', 'TIMESTAMP', iso('e')],
  ['TIMESTAMP_NS', 'TIMESTAMP_NS', iso('e')],
  ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ', iso(`timezone('UTC', e)`)],
  ['BLOB', 'BLOB', `to_json('\\x' || lower(hex(e)))`],
]

const expected = `case ${kinds
  .flatMap(([pattern, type, json]) => [
    `when regexp_full_match(typeof(x), '${pattern}') then [${json} for e in [TRY_CAST(x AS ${type})]][1]`,
    `when regexp_full_match(typeof(x), '(${pattern})\\[\\d*\\]') then to_json([${json} for e in TRY_CAST(x AS ${type}[])])`,
  ])
  .join(' ')} else to_json(x) end`

describe('jsonColumnValue', () => {
  it('compiles to the CASE on typeof', () => {
    expect(jsonColumnValue(sql`x`).compile(compileOnlyDb()).sql).toBe(expected)
  })
})
