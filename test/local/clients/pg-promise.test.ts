import pgPromise from 'pg-promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'

const pgp = pgPromise()
const { TransactionMode, isolationLevel } = pgp.txMode

let local: TestEndpoint
let db: ReturnType<typeof pgp>

beforeAll(async () => {
  local = await startTestEndpoint()
  const { host, port, token } = local.endpoint
  db = pgp({ host, port, database: 'md:', user: 'postgres', password: token, max: 2 })
  await db.none('CREATE TABLE pgp_t (id INTEGER, name VARCHAR)')
})

afterAll(async () => {
  // The pool's connections end before the endpoint does (its stop() ends sessions with 57P01); the pool's
  // end() resolves before its clients have closed, its 'remove' events tell when they have.
  const pool = db.$pool
  let open = pool.totalCount
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve()
    pool.on('remove', () => {
      if (--open === 0) resolve()
    })
  })
  await pool.end()
  await closed
  await local.stop()
})

describe('pg-promise (npm pg-promise)', () => {
  it.each([
    ['serializable', isolationLevel.serializable],
    ['repeatable read', isolationLevel.repeatableRead],
    ['read committed', isolationLevel.readCommitted],
  ])(
    'runs tx with isolation level %s (BEGIN ISOLATION LEVEL …) and commits',
    async (level, tiLevel) => {
      const mode = new TransactionMode({ tiLevel })
      const shown = await db.tx({ mode }, async (t) => {
        await t.none('INSERT INTO pgp_t VALUES ($1, $2)', [1, level])
        return t.one(
          'SHOW transaction_isolation',
          [],
          (row: { transaction_isolation: string }) => row.transaction_isolation,
        )
      })
      expect(shown).toBe(level)
      expect(
        await db.one(
          'SELECT count(*)::INTEGER AS n FROM pgp_t WHERE name = $1',
          [level],
          (r: { n: number }) => r.n,
        ),
      ).toBe(1)
    },
  )

  it('runs a read only, deferrable serializable tx and refuses a write in it', async () => {
    const mode = new TransactionMode({
      tiLevel: isolationLevel.serializable,
      readOnly: true,
      deferrable: true,
    })
    const outside = await db.one(
      'SELECT count(*)::INTEGER AS n FROM pgp_t',
      [],
      (r: { n: number }) => r.n,
    )
    const count = await db.tx({ mode }, (t) =>
      t.one('SELECT count(*)::INTEGER AS n FROM pgp_t', [], (r: { n: number }) => r.n),
    )
    expect(count).toBe(outside)
    const error = await db
      .tx({ mode }, (t) => t.none('INSERT INTO pgp_t VALUES ($1, $2)', [9, 'nope']))
      .then(
        () => undefined,
        (reason: { code?: string }) => reason,
      )
    expect(error?.code).toBe('25006')
  })

  it('rolls back a tx whose callback throws, and a nested task sees the same connection', async () => {
    await expect(
      db.tx(async (t) => {
        await t.none('INSERT INTO pgp_t VALUES ($1, $2)', [7, 'rolled back'])
        const inside = await t.task((inner) =>
          inner.one(
            'SELECT count(*)::INTEGER AS n FROM pgp_t WHERE id = 7',
            [],
            (r: { n: number }) => r.n,
          ),
        )
        expect(inside).toBe(1)
        throw new Error('stop')
      }),
    ).rejects.toThrow('stop')
    expect(
      await db.one(
        'SELECT count(*)::INTEGER AS n FROM pgp_t WHERE id = 7',
        [],
        (r: { n: number }) => r.n,
      ),
    ).toBe(0)
  })
})
