import { type DuckDBConnection, type DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api'
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createResultEncoder,
  postgresTextFor,
  type ResultEncoder,
  type WireColumn,
} from '../../../src/local/encode/value-encoder.js'
import { BackendSerializer } from '../../../src/local/protocol/backend-serializer.js'
import { WIRE_TYPES } from '../../../src/types/duckdb-types.js'
import { createTypeParsers, parseJson } from '../../../src/types/type-parsers.js'

let instance: DuckDBInstance
let connection: DuckDBConnection
const parsers = createTypeParsers()

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:')
  connection = await instance.connect()
  await connection.run("SET TimeZone = 'UTC'")
  await connection.run("CREATE TYPE mood AS ENUM ('happy', 'sad, really', 'NULL')")
})

afterAll(() => {
  connection.closeSync()
  instance.closeSync()
})

interface Encoded {
  readonly column: WireColumn
  readonly text: string | null
  /** What createTypeParsers() reads back. */
  readonly value: unknown
  /** What pg's stock (global) parser reads back. */
  readonly pgValue: unknown
}

/**
 * The DataRows the session sends (encodeChunkBytes: digits, dates and inline strings written as
 * bytes) are byte for byte the DataRows of the text values encodeChunk returns.
 */
function expectSameDataRows(encoder: ResultEncoder, chunk: DuckDBDataChunk): void {
  const fromText = new BackendSerializer().dataRows(encoder.encodeChunk(chunk), 0, chunk.rowCount)
  const fromBytes = new BackendSerializer().encodedDataRows(
    encoder.encodeChunkBytes(chunk),
    0,
    chunk.rowCount,
  )
  const expected = fromText.take()
  const actual = fromBytes.take()
  if (!actual.equals(expected)) expect(actual.toString('latin1')).toBe(expected.toString('latin1'))
}

/** Runs `SELECT <expr>` in DuckDB and encodes every row of the single column. */
/** pg's stock parser; its JSON.parse refuses DuckDB's NaN/Infinity words, which createTypeParsers reads. */
function stockParse(oid: number, text: string): unknown {
  try {
    return pg.types.getTypeParser(oid, 'text')(text)
  } catch (error) {
    return error
  }
}

async function encodeAll(expr: string): Promise<Encoded[]> {
  const result = await connection.stream(`SELECT ${expr} AS v`)
  const encoder = createResultEncoder(result.columnNames(), result.columnTypes())
  const column = encoder.columns[0]!
  const rows: Encoded[] = []
  for (;;) {
    const chunk = await result.fetchChunk()
    if (chunk === null || chunk.rowCount === 0) break
    expectSameDataRows(encoder, chunk)
    for (const text of encoder.encodeChunk(chunk)[0]!) {
      rows.push({
        column,
        text,
        value: text === null ? null : parsers.getTypeParser(column.oid)(text),
        pgValue: text === null ? null : stockParse(column.oid, text),
      })
    }
  }
  return rows
}

async function encode(expr: string): Promise<Encoded> {
  const rows = await encodeAll(expr)
  expect(rows).toHaveLength(1)
  return rows[0]!
}

/** Asserts the announced OID, the exact text sent, and the value createTypeParsers() reads back. */
async function expectRoundTrip(expr: string, oid: number, text: string | null, value: unknown) {
  const encoded = await encode(expr)
  expect(encoded.column.oid, expr).toBe(oid)
  expect(encoded.text, expr).toBe(text)
  expect(encoded.value, expr).toEqual(value)
  return encoded
}

describe('value encoder: scalars', () => {
  it('BOOLEAN as t/f', async () => {
    await expectRoundTrip('true', WIRE_TYPES.bool.oid, 't', true)
    await expectRoundTrip('false', WIRE_TYPES.bool.oid, 'f', false)
    await expectRoundTrip('NULL::BOOLEAN', WIRE_TYPES.bool.oid, null, null)
    expect((await encode('true')).pgValue).toBe(true)
  })

  it('signed and unsigned integers, exact at their limits', async () => {
    await expectRoundTrip('(-128)::TINYINT', WIRE_TYPES.int2.oid, '-128', -128)
    await expectRoundTrip('(-32768)::SMALLINT', WIRE_TYPES.int2.oid, '-32768', -32768)
    await expectRoundTrip('(-2147483648)::INTEGER', WIRE_TYPES.int4.oid, '-2147483648', -2147483648)
    await expectRoundTrip(
      '(-9223372036854775808)::BIGINT',
      WIRE_TYPES.int8.oid,
      '-9223372036854775808',
      -9223372036854775808n,
    )
    await expectRoundTrip('255::UTINYINT', WIRE_TYPES.int2.oid, '255', 255)
    await expectRoundTrip('65535::USMALLINT', WIRE_TYPES.int4.oid, '65535', 65535)
    await expectRoundTrip('4294967295::UINTEGER', WIRE_TYPES.int8.oid, '4294967295', 4294967295n)
    await expectRoundTrip(
      '18446744073709551615::UBIGINT',
      WIRE_TYPES.numeric.oid,
      '18446744073709551615',
      '18446744073709551615',
    )
    await expectRoundTrip(
      '(-170141183460469231731687303715884105728)::HUGEINT',
      WIRE_TYPES.numeric.oid,
      '-170141183460469231731687303715884105728',
      '-170141183460469231731687303715884105728',
    )
    await expectRoundTrip(
      '340282366920938463463374607431768211455::UHUGEINT',
      WIRE_TYPES.numeric.oid,
      '340282366920938463463374607431768211455',
      '340282366920938463463374607431768211455',
    )
    const big = `-${'9'.repeat(60)}`
    await expectRoundTrip(`'${big}'::BIGNUM`, WIRE_TYPES.numeric.oid, big, big)
    await expectRoundTrip(
      `'${big.slice(1)}'::VARINT`,
      WIRE_TYPES.numeric.oid,
      big.slice(1),
      big.slice(1),
    )
  })

  it('DECIMAL keeps its scale and announces numeric(p,s)', async () => {
    const encoded = await expectRoundTrip(
      '123.450::DECIMAL(10,3)',
      WIRE_TYPES.numeric.oid,
      '123.450',
      '123.450',
    )
    expect(encoded.column.typeModifier).toBe(((10 << 16) | 3) + 4)
    await expectRoundTrip('(-0.5)::DECIMAL(4,3)', WIRE_TYPES.numeric.oid, '-0.500', '-0.500')
    await expectRoundTrip('0.0012::DECIMAL(4,4)', WIRE_TYPES.numeric.oid, '0.0012', '0.0012')
    await expectRoundTrip('42::DECIMAL(4,0)', WIRE_TYPES.numeric.oid, '42', '42')
    await expectRoundTrip('(-7)::DECIMAL(9,2)', WIRE_TYPES.numeric.oid, '-7.00', '-7.00')
    const wide = '-12345678901234567890123456.123456789012'
    await expectRoundTrip(`${wide}::DECIMAL(38,12)`, WIRE_TYPES.numeric.oid, wide, wide)
    expect((await encode('1.25::DECIMAL(5,2)')).pgValue).toBe('1.25')
  })

  it('FLOAT as the shortest text that reads back to the same float32', async () => {
    for (const literal of ['1.1', '0.1', '3.4028235e38', '1e-45', '-2.5', '16777217']) {
      const encoded = await encode(`${literal}::FLOAT`)
      expect(encoded.column.oid).toBe(WIRE_TYPES.float4.oid)
      expect(Math.fround(encoded.value as number)).toBe(Math.fround(Number(literal)))
      expect(encoded.text!.length).toBeLessThanOrEqual(14)
    }
    await expectRoundTrip('1.1::FLOAT', WIRE_TYPES.float4.oid, '1.1', 1.1)
    await expectRoundTrip("'NaN'::FLOAT", WIRE_TYPES.float4.oid, 'NaN', Number.NaN)
    await expectRoundTrip("'-inf'::FLOAT", WIRE_TYPES.float4.oid, '-Infinity', -Infinity)
  })

  it('DOUBLE exactly, with NaN, ±Infinity and -0', async () => {
    await expectRoundTrip('0.1::DOUBLE', WIRE_TYPES.float8.oid, '0.1', 0.1)
    await expectRoundTrip('5e-324::DOUBLE', WIRE_TYPES.float8.oid, '5e-324', 5e-324)
    await expectRoundTrip(
      '1.7976931348623157e308::DOUBLE',
      WIRE_TYPES.float8.oid,
      '1.7976931348623157e+308',
      1.7976931348623157e308,
    )
    await expectRoundTrip("'NaN'::DOUBLE", WIRE_TYPES.float8.oid, 'NaN', Number.NaN)
    await expectRoundTrip("'inf'::DOUBLE", WIRE_TYPES.float8.oid, 'Infinity', Infinity)
    await expectRoundTrip("'-inf'::DOUBLE", WIRE_TYPES.float8.oid, '-Infinity', -Infinity)
    await expectRoundTrip("'-0.0'::DOUBLE", WIRE_TYPES.float8.oid, '-0', -0)
    expect((await encode("'inf'::DOUBLE")).pgValue).toBe(Infinity)
  })

  it('whole DOUBLEs as their digits up to ±2^53, in exponent form from 1e21', async () => {
    await expectRoundTrip('0::DOUBLE', WIRE_TYPES.float8.oid, '0', 0)
    await expectRoundTrip('-42::DOUBLE', WIRE_TYPES.float8.oid, '-42', -42)
    for (const value of [2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 2 ** 53 + 2, 1e20, 1e21, -1e22]) {
      await expectRoundTrip(`${value}::DOUBLE`, WIRE_TYPES.float8.oid, String(value), value)
    }
    const rows = await encodeAll(
      'CASE WHEN range % 5 = 0 THEN NULL ELSE (range - 500) * 0.5 END::DOUBLE FROM range(1000)',
    )
    expect(rows.map((row) => row.text)).toEqual(
      Array.from({ length: 1000 }, (_, i) => (i % 5 === 0 ? null : String((i - 500) * 0.5))),
    )
  })

  it('VARCHAR, ENUM and JSON', async () => {
    const tricky = `it''s "quoted" \\ back, {braces} ünïcödé 🦆 NULL`
    await expectRoundTrip(
      `'${tricky}'`,
      WIRE_TYPES.text.oid,
      tricky.replace("''", "'"),
      tricky.replace("''", "'"),
    )
    await expectRoundTrip("''", WIRE_TYPES.text.oid, '', '')
    await expectRoundTrip("'sad, really'::mood", WIRE_TYPES.text.oid, 'sad, really', 'sad, really')
    await expectRoundTrip(
      `'{"a": [1, 2.5, "x"], "big": 12345678901234567890}'::JSON`,
      WIRE_TYPES.json.oid,
      '{"a": [1, 2.5, "x"], "big": 12345678901234567890}',
      { a: [1, 2.5, 'x'], big: 12345678901234567890n },
    )
    expect((await encode(`'{"a": 1}'::JSON`)).pgValue).toEqual({ a: 1 })
  })

  it('BLOB as bytea hex, BIT as varbit, UUID', async () => {
    await expectRoundTrip(
      "'\\x00\\xFFAb'::BLOB",
      WIRE_TYPES.bytea.oid,
      '\\x00ff4162',
      Buffer.from([0, 255, 0x41, 0x62]),
    )
    await expectRoundTrip("''::BLOB", WIRE_TYPES.bytea.oid, '\\x', Buffer.alloc(0))
    expect((await encode("'\\x00\\xFFAb'::BLOB")).pgValue).toEqual(
      Buffer.from([0, 255, 0x41, 0x62]),
    )
    await expectRoundTrip("'0101110'::BIT", WIRE_TYPES.varbit.oid, '0101110', '0101110')
    await expectRoundTrip(
      "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::UUID",
      WIRE_TYPES.uuid.oid,
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    )
    await expectRoundTrip(
      "'00000000-0000-0000-0000-000000000001'::UUID",
      WIRE_TYPES.uuid.oid,
      '00000000-0000-0000-0000-000000000001',
      '00000000-0000-0000-0000-000000000001',
    )
  })

  it('DATE in ISO, BC and the infinities', async () => {
    await expectRoundTrip("DATE '2024-02-29'", WIRE_TYPES.date.oid, '2024-02-29', '2024-02-29')
    await expectRoundTrip("DATE '1970-01-01'", WIRE_TYPES.date.oid, '1970-01-01', '1970-01-01')
    await expectRoundTrip("DATE '1969-12-31'", WIRE_TYPES.date.oid, '1969-12-31', '1969-12-31')
    await expectRoundTrip("DATE '0001-01-01'", WIRE_TYPES.date.oid, '0001-01-01', '0001-01-01')
    await expectRoundTrip(
      "DATE '0044-03-15 (BC)'",
      WIRE_TYPES.date.oid,
      '0044-03-15 BC',
      '0044-03-15 BC',
    )
    await expectRoundTrip(
      "DATE '0001-12-31 (BC)'",
      WIRE_TYPES.date.oid,
      '0001-12-31 BC',
      '0001-12-31 BC',
    )
    await expectRoundTrip("DATE '12345-06-07'", WIRE_TYPES.date.oid, '12345-06-07', '12345-06-07')
    await expectRoundTrip("'infinity'::DATE", WIRE_TYPES.date.oid, 'infinity', 'infinity')
    await expectRoundTrip("'-infinity'::DATE", WIRE_TYPES.date.oid, '-infinity', '-infinity')
  })

  it('every DATE of 1500 years matches DuckDB', async () => {
    const rows = await encodeAll(
      "d FROM (SELECT DATE '1200-01-01' + range::INTEGER AS d FROM range(0, 550000, 7))",
    )
    const expected = await connection.runAndReadAll(
      "SELECT strftime(DATE '1200-01-01' + range::INTEGER, '%Y-%m-%d') FROM range(0, 550000, 7)",
    )
    expect(rows.map((row) => row.text)).toEqual(expected.getRows().map((row) => row[0]))
  })

  it('TIME, TIME_NS and TIMETZ', async () => {
    await expectRoundTrip(
      "TIME '12:34:56.789'",
      WIRE_TYPES.time.oid,
      '12:34:56.789',
      '12:34:56.789',
    )
    await expectRoundTrip("TIME '00:00:00'", WIRE_TYPES.time.oid, '00:00:00', '00:00:00')
    await expectRoundTrip("TIME '24:00:00'", WIRE_TYPES.time.oid, '24:00:00', '24:00:00')
    await expectRoundTrip(
      "TIME '23:59:59.000001'",
      WIRE_TYPES.time.oid,
      '23:59:59.000001',
      '23:59:59.000001',
    )
    // TIME_NS keeps its nine digits in text (Postgres' own time has six).
    await expectRoundTrip(
      "'12:00:00.123456789'::TIME_NS",
      WIRE_TYPES.time.oid,
      '12:00:00.123456789',
      '12:00:00.123456789',
    )
    await expectRoundTrip("'12:00:00.5'::TIME_NS", WIRE_TYPES.time.oid, '12:00:00.5', '12:00:00.5')
    await expectRoundTrip(
      "'12:34:56+05:30'::TIMETZ",
      WIRE_TYPES.timetz.oid,
      '12:34:56+05:30',
      '12:34:56+05:30',
    )
    await expectRoundTrip(
      "'12:34:56.5-08'::TIMETZ",
      WIRE_TYPES.timetz.oid,
      '12:34:56.5-08',
      '12:34:56.5-08',
    )
    await expectRoundTrip(
      "'01:02:03+00'::TIMETZ",
      WIRE_TYPES.timetz.oid,
      '01:02:03+00',
      '01:02:03+00',
    )
    await expectRoundTrip(
      "'12:00:00-05:30:15'::TIMETZ",
      WIRE_TYPES.timetz.oid,
      '12:00:00-05:30:15',
      '12:00:00-05:30:15',
    )
  })

  it('TIMESTAMP in every unit, read back as the same instant in UTC', async () => {
    const at = new Date('2024-03-01T12:34:56.789Z')
    await expectRoundTrip(
      "TIMESTAMP '2024-03-01 12:34:56.789123'",
      WIRE_TYPES.timestamp.oid,
      '2024-03-01 12:34:56.789123',
      at,
    )
    await expectRoundTrip(
      "'2024-03-01 12:34:56'::TIMESTAMP_S",
      WIRE_TYPES.timestamp.oid,
      '2024-03-01 12:34:56',
      new Date('2024-03-01T12:34:56Z'),
    )
    await expectRoundTrip(
      "'2024-03-01 12:34:56.789'::TIMESTAMP_MS",
      WIRE_TYPES.timestamp.oid,
      '2024-03-01 12:34:56.789',
      at,
    )
    await expectRoundTrip(
      "'2024-03-01 12:34:56.789123456'::TIMESTAMP_NS",
      WIRE_TYPES.timestamp.oid,
      '2024-03-01 12:34:56.789123456',
      at,
    )
    await expectRoundTrip(
      "'1969-12-31 23:59:59.999999999'::TIMESTAMP_NS",
      WIRE_TYPES.timestamp.oid,
      '1969-12-31 23:59:59.999999999',
      new Date('1969-12-31T23:59:59.999Z'),
    )
    await expectRoundTrip(
      "TIMESTAMP '1900-01-01 00:00:00'",
      WIRE_TYPES.timestamp.oid,
      '1900-01-01 00:00:00',
      new Date('1900-01-01T00:00:00Z'),
    )
    const bc = await expectRoundTrip(
      "DATE '0044-03-15 (BC)'::TIMESTAMP + INTERVAL 5 HOUR",
      WIRE_TYPES.timestamp.oid,
      '0044-03-15 05:00:00 BC',
      new Date(Date.UTC(-43, 2, 15, 5)),
    )
    expect((bc.value as Date).getUTCFullYear()).toBe(-43)
    await expectRoundTrip(
      "'infinity'::TIMESTAMP",
      WIRE_TYPES.timestamp.oid,
      'infinity',
      new Date(8.64e15),
    )
    await expectRoundTrip(
      "'-infinity'::TIMESTAMP_S",
      WIRE_TYPES.timestamp.oid,
      '-infinity',
      new Date(-8.64e15),
    )
    await expectRoundTrip(
      "TIMESTAMP '294247-01-10 04:00:54.775806'",
      WIRE_TYPES.timestamp.oid,
      '294247-01-10 04:00:54.775806',
      new Date(Number.NaN),
    )
  })

  it('TIMESTAMPTZ with offset +00, read back by pg and by createTypeParsers', async () => {
    const encoded = await expectRoundTrip(
      "TIMESTAMPTZ '2024-03-01 12:34:56.5+02'",
      WIRE_TYPES.timestamptz.oid,
      '2024-03-01 10:34:56.5+00',
      new Date('2024-03-01T10:34:56.500Z'),
    )
    expect(encoded.pgValue).toEqual(new Date('2024-03-01T10:34:56.500Z'))
    await expectRoundTrip(
      "'-infinity'::TIMESTAMPTZ",
      WIRE_TYPES.timestamptz.oid,
      '-infinity',
      new Date(-8.64e15),
    )
  })

  it('random timestamps match DuckDB to the millisecond', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }),
        fc.integer({ min: 0, max: 999 }),
        async (ms, extraMicros) => {
          const micros = BigInt(ms) * 1000n + BigInt(extraMicros)
          const { value, text } = await encode(`make_timestamp(${micros}::BIGINT)`)
          expect(value, text!).toEqual(new Date(ms))
          const tz = await encode(`make_timestamp(${micros}::BIGINT)::TIMESTAMPTZ`)
          expect(tz.pgValue, tz.text!).toEqual(new Date(ms))
        },
      ),
      { numRuns: 150 },
    )
  })

  it('INTERVAL in Postgres style, negative and mixed', async () => {
    await expectRoundTrip(
      "INTERVAL '1 year 2 months 3 days 04:05:06.789'",
      WIRE_TYPES.interval.oid,
      '1 year 2 mons 3 days 04:05:06.789',
      { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6, milliseconds: 789 },
    )
    await expectRoundTrip("INTERVAL '0 seconds'", WIRE_TYPES.interval.oid, '00:00:00', {})
    await expectRoundTrip(
      "INTERVAL '-1 year -2 months'",
      WIRE_TYPES.interval.oid,
      '-1 years -2 mons',
      { years: -1, months: -2 },
    )
    await expectRoundTrip(
      "INTERVAL '-3 days' + INTERVAL '4 hours'",
      WIRE_TYPES.interval.oid,
      '-3 days +04:00:00',
      { days: -3, hours: 4 },
    )
    await expectRoundTrip(
      "INTERVAL '1 month' - INTERVAL '1 day' - INTERVAL '1.5 seconds'",
      WIRE_TYPES.interval.oid,
      '1 mon -1 days -00:00:01.5',
      { months: 1, days: -1, seconds: -1, milliseconds: -500 },
    )
    await expectRoundTrip(
      "INTERVAL '100 hours 1 microsecond'",
      WIRE_TYPES.interval.oid,
      '100:00:00.000001',
      { hours: 100, milliseconds: 0.001 },
    )
    await expectRoundTrip("INTERVAL '2 years 1 day'", WIRE_TYPES.interval.oid, '2 years 1 day', {
      years: 2,
      days: 1,
    })
    expect((await encode("INTERVAL '1 day 02:00:00'")).pgValue).toMatchObject({ days: 1, hours: 2 })
  })
})

describe('value encoder: lists as Postgres arrays', () => {
  it('lists of integers with NULLs, and the empty list', async () => {
    await expectRoundTrip('[1, NULL, -3]::INTEGER[]', WIRE_TYPES.int4.arrayOid, '{1,NULL,-3}', [
      1,
      null,
      -3,
    ])
    await expectRoundTrip('[]::INTEGER[]', WIRE_TYPES.int4.arrayOid, '{}', [])
    await expectRoundTrip('[NULL]::BIGINT[]', WIRE_TYPES.int8.arrayOid, '{NULL}', [null])
    await expectRoundTrip(
      '[9223372036854775807]::BIGINT[]',
      WIRE_TYPES.int8.arrayOid,
      '{9223372036854775807}',
      [9223372036854775807n],
    )
    await expectRoundTrip('NULL::INTEGER[]', WIRE_TYPES.int4.arrayOid, null, null)
    expect((await encode('[1, NULL, -3]::INTEGER[]')).pgValue).toEqual([1, null, -3])
  })

  it('lists of strings with every character that needs quoting', async () => {
    const encoded = await expectRoundTrip(
      `['plain', 'Chez Jay', 'a,b', 'q"uote', 'back\\slash', '{brace}', '', 'NULL', 'null', NULL, ' lead', 'tab\t', 'ünï 🦆']`,
      WIRE_TYPES.text.arrayOid,
      '{plain,"Chez Jay","a,b","q\\"uote","back\\\\slash","{brace}","","NULL","null",NULL," lead","tab\t","ünï 🦆"}',
      [
        'plain',
        'Chez Jay',
        'a,b',
        'q"uote',
        'back\\slash',
        '{brace}',
        '',
        'NULL',
        'null',
        null,
        ' lead',
        'tab\t',
        'ünï 🦆',
      ],
    )
    expect(encoded.pgValue).toEqual(encoded.value)
  })

  it('random string lists survive the round trip', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: null }), {
          maxLength: 6,
        }),
        async (items) => {
          const literal = `[${items.map((item) => (item === null ? 'NULL' : `'${item.replaceAll("'", "''")}'`)).join(', ')}]::VARCHAR[]`
          const { value } = await encode(literal)
          expect(value).toEqual(items)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('lists of every scalar kind read back element by element', async () => {
    await expectRoundTrip('[true, false, NULL]', WIRE_TYPES.bool.arrayOid, '{t,f,NULL}', [
      true,
      false,
      null,
    ])
    await expectRoundTrip(
      "[1.5::DOUBLE, 'NaN'::DOUBLE, '-inf'::DOUBLE]",
      WIRE_TYPES.float8.arrayOid,
      '{1.5,NaN,-Infinity}',
      [1.5, Number.NaN, -Infinity],
    )
    await expectRoundTrip(
      '[1.10::DECIMAL(4,2), NULL]',
      WIRE_TYPES.numeric.arrayOid,
      '{1.10,NULL}',
      ['1.10', null],
    )
    await expectRoundTrip(
      "[DATE '2024-01-01', DATE '0044-03-15 (BC)']",
      WIRE_TYPES.date.arrayOid,
      '{2024-01-01,"0044-03-15 BC"}',
      ['2024-01-01', '0044-03-15 BC'],
    )
    await expectRoundTrip(
      "[TIMESTAMP '2024-01-01 10:00:00', NULL]",
      WIRE_TYPES.timestamp.arrayOid,
      '{"2024-01-01 10:00:00",NULL}',
      [new Date('2024-01-01T10:00:00Z'), null],
    )
    await expectRoundTrip(
      "[TIMESTAMPTZ '2024-01-01 10:00:00+01']",
      WIRE_TYPES.timestamptz.arrayOid,
      '{"2024-01-01 09:00:00+00"}',
      [new Date('2024-01-01T09:00:00Z')],
    )
    await expectRoundTrip("['\\x01\\x02'::BLOB]", WIRE_TYPES.bytea.arrayOid, '{"\\\\x0102"}', [
      Buffer.from([1, 2]),
    ])
    await expectRoundTrip(
      "[INTERVAL '1 day', INTERVAL '-2 hours']",
      WIRE_TYPES.interval.arrayOid,
      '{"1 day",-02:00:00}',
      [{ days: 1 }, { hours: -2 }],
    )
    await expectRoundTrip(
      "['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID]",
      WIRE_TYPES.uuid.arrayOid,
      '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',
      ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    )
    await expectRoundTrip(
      `['{"a": [1]}'::JSON, NULL]`,
      WIRE_TYPES.json.arrayOid,
      '{"{\\"a\\": [1]}",NULL}',
      [{ a: [1] }, null],
    )
    await expectRoundTrip(
      "['happy'::mood, 'NULL'::mood]",
      WIRE_TYPES.text.arrayOid,
      '{happy,"NULL"}',
      ['happy', 'NULL'],
    )
    await expectRoundTrip("[TIME '01:02:03']", WIRE_TYPES.time.arrayOid, '{01:02:03}', ['01:02:03'])
    await expectRoundTrip('[1::HUGEINT]', WIRE_TYPES.numeric.arrayOid, '{1}', ['1'])
    await expectRoundTrip('[1::UTINYINT]', WIRE_TYPES.int2.arrayOid, '{1}', [1])
  })

  it('fixed-size ARRAY like a list', async () => {
    await expectRoundTrip('[1, 2, 3]::INTEGER[3]', WIRE_TYPES.int4.arrayOid, '{1,2,3}', [1, 2, 3])
    await expectRoundTrip("['a', NULL]::VARCHAR[2]", WIRE_TYPES.text.arrayOid, '{a,NULL}', [
      'a',
      null,
    ])
  })
})

/** Nested values travel as json: compare with DuckDB's own to_json of the same value. */
async function expectSameAsToJson(expr: string) {
  const encoded = await encode(expr)
  expect(encoded.column.oid, expr).toBe(WIRE_TYPES.json.oid)
  const reader = await connection.runAndReadAll(`SELECT to_json(${expr})::VARCHAR`)
  const duckdbJson = reader.getRows()[0]![0] as string
  expect(encoded.value, `${expr}: ours ${encoded.text} vs DuckDB ${duckdbJson}`).toEqual(
    parseJson(duckdbJson),
  )
  return encoded
}

describe('value encoder: nested values as json, shaped like to_json', () => {
  it('nested lists', async () => {
    await expectSameAsToJson('[[1, 2], [3], NULL, []]')
    await expectSameAsToJson("[['a', NULL], ['b']]")
    await expectSameAsToJson('[[1, 2]::INTEGER[2], [3, 4]::INTEGER[2]]')
    await expectSameAsToJson('[[1, 2], [3, 4]]::INTEGER[2][2]')
  })

  it('STRUCT as an object, with nested and temporal members as to_json writes them', async () => {
    const encoded = await expectSameAsToJson(
      "{'i': 1, 'big': 170141183460469231731687303715884105727::HUGEINT, 's': 'x \"y\"', 'l': [1, NULL], 'n': NULL::INTEGER, 'inner': {'d': DATE '2024-01-02', 'bc': DATE '0044-03-15 (BC)'}}",
    )
    expect((encoded.value as { big: unknown }).big).toBe(170141183460469231731687303715884105727n)
    await expectSameAsToJson(
      "{'ts': TIMESTAMP '2024-01-02 03:04:05.123456', 'tz': TIMESTAMPTZ '2024-01-02 03:04:05+02', 'ns': '2024-01-01 10:00:00.123456789'::TIMESTAMP_NS, 'ms': '2024-01-01 10:00:00.12'::TIMESTAMP_MS, 's': '2024-01-01 10:00:00'::TIMESTAMP_S}",
    )
    await expectSameAsToJson(
      "{'t': TIME '12:34:56.5', 'tns': '12:00:00.123456789'::TIME_NS, 'ttz': '12:34:56+02:30'::TIMETZ, 'iv': INTERVAL '1 year 2 months 3 days 04:05:06.789', 'neg': INTERVAL '-10 months' - INTERVAL '1 second'}",
    )
    await expectSameAsToJson(
      "{'u': 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID, 'blob': '\\x01\\xFFab'::BLOB, 'bit': '101'::BIT, 'bool': true, 'e': 'happy'::mood, 'j': '{\"a\":[1,2]}'::JSON, 'dec': 123.450::DECIMAL(10,3), 'ub': 18446744073709551615::UBIGINT}",
    )
    await expectSameAsToJson("{'inf': 'infinity'::DATE, 'tinf': '-infinity'::TIMESTAMP}")
    await expectSameAsToJson('NULL::STRUCT(a INTEGER)')
  })

  it('MAP as an object keyed by the text of each key', async () => {
    await expectSameAsToJson("MAP {'k': 1, 'other key': NULL}")
    await expectSameAsToJson("MAP {1: 'a', 2: 'b'}")
    await expectSameAsToJson("MAP {DATE '2024-01-01': [1, 2]}")
    await expectSameAsToJson("MAP {[1, 2]: 'x'}")
    await expectSameAsToJson("MAP {{'a': 1}: 'x'}")
    await expectSameAsToJson('MAP {}')
  })

  it('UNION as {"tag": value}', async () => {
    await expectSameAsToJson('union_value(num := 2)::UNION(num INTEGER, str VARCHAR)')
    await expectSameAsToJson("union_value(str := 'x')::UNION(num INTEGER, str VARCHAR)")
    await expectSameAsToJson("[union_value(str := 'x')::UNION(num INTEGER, str VARCHAR)]")
  })

  it('lists of structs', async () => {
    await expectSameAsToJson("[{'a': 1, 'b': [DATE '2024-01-01']}, NULL, {'a': 2, 'b': []}]")
  })

  it("NaN, infinities and -0 inside json are written as DuckDB's to_json writes them, and read back as such", async () => {
    const encoded = await encode(
      "{'x': 'NaN'::DOUBLE, 'y': 'inf'::FLOAT, 'z': 1.5::FLOAT, 'n': '-inf'::DOUBLE, 'm': '-0'::DOUBLE}",
    )
    expect(encoded.text).toBe('{"x":NaN,"y":Infinity,"z":1.5,"n":-Infinity,"m":-0.0}')
    expect(encoded.value).toEqual({ x: Number.NaN, y: Infinity, z: 1.5, n: -Infinity, m: -0 })
  })
})

describe('value encoder: GEOMETRY and VARIANT', () => {
  it('GEOMETRY as the WKT DuckDB prints', async () => {
    for (const wkt of [
      'POINT(1.5 -2.25)',
      'POINT EMPTY',
      'POINT Z (1 2 3)',
      'POINT ZM (1 2 3 4)',
      'LINESTRING(0 0, 1 1, 2 0.1)',
      'POLYGON((0 0, 1 0, 1 1, 0 0), (0.1 0.1, 0.2 0.1, 0.2 0.2, 0.1 0.1))',
      'MULTIPOINT(1 2, 3 4)',
      'MULTILINESTRING((0 0, 1 1), (2 2, 3 3))',
      'MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)))',
      'GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1))',
      'GEOMETRYCOLLECTION EMPTY',
    ]) {
      const encoded = await encode(`'${wkt}'::GEOMETRY`)
      const reader = await connection.runAndReadAll(`SELECT ('${wkt}'::GEOMETRY)::VARCHAR`)
      expect(encoded.column.oid).toBe(WIRE_TYPES.text.oid)
      expect(encoded.text).toBe(reader.getRows()[0]![0])
    }
  })

  it('VARIANT as the json of its content', async () => {
    await expectRoundTrip('42::VARIANT', WIRE_TYPES.json.oid, '42', 42)
    await expectRoundTrip("({'a': [1, 2]})::VARIANT", WIRE_TYPES.json.oid, '{"a":[1,2]}', {
      a: [1, 2],
    })
    await expectRoundTrip("'x'::VARIANT", WIRE_TYPES.json.oid, '"x"', 'x')
  })
})

describe('value encoder: chunks', () => {
  it('encodes multi-chunk results column by column, NULLs included', async () => {
    const result = await connection.stream(
      "SELECT CASE WHEN range % 3 = 0 THEN NULL ELSE range END AS n, 'v' || range AS s, TIMESTAMP '2024-01-01' + to_seconds(range) AS ts FROM range(5000)",
    )
    const encoder = createResultEncoder(result.columnNames(), result.columnTypes())
    expect(encoder.columns.map((column) => [column.name, column.oid, column.typeSize])).toEqual([
      ['n', WIRE_TYPES.int8.oid, 8],
      ['s', WIRE_TYPES.text.oid, -1],
      ['ts', WIRE_TYPES.timestamp.oid, 8],
    ])
    let row = 0
    for (;;) {
      const chunk = await result.fetchChunk()
      if (chunk === null || chunk.rowCount === 0) break
      const [n, s, ts] = encoder.encodeChunk(chunk)
      for (let i = 0; i < chunk.rowCount; i++, row++) {
        expect(n![i]).toBe(row % 3 === 0 ? null : String(row))
        expect(s![i]).toBe(`v${row}`)
        expect(parsers.getTypeParser(WIRE_TYPES.timestamp.oid)(ts![i]!)).toEqual(
          new Date(Date.UTC(2024, 0, 1) + row * 1000),
        )
      }
    }
    expect(row).toBe(5000)
  })

  it('the typed-array fast paths and the getItem fallback agree with postgresTextFor, NULLs included', async () => {
    const result = await connection.stream(`
      SELECT
        CASE WHEN range % 7 = 0 THEN NULL ELSE (range - 1500)::INTEGER END AS i,
        CASE WHEN range % 5 = 0 THEN NULL ELSE (range * 1000003 - 2000000000)::BIGINT END AS b,
        CASE WHEN range = 7 THEN 9223372036854775807 WHEN range = 8 THEN -9223372036854775808 ELSE range END::BIGINT AS extreme,
        CASE WHEN range % 3 = 0 THEN NULL ELSE range / 7 END::DOUBLE AS d,
        (range / 3)::FLOAT AS f,
        CASE WHEN range % 4 = 0 THEN NULL WHEN range % 4 = 1 THEN 'short' || range WHEN range % 4 = 2 THEN 'a much longer string ' || range ELSE 'ünï ' || range END AS s,
        CASE WHEN range % 6 = 0 THEN NULL ELSE DATE '1999-12-25' + range::INTEGER END AS dt,
        CASE WHEN range % 9 = 0 THEN NULL ELSE TIMESTAMP '1969-12-31 23:00:00' + to_microseconds(range * 1234567) END AS ts,
        CASE WHEN range = 1 THEN 'infinity'::TIMESTAMPTZ ELSE TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(range) END AS tz,
        range % 2 = 0 AS bo
      FROM range(3000)`)
    const types = result.columnTypes()
    const encoder = createResultEncoder(result.columnNames(), types)
    const texts = types.map((type) => postgresTextFor(type))
    for (;;) {
      const chunk = await result.fetchChunk()
      if (chunk === null || chunk.rowCount === 0) break
      const fast = encoder.encodeChunk(chunk)
      // A vector without node-api's internals takes the getItem path.
      const plainChunk = {
        rowCount: chunk.rowCount,
        getColumnVector: (column: number) => {
          const vector = chunk.getColumnVector(column)
          return { getItem: (row: number) => vector.getItem(row) }
        },
      } as unknown as DuckDBDataChunk
      const plain = encoder.encodeChunk(plainChunk)
      expectSameDataRows(encoder, chunk)
      expectSameDataRows(encoder, plainChunk)
      for (let column = 0; column < types.length; column++) {
        const vector = chunk.getColumnVector(column)
        const expected = Array.from({ length: chunk.rowCount }, (_, row) => {
          const value = vector.getItem(row)
          return value === null ? null : texts[column]!(value)
        })
        expect(fast[column], result.columnNames()[column]).toEqual(expected)
        expect(plain[column], result.columnNames()[column]).toEqual(expected)
      }
    }
  })

  it('SQL NULL columns travel as text', async () => {
    const encoded = await encode('NULL')
    expect(encoded.text).toBeNull()
  })
})
