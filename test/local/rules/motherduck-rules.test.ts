import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EndpointError } from '../../../src/local/errors/endpoint-error.js'
import {
  applyMotherDuckRules,
  type MotherDuckRulesOptions,
  mapObjectStorePath,
} from '../../../src/local/rules/motherduck-rules.js'
import { splitStatements as statementInfos } from '../../../src/sql/sql-statements.js'
import { splitStatements, tokenizeSql } from '../../../src/sql/sql-tokenizer.js'

let dir: string
let instance: DuckDBInstance
let connection: DuckDBConnection
let strict: MotherDuckRulesOptions
let lenient: MotherDuckRulesOptions

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'motherduck-rules-'))
  mkdirSync(join(dir, 'bucket', '2024'), { recursive: true })
  instance = await DuckDBInstance.create(':memory:')
  connection = await instance.connect()
  await connection.run(
    `COPY (SELECT range AS id, 'r' || range AS name FROM range(3)) TO '${join(dir, 'bucket', '2024', 'a.parquet')}' (FORMAT parquet)`,
  )
  await connection.run(
    `COPY (SELECT range + 3 AS id, 'r' || (range + 3) AS name FROM range(2)) TO '${join(dir, 'bucket', '2024', 'b.parquet')}' (FORMAT parquet)`,
  )
  writeFileSync(join(dir, 'bucket', 'people.csv'), 'name,age\nada,36\n')
  writeFileSync(join(dir, 'bucket', 'rows.json'), '[{"x": 1}, {"x": 2}]')
  strict = { strict: true, objectStore: { 's3://bucket': join(dir, 'bucket') } }
  lenient = { ...strict, strict: false }
})

afterAll(() => {
  connection.closeSync()
  instance.closeSync()
  rmSync(dir, { recursive: true, force: true })
})

function refusal(sql: string, options = strict): EndpointError {
  try {
    applyMotherDuckRules(sql, options)
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointError)
    return error as EndpointError
  }
  throw new Error(`expected ${sql} to be refused`)
}

async function rows(sql: string, options = strict): Promise<unknown[][]> {
  const rewritten = applyMotherDuckRules(sql, options)
  const reader = await connection.runAndReadAll(rewritten.sql)
  return reader.getRowsJson() as unknown[][]
}

describe('mapObjectStorePath', () => {
  it('maps at path boundaries, longest prefix first, globs included', () => {
    const store = { 's3://bucket': '/data/b', 's3://bucket/deep/': '/other', 'gs://x/': '/gx/' }
    expect(mapObjectStorePath('s3://bucket/2024/*.parquet', store)).toBe('/data/b/2024/*.parquet')
    expect(mapObjectStorePath('s3://bucket/deep/f.csv', store)).toBe('/other/f.csv')
    expect(mapObjectStorePath('s3://bucket2/f.csv', store)).toBe('s3://bucket2/f.csv')
    expect(mapObjectStorePath('s3://bucket', store)).toBe('/data/b')
    expect(mapObjectStorePath('gs://x/y', store)).toBe('/gx/y')
    expect(mapObjectStorePath('/local/file.csv', store)).toBe('/local/file.csv')
  })

  it('resolves . and .. inside the prefix', () => {
    const store = { 's3://bucket': '/data/b' }
    expect(mapObjectStorePath('s3://bucket/a/../x.csv', store)).toBe('/data/b/x.csv')
    expect(mapObjectStorePath('s3://bucket/./a/./b/../*.csv', store)).toBe('/data/b/a/*.csv')
  })

  it.each([
    's3://bucket/../outside.csv',
    's3://bucket/..',
    's3://bucket/a/../../outside.csv',
    's3://bucket/./../outside.csv',
  ])('refuses %s, which leaves its prefix, with 42501', (path) => {
    const error = (() => {
      try {
        mapObjectStorePath(path, { 's3://bucket': '/data/b' })
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(EndpointError)
    expect(error).toMatchObject({ code: '42501' })
    expect((error as Error).message).toContain('leaves the object-store prefix s3://bucket')
  })
})

describe('applyMotherDuckRules: MD_RUN and object-store paths', () => {
  it('strips MD_RUN = REMOTE | AUTO and maps the path, then DuckDB reads the local file', async () => {
    const sql = "SELECT count(*) FROM read_parquet('s3://bucket/2024/*.parquet', MD_RUN = REMOTE)"
    const mapped = `SELECT count(*) FROM read_parquet('${join(dir, 'bucket')}/2024/*.parquet')`
    expect(applyMotherDuckRules(sql, strict)).toEqual({
      sql: mapped,
      pathParameters: [],
      statements: statementInfos(mapped),
    })
    expect(await rows(sql)).toEqual([['5']])
    expect(
      await rows(
        "SELECT name FROM read_csv_auto('s3://bucket/people.csv', header = true, md_run=auto)",
      ),
    ).toEqual([['ada']])
    expect(
      await rows(
        "SELECT sum(x) FROM read_json('s3://bucket/rows.json', MD_RUN := 'REMOTE', format = 'array')",
      ),
    ).toEqual([['3']])
    expect(
      await rows(
        "SELECT count(*) FROM parquet_scan(['s3://bucket/2024/a.parquet', 's3://bucket/2024/b.parquet'], MD_RUN = Remote)",
      ),
    ).toEqual([['5']])
  })

  it('maps quoted file names in FROM and in joins', async () => {
    expect(
      await rows(
        "SELECT count(*) FROM 's3://bucket/2024/a.parquet' a JOIN 's3://bucket/2024/*.parquet' b USING (id)",
      ),
    ).toEqual([['3']])
  })

  it('keeps MD_RUN out even when strict is off, and refuses LOCAL only in strict mode', async () => {
    expect(
      await rows(
        "SELECT count(*) FROM read_parquet('s3://bucket/2024/a.parquet', MD_RUN = LOCAL)",
        lenient,
      ),
    ).toEqual([['3']])
    const error = refusal("SELECT * FROM read_parquet('s3://bucket/x.parquet', MD_RUN = LOCAL)")
    expect(error.code).toBe('0A000')
    expect(error.message).toMatch(/MD_RUN = LOCAL/)
    expect(error.hint).toMatch(/MD_RUN = REMOTE/)
  })

  it('reports reader path parameters, $n and ?', () => {
    expect(
      applyMotherDuckRules('SELECT * FROM read_parquet($2, MD_RUN = REMOTE) WHERE id = $1', strict),
    ).toEqual({
      sql: 'SELECT * FROM read_parquet($2) WHERE id = $1',
      pathParameters: [2],
      statements: statementInfos('SELECT * FROM read_parquet($2) WHERE id = $1'),
    })
    expect(
      applyMotherDuckRules('SELECT ? AS x, * FROM read_csv(?)', strict).pathParameters,
    ).toEqual([2])
    expect(
      applyMotherDuckRules('SELECT * FROM read_json([$1, $3])', strict).pathParameters,
    ).toEqual([1, 3])
  })

  it('is not fooled by strings, quoted identifiers, comments or dollar quotes', () => {
    const sql = [
      "SELECT 'read_parquet(''/etc/x'', MD_RUN = LOCAL)' AS s, \"read_csv('/etc/y')\" AS q",
      "-- read_parquet('/etc/z', MD_RUN = LOCAL)",
      "/* ATTACH 'x' /* nested */ COPY t FROM STDIN */",
      "$$ INSTALL httpfs; read_csv('/etc/w') $$, $tag$ CREATE TEMP TABLE x $tag$, E'it\\'s read_csv(''/etc'')'",
    ].join('\n')
    expect(applyMotherDuckRules(sql, strict)).toEqual({
      sql,
      pathParameters: [],
      statements: statementInfos(sql),
    })
  })

  it('applies to every statement of a multi-statement string', () => {
    const result = applyMotherDuckRules(
      "SELECT 1; CREATE TABLE t AS SELECT * FROM read_parquet('s3://bucket/a.parquet', MD_RUN = AUTO); SELECT 'x;y'",
      strict,
    )
    expect(result.sql).toBe(
      `SELECT 1; CREATE TABLE t AS SELECT * FROM read_parquet('${join(dir, 'bucket')}/a.parquet'); SELECT 'x;y'`,
    )
    expect(() => applyMotherDuckRules("SELECT 1; ATTACH 'x.duckdb'", strict)).toThrow(EndpointError)
  })

  it('leaves SQL it cannot tokenize for DuckDB to report', () => {
    expect(applyMotherDuckRules("SELECT 'unterminated", strict).sql).toBe("SELECT 'unterminated")
  })
})

describe('applyMotherDuckRules lexes once: its statements are those of the SQL it returns', () => {
  // The session takes `statements` instead of splitting the rewritten text again, so they must read
  // exactly as splitStatements(result.sql) would, whatever the rules removed or replaced.
  const inputs = [
    '',
    ' ; -- only a comment\n ;',
    'select * from t',
    'BEGIN; INSERT INTO t VALUES (1) RETURNING id; COMMIT',
    "SELECT * FROM read_parquet('s3://bucket/2024/*.parquet', MD_RUN = REMOTE)",
    "select a, b from read_csv('s3://bucket/people.csv', /* why */ md_run => 'auto', header = true) returning_not",
    "SELECT 1; CREATE TABLE t AS SELECT * FROM read_parquet('s3://bucket/a.parquet', MD_RUN := AUTO); SELECT 'x;y'",
    'insert into t select * from read_json([\'s3://bucket/a.json\', $1], "MD_RUN" = remote) returning id',
    "COPY (SELECT 42 AS x) TO 's3://bucket/out.csv' (HEADER)",
    "SELECT count(*) FROM 's3://bucket/2024/a.parquet' a JOIN 's3://bucket/2024/*.parquet' b USING (id)",
    "SELECT 'unterminated",
  ]
  for (const sql of inputs) {
    it(JSON.stringify(sql), () => {
      for (const options of [strict, lenient]) {
        const result = applyMotherDuckRules(sql, options)
        expect(result.statements).toEqual(statementInfos(result.sql))
      }
    })
  }

  it('also when lenient mode strips MD_RUN = LOCAL', () => {
    const result = applyMotherDuckRules(
      "SELECT * FROM read_parquet('s3://bucket/2024/a.parquet', MD_RUN = LOCAL)",
      lenient,
    )
    expect(result.sql).toBe(`SELECT * FROM read_parquet('${join(dir, 'bucket')}/2024/a.parquet')`)
    expect(result.statements).toEqual(statementInfos(result.sql))
    expect(result.statements[0]?.keywords).toEqual(['SELECT', 'FROM', 'READ_PARQUET'])
  })
})

describe('applyMotherDuckRules: strict refusals say what to do instead', () => {
  const cases: [string, RegExp, RegExp][] = [
    ['COPY t FROM STDIN', /COPY … FROM STDIN/, /INSERT … VALUES.*insertRows.*read_parquet\('s3:/],
    ['copy (select 1) to stdout with (format csv)', /COPY … TO STDOUT/, /SELECT/],
    ["COPY t FROM 'data.csv'", /COPY FROM local files \('data.csv'\)/, /insertRows/],
    ["COPY t TO '/tmp/out.parquet' (FORMAT parquet)", /COPY TO local files/, /s3:/],
    [
      "SELECT * FROM read_csv('data/people.csv')",
      /cannot read files on your machine \('data\/people.csv'\)/,
      /object storage/,
    ],
    ["SELECT * FROM 'local.parquet'", /cannot read files on your machine/, /objectStore/],
    [
      "SELECT * FROM read_parquet(['s3://bucket/a.parquet', './b.parquet'])",
      /\.\/b\.parquet/,
      /object storage/,
    ],
    [
      "SELECT * FROM read_parquet('s3://other-bucket/x.parquet')",
      /httpfs is not available offline/,
      /objectStore: \{ 's3:\/\/other-bucket': /,
    ],
    ["ATTACH 'my.duckdb' AS mine", /does not support ATTACH/, /three-part names/],
    ['DETACH mine', /does not support DETACH/, /three-part names/],
    ['INSTALL spatial', /installing or loading extensions/, /drop the INSTALL\/LOAD/],
    ['load httpfs', /installing or loading extensions/, /INSTALL\/LOAD/],
    ['FORCE INSTALL httpfs', /installing or loading extensions/, /INSTALL\/LOAD/],
    ["CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')", /CREATE SECRET/, /MotherDuck UI/],
    ['CREATE OR REPLACE PERSISTENT SECRET s (TYPE s3)', /CREATE SECRET/, /IN MOTHERDUCK/],
    ['CREATE TEMP TABLE x (i INTEGER)', /temporary tables/, /CTE/],
    ['create or replace temporary view v as select 1', /temporary views/, /CREATE TABLE/],
  ]
  for (const [sql, message, hint] of cases) {
    it(sql, () => {
      const error = refusal(sql)
      expect(error.code).toBe('0A000')
      expect(error.message).toMatch(message)
      expect(error.hint).toMatch(hint)
    })
  }

  it('allows COPY to and from mapped object storage, and COPY FROM DATABASE', async () => {
    const result = applyMotherDuckRules(
      "COPY (SELECT 42 AS x) TO 's3://bucket/out.csv' (HEADER)",
      strict,
    )
    expect(result.sql).toBe(`COPY (SELECT 42 AS x) TO '${join(dir, 'bucket')}/out.csv' (HEADER)`)
    await connection.run(result.sql)
    expect(await rows("SELECT x FROM read_csv('s3://bucket/out.csv')")).toEqual([['42']])
    expect(applyMotherDuckRules('COPY FROM DATABASE a TO b', strict).sql).toBe(
      'COPY FROM DATABASE a TO b',
    )
  })

  it('strict: false lifts every refusal', () => {
    for (const sql of [
      'COPY t FROM STDIN',
      "ATTACH 'x.duckdb'",
      'INSTALL spatial',
      'CREATE TEMP TABLE x (i INTEGER)',
      'CREATE SECRET s (TYPE s3)',
      "SELECT * FROM read_csv('local.csv')",
      "SELECT * FROM 's3://other/x.parquet'",
    ]) {
      expect(applyMotherDuckRules(sql, lenient).sql).toBe(sql)
    }
  })
})

describe('sql tokenizer', () => {
  it('covers every character and splits statements at top-level semicolons only', () => {
    const sql = "SELECT 'a;b', \"c;d\", $x$;$x$ -- ;\n/* ; */ FROM t; SELECT E'\\';', ?"
    const tokens = tokenizeSql(sql)
    expect(tokens.map((token) => token.text).join('')).toBe(sql)
    const statements = splitStatements(tokens)
    expect(statements).toHaveLength(2)
    expect(statements[1]!.map((token) => token.value ?? token.text)).toEqual([
      'SELECT',
      "';",
      ',',
      '?',
    ])
    expect(statements[1]![3]!.parameter).toBe(1)
  })

  it('unescapes strings and identifiers', () => {
    const tokens = tokenizeSql(`'it''s' E'a\\nb\\x41' "we""ird" $$dollar 'body'$$ B'0101'`).filter(
      (token) => token.kind !== 'space',
    )
    expect(tokens.map((token) => [token.kind, token.value])).toEqual([
      ['string', "it's"],
      ['string', 'a\nbA'],
      ['identifier', 'we"ird'],
      ['string', "dollar 'body'"],
      ['string', '0101'],
    ])
  })
})
