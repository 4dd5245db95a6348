import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type InflightQueryAbortStrategy, Kysely, type RawBuilder, sql } from 'kysely'
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { MotherDuckConnection } from '../../src/dialect/motherduck-connection.js'
import {
  MotherDuckDialect,
  type MotherDuckDialectConfig,
  MotherDuckMigrationLockTimeoutError,
  motherDuckPoolConfig,
} from '../../src/index.js'
import { type LocalEndpoint, startLocalEndpoint } from '../../src/local/index.js'
import { type TargetContext, targets } from '../dialect/targets.js'
import { startTcpProxy, type TcpProxy } from '../dialect/tcp-proxy.js'
import { reportFigure, stressScale } from './stress-scale.js'

/**
 * Issue 7, "Faults": what a client of the endpoint sees when the endpoint stops, a connection is cut, an
 * idle connection is closed by the server, a query is aborted, and migrators race — each through the real
 * `pg` pool, Kysely and MotherDuckDialect, with exact row counts as the invariants and the times printed
 * as figures. Everything but the migrator race needs the local endpoint (it is stopped, killed, proxied).
 */

type AnyDB = Record<string, Record<string, unknown>>

/** The "no hang" bound of the issue: a fault reaches the caller as an error within this time. */
const NO_HANG_MS = 5_000

/** A query that runs for minutes unless it is stopped (all DuckDB threads busy, no memory growth). */
const ENDLESS = sql<{ total: bigint }>`select sum(hash(i)) as total from range(1000000000000) t(i)`

type Settled<T> =
  | { readonly state: 'resolved'; readonly value: T; readonly ms: number }
  | { readonly state: 'rejected'; readonly error: unknown; readonly ms: number }
  | { readonly state: 'pending'; readonly ms: number }

/** Races `promise` against a `limitMs` timer; `ms` counts from `since` (default: now). */
async function settleWithin<T>(
  promise: Promise<T>,
  limitMs: number,
  since = performance.now(),
): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, since + limitMs - performance.now()))
  })
  try {
    const outcome = await Promise.race([
      promise.then(
        (value) => ({ state: 'resolved' as const, value }),
        (error: unknown) => ({ state: 'rejected' as const, error }),
      ),
      timeout,
    ])
    const ms = performance.now() - since
    return outcome === 'timeout' ? { state: 'pending', ms } : { ...outcome, ms }
  } finally {
    clearTimeout(timer)
  }
}

/** Polls `probe` (every 5 ms, at most `limitMs`) until it returns true; returns the time taken. */
async function waitUntil(
  what: string,
  probe: () => Promise<boolean> | boolean,
  limitMs = 10_000,
): Promise<number> {
  const start = performance.now()
  while (!(await probe())) {
    if (performance.now() - start > limitMs) throw new Error(`timed out waiting until ${what}`)
    await sleep(5)
  }
  return performance.now() - start
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** DuckDB's own count of open connections of the endpoint's instance (one per session, plus this one). */
function duckdbConnections(db: Kysely<AnyDB>): Promise<number> {
  return countRows(db, sql<{ n: bigint }>`select count as n from duckdb_connection_count()`)
}

async function countRows(db: Kysely<AnyDB>, query: RawBuilder<{ n: bigint }>): Promise<number> {
  const { rows } = await query.execute(db)
  return Number(rows[0]?.n)
}

/** CPU time of this process (every thread, the in-process endpoint's DuckDB included) over `ms`, in cores. */
async function cpuCores(ms: number): Promise<number> {
  const before = process.cpuUsage()
  const start = performance.now()
  await sleep(ms)
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1000 / (performance.now() - start)
}

function format(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

/** min / median / max of a list of durations. */
function spread(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b)
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN
  return `min ${format(sorted[0] ?? Number.NaN)}, median ${format(median)}, max ${format(sorted.at(-1) ?? Number.NaN)}`
}

function messageOf(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown }
  return `${typeof code === 'string' ? `${code} ` : ''}${String(message)}`
}

function dialectConfig(
  port: number,
  token: string,
  extra: Partial<MotherDuckDialectConfig> = {},
): MotherDuckDialectConfig {
  return { host: '127.0.0.1', port, token, database: 'main_db', ssl: false, env: {}, ...extra }
}

/** The backend process id of the connection Kysely handed out last (BackendKeyData). */
function processIdOf(connection: MotherDuckConnection | undefined): number | undefined {
  return (connection?.client as unknown as { processID?: number } | undefined)?.processID
}

// ------------------------------------------------------------------------------------------------
// The endpoint, stopped two ways and started again on the same port and file.

/** One way of stopping the endpoint: in-process `stop()`, or a child process killed with SIGKILL. */
interface StoppableEndpoint {
  readonly port: number
  /** Stops it; resolves when it is gone. */
  stop(): Promise<void>
  /** Starts it again on the same port with the same token and database file. */
  restart(): Promise<void>
  dispose(): Promise<void>
}

async function inProcessEndpoint(file: string, token: string): Promise<StoppableEndpoint> {
  const start = (port: number) => startLocalEndpoint({ port, token, databases: { main_db: file } })
  let endpoint: LocalEndpoint | undefined = await start(0)
  const port = endpoint.port
  return {
    port,
    async stop() {
      await endpoint?.stop()
      endpoint = undefined
    },
    async restart() {
      endpoint = await start(port)
    },
    async dispose() {
      await endpoint?.stop()
    },
  }
}

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url))

/** The `kysely-motherduck local` command in a child process: SIGKILL is a crash, sockets and all. */
async function childProcessEndpoint(file: string, token: string): Promise<StoppableEndpoint> {
  let child: ChildProcess | undefined
  const start = async (port: number): Promise<number> => {
    const started = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/bin.ts',
        'local',
        '--port',
        String(port),
        '--token',
        token,
        '--database',
        `main_db=${file}`,
      ],
      { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    child = started
    let output = ''
    return await new Promise<number>((resolve, reject) => {
      started.stdout.setEncoding('utf8')
      started.stderr.setEncoding('utf8')
      started.stderr.on('data', (text: string) => (output += text))
      started.stdout.on('data', (text: string) => {
        output += text
        const listening = /listening on [^\s]+:(\d+)/.exec(output)
        if (listening) resolve(Number(listening[1]))
      })
      started.once('exit', (code) =>
        reject(new Error(`the endpoint exited (${code}) before listening:\n${output}`)),
      )
    })
  }
  const kill = async () => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }
  const port = await start(0)
  return {
    port,
    stop: kill,
    async restart() {
      await start(port)
    },
    dispose: kill,
  }
}

describe('faults: the endpoint stops in the middle of a query', () => {
  let directory: string
  const endpoints: StoppableEndpoint[] = []

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kysely-motherduck-faults-'))
  })

  afterAll(async () => {
    await Promise.allSettled(endpoints.map((endpoint) => endpoint.dispose()))
    await rm(directory, { recursive: true, force: true })
  })

  const variants = [
    {
      name: 'stop()',
      rounds: stressScale(2, 10),
      start: inProcessEndpoint,
    },
    {
      name: 'SIGKILL of its process',
      rounds: stressScale(1, 5),
      start: childProcessEndpoint,
    },
  ] as const

  it.each(variants)(
    'endpoint $name: the running query fails within 5 s, the same pool serves again once it is back on the same port',
    async ({ name, rounds, start }) => {
      const file = join(directory, `${name.replace(/\W+/g, '-')}.duckdb`)
      const token = randomBytes(16).toString('hex')
      const endpoint = await start(file, token)
      endpoints.push(endpoint)
      const POOL = 4
      // One Kysely, one pool, for every round: nothing is recreated after a restart.
      const db = new Kysely<AnyDB>({
        dialect: new MotherDuckDialect(
          dialectConfig(endpoint.port, token, { pool: { max: POOL } }),
        ),
      })
      const toError: number[] = []
      const whileDown: number[] = []
      const toFirstQuery: number[] = []
      const errors = new Set<string>()
      let committed = 0
      try {
        await sql`create table if not exists survivors (round integer, n integer)`.execute(db)
        for (let round = 0; round < rounds; round++) {
          // Committed before the stop: must all be there after the restart.
          await sql`insert into survivors select ${round}, i from range(100) t(i)`.execute(db)
          committed += 100
          // Every pooled connection open, then one of them runs a query that will not end by itself
          // and another holds a transaction with rows not committed yet.
          await Promise.all(
            Array.from({ length: POOL }, (_, i) => sql`select ${i} as i`.execute(db)),
          )
          let letTransactionEnd = () => {}
          const gate = new Promise<void>((resolve) => (letTransactionEnd = resolve))
          let inserted = () => {}
          const insertedRows = new Promise<void>((resolve) => (inserted = resolve))
          const transaction = db
            .transaction()
            .execute(async (trx) => {
              await sql`insert into survivors select -1, i from range(50) t(i)`.execute(trx)
              inserted()
              await gate
            })
            .catch((error: unknown) => error)
          await insertedRows
          const running = ENDLESS.execute(db)
          running.catch(() => {})
          await sleep(300)

          const stoppedAt = performance.now()
          const stopping = endpoint.stop()
          const outcome = await settleWithin(running, NO_HANG_MS, stoppedAt)
          expect(outcome.state, `the running query after ${name}`).toBe('rejected')
          toError.push(outcome.ms)
          if (outcome.state === 'rejected') errors.add(messageOf(outcome.error))
          await stopping
          letTransactionEnd()
          expect(await transaction).toBeInstanceOf(Error)

          // While it is down: a query fails (after the connect retries), it does not hang.
          const down = await settleWithin(sql`select 1`.execute(db), NO_HANG_MS)
          expect(down.state, 'a query while the endpoint is down').toBe('rejected')
          whileDown.push(down.ms)

          await endpoint.restart()
          const first = await settleWithin(
            sql<{ n: bigint }>`select count(*) as n from survivors where round >= 0`.execute(db),
            NO_HANG_MS,
          )
          expect(first.state, 'the first query after the restart').toBe('resolved')
          toFirstQuery.push(first.ms)
          if (first.state === 'resolved')
            expect(first.value.rows).toEqual([{ n: BigInt(committed) }])
          // Uncommitted rows of the transaction the stop interrupted are gone; the pool fills again.
          const after = await Promise.all(
            Array.from({ length: POOL }, () =>
              countRows(
                db,
                sql<{ n: bigint }>`select count(*) as n from survivors where round = -1`,
              ),
            ),
          )
          expect(after).toEqual(Array.from({ length: POOL }, () => 0))
        }
      } finally {
        await db.destroy()
        await endpoint.dispose()
      }
      reportFigure(
        `endpoint ${name} mid-query`,
        `${rounds} rounds, pool of ${POOL}: running query failed after ${spread(toError)} (bound ${NO_HANG_MS} ms); ` +
          `a query while down failed after ${spread(whileDown)}; first query after the restart ${spread(toFirstQuery)}; ` +
          `${committed} committed rows kept, 0 uncommitted; error seen: ${[...errors].join(' | ')}`,
      )
    },
  )
})

// ------------------------------------------------------------------------------------------------
// Connections cut, closed and aborted on one endpoint (behind a TCP proxy that plays the network).

describe('faults: connections cut, closed by the server, aborted', () => {
  let endpoint: LocalEndpoint
  let proxy: TcpProxy
  /** Straight to the endpoint, never through the proxy: the observer. */
  let observer: Kysely<AnyDB>

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ databases: { main_db: ':memory:' } })
    proxy = await startTcpProxy(endpoint.host, endpoint.port)
    observer = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect(
        dialectConfig(endpoint.port, endpoint.token, { pool: { max: 1 } }),
      ),
    })
    await sql`create table cut_rows (round integer, kind varchar, n integer)`.execute(observer)
    await sql`create table abort_marks (strategy varchar, total hugeint)`.execute(observer)
  })

  afterAll(async () => {
    await observer?.destroy()
    await proxy?.stop()
    await endpoint?.stop()
  })

  const cutModes = [
    { name: 'proxy drops it while the transaction is idle', by: 'proxy', during: 'idle' },
    {
      name: 'proxy drops it while a statement of the transaction runs',
      by: 'proxy',
      during: 'statement',
    },
    { name: 'client socket destroyed while the transaction is idle', by: 'client', during: 'idle' },
  ] as const

  it('a connection cut in the middle of a transaction commits nothing of it; the pool recovers', async () => {
    const rounds = stressScale(6, 60)
    const connections: MotherDuckConnection[] = []
    const db = new Kysely<AnyDB>({
      dialect: new MotherDuckDialect(
        dialectConfig(proxy.port, endpoint.token, {
          pool: { max: 1 },
          onReserveConnection: async (connection) => {
            connections.push(connection as MotherDuckConnection)
          },
        }),
      ),
    })
    const toClientError: number[] = []
    const toServerGone: number[] = []
    let committed = 0
    try {
      for (let round = 0; round < rounds; round++) {
        const mode = cutModes[round % cutModes.length]!
        await sql`select 1`.execute(db)
        const sessions = await duckdbConnections(observer)
        let cutAt = 0
        const cut = () => {
          cutAt = performance.now()
          if (mode.by === 'client') {
            const client = connections.at(-1)?.client as unknown as {
              connection: { stream: { destroy(): void } }
            }
            client.connection.stream.destroy()
          } else {
            proxy.dropAll()
          }
        }
        const failed = await db
          .transaction()
          .execute(async (trx) => {
            for (let i = 0; i < 5; i++) {
              await sql`insert into cut_rows select ${round}, 'cut', j from range(20) t(j)`.execute(
                trx,
              )
            }
            if (mode.during === 'statement') {
              setTimeout(cut, 200)
              await ENDLESS.execute(trx)
            } else {
              cut()
              await sleep(20)
              await sql`insert into cut_rows values (${round}, 'cut', -1)`.execute(trx)
            }
          })
          .then(
            () => undefined,
            (error: unknown) => error,
          )
        // The idle modes include the pause before the next statement; only this one measures the wait.
        if (mode.during === 'statement') toClientError.push(performance.now() - cutAt)
        expect(failed, mode.name).toBeInstanceOf(Error)
        // The server notices, stops the session and rolls its transaction back: its DuckDB connection
        // closes. Only then is "nothing committed" final.
        await waitUntil(
          'the cut session is gone',
          async () => (await duckdbConnections(observer)) === sessions - 1,
        )
        toServerGone.push(performance.now() - cutAt)
        expect(
          await countRows(
            observer,
            sql<{ n: bigint }>`select count(*) as n from cut_rows where kind = 'cut'`,
          ),
        ).toBe(0)
        // The same pool recovers: a new connection, a transaction that commits.
        await db.transaction().execute(async (trx) => {
          await sql`insert into cut_rows select ${round}, 'kept', j from range(10) t(j)`.execute(
            trx,
          )
        })
        committed += 10
        expect(
          await countRows(
            observer,
            sql<{ n: bigint }>`select count(*) as n from cut_rows where kind = 'kept'`,
          ),
        ).toBe(committed)
      }
      expect(proxy.connections).toBeGreaterThanOrEqual(rounds + 1)
    } finally {
      await db.destroy()
    }
    reportFigure(
      'connection cut mid-transaction',
      `${rounds} rounds (${cutModes.map((mode) => mode.name).join('; ')}): 0 rows of cut transactions committed, ` +
        `${committed}/${committed} rows of the following transactions; ` +
        `cut during a running statement to its error ${spread(toClientError)}; cut to the session closed (rolled back) on the server ${spread(toServerGone)}`,
    )
  })

  const closeModes = [
    { name: 'FATAL 57P01 then close', close: (p: TcpProxy) => p.terminateAll() },
    { name: 'socket closed without a word', close: (p: TcpProxy) => p.dropAll() },
  ] as const

  it.each(closeModes)(
    'idle pooled connections closed by the server ($name): no unhandled error, the next query succeeds',
    async ({ name, close }) => {
      const rounds = stressScale(3, 30)
      const POOL = 4
      const uncaught: unknown[] = []
      const onUncaught = (error: unknown) => uncaught.push(error)
      process.on('uncaughtException', onUncaught)
      process.on('unhandledRejection', onUncaught)
      // The application's own pg pool, given to the dialect: no 'error' listener of ours on it. A pg
      // pool emits 'error' for a client that fails while idle; with no listener, that is an uncaught
      // exception (the process dies). The dialect must add one.
      const pool = new pg.Pool(
        motherDuckPoolConfig(dialectConfig(proxy.port, endpoint.token, { pool: { max: POOL } })),
      )
      // Counts the pool's 'error' events without listening to them (a listener would hide the fault).
      let poolErrors = 0
      const emit = pool.emit.bind(pool)
      pool.emit = ((event: string | symbol, ...args: unknown[]) => {
        if (event === 'error') poolErrors++
        return emit(event, ...args)
      }) as typeof pool.emit
      const db = new Kysely<AnyDB>({ dialect: new MotherDuckDialect({ pool }) })
      const toNoticed: number[] = []
      const firstQuery: number[] = []
      try {
        for (let round = 0; round < rounds; round++) {
          await Promise.all(
            Array.from({ length: POOL }, (_, i) => sql`select ${i} as i`.execute(db)),
          )
          expect(pool.listenerCount('error'), "the dialect's pool 'error' listener").toBe(1)
          expect(pool.idleCount).toBe(POOL)
          const errorsBefore = poolErrors
          const closedAt = performance.now()
          close(proxy)
          // The pool drops each closed client when its socket reports it; wait for that, not a timer.
          await waitUntil('the pool dropped its closed clients', () => pool.totalCount === 0)
          toNoticed.push(performance.now() - closedAt)
          expect(poolErrors - errorsBefore, "pool 'error' events, one per idle client").toBe(POOL)
          const first = await settleWithin(
            sql<{ round: number }>`select ${round} as round`.execute(db),
            NO_HANG_MS,
          )
          expect(first.state, 'the next query').toBe('resolved')
          firstQuery.push(first.ms)
          const all = await Promise.all(
            Array.from({ length: POOL }, (_, i) =>
              sql<{ i: number }>`select ${i} as i`.execute(db),
            ),
          )
          expect(all.map((result) => result.rows)).toEqual(
            Array.from({ length: POOL }, (_, i) => [{ i }]),
          )
        }
        // Unhandled rejections are reported on a later tick: give them one.
        await sleep(50)
        expect(uncaught).toEqual([])
      } finally {
        process.off('uncaughtException', onUncaught)
        process.off('unhandledRejection', onUncaught)
        await db.destroy()
      }
      reportFigure(
        `idle connections closed by the server (${name})`,
        `${rounds} rounds × ${POOL} idle connections: ${poolErrors} pool 'error' events handled by the dialect, ` +
          `0 uncaught; close to pool emptied ${spread(toNoticed)}; next query ${spread(firstQuery)}`,
      )
    },
  )

  it.each(['cancel query', 'kill session'] satisfies InflightQueryAbortStrategy[])(
    'an aborted query (%s) stops on the server and the pool of one connection serves the next query',
    async (strategy) => {
      const rounds = stressScale(3, 20)
      const connections: MotherDuckConnection[] = []
      const db = new Kysely<AnyDB>({
        dialect: new MotherDuckDialect(
          dialectConfig(endpoint.port, endpoint.token, {
            pool: { max: 1 },
            onReserveConnection: async (connection) => {
              connections.push(connection as MotherDuckConnection)
            },
          }),
        ),
      })
      // Kysely prints a query that fails after its abort as a "background" failure: an aborted query
      // must end quietly (observed, not replaced: the spy calls through).
      const consoleErrors = vi.spyOn(console, 'error')
      const toAbortError: number[] = []
      const toIdle: number[] = []
      const busyCores: number[] = []
      const idleCores: number[] = []
      try {
        for (let round = 0; round < rounds; round++) {
          await sql`select 1`.execute(db)
          const before = processIdOf(connections.at(-1))
          const sessions = await duckdbConnections(observer)
          // Writes one row when it ends: a row in abort_marks would mean it ran to completion.
          const query = sql`insert into abort_marks
            select ${strategy}, sum(hash(i)) from range(1000000000000) t(i)`.compile(db)
          const controller = new AbortController()
          const running = db.executeQuery(query, {
            signal: controller.signal,
            inflightQueryAbortStrategy: strategy,
          })
          running.catch(() => {})
          await sleep(200)
          // The endpoint runs in this process: its DuckDB threads' CPU time is this process's.
          const busy = await cpuCores(300)
          const abortedAt = performance.now()
          controller.abort(new Error('user gave up'))
          const aborted = await settleWithin(running, NO_HANG_MS, abortedAt)
          expect(aborted.state).toBe('rejected')
          if (aborted.state === 'rejected') expect(messageOf(aborted.error)).toBe('user gave up')
          toAbortError.push(aborted.ms)

          if (strategy === 'cancel query') {
            // One connection, one session: the session answers the next query only once the canceled
            // statement has returned from DuckDB (a session handles its messages one after another).
            const next = await settleWithin(
              sql<{ round: number }>`select ${round} as round`.execute(db),
              NO_HANG_MS,
              abortedAt,
            )
            expect(next.state, 'the next query').toBe('resolved')
            if (next.state === 'resolved') expect(next.value.rows).toEqual([{ round }])
            toIdle.push(next.ms)
            expect(processIdOf(connections.at(-1)), 'the same session').toBe(before)
            expect(await duckdbConnections(observer)).toBe(sessions)
          } else {
            // The session closes its DuckDB connection only after its statement returned.
            await waitUntil(
              'the killed session closed its DuckDB connection',
              async () => (await duckdbConnections(observer)) === sessions - 1,
              NO_HANG_MS,
            )
            toIdle.push(performance.now() - abortedAt)
            const next = await settleWithin(
              sql<{ round: number }>`select ${round} as round`.execute(db),
              NO_HANG_MS,
            )
            expect(next.state, 'the next query').toBe('resolved')
            expect(processIdOf(connections.at(-1)), 'a new session').not.toBe(before)
          }
          const idle = await cpuCores(300)
          busyCores.push(busy)
          idleCores.push(idle)
          // Generous: the query kept every DuckDB thread busy; an idle endpoint and client use ~0.
          expect(idle, 'CPU cores in use after the abort').toBeLessThan(0.5)
          expect(
            await countRows(
              observer,
              sql<{
                n: bigint
              }>`select count(*) as n from abort_marks where strategy = ${strategy}`,
            ),
          ).toBe(0)
        }
        expect(consoleErrors.mock.calls).toEqual([])
      } finally {
        consoleErrors.mockRestore()
        await db.destroy()
      }
      const cores = (values: number[]) => {
        const sorted = [...values].sort((a, b) => a - b)
        const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN
        return `min ${sorted[0]?.toFixed(2)}, median ${median.toFixed(2)}, max ${sorted.at(-1)?.toFixed(2)}`
      }
      reportFigure(
        `abort (${strategy})`,
        `${rounds} rounds, pool max 1: abort to rejection ${spread(toAbortError)}; ` +
          `abort to server idle (${strategy === 'cancel query' ? 'same session answers the next query' : 'session closed'}) ${spread(toIdle)}; ` +
          `CPU cores in use during the query ${cores(busyCores)}, after the abort ${cores(idleCores)}; 0 rows written`,
      )
    },
  )
})

// ------------------------------------------------------------------------------------------------
// Two (or more) migrators race on one database.

/** Migration names sort in round order: Kysely requires new migrations after the executed ones. */
function migrationName(round: number, index: number): string {
  return `r${String(round).padStart(3, '0')}_m${String(index).padStart(2, '0')}`
}

/**
 * Migrations of rounds 0..`round`, `perRound` each; each one inserts a marker row naming itself and the
 * migrator that ran it, after a pause that widens the race.
 */
function markerMigrations(round: number, perRound: number, migrator: number): MigrationProvider {
  const migrations: Record<string, Migration> = {}
  for (let r = 0; r <= round; r++) {
    for (let i = 0; i < perRound; i++) {
      const name = migrationName(r, i)
      migrations[name] = {
        async up(db) {
          await sleep(10)
          await sql`insert into migration_markers values (${name}, ${migrator})`.execute(db)
        },
      }
    }
  }
  return { getMigrations: async () => migrations }
}

for (const target of targets) {
  describe.skipIf(target.skip)(`faults: migrators race on ${target.title}`, () => {
    let ctx: TargetContext

    beforeAll(async () => {
      ctx = await target.start()
    })

    afterAll(async () => {
      await ctx?.stop()
    })

    it('N migrators race over M migrations, round after round: each is applied exactly once', async () => {
      const rounds = stressScale(3, 20)
      const MIGRATORS = stressScale(4, 8)
      const PER_ROUND = stressScale(4, 10)
      const db = ctx.db as unknown as Kysely<AnyDB>
      await sql`create table migration_markers (name varchar, migrator integer)`.execute(db)
      // Separate dialects: separate pools, so the migrators really run side by side. Migrator 0 is
      // impatient: it gives up waiting for the lock early, and must not release a lock it never held
      // (see the lock timeout test in test/dialect/migrations.test.ts).
      const instances = Array.from(
        { length: MIGRATORS },
        (_, index) =>
          new Kysely<AnyDB>({
            dialect: new MotherDuckDialect({
              ...ctx.config,
              migrationLock:
                index === 0 ? { timeoutMs: 30, pollIntervalMs: 10 } : { pollIntervalMs: 10 },
            }),
          }),
      )
      const winners = new Map<number, number>()
      let timedOut = 0
      const roundTimes: number[] = []
      try {
        for (let round = 0; round < rounds; round++) {
          const started = performance.now()
          const results = await Promise.all(
            instances.map(async (instance, index) => {
              // The impatient one comes a moment later, mostly to find the lock taken.
              if (index === 0) await sleep(20)
              return new Migrator({
                db: instance,
                provider: markerMigrations(round, PER_ROUND, index),
              }).migrateToLatest()
            }),
          )
          roundTimes.push(performance.now() - started)
          const applied: string[] = []
          results.forEach((result, index) => {
            if (index === 0 && result.error instanceof MotherDuckMigrationLockTimeoutError) {
              timedOut++
              return
            }
            expect(result.error, `migrator ${index}`).toBeUndefined()
            for (const migration of result.results ?? []) {
              expect(migration.status).toBe('Success')
              applied.push(migration.migrationName)
            }
            if ((result.results ?? []).length > 0) {
              winners.set(index, (winners.get(index) ?? 0) + 1)
            }
          })
          const expected = Array.from({ length: PER_ROUND }, (_, i) => migrationName(round, i))
          expect(applied.sort()).toEqual(expected)
          const total = (round + 1) * PER_ROUND
          const markers = await sql<{ name: string; n: bigint }>`
            select name, count(*) as n from migration_markers group by name having count(*) <> 1`.execute(
            db,
          )
          expect(markers.rows, 'migrations applied more than once').toEqual([])
          expect(
            await countRows(db, sql<{ n: bigint }>`select count(*) as n from migration_markers`),
          ).toBe(total)
          expect(
            await countRows(db, sql<{ n: bigint }>`select count(*) as n from kysely_migration`),
          ).toBe(total)
          const lock = await sql<{ is_locked: number }>`
            select is_locked from kysely_migration_lock`.execute(db)
          expect(lock.rows).toEqual([{ is_locked: 0 }])
        }
      } finally {
        await Promise.all(instances.map((instance) => instance.destroy()))
      }
      reportFigure(
        `migrators race (${target.title})`,
        `${rounds} rounds × ${MIGRATORS} migrators × ${PER_ROUND} migrations: ${rounds * PER_ROUND} applied exactly once ` +
          `(markers and kysely_migration rows counted); winners by migrator ${JSON.stringify(Object.fromEntries(winners))}; ` +
          `impatient migrator timed out ${timedOut}/${rounds} times without releasing the lock; round ${spread(roundTimes)}`,
      )
    })
  })
}
