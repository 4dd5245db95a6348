import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCsv } from '../../src/sources/read-csv.js'
import { readParquet } from '../../src/sources/read-parquet.js'
import { UnrepresentableStringError } from '../../src/sql/sql-string-literal.js'
import { BUCKET, type LocalMotherDuck, startLocalMotherDuck } from './local-motherduck.js'

// Pieces that break naive quoting, parameter numbering, comment stripping or keyword rewriting.
const NASTY = [
  "'",
  "''",
  '\\',
  "\\'",
  '$1',
  '$2',
  '?',
  '--',
  '/*',
  '*/',
  ';',
  '"',
  ' ',
  '\t',
  '\n',
  '\r\n',
  ')',
  '(',
  ',',
  '=',
  '%s',
  "E'",
  "U&'",
  'MD_RUN = LOCAL',
  "'); drop table t; --",
  'é',
  'e\u0301',
  'ß',
  '😀',
  '\u2028',
  '\u00a0',
  '\ufeff',
  '\u0001',
]

/** Any string SQL text can carry (no NUL, no lone surrogate), biased towards the nasty pieces. */
const sqlSafeString = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 16 }),
    fc.string({ unit: 'binary', maxLength: 16 }),
    fc.string({ unit: 'binary-ascii', maxLength: 16 }),
    fc.array(fc.constantFrom(...NASTY), { maxLength: 6 }).map((parts) => parts.join('')),
    fc
      .tuple(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom(...NASTY), fc.string())
      .map((parts) => parts.join('')),
  )
  .filter((value) => !value.includes('\0'))

// A file name: no slash, and no glob metacharacters (DuckDB would expand them, by design).
const fileNamePart = sqlSafeString.filter((value) => !/[/*?[\]{}]/.test(value))

let local: LocalMotherDuck<{}>
let sequence = 0
beforeAll(async () => {
  local = await startLocalMotherDuck()
  await mkdir(join(local.bucketDir, 'props'))
  await writeFile(join(local.bucketDir, 'one.csv'), 'value\n1\n')
})
afterAll(() => local?.stop())

describe('reader paths and option values are data, executed on the endpoint', () => {
  it('reads a file whose name is any string, next to a real $1 parameter', async () => {
    await fc.assert(
      fc.asyncProperty(fileNamePart, async (name) => {
        const id = ++sequence
        const fileName = `p${id}-${name}.csv`
        await writeFile(join(local.bucketDir, 'props', fileName), `n\n${id}\n`)
        const query = local.db
          .selectFrom(
            readCsv(`${BUCKET}/props/${fileName}`, {
              header: true,
              columns: { n: 'INTEGER' },
            }).as('f'),
          )
          .select('f.n')
          .where('f.n', '=', id)
        const rows = await query.execute()
        expect(rows).toEqual([{ n: id }])
      }),
      { numRuns: 1000 },
    )
  })

  it('sends list and struct literals intact: column names come back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        sqlSafeString.filter((value) => value.trim() !== ''),
        async (name) => {
          const byNames = await local.db
            .selectFrom(
              readCsv(`${BUCKET}/one.csv`, { header: true, names: [name], auto_detect: true }).as(
                'f',
              ),
            )
            .selectAll()
            .execute()
          expect(byNames).toEqual([{ [name]: 1n }])
          const byColumns = await local.db
            .selectFrom(
              readCsv(`${BUCKET}/one.csv`, { header: true, columns: { [name]: 'VARCHAR' } }).as(
                'f',
              ),
            )
            .selectAll()
            .execute()
          expect(byColumns).toEqual([{ [name]: '1' }])
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('sends scalar option values intact: a nullstr matches exactly its own text', async () => {
    await fc.assert(
      fc.asyncProperty(
        sqlSafeString.filter(
          (value) => value !== '' && value !== 'first' && !/[",\r\n]/.test(value),
        ),
        async (marker) => {
          const id = ++sequence
          const fileName = `nullstr-${id}.csv`
          // Neither the file nor the echoed value starts with the marker: a leading U+FEFF is dropped as
          // a byte-order mark (by the CSV reader at the file start, by @duckdb/node-api in a value).
          await writeFile(
            join(local.bucketDir, 'props', fileName),
            `first\n${marker}\nx${marker}\n`,
          )
          const rows = await local.db
            .selectFrom(
              readCsv(`${BUCKET}/props/${fileName}`, {
                header: false,
                auto_detect: false,
                delim: ',',
                quote: '"',
                nullstr: marker,
                columns: { v: 'VARCHAR' },
              }).as('f'),
            )
            .selectAll()
            .execute()
          expect(rows).toEqual([{ v: 'first' }, { v: null }, { v: `x${marker}` }])
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('refuses every string with a NUL before sending anything', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const value = `${before}\0${after}`
        expect(() => readParquet(`${BUCKET}/${value}`)).toThrow(UnrepresentableStringError)
        expect(() => readCsv(`${BUCKET}/x.csv`, { comment: value })).toThrow(
          UnrepresentableStringError,
        )
        expect(() => readCsv(`${BUCKET}/x.csv`, { names: ['a', value] })).toThrow(
          UnrepresentableStringError,
        )
      }),
      { numRuns: 1000 },
    )
  })
})
