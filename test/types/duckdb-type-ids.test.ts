import {
  type DuckDBConnection,
  type DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTypeId,
  LIST,
  listValue,
  SQLNULL,
} from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bindParameters } from '../../src/local/decode/bind-parameters.js'
import { jsonWriterFor } from '../../src/local/encode/duckdb-json-writer.js'
import { createResultEncoder, scalarTypeNameOf } from '../../src/local/encode/value-encoder.js'
import type { EncodedColumn } from '../../src/local/protocol/encoded-column.js'
import {
  DUCKDB_NESTED_TYPES,
  DUCKDB_SCALAR_TYPES,
  WIRE_TYPES,
  wireTypeOfList,
  wireTypeOfScalar,
} from '../../src/types/duckdb-types.js'

/*
 * Every DuckDB type id, against the three places that must know it: the result encoder (DuckDB value →
 * Postgres text), the JSON writer (values inside json-typed STRUCT/MAP/UNION/nested lists) and the
 * parameter decoder (the encoder's text sent back as a Bind parameter → the same DuckDB value). A type
 * id is either handled, shown by a sample value that goes through, or refused, with the reason in the
 * component's list below. A type id DuckDB adds later is in neither and fails here until someone
 * decides; "Adding a DuckDB type" in the README's development section says where.
 */

type TypeIdName = keyof typeof DuckDBTypeId

interface Sample {
  /** SQL of one value of the type. */
  readonly sql: string
  /** The Postgres text the encoder sends. */
  readonly postgres: string
  /** The JSON text the JSON writer writes. */
  readonly json: string
  /** `CAST(c AS VARCHAR)` after the encoder's text binds back into a column; default: that of `sql`. */
  readonly decoded?: string
  /** The same when the parameter declares the wire type's OID; default: `decoded`. */
  readonly declaredDecoded?: string
}

const SAMPLES: Readonly<Partial<Record<TypeIdName, Sample>>> = {
  BOOLEAN: { sql: 'true', postgres: 't', json: 'true' },
  TINYINT: { sql: '-7::TINYINT', postgres: '-7', json: '-7' },
  SMALLINT: { sql: '-300::SMALLINT', postgres: '-300', json: '-300' },
  INTEGER: { sql: '-70000', postgres: '-70000', json: '-70000' },
  BIGINT: {
    sql: '-9007199254740993::BIGINT',
    postgres: '-9007199254740993',
    json: '-9007199254740993',
  },
  UTINYINT: { sql: '200::UTINYINT', postgres: '200', json: '200' },
  USMALLINT: { sql: '60000::USMALLINT', postgres: '60000', json: '60000' },
  UINTEGER: { sql: '4000000000::UINTEGER', postgres: '4000000000', json: '4000000000' },
  UBIGINT: {
    sql: '18446744073709551615::UBIGINT',
    postgres: '18446744073709551615',
    json: '18446744073709551615',
  },
  HUGEINT: {
    sql: "'-170141183460469231731687303715884105728'::HUGEINT",
    postgres: '-170141183460469231731687303715884105728',
    json: '-170141183460469231731687303715884105728',
  },
  UHUGEINT: {
    sql: '340282366920938463463374607431768211455::UHUGEINT',
    postgres: '340282366920938463463374607431768211455',
    json: '340282366920938463463374607431768211455',
  },
  BIGNUM: {
    sql: "'-123456789012345678901234567890123456789012'::BIGNUM",
    postgres: '-123456789012345678901234567890123456789012',
    json: '-123456789012345678901234567890123456789012',
  },
  // float4's shortest text, not the double expansion DuckDB's to_json writes (0.10000000149011612).
  FLOAT: { sql: '0.1::FLOAT', postgres: '0.1', json: '0.1' },
  DOUBLE: { sql: '0.1::DOUBLE', postgres: '0.1', json: '0.1' },
  // Every digit of the scale, as Postgres' numeric prints it.
  DECIMAL: { sql: '-12.30::DECIMAL(10,2)', postgres: '-12.30', json: '-12.30' },
  VARCHAR: { sql: `'it''s "x"'`, postgres: `it's "x"`, json: `"it's \\"x\\""` },
  ENUM: { sql: "'sad'::mood", postgres: 'sad', json: '"sad"' },
  BLOB: { sql: "'\\x00\\xFFab'::BLOB", postgres: '\\x00ff6162', json: '"\\\\x00\\\\xFFab"' },
  BIT: { sql: "'10110'::BIT", postgres: '10110', json: '"10110"' },
  UUID: {
    sql: "'00112233-4455-6677-8899-aabbccddeeff'::UUID",
    postgres: '00112233-4455-6677-8899-aabbccddeeff',
    json: '"00112233-4455-6677-8899-aabbccddeeff"',
  },
  DATE: { sql: "DATE '0044-03-15 (BC)'", postgres: '0044-03-15 BC', json: '"0044-03-15 (BC)"' },
  TIME: { sql: "TIME '12:34:56.5'", postgres: '12:34:56.5', json: '"12:34:56.5"' },
  // The endpoint's text keeps the nanoseconds, and the decoder reads them back.
  TIME_NS: {
    sql: "'12:34:56.123456789'::TIME_NS",
    postgres: '12:34:56.123456789',
    json: '"12:34:56.123456789"',
    // A parameter declared as Postgres' time has its microseconds.
    declaredDecoded: '12:34:56.123456',
  },
  TIME_TZ: {
    sql: "'12:34:56+05:30'::TIMETZ",
    postgres: '12:34:56+05:30',
    json: '"12:34:56+05:30"',
  },
  TIMESTAMP: {
    sql: "TIMESTAMP '2024-02-29 12:34:56.789'",
    postgres: '2024-02-29 12:34:56.789',
    json: '"2024-02-29 12:34:56.789"',
  },
  TIMESTAMP_S: {
    sql: "TIMESTAMP_S '2024-02-29 12:34:56'",
    postgres: '2024-02-29 12:34:56',
    json: '"2024-02-29 12:34:56"',
  },
  TIMESTAMP_MS: {
    sql: "TIMESTAMP_MS '2024-02-29 12:34:56.789'",
    postgres: '2024-02-29 12:34:56.789',
    json: '"2024-02-29 12:34:56.789"',
  },
  TIMESTAMP_NS: {
    sql: "TIMESTAMP_NS '2024-02-29 12:34:56.789123456'",
    postgres: '2024-02-29 12:34:56.789123456',
    json: '"2024-02-29 12:34:56.789123456"',
    declaredDecoded: '2024-02-29 12:34:56.789123',
  },
  TIMESTAMP_TZ: {
    sql: "TIMESTAMPTZ '2024-02-29 12:34:56.789+00'",
    postgres: '2024-02-29 12:34:56.789+00',
    json: '"2024-02-29 12:34:56.789+00"',
  },
  INTERVAL: {
    sql: "INTERVAL '1 year 2 months 3 days 04:05:06.789'",
    postgres: '1 year 2 mons 3 days 04:05:06.789',
    json: '"1 year 2 months 3 days 04:05:06.789"',
  },
  GEOMETRY: { sql: "'POINT (1 2)'::GEOMETRY", postgres: 'POINT (1 2)', json: '"POINT (1 2)"' },
  VARIANT: { sql: '42::VARIANT', postgres: '42', json: '42' },
  LIST: { sql: '[1, NULL, 3]', postgres: '{1,NULL,3}', json: '[1,null,3]' },
  ARRAY: { sql: '[1, 2, 3]::INTEGER[3]', postgres: '{1,2,3}', json: '[1,2,3]' },
  STRUCT: {
    sql: "{'x': 1, 'y': 'a b'}",
    postgres: '{"x":1,"y":"a b"}',
    json: '{"x":1,"y":"a b"}',
  },
  MAP: { sql: "MAP {'k': 1, 'l': 2}", postgres: '{"k":1,"l":2}', json: '{"k":1,"l":2}' },
  UNION: {
    sql: 'union_value(n := 5)::UNION(n INTEGER, s VARCHAR)',
    postgres: '{"n":5}',
    json: '{"n":5}',
  },
}

/** Ids that never type a value: DuckDB resolves them before a result or a parameter has a type. */
const NEVER_A_VALUE_TYPE: ReadonlyMap<DuckDBTypeId, string> = new Map([
  [DuckDBTypeId.INVALID, 'not a type'],
  [DuckDBTypeId.ANY, 'only in function signatures'],
  [DuckDBTypeId.STRING_LITERAL, 'an untyped string literal, resolved to VARCHAR'],
  [DuckDBTypeId.INTEGER_LITERAL, 'an untyped integer literal, resolved to an integer type'],
])

/** The encoder's refusals. */
const ENCODER_REFUSES: ReadonlyMap<DuckDBTypeId, string> = NEVER_A_VALUE_TYPE

/** The JSON writer's refusals. */
const JSON_WRITER_REFUSES: ReadonlyMap<DuckDBTypeId, string> = NEVER_A_VALUE_TYPE

/** The decoder's refusals: type ids whose values cannot come back as Bind parameters. */
const DECODER_REFUSES: ReadonlyMap<DuckDBTypeId, string> = new Map([
  ...NEVER_A_VALUE_TYPE,
  [DuckDBTypeId.SQLNULL, 'a parameter DuckDB cannot type is INVALID; NULL binds as NULL'],
  [DuckDBTypeId.MAP, 'travels as json, and DuckDB casts no JSON object to a MAP'],
  [DuckDBTypeId.UNION, 'travels as json, which binds as text: DuckDB picks the VARCHAR member'],
])

const ALL_TYPE_IDS = Object.values(DuckDBTypeId).filter(
  (id): id is DuckDBTypeId => typeof id === 'number',
)
const nameOf = (id: DuckDBTypeId) => DuckDBTypeId[id] as TypeIdName

let instance: DuckDBInstance
let connection: DuckDBConnection

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:')
  connection = await instance.connect()
  await connection.run("SET TimeZone = 'UTC'")
  await connection.run("CREATE TYPE mood AS ENUM ('happy', 'sad')")
})

afterAll(() => {
  connection.closeSync()
  instance.closeSync()
})

/** The sample's value and type, checked to be of the type id it stands for. */
async function sampleValue(id: DuckDBTypeId, sample: Sample) {
  const reader = await connection.runAndReadAll(
    `SELECT ${sample.sql} AS v, CAST(${sample.sql} AS VARCHAR) AS text`,
  )
  const type = reader.columnTypes()[0]!
  expect(nameOf(type.typeId), sample.sql).toBe(nameOf(id))
  const [value, text] = reader.getRows()[0]!
  return { type, value: value!, text: text as string }
}

/**
 * Sends the sample's Postgres text back as a Bind parameter into a column of its type, declared with
 * its wire type's OID and untyped (OID 0, what `pg` sends); the column's text for each, or the error.
 */
async function roundTrip(id: DuckDBTypeId, sample: Sample) {
  const { type, text } = await sampleValue(id, sample)
  const wireOid = createResultEncoder(['v'], [type]).columns[0]!.oid
  await connection.run(`CREATE OR REPLACE TABLE decoded (c ${type.toString()})`)
  const decoded: [oid: number, text: unknown][] = []
  for (const oid of [wireOid, 0]) {
    const statement = await connection.prepare(
      'INSERT INTO decoded VALUES ($1) RETURNING CAST(c AS VARCHAR)',
    )
    try {
      const parameter = { value: Buffer.from(sample.postgres, 'utf8'), format: 0 as const, oid }
      bindParameters(statement, [parameter], { objectStore: {}, pathParameters: [] })
      decoded.push([oid, (await statement.runAndReadAll()).getRows()[0]![0]])
    } catch (error) {
      decoded.push([oid, error])
    } finally {
      statement.destroySync()
    }
  }
  return { text, decoded }
}

/** Row 0 of an encoded column (the DataRow byte path) as text, or null. */
function firstValueBytes(column: EncodedColumn): string | null {
  const length = column.lengths[0]!
  if (length === -1) return null
  const start = column.starts[0]!
  return column.bytes.subarray(start, start + length).toString('utf8')
}

describe('every DuckDB type id', () => {
  it('is handled (has a sample) or refused, in each component', () => {
    const undecided: string[] = []
    for (const id of ALL_TYPE_IDS) {
      // The encoder and the JSON writer handle SQLNULL without a sample value (see their tests).
      const sampled = SAMPLES[nameOf(id)] !== undefined || id === DuckDBTypeId.SQLNULL
      if (!sampled && !ENCODER_REFUSES.has(id)) undecided.push(`encoder: ${nameOf(id)}`)
      if (!sampled && !JSON_WRITER_REFUSES.has(id)) undecided.push(`JSON writer: ${nameOf(id)}`)
      if (SAMPLES[nameOf(id)] === undefined && !DECODER_REFUSES.has(id))
        undecided.push(`decoder: ${nameOf(id)}`)
      if (sampled && ENCODER_REFUSES.has(id))
        undecided.push(`encoder refuses sampled ${nameOf(id)}`)
      if (sampled && JSON_WRITER_REFUSES.has(id))
        undecided.push(`JSON writer refuses sampled ${nameOf(id)}`)
    }
    expect(undecided, 'add a sample to SAMPLES or the id to a REFUSES list').toEqual([])
  })

  it.each(ALL_TYPE_IDS.filter((id) => !ENCODER_REFUSES.has(id)).map(nameOf))(
    'the encoder writes %s as its wire type announces',
    async (name) => {
      const id = DuckDBTypeId[name]
      if (id === DuckDBTypeId.SQLNULL) {
        // DuckDB types a NULL literal as INTEGER in results; the encoder still writes SQLNULL columns.
        const encoder = createResultEncoder(['v'], [SQLNULL])
        const chunk = {
          rowCount: 2,
          getColumnVector: () => undefined,
        } as unknown as DuckDBDataChunk
        expect(encoder.columns[0]!.oid).toBe(WIRE_TYPES.text.oid)
        expect(encoder.encodeChunk(chunk)).toEqual([[null, null]])
        expect(firstValueBytes(encoder.encodeChunkBytes(chunk)[0]!), 'byte path').toBeNull()
        return
      }
      const sample = SAMPLES[name]!
      const { type } = await sampleValue(id, sample)
      // Its wire type comes from the type table.
      const scalar = scalarTypeNameOf(type)
      if (scalar !== undefined) expect(DUCKDB_SCALAR_TYPES[scalar]).toBeDefined()
      else expect(DUCKDB_NESTED_TYPES).toContain(name)
      const result = await connection.stream(`SELECT ${sample.sql} AS v`)
      const encoder = createResultEncoder(result.columnNames(), result.columnTypes())
      const expectedOid =
        scalar !== undefined
          ? wireTypeOfScalar(scalar).oid
          : name === 'LIST' || name === 'ARRAY'
            ? wireTypeOfList('INTEGER').oid
            : WIRE_TYPES.json.oid
      expect(encoder.columns[0]!.oid).toBe(expectedOid)
      const chunk = (await result.fetchChunk())!
      expect(encoder.encodeChunk(chunk)).toEqual([[sample.postgres]])
      expect(firstValueBytes(encoder.encodeChunkBytes(chunk)[0]!), 'byte path').toBe(
        sample.postgres,
      )
    },
  )

  it.each(ALL_TYPE_IDS.filter((id) => !JSON_WRITER_REFUSES.has(id)).map(nameOf))(
    'the JSON writer writes %s',
    async (name) => {
      const id = DuckDBTypeId[name]
      if (id === DuckDBTypeId.SQLNULL) {
        // Its only value is NULL, which the enclosing list, struct or map writes as null.
        expect(jsonWriterFor(LIST(SQLNULL))(listValue([null]))).toBe('[null]')
        return
      }
      const sample = SAMPLES[name]!
      const { type, value } = await sampleValue(id, sample)
      expect(jsonWriterFor(type)(value)).toBe(sample.json)
    },
  )

  it.each(ALL_TYPE_IDS.filter((id) => !DECODER_REFUSES.has(id)).map(nameOf))(
    'the decoder reads %s back from its Postgres text, declared or untyped',
    async (name) => {
      const sample = SAMPLES[name]!
      const { text, decoded } = await roundTrip(DuckDBTypeId[name], sample)
      for (const [oid, back] of decoded) {
        const expected = sample.decoded ?? text
        expect(back, `OID ${oid}`).toBe(oid === 0 ? expected : (sample.declaredDecoded ?? expected))
      }
    },
  )

  it.each(
    ALL_TYPE_IDS.filter((id) => DECODER_REFUSES.has(id) && SAMPLES[nameOf(id)] !== undefined).map(
      nameOf,
    ),
  )('the decoder refusal of %s still holds (else take it off the list)', async (name) => {
    const sample = SAMPLES[name]!
    const { text, decoded } = await roundTrip(DuckDBTypeId[name], sample)
    for (const [oid, back] of decoded) expect(back, `OID ${oid}`).not.toBe(sample.decoded ?? text)
  })
})
