import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  type UnsupportedLoadKind,
  UnsupportedLoadStatementError,
  unsupportedLoadStatement,
} from '../../../src/load/unsupported-load-statement.js'
import { EndpointError } from '../../../src/local/errors/endpoint-error.js'
import {
  applyMotherDuckRules,
  type MotherDuckRulesOptions,
} from '../../../src/local/rules/motherduck-rules.js'
import {
  type MotherDuckRefusal,
  motherDuckRefusals,
} from '../../../src/motherduck/motherduck-refusals.js'
import { endpointForFile, rejection } from '../helpers/pg-clients.js'

/** The finding a row expects: its kind and whichever fields the row pins down. */
type Finding = Partial<MotherDuckRefusal> & Pick<MotherDuckRefusal, 'kind'>

interface Row {
  readonly sql: string
  /** The one finding of the scanner, or none: MotherDuck runs the statement. */
  readonly finding?: Finding
  /** The text of the finding's span (where it is). */
  readonly at?: string
  /** What the dialect refuses before sending: only ways to load data, as before the scanner. */
  readonly client?: UnsupportedLoadKind
}

/**
 * One table for both directions: the dialect refuses (before sending) the rows with `client`, and the
 * local endpoint in strict mode answers every row with a finding with 0A000 and the finding's message.
 * Every s3:// path is under the mapped prefix s3://bucket, so no other server rule gets in the way.
 */
const ROWS: readonly Row[] = [
  // COPY and the client's standard streams
  {
    sql: 'copy t from stdin',
    finding: { kind: 'copy-standard-stream', direction: 'FROM', stream: 'STDIN' },
    at: 'from stdin',
    client: 'COPY FROM STDIN',
  },
  {
    sql: 'COPY my_db.main.t (a, b) FROM STDIN (FORMAT csv)',
    finding: { kind: 'copy-standard-stream', direction: 'FROM', stream: 'STDIN' },
    at: 'FROM STDIN',
    client: 'COPY FROM STDIN',
  },
  {
    sql: 'copy (select 1) to stdout with (format csv)',
    finding: { kind: 'copy-standard-stream', direction: 'TO', stream: 'STDOUT' },
    at: 'to stdout',
  },
  {
    sql: 'copy t from stdout',
    finding: { kind: 'copy-standard-stream', direction: 'FROM', stream: 'STDOUT' },
  },
  // COPY and files
  {
    sql: "copy t from './data.csv'",
    finding: { kind: 'copy-local-file', direction: 'FROM', path: './data.csv' },
    at: "from './data.csv'",
    client: 'COPY FROM a local file',
  },
  {
    sql: "copy t from 'file:///tmp/x.csv' (header)",
    finding: { kind: 'copy-local-file', direction: 'FROM', path: 'file:///tmp/x.csv' },
    client: 'COPY FROM a local file',
  },
  {
    sql: "COPY t TO '/tmp/out.parquet' (FORMAT parquet)",
    finding: { kind: 'copy-local-file', direction: 'TO', path: '/tmp/out.parquet' },
  },
  { sql: "copy t from 's3://bucket/x.csv'" },
  { sql: "COPY (select * from t) TO 's3://bucket/out.parquet' (FORMAT parquet)" },
  { sql: 'COPY FROM DATABASE a TO b' },
  // MD_RUN = LOCAL in every spelling DuckDB takes for a named argument
  {
    sql: "select * from read_parquet('s3://bucket/x.parquet', MD_RUN = LOCAL)",
    finding: { kind: 'md-run-local' },
    at: 'MD_RUN = LOCAL',
    client: 'MD_RUN = LOCAL',
  },
  {
    // The drift the scanner ends: the dialect refused `=>`, the endpoint let it through.
    sql: "select * from read_csv('s3://bucket/x.csv', MD_RUN => LOCAL)",
    finding: { kind: 'md-run-local' },
    at: 'MD_RUN => LOCAL',
    client: 'MD_RUN = LOCAL',
  },
  {
    sql: "select 1; select * from read_csv('s3://bucket/x.csv', md_run := local)",
    finding: { kind: 'md-run-local' },
    at: 'md_run := local',
    client: 'MD_RUN = LOCAL',
  },
  {
    sql: `select * from read_json('s3://bucket/x.json', "MD_RUN" = 'Local')`,
    finding: { kind: 'md-run-local' },
    at: `"MD_RUN" = 'Local'`,
    client: 'MD_RUN = LOCAL',
  },
  {
    sql: `select * from read_csv(['s3://bucket/a.csv'], Md_Run=>"LOCAL", header = true)`,
    finding: { kind: 'md-run-local' },
    at: 'Md_Run=>"LOCAL"',
    client: 'MD_RUN = LOCAL',
  },
  { sql: "select * from read_parquet('s3://bucket/x.parquet', MD_RUN = REMOTE) -- MD_RUN = LOCAL" },
  { sql: "select * from read_csv('s3://bucket/x.csv', md_run => 'auto')" },
  { sql: "select 'copy t from stdin', 'MD_RUN = LOCAL', $$ATTACH 'x'$$" },
  { sql: 'select "copy" from t /* copy t from stdin; install x */' },
  { sql: 'select md_run_local from t' },
  { sql: 'select * from t where (md_run = local)' },
  // ATTACH / DETACH, extensions, secrets
  {
    sql: "ATTACH 'my.duckdb' AS mine",
    finding: { kind: 'attach', keyword: 'ATTACH' },
    at: 'ATTACH',
  },
  { sql: 'detach mine', finding: { kind: 'attach', keyword: 'DETACH' }, at: 'detach' },
  { sql: 'INSTALL spatial', finding: { kind: 'extension' }, at: 'INSTALL' },
  { sql: 'load httpfs', finding: { kind: 'extension' }, at: 'load' },
  { sql: 'FORCE INSTALL httpfs', finding: { kind: 'extension' }, at: 'FORCE INSTALL' },
  { sql: "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')", finding: { kind: 'secret' } },
  { sql: 'CREATE OR REPLACE PERSISTENT SECRET s (TYPE s3)', finding: { kind: 'secret' } },
  { sql: 'create temporary secret s (type s3)', finding: { kind: 'secret' } },
  { sql: 'DROP SECRET s', finding: { kind: 'secret' }, at: 'DROP SECRET' },
  // Temporary objects in every spelling of Postgres' OptTemp
  {
    sql: 'CREATE TEMP TABLE x (i INTEGER)',
    finding: { kind: 'temporary-object', object: 'table' },
    at: 'CREATE TEMP TABLE',
  },
  {
    sql: 'create temporary table x (i integer)',
    finding: { kind: 'temporary-object', object: 'table' },
  },
  {
    sql: 'CREATE LOCAL TEMPORARY TABLE x (i INTEGER)',
    finding: { kind: 'temporary-object', object: 'table' },
    at: 'CREATE LOCAL TEMPORARY TABLE',
  },
  {
    sql: 'create or replace local temp table x (i integer)',
    finding: { kind: 'temporary-object', object: 'table' },
  },
  {
    sql: 'CREATE GLOBAL TEMPORARY TABLE x (i INTEGER)',
    finding: { kind: 'temporary-object', object: 'table' },
  },
  {
    sql: 'create or replace temporary view v as select 1',
    finding: { kind: 'temporary-object', object: 'view' },
  },
  { sql: 'CREATE TEMP SEQUENCE s', finding: { kind: 'temporary-object', object: 'sequence' } },
  { sql: 'create temp macro m(a) as a', finding: { kind: 'temporary-object', object: 'macro' } },
  // DuckDB's temp catalog, named instead of the keyword
  {
    sql: 'CREATE TABLE temp.t (i INTEGER)',
    finding: { kind: 'temporary-object', object: 'table' },
    at: 'CREATE TABLE',
  },
  {
    sql: 'create table if not exists "TEMP".main.t as select 1',
    finding: { kind: 'temporary-object', object: 'table' },
  },
  { sql: 'CREATE VIEW temp.v AS SELECT 1', finding: { kind: 'temporary-object', object: 'view' } },
  { sql: 'CREATE TABLE temperature.t (i INTEGER)' },
  { sql: 'CREATE TABLE my_db.temp (i INTEGER)' },
  { sql: 'CREATE TABLE temporary_things (temp INTEGER, local INTEGER)' },
  { sql: 'CREATE LOCAL TABLE x (i INTEGER)' },
  // Neither
  { sql: 'select * from t' },
  { sql: "copy t from 'unterminated" },
]

const dir = mkdtempSync(join(tmpdir(), 'motherduck-refusals-'))
writeFileSync(join(dir, 'people.csv'), 'name,age\nada,36\n')
const strict: MotherDuckRulesOptions = { strict: true, objectStore: { 's3://bucket': dir } }
const lenient: MotherDuckRulesOptions = { ...strict, strict: false }

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function serverRefusal(sql: string, options: MotherDuckRulesOptions): EndpointError | undefined {
  try {
    applyMotherDuckRules(sql, options)
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointError)
    return error as EndpointError
  }
}

describe('one table of MotherDuck refusals drives the scanner, the dialect and the endpoint', () => {
  for (const row of ROWS) {
    describe(row.sql, () => {
      it('the scanner finds what MotherDuck refuses, and where', () => {
        const findings = motherDuckRefusals(row.sql)
        if (row.finding === undefined) {
          expect(findings).toEqual([])
          return
        }
        expect(findings).toHaveLength(1)
        const [finding] = findings
        expect(finding).toMatchObject(row.finding)
        expect(finding!.advice).not.toBe('')
        const at = row.sql.slice(finding!.start, finding!.end)
        if (row.at !== undefined) expect(at).toBe(row.at)
        else expect(at.trim()).not.toBe('')
      })

      it(row.client ? `the dialect refuses it: ${row.client}` : 'the dialect sends it', () => {
        const error = unsupportedLoadStatement(row.sql)
        if (row.client === undefined) {
          expect(error).toBeUndefined()
        } else {
          expect(error).toBeInstanceOf(UnsupportedLoadStatementError)
          expect(error?.kind).toBe(row.client)
          expect(error?.message).toMatch(/insertRows\(db, table, rows\).*object storage/)
        }
        // Only ways to load data are refused before sending; MotherDuck answers the rest itself.
        if (row.client !== undefined) expect(row.finding).toBeDefined()
      })

      it(
        row.finding ? 'strict mode answers 0A000 with the finding' : 'strict mode lets it through',
        () => {
          const error = serverRefusal(row.sql, strict)
          if (row.finding === undefined) {
            expect(error).toBeUndefined()
            return
          }
          const [finding] = motherDuckRefusals(row.sql)
          expect(error?.code).toBe('0A000')
          expect(error?.message).toBe(finding!.message)
          expect(error?.hint?.startsWith(finding!.advice)).toBe(true)
          // Lenient mode refuses nothing MotherDuck refuses.
          expect(serverRefusal(row.sql, lenient)).toBeUndefined()
        },
      )
    })
  }
})

describe('the same rows through a local endpoint and pg', () => {
  const { clients } = endpointForFile({ objectStore: { 's3://bucket': dir } })
  const refused = ROWS.filter((row) =>
    [
      'copy t from stdin',
      "select * from read_csv('s3://bucket/x.csv', MD_RUN => LOCAL)",
      "ATTACH 'my.duckdb' AS mine",
      'CREATE LOCAL TEMPORARY TABLE x (i INTEGER)',
      'DROP SECRET s',
    ].includes(row.sql),
  )

  it('refuses the rows with a finding with 0A000, simple and extended protocol alike', async () => {
    expect(refused).toHaveLength(5)
    const client = await clients.connect()
    for (const [index, row] of refused.entries()) {
      const message = motherDuckRefusals(row.sql)[0]!.message
      const simple = await rejection(client.query(row.sql))
      expect([simple.code, simple.message], row.sql).toEqual(['0A000', message])
      const extended = await rejection(client.query({ name: `refused_${index}`, text: row.sql }))
      expect([extended.code, extended.message], row.sql).toEqual(['0A000', message])
    }
  })

  it('runs rows without a finding', async () => {
    const client = await clients.connect()
    const literal = await client.query(
      ROWS.find((row) => row.sql.startsWith("select 'copy t from stdin'"))!.sql,
    )
    expect(literal.rows).toHaveLength(1)
    const result = await client.query(
      "select name from read_csv('s3://bucket/people.csv', md_run => 'auto')",
    )
    expect(result.rows).toEqual([{ name: 'ada' }])
  })
})
