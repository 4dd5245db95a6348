import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { daysFromCivil } from '../../src/types/calendar.js'
import type { PostgresServer } from '../support/postgres-server.js'
import type { TestEndpoint } from '../support/test-endpoint.js'
import {
  ByteClient,
  type ByteMessage,
  dataRows,
  type ExtendedRequest,
  errorOf,
  rowDescription,
} from './helpers/byte-client.js'
import { type ByteOracle, startByteOracle } from './helpers/byte-oracle.js'

/*
 * Binary results, byte for byte against a real PostgreSQL server: each case runs the same values on
 * both (spelled for each where DuckDB's SQL differs), asks for binary results (Bind's format codes)
 * and compares the RowDescription and every DataRow's bytes.
 */

let postgres: PostgresServer
let local: TestEndpoint
let oracle: ByteClient
let endpoint: ByteClient

let servers: ByteOracle | undefined

beforeAll(async () => {
  servers = await startByteOracle()
  ;({ postgres, local, oracle, endpoint } = servers)
}, 60_000)

afterAll(() => servers?.stop())

/** One value list: its rows as SQL expressions, for Postgres and (where DuckDB differs) for DuckDB. */
interface Case {
  readonly name: string
  readonly postgres: readonly string[]
  readonly duckdb?: readonly string[]
}

/** `SELECT v FROM (VALUES (1, a), (2, b)…) t(i, v) ORDER BY i`: one column, one row per value. */
function valuesQuery(values: readonly string[]): string {
  return `SELECT v FROM (VALUES ${values.map((value, i) => `(${i}, ${value})`).join(', ')}) AS t(i, v) ORDER BY i`
}

/** The parts of an answer both servers must agree on: fields, rows (hex), error code. */
function answer(messages: readonly ByteMessage[]) {
  return {
    fields: rowDescription(messages)?.map(({ name, oid, typeSize, typeModifier, format }) => ({
      name,
      oid,
      typeSize,
      typeModifier,
      format,
    })),
    rows: dataRows(messages).map((row) => row.map((value) => value?.toString('hex') ?? null)),
    error: errorOf(messages)?.code,
  }
}

async function expectSameAnswer(
  postgresSql: string,
  duckdbSql: string,
  request: ExtendedRequest,
): Promise<ReturnType<typeof answer>> {
  const expected = answer(await oracle.extended(postgresSql, request))
  expect(expected.error, `PostgreSQL failed on ${postgresSql}`).toBeUndefined()
  const actual = answer(await endpoint.extended(duckdbSql, request))
  expect(actual, duckdbSql).toEqual(expected)
  return actual
}

const CASES: readonly Case[] = [
  { name: 'bool', postgres: ['true', 'false', 'NULL::bool'] },
  {
    name: 'int2',
    postgres: ['(-32768)::int2', '32767::int2', '0::int2', '(-1)::int2', 'NULL::int2'],
  },
  {
    name: 'int2 from TINYINT and UTINYINT',
    postgres: ['(-128)::int2', '127::int2', '255::int2'],
    duckdb: ['(-128)::TINYINT', '127::TINYINT::SMALLINT', '255::UTINYINT::SMALLINT'],
  },
  {
    name: 'int4',
    postgres: ['(-2147483648)::int4', '2147483647::int4', '0::int4', '(-1)::int4'],
  },
  {
    name: 'int4 from USMALLINT',
    postgres: ['65535::int4', '0::int4'],
    duckdb: ['65535::USMALLINT', '0::USMALLINT'],
  },
  {
    name: 'int8',
    postgres: [
      '(-9223372036854775808)::int8',
      '9223372036854775807::int8',
      '0::int8',
      '(-1)::int8',
      '9007199254740993::int8',
      '(-9007199254740993)::int8',
      '4294967296::int8',
    ],
  },
  {
    name: 'int8 from UINTEGER',
    postgres: ['4294967295::int8', '0::int8'],
    duckdb: ['4294967295::UINTEGER', '0::UINTEGER'],
  },
  {
    name: 'float4',
    postgres: [
      '0::float4',
      "'-0'::float4",
      '1.5::float4',
      '0.1::float4',
      "'NaN'::float4",
      "'Infinity'::float4",
      "'-Infinity'::float4",
      '3.4028235e38::float4',
      "'1.4e-45'::float4",
      '(-16777217)::float4',
    ],
  },
  {
    name: 'float8',
    postgres: [
      '0::float8',
      "'-0'::float8",
      '0.1::float8',
      "'NaN'::float8",
      "'Infinity'::float8",
      "'-Infinity'::float8",
      '1.7976931348623157e308::float8',
      "'5e-324'::float8",
      '9007199254740993::float8',
      '(-123.456)::float8',
    ],
  },
  {
    name: 'numeric(10, 2): zero, scale, leading and trailing zero digits',
    postgres: [
      '0::numeric(10,2)',
      '12.30::numeric(10,2)',
      '(-12.30)::numeric(10,2)',
      '0.01::numeric(10,2)',
      '10000::numeric(10,2)',
      '(-99999999.99)::numeric(10,2)',
      '12345678::numeric(10,2)',
    ],
  },
  // DuckDB keeps DECIMAL(4, s) in an int16, (9, s) in an int32, (18, s) in an int64.
  {
    name: 'numeric(4, 1)',
    postgres: ['1.5::numeric(4,1)', '(-999.9)::numeric(4,1)', '0::numeric(4,1)'],
  },
  {
    name: 'numeric(9, 4)',
    postgres: ['0.0001::numeric(9,4)', '12345.6789::numeric(9,4)', '(-0.1)::numeric(9,4)'],
  },
  {
    name: 'numeric(18, 5)',
    postgres: [
      '0.00001::numeric(18,5)',
      '(-1234567890123.45678)::numeric(18,5)',
      '100000::numeric(18,5)',
    ],
  },
  {
    name: 'numeric(38, 0)',
    postgres: [
      '99999999999999999999999999999999999999::numeric(38,0)',
      '(-10000000000000000000000000000000000000)::numeric(38,0)',
    ],
  },
  {
    name: 'numeric(38, 38)',
    postgres: [
      '(-0.00000000000000000000000000000000000001)::numeric(38,38)',
      "'0.99999999999999999999999999999999999999'::numeric(38,38)",
      '0::numeric(38,38)',
    ],
  },
  {
    name: 'numeric(38, 18)',
    postgres: [
      '12345678901234567890.123456789012345678::numeric(38,18)',
      '(-0.000000000000000001)::numeric(38,18)',
    ],
  },
  {
    name: 'numeric from HUGEINT, UHUGEINT, UBIGINT',
    postgres: [
      '170141183460469231731687303715884105727::numeric',
      '(-170141183460469231731687303715884105728)::numeric',
      '0::numeric',
      '10000::numeric',
      '18446744073709551615::numeric',
    ],
    duckdb: [
      '170141183460469231731687303715884105727::HUGEINT',
      '(-170141183460469231731687303715884105728)::HUGEINT',
      '0::HUGEINT',
      '10000::UHUGEINT::HUGEINT',
      '18446744073709551615::UBIGINT::HUGEINT',
    ],
  },
  {
    name: 'text',
    postgres: ["'hello'::text", "''::text", "'üñî € 😀'::text", "'a\tb\nc'::text", 'NULL::text'],
  },
  {
    name: 'json (its text)',
    postgres: [`'{"a":1,"b":[true,null,"x"]}'::json`, `'[]'::json`, `'"s"'::json`],
  },
  {
    name: 'bytea',
    postgres: ["'\\x00ff41'::bytea", "''::bytea", "'\\xdeadbeef'::bytea"],
    duckdb: ["'\\x00\\xFF\\x41'::BLOB", "''::BLOB", "'\\xDE\\xAD\\xBE\\xEF'::BLOB"],
  },
  {
    name: 'uuid',
    postgres: [
      "'00000000-0000-0000-0000-000000000000'::uuid",
      "'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid",
      "'7cf2c227-4084-4983-b774-d6547173236e'::uuid",
      "'80000000-0000-0000-0000-000000000001'::uuid",
    ],
  },
  {
    name: 'date, around 2000-01-01, BC and infinite',
    postgres: [
      "'2024-02-29'::date",
      "'2000-01-01'::date",
      "'1999-12-31'::date",
      "'1970-01-01'::date",
      "'0001-01-01'::date",
      "'0044-03-15 BC'::date",
      "'4713-01-01 BC'::date",
      "'5874897-12-31'::date",
      "'infinity'::date",
      "'-infinity'::date",
    ],
    duckdb: [
      "'2024-02-29'::date",
      "'2000-01-01'::date",
      "'1999-12-31'::date",
      "'1970-01-01'::date",
      "'0001-01-01'::date",
      "'0044-03-15 (BC)'::date",
      "'4713-01-01 (BC)'::date",
      "'5874897-12-31'::date",
      "'infinity'::date",
      "'-infinity'::date",
    ],
  },
  {
    name: 'time',
    postgres: [
      "'00:00:00'::time",
      "'23:59:59.999999'::time",
      "'24:00:00'::time",
      "'12:34:56.5'::time",
    ],
  },
  {
    name: 'timetz (the zone is seconds west of UTC)',
    postgres: [
      "'12:34:56+05:30'::timetz",
      "'00:00:00-08'::timetz",
      "'23:59:59.999999+00'::timetz",
      "'12:00:00-05:30:15'::timetz",
    ],
  },
  {
    name: 'timestamp with microseconds, around 2000, BC and infinite',
    postgres: [
      "'2024-03-01 12:34:56.789123'::timestamp",
      "'2000-01-01 00:00:00'::timestamp",
      "'1999-12-31 23:59:59.999999'::timestamp",
      "'1900-01-01 00:00:00.000001'::timestamp",
      "'1970-01-01 00:00:00'::timestamp",
      "'0044-03-15 12:00:00 BC'::timestamp",
      "'290000-01-01 00:00:00'::timestamp",
      "'infinity'::timestamp",
      "'-infinity'::timestamp",
    ],
    duckdb: [
      "'2024-03-01 12:34:56.789123'::timestamp",
      "'2000-01-01 00:00:00'::timestamp",
      "'1999-12-31 23:59:59.999999'::timestamp",
      "'1900-01-01 00:00:00.000001'::timestamp",
      "'1970-01-01 00:00:00'::timestamp",
      "DATE '0044-03-15 (BC)' + INTERVAL 12 HOUR",
      "'290000-01-01 00:00:00'::timestamp",
      "'infinity'::timestamp",
      "'-infinity'::timestamp",
    ],
  },
  {
    name: 'timestamp from TIMESTAMP_S, TIMESTAMP_MS and exact TIMESTAMP_NS',
    postgres: [
      "'2024-03-01 12:34:56'::timestamp",
      "'2024-03-01 12:34:56.789'::timestamp",
      "'2024-03-01 12:34:56.789123'::timestamp",
      "'infinity'::timestamp",
    ],
    duckdb: [
      "'2024-03-01 12:34:56'::TIMESTAMP_S::TIMESTAMP",
      "'2024-03-01 12:34:56.789'::TIMESTAMP_MS::TIMESTAMP",
      "'2024-03-01 12:34:56.789123'::TIMESTAMP_NS::TIMESTAMP",
      "'infinity'::TIMESTAMP_S::TIMESTAMP",
    ],
  },
  {
    name: 'timestamptz (UTC microseconds)',
    postgres: [
      "'2024-03-10 12:00:00+00'::timestamptz",
      "'1999-12-31 23:59:59.999999+00'::timestamptz",
      "'1850-06-01 10:00:00+02'::timestamptz",
      "'infinity'::timestamptz",
      "'-infinity'::timestamptz",
    ],
  },
  {
    name: 'interval: months, days and microseconds apart',
    postgres: [
      "'1 year 2 months 3 days 04:05:06.789'::interval",
      "'-1 years -2 mons'::interval",
      "'-3 days +04:00:00'::interval",
      "'0'::interval",
      "'00:00:00.000001'::interval",
      "'36 hours'::interval",
      "'-178000000 years'::interval",
    ],
    duckdb: [
      "INTERVAL '1 year 2 months 3 days 04:05:06.789'",
      'to_months(-14)',
      'to_days(-3) + to_hours(4)',
      'to_seconds(0)',
      'to_microseconds(1)',
      'to_hours(36)',
      'to_years(-178000000)',
    ],
  },
  {
    name: 'varbit',
    postgres: ["B'0101'::varbit", "B'1'::varbit", "B'111111110'::varbit"],
    duckdb: ["'0101'::BIT", "'1'::BIT", "'111111110'::BIT"],
  },
  {
    name: 'int4[]: empty, NULL elements, NULL',
    postgres: [
      "'{1,2,3}'::int4[]",
      "'{}'::int4[]",
      "'{1,NULL,3}'::int4[]",
      'NULL::int4[]',
      "'{NULL}'::int4[]",
    ],
    duckdb: [
      '[1, 2, 3]::INTEGER[]',
      '[]::INTEGER[]',
      '[1, NULL, 3]::INTEGER[]',
      'NULL::INTEGER[]',
      '[NULL]::INTEGER[]',
    ],
  },
  {
    name: 'text[]',
    postgres: [`'{a,"b c",NULL,"",é}'::text[]`, "'{}'::text[]"],
    duckdb: ["['a', 'b c', NULL, '', 'é']", '[]::VARCHAR[]'],
  },
]

/** Arrays whose elements each type above covers; one query per type (a column has one type). */
const ARRAY_CASES: readonly Case[] = [
  { name: 'bool[]', postgres: ["'{t,f,NULL}'::bool[]"], duckdb: ['[true, false, NULL]'] },
  {
    name: 'int2[]',
    postgres: ["'{-32768,32767}'::int2[]"],
    duckdb: ['[-32768, 32767]::SMALLINT[]'],
  },
  {
    name: 'int8[]',
    postgres: ["'{-9223372036854775808,1}'::int8[]"],
    duckdb: ['[-9223372036854775808, 1]::BIGINT[]'],
  },
  {
    name: 'float4[]',
    postgres: ["'{0.1,NaN,-0}'::float4[]"],
    duckdb: ["['0.1', 'NaN', '-0']::FLOAT[]"],
  },
  {
    name: 'float8[]',
    postgres: ["'{0.1,-Infinity,NULL}'::float8[]"],
    duckdb: ["['0.1', '-Infinity', NULL]::DOUBLE[]"],
  },
  {
    name: 'numeric(10,2)[]',
    postgres: ["'{1.50,-0.01,0}'::numeric(10,2)[]"],
    duckdb: ['[1.50, -0.01, 0]::DECIMAL(10,2)[]'],
  },
  {
    name: 'date[]',
    postgres: ["'{2024-02-29,infinity,NULL}'::date[]"],
    duckdb: ["['2024-02-29', 'infinity', NULL]::DATE[]"],
  },
  { name: 'time[]', postgres: ["'{12:34:56.5}'::time[]"], duckdb: ["['12:34:56.5']::TIME[]"] },
  {
    name: 'timestamp[]',
    postgres: ['\'{"2024-03-01 12:34:56.789123",-infinity}\'::timestamp[]'],
    duckdb: ["['2024-03-01 12:34:56.789123', '-infinity']::TIMESTAMP[]"],
  },
  {
    name: 'timestamptz[]',
    postgres: ['\'{"2024-03-10 12:00:00+00"}\'::timestamptz[]'],
    duckdb: ["['2024-03-10 12:00:00+00']::TIMESTAMPTZ[]"],
  },
  {
    name: 'interval[]',
    postgres: ['\'{"1 mon 2 days 00:00:03"}\'::interval[]'],
    duckdb: ["[INTERVAL '1 month 2 days 3 seconds']"],
  },
  {
    name: 'uuid[]',
    postgres: ["'{7cf2c227-4084-4983-b774-d6547173236e}'::uuid[]"],
    duckdb: ["['7cf2c227-4084-4983-b774-d6547173236e']::UUID[]"],
  },
  { name: 'bytea[]', postgres: ['\'{"\\\\x00ff"}\'::bytea[]'], duckdb: ["['\\x00\\xFF'::BLOB]"] },
  {
    name: 'int4[] from a fixed-size ARRAY',
    postgres: ["'{1,2,3}'::int4[]"],
    duckdb: ['[1, 2, 3]::INTEGER[3]'],
  },
]

describe('binary results, byte for byte against PostgreSQL', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const answer = await expectSameAnswer(
      valuesQuery(c.postgres),
      valuesQuery(c.duckdb ?? c.postgres),
      { resultFormats: [1] },
    )
    expect(answer.rows).toHaveLength(c.postgres.length)
    expect(answer.fields?.[0]?.format).toBe(1)
  })

  it.each(ARRAY_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const answer = await expectSameAnswer(
      valuesQuery(c.postgres),
      valuesQuery(c.duckdb ?? c.postgres),
      { resultFormats: [1] },
    )
    expect(answer.rows).toHaveLength(c.postgres.length)
  })
})

describe("Bind's result format codes, honoured as PostgreSQL honours them", () => {
  const three = "SELECT 1::int4 AS a, 'x'::text AS b, 2.5::float8 AS c"

  it('no code: every column in text', async () => {
    const answer = await expectSameAnswer(three, three, {})
    expect(answer.fields?.map((field) => field.format)).toEqual([0, 0, 0])
    expect(answer.rows).toEqual([[hex('1'), hex('x'), hex('2.5')]])
  })

  it('one code: every column in it', async () => {
    const answer = await expectSameAnswer(three, three, { resultFormats: [1] })
    expect(answer.fields?.map((field) => field.format)).toEqual([1, 1, 1])
  })

  it('one code per column: each column in its own', async () => {
    const answer = await expectSameAnswer(three, three, { resultFormats: [0, 1, 0] })
    expect(answer.fields?.map((field) => field.format)).toEqual([0, 1, 0])
    expect(answer.rows).toEqual([[hex('1'), hex('x'), hex('2.5')]])
  })

  it('Describe of the statement announces text (format 0); the portal still sends binary', async () => {
    const answer = await expectSameAnswer(three, three, { resultFormats: [1], describe: 'S' })
    expect(answer.fields?.map((field) => field.format)).toEqual([0, 0, 0])
    expect(answer.rows[0]?.[0]).toBe('00000001')
  })

  it('as many codes as neither 1 nor the columns: 08P01, with Postgres message', async () => {
    const request = { resultFormats: [1, 1] }
    const expected = errorOf(await oracle.extended(three, request))
    const actual = errorOf(await endpoint.extended(three, request))
    expect(expected?.code).toBe('08P01')
    expect(actual).toEqual(expected)
  })

  it('a code other than 0 or 1: 22023 when the first row is written, as in Postgres', async () => {
    const request = { resultFormats: [2] }
    const expected = await oracle.extended(three, request)
    const actual = await endpoint.extended(three, request)
    expect(errorOf(expected)?.code).toBe('22023')
    expect(actual.map((message) => message.type)).toEqual(expected.map((message) => message.type))
    expect(errorOf(actual)).toEqual(errorOf(expected))
    // No row, no error.
    const none = `${three} WHERE false`
    await expectSameAnswer(none, none, request)
  })

  it('a parameter format code other than 0 or 1: 22023 at Bind, as in Postgres', async () => {
    const request = { parameterTypes: [23], parameters: [Buffer.from('1')], parameterFormats: [2] }
    const expected = await oracle.extended('SELECT $1', request)
    const actual = await endpoint.extended('SELECT $1', request)
    expect(errorOf(expected)?.code).toBe('22023')
    expect(errorOf(actual)).toEqual(errorOf(expected))
  })

  it('a statement without rows takes any codes, as in Postgres', async () => {
    for (const client of [oracle, endpoint]) {
      expect(errorOf(await client.query('CREATE TABLE formats_t (i INTEGER)'))).toBeUndefined()
    }
    const insert = 'INSERT INTO formats_t VALUES (1)'
    await expectSameAnswer(insert, insert, { resultFormats: [1, 1, 1] })
  })
})

describe('DuckDB types without a Postgres twin', () => {
  it('TIMESTAMP_NS and TIME_NS: binary when whole microseconds, else refused naming the column', async () => {
    const exact =
      "SELECT '2024-03-01 12:34:56.789123'::TIMESTAMP_NS AS ts, '12:00:00.5'::TIME_NS AS t"
    const exactAnswer = answer(await endpoint.extended(exact, { resultFormats: [1] }))
    const expected = answer(
      await oracle.extended(
        "SELECT '2024-03-01 12:34:56.789123'::timestamp AS ts, '12:00:00.5'::time AS t",
        { resultFormats: [1] },
      ),
    )
    expect(exactAnswer).toEqual(expected)
    const nanos = "SELECT '2024-03-01 12:34:56.789123456'::TIMESTAMP_NS AS ns_column"
    const refused = await endpoint.extended(nanos, { resultFormats: [1] })
    expect(errorOf(refused)).toEqual({
      code: '0A000',
      message:
        'column "ns_column": a TIMESTAMP_NS value has nanoseconds, which Postgres\' binary format (microseconds) cannot carry',
    })
    // Text keeps all nine digits.
    const text = await endpoint.extended(nanos, { resultFormats: [0] })
    expect(dataRows(text)[0]?.[0]?.toString()).toBe('2024-03-01 12:34:56.789123456')
  })

  it('ENUM, STRUCT and nested lists: their text bytes, as text and json do', async () => {
    const sql = "SELECT 'a'::ENUM('a', 'b') AS e, {'x': 1} AS s, [[1, 2], [3]] AS l"
    const binary = await endpoint.extended(sql, { resultFormats: [1] })
    const text = await endpoint.extended(sql, {})
    expect(rowDescription(binary)?.map((field) => [field.oid, field.format])).toEqual([
      [25, 1],
      [114, 1],
      [114, 1],
    ])
    expect(dataRows(binary)).toEqual(dataRows(text))
  })
})

function hex(text: string): string {
  return Buffer.from(text).toString('hex')
}

describe("timestamptz text in the session's TimeZone, against PostgreSQL", () => {
  /** 0044-03-15 12:00:00 BC, UTC, in epoch seconds (both servers' to_timestamp takes them). */
  const bcSeconds = (daysFromCivil(-43, 3, 15) * 86_400 + 12 * 3600).toString()
  const instants = [
    "'2024-03-10 06:59:59.999999+00'::timestamptz",
    "'2024-03-10 07:00:00+00'::timestamptz",
    "'2024-11-03 05:30:00+00'::timestamptz",
    "'2024-11-03 06:30:00+00'::timestamptz",
    "'2024-07-01 12:00:00.5+00'::timestamptz",
    "'1850-01-01 00:00:00+00'::timestamptz",
    "'1900-06-01 00:00:00+00'::timestamptz",
    "'1945-08-15 00:00:00+00'::timestamptz",
    "'1970-01-01 00:00:00+00'::timestamptz",
    "'2100-07-01 12:00:00+00'::timestamptz",
    `to_timestamp(${bcSeconds})`,
    "'infinity'::timestamptz",
    "'-infinity'::timestamptz",
  ]
  const zones = [
    'UTC',
    'America/New_York',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Adelaide',
    'Pacific/Chatham',
    'Europe/London',
    'Europe/Paris',
    'Africa/Monrovia',
    'America/Sao_Paulo',
    'Etc/GMT+5',
  ]

  it.each(zones)('%s: extended and simple queries, text and binary, arrays', async (zone) => {
    const zoned = await ByteClient.connect(postgres.port, { database: 'postgres' })
    const zonedEndpoint = await ByteClient.connect(local.endpoint.port, {
      database: 'main_db',
      password: local.endpoint.token,
    })
    try {
      for (const client of [zoned, zonedEndpoint]) {
        expect(errorOf(await client.query(`SET TimeZone = '${zone}'`))).toBeUndefined()
      }
      const sql = valuesQuery(instants)
      const text = await expectSameAnswer(sql, sql, {})
      expect(text.rows).toHaveLength(instants.length)
      await expectSameAnswer(sql, sql, { resultFormats: [1] })
      const array = `SELECT ARRAY[${instants.slice(0, 6).join(', ')}] AS v`
      await expectSameAnswer(array, array, {})
      const simple = `SELECT ${instants[1]} AS a, ${instants[5]} AS b`
      expect(dataRows(await zonedEndpoint.query(simple))).toEqual(
        dataRows(await zoned.query(simple)),
      )

      async function expectSameAnswer(
        postgresSql: string,
        duckdbSql: string,
        request: ExtendedRequest,
      ) {
        const expected = answer(await zoned.extended(postgresSql, request))
        expect(expected.error).toBeUndefined()
        const actual = answer(await zonedEndpoint.extended(duckdbSql, request))
        expect(actual, `${zone}: ${duckdbSql}`).toEqual(expected)
        return actual
      }
    } finally {
      zoned.close()
      zonedEndpoint.close()
    }
  })
})
