import { execFileSync } from 'node:child_process'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_PARAMETER_TYPES, WIRE_TYPES } from '../../../src/types/duckdb-types.js'
import {
  type PostgresServer,
  postgresBinDir,
  startPostgres,
} from '../../support/postgres-server.js'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'
import { asyncpgClient, describeClient } from '../clients/client-tools.js'

/**
 * asyncpg's type introspection query (the variant it picks for the endpoint's `server_version` 15),
 * read from the installed asyncpg rather than copied, run against the endpoint and a real PostgreSQL 15
 * for every type the endpoint announces or reads: the rows must agree.
 */
function asyncpgIntrospectionQuery(): string {
  return execFileSync(
    '/usr/bin/python3',
    ['-c', 'import sys, asyncpg.introspection as i; sys.stdout.write(i.INTRO_LOOKUP_TYPES)'],
    { encoding: 'utf8' },
  )
}

/** Every type OID of the type table: the wire types, their arrays, the client-declared types. */
const TYPE_OIDS = [
  ...Object.values(WIRE_TYPES).flatMap((wire) => [wire.oid, wire.arrayOid]),
  ...Object.values(CLIENT_PARAMETER_TYPES).flatMap((client) =>
    client.arrayOid === 0 ? [client.oid] : [client.oid, client.arrayOid],
  ),
]

/** The columns both servers should answer alike (attrtypoids/attrnames: no composite types here). */
const COMPARED = `SELECT oid, ns, name, kind, basetype, elemtype, elemdelim, range_subtype, attrtypoids,
  attrnames, depth, basetype_name, elemtype_name, range_subtype_name FROM (%s) AS intro ORDER BY oid, depth`

/** The columns announced as oid (26) or oid[] (1028). */
function oidColumns(fields: readonly pg.FieldDef[]): [string, number][] {
  return fields
    .filter((field) => field.dataTypeID === 26 || field.dataTypeID === 1028)
    .map((field) => [field.name, field.dataTypeID])
}

let local: TestEndpoint
let postgres: PostgresServer

describeClient(asyncpgClient, () => {
  describe.skipIf(postgresBinDir() === undefined)('asyncpg type introspection', () => {
    beforeAll(async () => {
      ;[local, postgres] = await Promise.all([startTestEndpoint(), startPostgres()])
    }, 60_000)
    afterAll(async () => {
      await Promise.allSettled([local?.stop(), postgres?.stop()])
    })

    it('answers the same rows as PostgreSQL 15 for every type the endpoint knows', async () => {
      const sql = COMPARED.replace('%s', asyncpgIntrospectionQuery())
      const oracle = new pg.Client({ connectionString: postgres.url })
      const client = new pg.Client({ connectionString: local.endpoint.url })
      await Promise.all([oracle.connect(), client.connect()])
      try {
        const expected = await oracle.query(sql, [TYPE_OIDS])
        const actual = await client.query(sql, [TYPE_OIDS])
        expect(expected.rows.length).toBeGreaterThan(TYPE_OIDS.length)
        expect(actual.rows).toEqual(expected.rows)
        // oid and oid[] columns, as asyncpg needs them: it has no int8[] codec before introspecting.
        expect(oidColumns(actual.fields)).toEqual(oidColumns(expected.fields))
        expect(oidColumns(actual.fields)).toHaveLength(5)
      } finally {
        await Promise.all([oracle.end(), client.end()])
      }
    })
  })
})
