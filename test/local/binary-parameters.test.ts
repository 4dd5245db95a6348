import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ByteClient,
  type ByteMessage,
  dataRows,
  errorOf,
  rowDescription,
} from './helpers/byte-client.js'
import { type ByteOracle, startByteOracle } from './helpers/byte-oracle.js'

/*
 * Binary parameters against a real PostgreSQL server: PostgreSQL writes each value's binary form (a
 * binary result), then both servers receive those bytes as a binary parameter of the declared type
 * and send it back, in text and in binary; both answers must be the same, byte for byte.
 */

let oracle: ByteClient
let endpoint: ByteClient

let servers: ByteOracle | undefined

beforeAll(async () => {
  servers = await startByteOracle()
  ;({ oracle, endpoint } = servers)
}, 60_000)

afterAll(() => servers?.stop())

/** Type OIDs, as Postgres numbers them. */
const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  json: 114,
  float4: 700,
  float8: 701,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  uuid: 2950,
  int4Array: 1007,
  textArray: 1009,
  float8Array: 1022,
  dateArray: 1182,
} as const

const CASES: readonly [type: keyof typeof OID, values: readonly string[]][] = [
  ['bool', ['true', 'false']],
  ['int2', ['-32768', '32767', '0']],
  ['int4', ['-2147483648', '2147483647', '-1']],
  ['int8', ['-9223372036854775808', '9223372036854775807', '9007199254740993']],
  ['float4', ['0.1', '-0', 'NaN', 'Infinity', '-Infinity', '3.4028235e38']],
  ['float8', ['0.1', '-0', 'NaN', '-Infinity', '1.7976931348623157e308', '5e-324']],
  ['text', ['hello', '', 'üñî € 😀']],
  ['varchar', ['a b c']],
  ['json', ['{"a":1,"b":[true,null]}']],
  ['bytea', ['\\x00ff41', '\\x']],
  ['uuid', ['7cf2c227-4084-4983-b774-d6547173236e', 'ffffffff-ffff-ffff-ffff-ffffffffffff']],
  ['date', ['2024-02-29', '2000-01-01', '1999-12-31', '0044-03-15 BC', 'infinity', '-infinity']],
  ['time', ['00:00:00', '23:59:59.999999', '12:34:56.5']],
  [
    'timestamp',
    ['2024-03-01 12:34:56.789123', '1999-12-31 23:59:59.999999', '1900-01-01 00:00:00', 'infinity'],
  ],
  ['timestamptz', ['2024-03-10 12:00:00+00', '1850-06-01 10:00:00+02', '-infinity']],
  ['interval', ['1 year 2 mons 3 days 04:05:06.789', '-3 days +04:00:00', '00:00:00.000001']],
  ['numeric', ['12.30', '-0.0001', '0', '99999999999999999999.999999']],
  ['int4Array', ['{1,2,3}', '{1,NULL,3}', '{}']],
  ['textArray', ['{a,"b c",NULL,""}']],
  ['float8Array', ['{0.1,NaN,-0}']],
  ['dateArray', ['{2024-02-29,infinity}']],
]

/**
 * Read back with the same bytes, but announced as text: the type table has one string type (text),
 * and DuckDB types a bare `$1` bound to JSON as VARCHAR.
 */
const ANNOUNCED_AS_TEXT: ReadonlySet<keyof typeof OID> = new Set(['varchar', 'json'])

/** Fields and rows (hex) of an answer. */
function answer(messages: readonly ByteMessage[]) {
  return {
    fields: rowDescription(messages)?.map(({ oid, format }) => ({ oid, format })),
    rows: dataRows(messages).map((row) => row.map((value) => value?.toString('hex') ?? null)),
    error: errorOf(messages),
  }
}

describe('binary parameters, against PostgreSQL', () => {
  it.each(CASES)('%s', async (type, values) => {
    const oid = OID[type]
    for (const value of values) {
      // PostgreSQL's own binary form of the value.
      const [binary] = dataRows(
        await oracle.extended('SELECT $1 AS v', {
          parameterTypes: [oid],
          parameters: [Buffer.from(value)],
          resultFormats: [1],
        }),
      )[0]!
      expect(binary, `${type} ${value}`).toBeInstanceOf(Buffer)
      for (const resultFormats of [[0], [1]]) {
        const request = {
          parameterTypes: [oid],
          parameterFormats: [1],
          parameters: [binary!],
          resultFormats,
        }
        const expected = answer(await oracle.extended('SELECT $1 AS v', request))
        const actual = answer(await endpoint.extended('SELECT $1 AS v', request))
        const context = `${type} ${value} → format ${resultFormats[0]}`
        const announced = ANNOUNCED_AS_TEXT.has(type)
          ? { ...expected.fields![0]!, oid: OID.text }
          : null
        expect(actual, context).toEqual(announced ? { ...expected, fields: [announced] } : expected)
      }
    }
  })
})
