import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bindParameters, type WireParameter } from '../../../src/local/decode/bind-parameters.js'
import { EndpointError } from '../../../src/local/errors/endpoint-error.js'
import { toPgError } from '../../../src/local/errors/pg-error-fields.js'
import { CLIENT_PARAMETER_TYPES, WIRE_TYPES } from '../../../src/types/duckdb-types.js'

/** pg's own serialisation of a JS value into a text parameter (what `client.query(sql, [value])` sends). */
const prepareValue = (
  pg as unknown as { utils: { prepareValue(value: unknown): string | Buffer | null } }
).utils.prepareValue

let instance: DuckDBInstance
let connection: DuckDBConnection
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bind-parameters-'))
  writeFileSync(join(dir, 'people.csv'), 'name,age\nada,36\ngrace,45\n')
  instance = await DuckDBInstance.create(':memory:')
  connection = await instance.connect()
  await connection.run("SET TimeZone = 'UTC'")
  await connection.run(`CREATE TABLE t (
    i INTEGER, s SMALLINT, b BIGINT, h HUGEINT, d DOUBLE, f FLOAT, n DECIMAL(12, 3), v VARCHAR,
    bo BOOLEAN, bl BLOB, dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ, tm TIME, iv INTERVAL, u UUID, j JSON,
    li INTEGER[], ls VARCHAR[], lb BIGINT[], ld DATE[], lt TIMESTAMPTZ[], ll INTEGER[][], lbo BOOLEAN[],
    a3 INTEGER[3], st STRUCT(x INTEGER, y VARCHAR)
  )`)
})

afterAll(() => {
  connection.closeSync()
  instance.closeSync()
  rmSync(dir, { recursive: true, force: true })
})

const text = (value: string | null, oid = 0): WireParameter => ({
  value: value === null ? null : Buffer.from(value, 'utf8'),
  format: 0,
  oid,
})
const binary = (value: Buffer, oid: number): WireParameter => ({ value, format: 1, oid })
/** What pg sends for a JS value. */
const fromPg = (value: unknown): WireParameter => {
  const prepared = prepareValue(value)
  if (prepared === null) return { value: null, format: 0, oid: 0 }
  // pg sends Buffers in binary format with no declared type.
  if (Buffer.isBuffer(prepared)) return { value: prepared, format: 1, oid: 0 }
  return { value: Buffer.from(prepared, 'utf8'), format: 0, oid: 0 }
}

/** Prepares `sql`, binds `parameters` and returns the rows as JSON-ish values (and the column types). */
async function run(
  sql: string,
  parameters: readonly WireParameter[],
  options: {
    objectStore?: Record<string, string>
    pathParameters?: number[]
    strict?: boolean
  } = {},
) {
  const statement = await connection.prepare(sql)
  try {
    bindParameters(statement, parameters, {
      objectStore: options.objectStore ?? {},
      pathParameters: options.pathParameters ?? [],
      ...(options.strict === undefined ? {} : { strict: options.strict }),
    })
    const reader = await statement.runAndReadAll()
    return {
      rows: reader.getRowsJson() as unknown[][],
      types: reader.columnTypes().map((type) => type.alias ?? String(type)),
    }
  } finally {
    statement.destroySync()
  }
}

async function first(sql: string, parameters: readonly WireParameter[]) {
  const { rows, types } = await run(sql, parameters)
  return { row: rows[0]!, types }
}

async function failure(sql: string, parameters: readonly WireParameter[]) {
  try {
    await run(sql, parameters)
  } catch (error) {
    return error
  }
  throw new Error(`expected ${sql} to fail`)
}

describe('bindParameters: what pg sends (text, OID 0)', () => {
  it('numbers, strings, booleans, bigints and NULL cast to the inferred column types', async () => {
    const { row } = await first(
      'INSERT INTO t (i, s, b, h, d, f, n, v, bo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING i, s, b, h, d, f, n, v, bo',
      [
        42,
        -7,
        9007199254740993n,
        '170141183460469231731687303715884105727',
        0.1,
        1.5,
        '123.456',
        'it\'s \\ "x"',
        true,
      ].map(fromPg),
    )
    expect(row).toEqual([
      42,
      -7,
      '9007199254740993',
      '170141183460469231731687303715884105727',
      0.1,
      1.5,
      '123.456',
      'it\'s \\ "x"',
      true,
    ])
    const nulls = await first('INSERT INTO t (i, v) VALUES ($1, $2) RETURNING i, v', [
      fromPg(null),
      fromPg(undefined),
    ])
    expect(nulls.row).toEqual([null, null])
  })

  it('Date objects into DATE, TIMESTAMP and TIMESTAMPTZ columns', async () => {
    const at = new Date('2024-03-01T12:34:56.789Z')
    const { row } = await first(
      'INSERT INTO t (dt, ts, tz) VALUES ($1, $2, $3) RETURNING dt, ts, tz',
      [fromPg('2024-02-29'), fromPg(at), fromPg(at)],
    )
    expect(row[0]).toBe('2024-02-29')
    // pg writes local time with the process offset; TIMESTAMP drops the offset as Postgres does.
    expect(typeof row[1]).toBe('string')
    expect(row[2]).toBe('2024-03-01 12:34:56.789+00')
  })

  it('Buffers into BLOB as bytea hex, and escape-format bytea', async () => {
    const { row } = await first('INSERT INTO t (bl) VALUES ($1) RETURNING bl', [
      fromPg(Buffer.from([0, 1, 0xfe, 0x41])),
    ])
    expect(row[0]).toBe('\\x00\\x01\\xFEA')
    const escaped = await first('SELECT $1::BLOB = $2::BLOB', [text('\\x4142'), text('A\\102')])
    expect(escaped.row[0]).toBe(true)
    const blob = await first('INSERT INTO t (bl) VALUES ($1) RETURNING octet_length(bl)', [
      text('ab\\\\\\000'),
    ])
    expect(blob.row[0]).toBe('4')
  })

  it('JS arrays (Postgres array literals) into LIST columns and LIST-typed expressions', async () => {
    const { row } = await first(
      'INSERT INTO t (li, ls, lb, ld, lt, lbo) VALUES ($1, $2, $3, $4, $5, $6) RETURNING li, ls, lb, ld, lt, lbo',
      [
        [1, null, 3],
        ['plain', 'with space', 'a,b', 'q"uote', 'back\\slash', 'NULL', '', null, '{brace}'],
        [9007199254740993n],
        ['2024-01-01', '0044-03-15 BC'],
        [new Date('2024-01-01T00:00:00Z')],
        [true, false],
      ].map(fromPg),
    )
    expect(row).toEqual([
      [1, null, 3],
      ['plain', 'with space', 'a,b', 'q"uote', 'back\\slash', 'NULL', '', null, '{brace}'],
      ['9007199254740993'],
      ['2024-01-01', '0044-03-15 (BC)'],
      ['2024-01-01 00:00:00+00'],
      [true, false],
    ])
    const nested = await first('INSERT INTO t (ll, a3) VALUES ($1, $2) RETURNING ll, a3', [
      fromPg([[1, 2], [3]]),
      fromPg([4, 5, 6]),
    ])
    expect(nested.row).toEqual([
      [[1, 2], [3]],
      [4, 5, 6],
    ])
    const contains = await first('SELECT list_contains($1, 2), len($2::VARCHAR[])', [
      fromPg([1, 2]),
      fromPg(['x']),
    ])
    expect(contains.row).toEqual([true, '1'])
    const empty = await first('INSERT INTO t (li) VALUES ($1) RETURNING li', [fromPg([])])
    expect(empty.row).toEqual([[]])
    // DuckDB's own list syntax still works: it is not a Postgres array literal.
    const duckdbSyntax = await first('INSERT INTO t (li) VALUES ($1) RETURNING li', [
      text('[7, 8]'),
    ])
    expect(duckdbSyntax.row).toEqual([[7, 8]])
  })

  it('objects as JSON text, and STRUCT literals DuckDB casts itself', async () => {
    const { row } = await first('INSERT INTO t (j, st) VALUES ($1, $2) RETURNING j, st', [
      fromPg({ a: [1, 'x'] }),
      text("{'x': 1, 'y': 'z'}"),
    ])
    expect(row).toEqual(['{"a":[1,"x"]}', { x: 1, y: 'z' }])
  })

  it('Postgres spellings DuckDB reads differently: on/off, BC dates and timestamps, interval output', async () => {
    const { row } = await first(
      'INSERT INTO t (bo, dt, ts, iv) VALUES ($1, $2, $3, $4) RETURNING bo, dt, ts, iv',
      [
        text('off'),
        text('0044-03-15 BC'),
        text('0044-03-15 05:00:00 BC'),
        text('-3 days +04:00:00'),
      ],
    )
    expect(row).toEqual([
      false,
      '0044-03-15 (BC)',
      '0044-03-15 (BC) 05:00:00',
      { months: 0, days: -3, micros: '14400000000' },
    ])
    const interval = await first(
      'SELECT $1::INTERVAL = INTERVAL 14 MONTH + INTERVAL 3 DAY + INTERVAL 1 HOUR',
      [text('1 year 2 mons 3 days 01:00:00')],
    )
    expect(interval.row).toEqual([true])
  })

  it('untyped parameters DuckDB cannot infer bind as VARCHAR and DuckDB decides', async () => {
    const { row, types } = await first('SELECT $1 AS x', [text('42')])
    expect([row[0], types[0]]).toEqual(['42', 'VARCHAR'])
    const error = await failure('SELECT i + $1 FROM (SELECT 1 AS i)', [text('5')])
    expect(toPgError(error).code).toBe('42883')
    expect(toPgError(error).message).toMatch(/Could not choose a best candidate function/)
  })

  it('inferred scalar types bind exactly when the text is a plain spelling of one', async () => {
    const { row } = await first(
      "SELECT $1 = 5, $2 = 2.5, $3 = DATE '2024-01-01', $4 = TIMESTAMP '2024-01-01 10:00:00', $5 > 0",
      [text(' 5 '), text('2.5'), text('2024-01-01'), text('2024-01-01 10:00:00+02'), text('1e3')],
    )
    expect(row).toEqual([true, true, true, true, true])
  })
})

// ---------------------------------------------------------------------------------------------------
// Binary encoders for the fixtures (psycopg 3 sends numbers, dates, uuids… like this).

const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff])
const int32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}
const int64 = (n: bigint) => {
  const b = Buffer.alloc(8)
  b.writeBigInt64BE(n)
  return b
}
const float64 = (n: number) => {
  const b = Buffer.alloc(8)
  b.writeDoubleBE(n)
  return b
}
const float32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeFloatBE(n)
  return b
}

/** Postgres' binary numeric of a decimal string. */
function numericBinary(decimal: string): Buffer {
  const negative = decimal.startsWith('-')
  const [integer = '0', fraction = ''] = decimal.replace(/^-/, '').split('.')
  const intPadded = integer.padStart(Math.ceil(integer.length / 4) * 4, '0')
  const fracPadded = fraction.padEnd(Math.ceil(fraction.length / 4) * 4, '0')
  let groups = [...`${intPadded}${fracPadded}`.matchAll(/\d{4}/g)].map((m) => Number(m[0]))
  let weight = intPadded.length / 4 - 1
  while (groups.length > 0 && groups[0] === 0) {
    groups = groups.slice(1)
    weight--
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups = groups.slice(0, -1)
  return Buffer.concat([
    int16(groups.length),
    int16(weight),
    int16(negative ? 0x4000 : 0),
    int16(fraction.length),
    ...groups.map(int16),
  ])
}

/** Postgres' binary array of already-encoded elements. */
function arrayBinary(elementOid: number, elements: (Buffer | null)[]): Buffer {
  return Buffer.concat([
    int32(1),
    int32(elements.includes(null) ? 1 : 0),
    int32(elementOid),
    int32(elements.length),
    int32(1),
    ...elements.flatMap((element) =>
      element === null ? [int32(-1)] : [int32(element.length), element],
    ),
  ])
}

const PG_EPOCH_MICROS = 946_684_800_000_000n

describe('bindParameters: declared OIDs in binary format (psycopg 3)', () => {
  it('bool, int2, int4, int8, float4, float8 bind as their types', async () => {
    const { row, types } = await first(
      'SELECT $1 AS a, $2 AS b, $3 AS c, $4 AS d, $5 AS e, $6 AS f',
      [
        binary(Buffer.from([1]), WIRE_TYPES.bool.oid),
        binary(int16(-5), WIRE_TYPES.int2.oid),
        binary(int32(2147483647), WIRE_TYPES.int4.oid),
        binary(int64(-9223372036854775808n), WIRE_TYPES.int8.oid),
        binary(float32(1.5), WIRE_TYPES.float4.oid),
        binary(float64(Math.PI), WIRE_TYPES.float8.oid),
      ],
    )
    expect(types).toEqual(['BOOLEAN', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE'])
    expect(row).toEqual([true, -5, 2147483647, '-9223372036854775808', 1.5, Math.PI])
  })

  it('into columns of other numeric types (DuckDB casts)', async () => {
    const { row } = await first(
      'INSERT INTO t (i, b, d, n) VALUES ($1, $2, $3, $4) RETURNING i, b, d, n',
      [
        binary(int16(12), WIRE_TYPES.int2.oid),
        binary(int32(34), WIRE_TYPES.int4.oid),
        binary(int64(56n), WIRE_TYPES.int8.oid),
        binary(numericBinary('-12345.678'), WIRE_TYPES.numeric.oid),
      ],
    )
    expect(row).toEqual([12, '34', 56, '-12345.678'])
  })

  it('numeric in binary: scale, small and huge values, NaN', async () => {
    for (const decimal of [
      '0',
      '1',
      '0.0001',
      '123456.5000',
      '-0.05',
      '99999999999999999999.123456789',
      '10000',
    ]) {
      const { row } = await first('SELECT $1::VARCHAR', [
        binary(numericBinary(decimal), WIRE_TYPES.numeric.oid),
      ])
      expect(row[0], decimal).toBe(decimal)
    }
    const nan = Buffer.concat([int16(0), int16(0), int16(0xc000), int16(0)])
    const { row } = await first('SELECT isnan($1)', [binary(nan, WIRE_TYPES.numeric.oid)])
    expect(row[0]).toBe(true)
  })

  it('text, varchar, bytea, json and jsonb', async () => {
    const { row, types } = await first(
      'SELECT $1 AS a, $2 AS b, $3 AS c, $4::JSON AS d, $5::JSON AS e',
      [
        binary(Buffer.from('ünï'), WIRE_TYPES.text.oid),
        binary(Buffer.from('v'), CLIENT_PARAMETER_TYPES.varchar.oid),
        binary(Buffer.from([0, 255]), WIRE_TYPES.bytea.oid),
        binary(Buffer.from('{"a":1}'), WIRE_TYPES.json.oid),
        binary(
          Buffer.concat([Buffer.from([1]), Buffer.from('{"b":2}')]),
          CLIENT_PARAMETER_TYPES.jsonb.oid,
        ),
      ],
    )
    expect(types).toEqual(['VARCHAR', 'VARCHAR', 'BLOB', 'JSON', 'JSON'])
    expect(row).toEqual(['ünï', 'v', '\\x00\\xFF', '{"a":1}', '{"b":2}'])
  })

  it('date, time, timestamp, timestamptz, interval and uuid', async () => {
    const micros = BigInt(Date.UTC(2024, 2, 1, 12, 34, 56, 789)) * 1000n + 123n - PG_EPOCH_MICROS
    const interval = Buffer.concat([int64(3_600_000_000n), int32(-2), int32(14)])
    const { row } = await first(
      'SELECT $1::VARCHAR, $2::VARCHAR, $3::VARCHAR, $4::VARCHAR, $5::VARCHAR, $6::VARCHAR, $7::VARCHAR',
      [
        binary(int32(8825), WIRE_TYPES.date.oid),
        binary(int32(-2147483648), WIRE_TYPES.date.oid),
        binary(int64(45_296_000_001n), WIRE_TYPES.time.oid),
        binary(int64(micros), WIRE_TYPES.timestamp.oid),
        binary(int64(micros), WIRE_TYPES.timestamptz.oid),
        binary(interval, WIRE_TYPES.interval.oid),
        binary(Buffer.from('a0eebc999c0b4ef8bb6d6bb9bd380a11', 'hex'), WIRE_TYPES.uuid.oid),
      ],
    )
    expect(row).toEqual([
      '2024-02-29',
      '-infinity',
      '12:34:56.000001',
      '2024-03-01 12:34:56.789123',
      '2024-03-01 12:34:56.789123+00',
      '1 year 2 months -2 days 01:00:00',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    ])
  })

  it('timetz with Postgres zone (seconds west of UTC)', async () => {
    const value = Buffer.concat([int64(45_296_000_000n), int32(-19800)])
    const { row } = await first('SELECT $1::VARCHAR', [binary(value, WIRE_TYPES.timetz.oid)])
    expect(row[0]).toBe('12:34:56+05:30')
  })

  it('one-dimensional arrays with NULLs, and empty arrays', async () => {
    const { row } = await first(
      'INSERT INTO t (li, ls, lb) VALUES ($1, $2, $3) RETURNING li, ls, lb',
      [
        binary(
          arrayBinary(WIRE_TYPES.int4.oid, [int32(1), null, int32(3)]),
          WIRE_TYPES.int4.arrayOid,
        ),
        binary(
          arrayBinary(WIRE_TYPES.text.oid, [Buffer.from('a b'), Buffer.from('')]),
          WIRE_TYPES.text.arrayOid,
        ),
        binary(
          Buffer.concat([int32(0), int32(0), int32(WIRE_TYPES.int8.oid)]),
          WIRE_TYPES.int8.arrayOid,
        ),
      ],
    )
    expect(row).toEqual([[1, null, 3], ['a b', ''], []])
  })

  it('untyped binary arrays (asyncpg) read by the element type in their header, oid[] included', async () => {
    const oid = (n: number) => {
      const bytes = Buffer.alloc(4)
      bytes.writeUInt32BE(n)
      return bytes
    }
    const { row, types } = await first('SELECT $1::INTEGER[] AS li, $2::UINTEGER[] AS oids', [
      binary(arrayBinary(WIRE_TYPES.int4.oid, [int32(1), null, int32(3)]), 0),
      binary(arrayBinary(CLIENT_PARAMETER_TYPES.oid.oid, [oid(23), oid(4294967295)]), 0),
    ])
    expect(row).toEqual([
      [1, null, 3],
      [23, 4294967295],
    ])
    expect(types).toEqual(['INTEGER[]', 'UINTEGER[]'])
  })

  it('refuses binary parameters of types it does not decode, saying what to do', async () => {
    const error = await failure('SELECT $1', [binary(Buffer.from([1, 2, 3]), 600)])
    expect(error).toBeInstanceOf(EndpointError)
    expect(toPgError(error)).toMatchObject({ code: '0A000', detail: 'In parameter $1.' })
    expect((error as EndpointError).hint).toMatch(/text format/)
    // Without a declared type, binary reads as the inferred type, else as bytes (how pg sends Buffers).
    const untyped = await first('SELECT $1 AS a', [binary(Buffer.from([1, 2]), 0)])
    expect(untyped.row).toEqual(['\\x01\\x02'])
    const inferred = await first('SELECT $1::INTEGER + 1 AS b', [binary(int32(41), 0)])
    expect(inferred.row).toEqual([42])
  })

  it('refuses binary values of the wrong length', async () => {
    const error = await failure('SELECT $1', [binary(Buffer.from([1, 2]), WIRE_TYPES.int4.oid)])
    expect(toPgError(error).code).toBe('22P03')
  })
})

describe('bindParameters: declared OIDs in text format', () => {
  it('binds the declared type even where DuckDB infers nothing', async () => {
    const { row, types } = await first(
      'SELECT $1 AS a, $2 AS b, $3 AS c, $4 AS d, $5 AS e, $6 AS f, $7 AS g, $8 AS h',
      [
        text('42', WIRE_TYPES.int4.oid),
        text('NaN', WIRE_TYPES.float8.oid),
        text('yes', WIRE_TYPES.bool.oid),
        text('2024-02-29', WIRE_TYPES.date.oid),
        text('2024-03-01 12:00:00+02', WIRE_TYPES.timestamptz.oid),
        text('{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}', WIRE_TYPES.uuid.oid),
        text('1.5e3', WIRE_TYPES.numeric.oid),
        text('1 day 02:00:00', WIRE_TYPES.interval.oid),
      ],
    )
    expect(types).toEqual([
      'INTEGER',
      'DOUBLE',
      'BOOLEAN',
      'DATE',
      'TIMESTAMP WITH TIME ZONE',
      'UUID',
      'DECIMAL(4,0)',
      'INTERVAL',
    ])
    expect(row).toEqual([
      42,
      'NaN',
      true,
      '2024-02-29',
      '2024-03-01 10:00:00+00',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      '1500',
      { months: 0, days: 1, micros: '7200000000' },
    ])
  })

  it('typed arrays, one- and two-dimensional', async () => {
    const { row, types } = await first('SELECT $1 AS a, $2 AS b, $3 AS c', [
      text('{1,NULL,3}', WIRE_TYPES.int4.arrayOid),
      text('{{1,2},{3,4}}', WIRE_TYPES.int8.arrayOid),
      text('{"a b",NULL,"NULL"}', WIRE_TYPES.text.arrayOid),
    ])
    expect(types).toEqual(['INTEGER[]', 'BIGINT[][]', 'VARCHAR[]'])
    expect(row).toEqual([
      [1, null, 3],
      [
        ['1', '2'],
        ['3', '4'],
      ],
      ['a b', null, 'NULL'],
    ])
  })

  it('reports bad values with Postgres messages and SQLSTATEs', async () => {
    const cases: [WireParameter, string, RegExp][] = [
      [text('abc', WIRE_TYPES.int4.oid), '22P02', /invalid input syntax for type integer: "abc"/],
      [text('99999', WIRE_TYPES.int2.oid), '22003', /out of range for type smallint/],
      [text('maybe', WIRE_TYPES.bool.oid), '22P02', /type boolean/],
      [text('not-a-uuid', WIRE_TYPES.uuid.oid), '22P02', /type uuid/],
      [text('{1,2', WIRE_TYPES.int4.arrayOid), '22P02', /malformed array literal/],
      [text('\\xZZ', WIRE_TYPES.bytea.oid), '22P02', /type bytea/],
    ]
    for (const [parameter, code, message] of cases) {
      const error = await failure('SELECT $1', [parameter])
      expect(toPgError(error).code).toBe(code)
      expect(toPgError(error).message).toMatch(message)
    }
  })
})

describe('bindParameters: protocol checks and reader paths', () => {
  it('08P01 when the count does not match', async () => {
    const error = await failure('SELECT $1, $2', [text('1')])
    expect(toPgError(error)).toMatchObject({
      code: '08P01',
      message: 'bind message supplies 1 parameters, but prepared statement requires 2',
    })
  })

  it('maps reader-path parameters through the object store', async () => {
    const { rows } = await run(
      'SELECT name, age FROM read_csv($1) ORDER BY age',
      [text('s3://bucket/people.csv')],
      { objectStore: { 's3://bucket': dir }, pathParameters: [1] },
    )
    expect(rows).toEqual([
      ['ada', '36'],
      ['grace', '45'],
    ])
    const list = await run(
      'SELECT count(*) FROM read_csv($1)',
      [fromPg(['s3://bucket/people.csv', 's3://bucket/people.csv'])],
      { objectStore: { 's3://bucket': dir }, pathParameters: [1] },
    )
    expect(list.rows).toEqual([['4']])
  })

  it('refuses unmapped local and remote reader paths in strict mode only', async () => {
    const local = await failure('SELECT * FROM read_csv($1)', [
      text(join(dir, 'people.csv')),
    ]).catch((e) => e)
    expect(local).toBeDefined()
    const strictLocal = await run('SELECT 1 FROM read_csv($1)', [text(join(dir, 'people.csv'))], {
      pathParameters: [1],
    }).catch((e: unknown) => e)
    expect(toPgError(strictLocal)).toMatchObject({ code: '0A000' })
    expect(toPgError(strictLocal).message).toMatch(/cannot read files on your machine/)
    const remote = await run('SELECT 1 FROM read_csv($1)', [text('s3://elsewhere/x.csv')], {
      pathParameters: [1],
    }).catch((e: unknown) => e)
    expect(toPgError(remote).message).toMatch(/httpfs is not available offline/)
    expect(toPgError(remote).hint).toMatch(/objectStore: \{ 's3:\/\/elsewhere': /)
    const lenient = await run(
      'SELECT count(*) FROM read_csv($1)',
      [text(join(dir, 'people.csv'))],
      {
        pathParameters: [1],
        strict: false,
      },
    )
    expect(lenient.rows).toEqual([['2']])
  })
})
