import { describe, expect, expectTypeOf, it } from 'vitest'
import { InvalidTableNameError } from '../../src/catalog/invalid-table-name-error.js'
import {
  motherDuckSchemaName,
  motherDuckTableKey,
  motherDuckTableKeyParts,
  parseTableName,
  qualifiedSchemaParts,
  type TableKey,
} from '../../src/catalog/table-key.js'
import { quoteIdentifier } from '../../src/sql/quote.js'
import { compileOnlyDb } from '../sources/compile-only-db.js'

// biome-ignore lint/suspicious/noExplicitAny: any table key will do for compiling.
const db = compileOnlyDb<any>()
const connected = { database: 'my_db' }

describe('table keys', () => {
  const cases = [
    [{ database: 'my_db', schema: 'main', table: 'orders' }, 'orders', ['orders']],
    [
      { database: 'my_db', schema: 'staging', table: 'orders' },
      'staging.orders',
      ['staging', 'orders'],
    ],
    [
      { database: 'sample_data', schema: 'hn', table: 'hacker_news' },
      'sample_data:hn.hacker_news',
      ['sample_data', 'hn', 'hacker_news'],
    ],
    [
      { database: 'sample_data', schema: 'main', table: 't' },
      'sample_data:main.t',
      ['sample_data', 'main', 't'],
    ],
  ] as const

  it('names a table relative to the connected database and its default schema', () => {
    for (const [table, key, parts] of cases) {
      expect(motherDuckTableKey(table, connected)).toBe(key)
      expect(motherDuckTableKeyParts(table, connected)).toEqual(parts)
    }
    const other = { database: 'my_db', schema: 'staging' }
    expect(motherDuckTableKey({ ...other, table: 't' }, other)).toBe('t')
    expect(motherDuckTableKey({ ...other, schema: 'main', table: 't' }, other)).toBe('main.t')
  })

  it('compiles every key back to the parts it was made from, and parses it back', () => {
    for (const [, key, parts] of cases) {
      expect(db.selectFrom(key).selectAll().compile().sql).toBe(
        `select * from ${parts.map(quoteIdentifier).join('.')}`,
      )
      expect(parseTableName(key).parts).toEqual(parts)
    }
  })

  it('names a schema as withSchema() takes it, and the compiler splits it back', () => {
    expect(motherDuckSchemaName({ database: 'sample_data', schema: 'hn' }, connected)).toBe(
      'sample_data:hn',
    )
    expect(motherDuckSchemaName({ database: 'my_db', schema: 'staging' }, connected)).toBe(
      'staging',
    )
    expect(qualifiedSchemaParts('sample_data:hn')).toEqual(['sample_data', 'hn'])
    expect(qualifiedSchemaParts('sample_data.hn')).toEqual(['sample_data', 'hn'])
    expect(qualifiedSchemaParts(' a : b ')).toEqual(['a', 'b'])
    expect(qualifiedSchemaParts('staging')).toBeUndefined()
  })

  it('spells a dotted three-part name as its key at the type level', () => {
    expectTypeOf<TableKey<'d.s.t'>>().toEqualTypeOf<'d:s.t'>()
    expectTypeOf<TableKey<'d:s.t'>>().toEqualTypeOf<'d:s.t'>()
    expectTypeOf<TableKey<'s.t'>>().toEqualTypeOf<'s.t'>()
    expectTypeOf<TableKey<'t'>>().toEqualTypeOf<'t'>()
  })
})

describe('table names', () => {
  it('splits one to three parts, and the dialect spelling database:schema.table', () => {
    expect(parseTableName('t')).toEqual({ table: 't', parts: ['t'] })
    expect(parseTableName('s.t')).toEqual({ schema: 's', table: 't', parts: ['s', 't'] })
    expect(parseTableName('d.s.t').parts).toEqual(['d', 's', 't'])
    expect(parseTableName('d:s.t')).toEqual({
      database: 'd',
      schema: 's',
      table: 't',
      parts: ['d', 's', 't'],
    })
    for (const bad of ['', 'a..b', 'a.b.c.d', 'd:t', 'd:s.t.x', '.t']) {
      expect(() => parseTableName(bad), bad).toThrow(InvalidTableNameError)
    }
  })
})
