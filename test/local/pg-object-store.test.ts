import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { pgClients, rejection } from './helpers/pg-clients.js'

let endpoint: LocalEndpoint
let lenient: LocalEndpoint
let dir: string
const clients = pgClients(() => endpoint)
const lenientClients = pgClients(() => lenient)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kysely-motherduck-bucket-'))
  // The "bucket" content is written in-process, the way a data pipeline would have put it there.
  const instance = await DuckDBInstance.create(':memory:')
  const writer = await instance.connect()
  await writer.run(
    `COPY (SELECT range::INTEGER AS id, 'event ' || range AS name FROM range(100)) TO '${join(dir, 'events.parquet')}' (FORMAT parquet)`,
  )
  writer.closeSync()
  instance.closeSync()
  endpoint = await startLocalEndpoint({ objectStore: { 's3://bucket': dir } })
  lenient = await startLocalEndpoint({ objectStore: { 's3://bucket': dir }, strict: false })
})

afterAll(async () => {
  await clients.endAll()
  await lenientClients.endAll()
  await endpoint.stop()
  await lenient.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('objectStore and MD_RUN', () => {
  it('reads s3:// under a mapped prefix from the local directory, MD_RUN = REMOTE accepted', async () => {
    const client = await clients.connect()
    const result = await client.query(
      "SELECT count(*)::INTEGER AS n, max(name) AS last FROM read_parquet('s3://bucket/events.parquet', MD_RUN = REMOTE)",
    )
    expect(result.rows).toEqual([{ n: 100, last: 'event 99' }])
  })

  it('loads a table with CREATE TABLE … AS from the bucket, and a path given as a parameter', async () => {
    const client = await clients.connect()
    const created = await client.query(
      "CREATE TABLE events AS SELECT * FROM read_parquet('s3://bucket/*.parquet', MD_RUN = AUTO)",
    )
    expect([created.command, created.rowCount]).toEqual(['SELECT', 100])
    const byParameter = await client.query(
      'SELECT count(*)::INTEGER AS n FROM read_parquet($1, MD_RUN = REMOTE) WHERE id < $2',
      ['s3://bucket/events.parquet', 10],
    )
    expect(byParameter.rows).toEqual([{ n: 10 }])
  })

  it('refuses MD_RUN = LOCAL with 0A000', async () => {
    const client = await clients.connect()
    const error = await rejection(
      client.query("SELECT * FROM read_parquet('s3://bucket/events.parquet', MD_RUN = LOCAL)"),
    )
    expect(error.code).toBe('0A000')
  })
})

describe('reader paths passed as parameters follow the strict rule of paths written in SQL', () => {
  const sql = 'SELECT count(*)::INTEGER AS n FROM read_parquet($1)'

  it('strict (the default) refuses an unmapped local file given as $1 with 0A000', async () => {
    const client = await clients.connect()
    const error = await rejection(client.query(sql, [join(dir, 'events.parquet')]))
    expect(error.code).toBe('0A000')
    expect(error.message).toContain('cannot read files on your machine')
  })

  it('strict: false reads an unmapped local file given as $1, as it reads one written in SQL', async () => {
    const client = await lenientClients.connect()
    const path = join(dir, 'events.parquet')
    expect((await client.query(sql, [path])).rows).toEqual([{ n: 100 }])
    const literal = await client.query(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${path.replaceAll("'", "''")}')`,
    )
    expect(literal.rows).toEqual([{ n: 100 }])
    // A named statement binds the path again on every execution.
    const named = { name: 'read-path', text: sql }
    expect((await client.query({ ...named, values: [path] })).rows).toEqual([{ n: 100 }])
    expect((await client.query({ ...named, values: [path] })).rows).toEqual([{ n: 100 }])
  })
})
