import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EndpointError } from '../../../src/local/errors/endpoint-error.js'
import {
  type Portal,
  PreparedStatements,
  type Statement,
} from '../../../src/local/session/prepared-statements.js'
import { CatalogEpoch } from '../../../src/local/session/statement-cache.js'
import { splitStatements } from '../../../src/sql/sql-statements.js'

let instance: DuckDBInstance
let connection: DuckDBConnection

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:')
  connection = await instance.connect()
})

afterAll(() => {
  connection.closeSync()
  instance.closeSync()
})

const SQL = 'SELECT $1::INTEGER AS n'

async function statement(name: string, epoch: CatalogEpoch): Promise<Statement> {
  return {
    name,
    sql: SQL,
    info: splitStatements(SQL)[0],
    prepared: await connection.prepare(SQL),
    parameterTypes: [],
    pathParameters: [],
    epoch: epoch.value,
    failed: false,
    boundPortal: null,
    portals: new Set(),
  }
}

function portal(name: string, of: Statement): Portal {
  return { name, statement: of, parameters: [], state: { kind: 'initial' } }
}

describe('PreparedStatements', () => {
  it('finds statements and portals by name, and refuses unknown ones with 26000 and 34000', async () => {
    const epoch = new CatalogEpoch()
    const registry = new PreparedStatements(epoch)
    const named = await statement('s1', epoch)
    registry.putStatement(named)
    registry.putPortal(portal('p1', named))
    expect(registry.getStatement('s1')).toBe(named)
    expect(registry.requirePortal('p1').statement).toBe(named)
    expect(registry.hasPortal('p1')).toBe(true)
    expect(() => registry.requireStatement('nope')).toThrow(
      expect.objectContaining({ code: '26000' }) as EndpointError,
    )
    expect(() => registry.requirePortal('nope')).toThrow(
      expect.objectContaining({ code: '34000' }) as EndpointError,
    )
    registry.clear()
  })

  it("keeps DuckDB's statement while a portal uses it, then hands it to the cache", async () => {
    const epoch = new CatalogEpoch()
    const registry = new PreparedStatements(epoch)
    const named = await statement('s1', epoch)
    registry.putStatement(named)
    const open = portal('p1', named)
    registry.putPortal(open)
    expect([...named.portals]).toEqual([open])

    registry.removeStatement('s1')
    expect(registry.getStatement('s1')).toBeUndefined()
    expect(registry.takeCached(SQL)).toBeUndefined()

    registry.removePortal('p1')
    expect(named.portals.size).toBe(0)
    const cached = registry.takeCached(SQL)
    expect(cached?.prepared).toBe(named.prepared)
    cached?.prepared.destroySync()
    registry.clear()
  })

  it('replaces a portal of the same name and forgets which portal was bound', async () => {
    const epoch = new CatalogEpoch()
    const registry = new PreparedStatements(epoch)
    const named = await statement('', epoch)
    registry.putStatement(named)
    const first = portal('', named)
    registry.putPortal(first)
    named.boundPortal = first
    const second = portal('', named)
    registry.putPortal(second)
    expect(registry.requirePortal('')).toBe(second)
    expect([...named.portals]).toEqual([second])
    expect(named.boundPortal).toBeNull()
    registry.clear()
  })

  it('closes every portal but the one ending the transaction, and the portals of one statement', async () => {
    const epoch = new CatalogEpoch()
    const registry = new PreparedStatements(epoch)
    const a = await statement('a', epoch)
    const b = await statement('b', epoch)
    registry.putStatement(a)
    registry.putStatement(b)
    const [a1, a2, b1] = [portal('a1', a), portal('a2', a), portal('b1', b)]
    for (const each of [a1, a2, b1]) registry.putPortal(each)

    registry.removePortalsOf(a)
    expect([registry.hasPortal('a1'), registry.hasPortal('a2'), registry.hasPortal('b1')]).toEqual([
      false,
      false,
      true,
    ])
    registry.putPortal(a1)
    registry.removePortals(b1)
    expect([registry.hasPortal('a1'), registry.hasPortal('b1')]).toEqual([false, true])
    registry.clear()
    expect(registry.hasPortal('b1')).toBe(false)
  })

  it('destroys a statement whose run failed instead of caching it', async () => {
    const epoch = new CatalogEpoch()
    const registry = new PreparedStatements(epoch)
    const named = await statement('s1', epoch)
    registry.putStatement(named)
    named.failed = true
    registry.removeStatement('s1')
    expect(registry.takeCached(SQL)).toBeUndefined()
    registry.clear()
  })
})
