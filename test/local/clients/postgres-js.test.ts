import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'

let local: TestEndpoint
let sql: postgres.Sql

beforeAll(async () => {
  local = await startTestEndpoint()
  const { host, port, token } = local.endpoint
  // As postgres.js users connect: its defaults (prepared statements, fetch_types) and the endpoint's URL parts.
  sql = postgres({
    host,
    port,
    database: 'md:',
    username: 'postgres',
    password: token,
    ssl: false,
    max: 2,
  })
})

afterAll(async () => {
  await sql.end({ timeout: 5 })
  await local.stop()
})

describe('postgres.js (npm postgres)', () => {
  it('runs tagged-template queries with parameters', async () => {
    await sql`CREATE TABLE pjs_t (id INTEGER, name VARCHAR, tags VARCHAR[])`
    await sql`INSERT INTO pjs_t VALUES (${1}, ${'duck'}, ${['a', 'b c']}::VARCHAR[]), (${2}, ${"it's"}, NULL)`
    const rows = await sql`SELECT id, name, tags FROM pjs_t WHERE id >= ${1} ORDER BY id`
    expect(rows.map((row) => ({ ...row }))).toEqual([
      { id: 1, name: 'duck', tags: ['a', 'b c'] },
      { id: 2, name: "it's", tags: null },
    ])
    const [me] = await sql`SELECT current_user AS user`
    expect(me?.user).toBe('postgres')
  })

  it.each([
    ['isolation level serializable', 'serializable'],
    ['isolation level repeatable read', 'repeatable read'],
    ['isolation level read committed', 'read committed'],
  ])('runs sql.begin(%j) transactions and commits them', async (mode, level) => {
    const name = `begin ${level}`
    const shown = await sql.begin(mode, async (tx) => {
      await tx`INSERT INTO pjs_t (id, name) VALUES (${10}, ${name})`
      const [row] = await tx`SHOW transaction_isolation`
      return row?.transaction_isolation
    })
    expect(shown).toBe(level)
    const [committed] = await sql`SELECT count(*)::INTEGER AS count FROM pjs_t WHERE name = ${name}`
    expect(committed?.count).toBe(1)
  })

  it('rolls back a transaction whose callback throws', async () => {
    await expect(
      sql.begin('isolation level serializable', async (tx) => {
        await tx`INSERT INTO pjs_t (id, name) VALUES (${20}, ${'rolled back'})`
        throw new Error('stop')
      }),
    ).rejects.toThrow('stop')
    const [left] = await sql`SELECT count(*)::INTEGER AS count FROM pjs_t WHERE id = ${20}`
    expect(left?.count).toBe(0)
  })

  it('refuses writes in a read only transaction', async () => {
    const error = await sql
      .begin('read only', async (tx) => {
        await tx`INSERT INTO pjs_t (id, name) VALUES (${30}, ${'read only'})`
      })
      .then(
        () => undefined,
        (reason: postgres.PostgresError) => reason,
      )
    expect(error?.code).toBe('25006')
  })
})
