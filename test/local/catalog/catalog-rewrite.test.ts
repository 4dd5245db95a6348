import { describe, expect, it } from 'vitest'
import {
  rewriteCatalogQuery,
  rewriteCatalogStatement,
} from '../../../src/local/catalog/catalog-rewrite.js'

describe('rewriteCatalogQuery', () => {
  it.each([
    ['select pg_catalog.version()', 'select version()'],
    ['SELECT PG_CATALOG . Version ()', 'SELECT Version ()'],
    ['select "pg_catalog"."format_type"(23, -1)', 'select "format_type"(23, -1)'],
    ['from pg_catalog.pg_attribute a', 'from pg_attribute a'],
    ['from pg_catalog /* c */ . pg_class', 'from pg_class'],
    [
      'select (information_schema._pg_expandarray(i.indkey)).n',
      'select (_pg_expandarray(i.indkey)).n',
    ],
  ])('drops the qualifier before a shadowed name: %s', (sql, expected) => {
    expect(rewriteCatalogQuery(sql)).toBe(expected)
  })

  it.each([
    // DuckDB's own pg_catalog objects the session does not shadow stay qualified.
    'select pg_catalog.pg_get_expr(d.adbin, d.adrelid)',
    'select * from pg_catalog.pg_proc',
    // A three-part name is another database's schema.
    'select * from my_db.pg_catalog.pg_class',
    'select * from information_schema.tables',
  ])('leaves other names alone: %s', (sql) => {
    expect(rewriteCatalogQuery(sql)).toBe(sql)
  })

  it.each([
    ["select 'sa_items'::regclass", "select __pg_regclass('sa_items')"],
    ["select 'pg_class'::pg_catalog.regclass", "select __pg_regclass('pg_class')"],
    ['select a.attrelid::regclass::text', 'select __pg_regclass_text(a.attrelid)'],
    ['select a.attrelid :: REGCLASS :: varchar', 'select __pg_regclass_text(a.attrelid)'],
    ['select $1::regclass::oid', 'select __pg_regclass($1)::UINTEGER'],
    ['select 23::regtype::text', 'select __pg_regtype_text(23)'],
    ["select 'int4'::regtype", "select __pg_regtype('int4')"],
    ["select (select 't')::regclass", "select __pg_regclass((select 't'))"],
    ["select lower('T')::regclass", "select __pg_regclass(lower('T'))"],
    ['select x.y.z::text::regclass', 'select __pg_regclass(x.y.z::text)'],
    ["where c = 'pg_class'::regclass and d", "where c = __pg_regclass('pg_class') and d"],
    ['select arr[1]::regclass', 'select __pg_regclass(arr[1])'],
  ])('replaces reg casts: %s', (sql, expected) => {
    expect(rewriteCatalogQuery(sql)).toBe(expected)
  })

  it('rewrites nested casts inside a cast operand (SQLAlchemy column reflection)', () => {
    const sql = `s.seqrelid = pg_catalog.pg_get_serial_sequence(
        a.attrelid::regclass::text, a.attname
    )::regclass::oid`
    expect(rewriteCatalogQuery(sql)).toBe(`s.seqrelid = __pg_regclass(pg_get_serial_sequence(
        __pg_regclass_text(a.attrelid), a.attname
    ))::UINTEGER`)
  })

  it.each([
    ['select $1::oid[]', 'select $1::UINTEGER[]'],
    ['select 23::pg_catalog.oid', 'select 23::UINTEGER'],
    ['select x :: OID from t', 'select x :: UINTEGER from t'],
  ])('reads oid casts as UINTEGER, the catalog oid type: %s', (sql, expected) => {
    expect(rewriteCatalogStatement(sql)).toEqual({ sql: expected, oidTyped: true })
  })

  it.each([
    ['select oid from t', false],
    ['select 1 as oid', false],
    ["select 'x::oid'", false],
    ['select typname from pg_type', true],
    ['select * from pg_catalog.pg_range', true],
  ])('tells whether the query reads the catalog oid types: %s', (sql, oidTyped) => {
    expect(rewriteCatalogStatement(sql).oidTyped).toBe(oidTyped)
  })

  it.each([
    "select '::regclass', 'pg_catalog.version()'",
    'select 1 -- x::regclass pg_catalog.version()',
    'select 1 /* pg_catalog.pg_class */',
    'select "a::regclass" from t',
    'select $$ pg_catalog.version() $$',
    "select E'\\'::regclass'",
    // A lexer error is DuckDB's to report.
    "select 'unterminated::regclass",
  ])('never changes strings, comments or quoted names: %s', (sql) => {
    expect(rewriteCatalogQuery(sql)).toBe(sql)
  })

  it('leaves a cast with no operand for DuckDB to refuse', () => {
    expect(rewriteCatalogQuery('select ::regclass')).toBe('select ::regclass')
  })
})
