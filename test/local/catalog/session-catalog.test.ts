import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type PostgresServer,
  postgresBinDir,
  startPostgres,
} from '../../support/postgres-server.js'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'
import { rejection } from '../helpers/pg-clients.js'

let local: TestEndpoint
const clients: pg.Client[] = []

beforeAll(async () => {
  local = await startTestEndpoint({
    databases: { my_db: ':memory:', other_db: ':memory:' },
    userInfo: { orgName: 'ducks', region: 'eu-central-1' },
  })
})

afterAll(async () => {
  await Promise.allSettled(clients.splice(0).map((client) => client.end()))
  await local.stop()
})

async function connect(config: pg.ClientConfig = {}): Promise<pg.Client> {
  const { host, port, token } = local.endpoint
  const client = new pg.Client({
    host,
    port,
    password: token,
    database: 'md:',
    user: 'postgres',
    ...config,
  })
  client.on('error', () => undefined)
  await client.connect()
  clients.push(client)
  return client
}

async function value(client: pg.Client, sql: string, values?: unknown[]): Promise<unknown> {
  const { rows } = await client.query({ text: sql, values, rowMode: 'array' })
  return (rows[0] as unknown[])[0]
}

describe('start-up queries', () => {
  it('version() and pg_catalog.version() give a Postgres banner naming DuckDB and the endpoint', async () => {
    const client = await connect()
    const banner = String(await value(client, 'select pg_catalog.version()'))
    expect(banner).toMatch(
      /^PostgreSQL 15\.0 \(DuckDB v\d+\.\d+\.\d+ via kysely-motherduck local endpoint\)/,
    )
    // SQLAlchemy's parse of it (PGDialect._get_server_version_info).
    expect(
      banner.match(/PostgreSQL (\d+)\.?(\d+)?(?:\.(\d+))?(?:\.\d+)?(?:devel|beta)?/)?.slice(1, 3),
    ).toEqual(['15', '0'])
    expect(await value(client, 'select version()')).toBe(banner)
    // The extended protocol reads it the same.
    expect(await value(client, 'select pg_catalog.version() where $1::int = 1', [1])).toBe(banner)
  })

  it('current_user, session_user, user and current_role are the startup user', async () => {
    const alice = await connect({ user: 'alice' })
    expect(
      (
        await alice.query(
          'select current_user, session_user, user, current_role, current_user() as f',
        )
      ).rows,
    ).toEqual([
      {
        current_user: 'alice',
        session_user: 'alice',
        user: 'alice',
        current_role: 'alice',
        f: 'alice',
      },
    ])
    const bob = await connect({ user: "Bob O'Duck" })
    expect(await value(bob, 'select current_user')).toBe("Bob O'Duck")
    expect(await value(alice, 'select session_user')).toBe('alice')
  })

  it('pg_backend_pid() is the process id of BackendKeyData', async () => {
    const client = await connect()
    const pid = (client as unknown as { processID: number }).processID
    expect(await value(client, 'select pg_backend_pid()')).toBe(pid)
  })
})

describe('md_user_info() and md_user()', () => {
  it('answers from the endpoint options, the username from the startup user by default', async () => {
    const client = await connect({ user: 'carol' })
    const { rows, fields } = await client.query('SELECT * FROM md_user_info()')
    expect(fields.map((field) => field.name)).toEqual([
      'user_id',
      'username',
      'org_id',
      'org_name',
      'org_type',
      'region',
    ])
    expect(rows).toHaveLength(1)
    const row = rows[0] as Record<string, string>
    expect(row).toMatchObject({
      username: 'carol',
      org_name: 'ducks',
      org_type: 'local',
      region: 'eu-central-1',
    })
    expect(row.user_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(await value(client, 'SELECT region FROM md_user_info()')).toBe('eu-central-1')
    expect(await value(client, 'SELECT md_user()')).toBe('carol')
    // The same user gets the same id in another session; another user another one.
    const again = await connect({ user: 'carol' })
    expect(await value(again, 'SELECT user_id FROM md_user_info()')).toBe(row.user_id)
    const dave = await connect({ user: 'dave' })
    expect(await value(dave, 'SELECT user_id FROM md_user_info()')).not.toBe(row.user_id)
  })
})

describe('catalog functions and casts', () => {
  it('regclass resolves visible relations, prints names and fails for unknown ones', async () => {
    const client = await connect()
    await client.query('CREATE TABLE reg_t (id INTEGER PRIMARY KEY, name VARCHAR)')
    await client.query('CREATE TABLE other_db.main.reg_t (x INTEGER)')
    const oid = await value(client, "select 'reg_t'::regclass")
    const duckdbOid = await value(
      client,
      "select table_oid from duckdb_tables() where database_name = 'my_db' and table_name = 'reg_t'",
    )
    expect(String(oid)).toBe(String(duckdbOid))
    expect(await value(client, `select ${oid}::regclass::text`)).toBe('reg_t')
    expect(await value(client, "select 'main.reg_t'::regclass::text")).toBe('reg_t')
    expect(
      await value(client, "select 'pg_class'::regclass = 'pg_catalog.pg_class'::regclass"),
    ).toBe(true)
    expect(await value(client, 'select $1::regclass::text', ['"reg_t"'])).toBe('reg_t')
    const missing = await rejection(client.query("select 'no_such_table'::regclass"))
    expect(missing.message).toContain('relation "no_such_table" does not exist')
  })

  it('pg_table_is_visible: the current database and schema, not another database', async () => {
    const client = await connect()
    await client.query('CREATE TABLE IF NOT EXISTS vis_t (a INTEGER)')
    await client.query('CREATE TABLE other_db.main.vis_other (a INTEGER)')
    const { rows } = await client.query(
      `select c.relname, pg_catalog.pg_table_is_visible(c.oid) as visible from pg_catalog.pg_class c
       where c.relname in ('vis_t', 'vis_other') order by 1`,
    )
    expect(rows).toEqual([
      { relname: 'vis_other', visible: false },
      { relname: 'vis_t', visible: true },
    ])
  })

  it('regtype and format_type name types as Postgres does', async () => {
    const client = await connect()
    expect(
      (
        await client.query(
          "select 'int4'::regtype::text as a, 'integer'::regtype = 23 as b, 1184::regtype::text as c, format_type(1700, 655366) as d, pg_catalog.format_type(1007, -1) as e, format_type(null, null) as f",
        )
      ).rows,
    ).toEqual([
      {
        a: 'integer',
        b: true,
        c: 'timestamp with time zone',
        d: 'numeric(10,2)',
        e: 'integer[]',
        f: null,
      },
    ])
  })

  it('pg_get_serial_sequence is NULL: DuckDB columns own no sequence', async () => {
    const client = await connect()
    await client.query(
      "CREATE SEQUENCE serial_s; CREATE TABLE serial_t (id INTEGER DEFAULT nextval('serial_s'))",
    )
    expect(await value(client, "select pg_get_serial_sequence('serial_t', 'id')")).toBeNull()
  })

  it("pg_attribute's type OIDs are the ones RowDescription announces for the same columns", async () => {
    const client = await connect()
    await client.query(`CREATE TABLE wire_t (
      b BOOLEAN, s SMALLINT, i INTEGER, l BIGINT, h HUGEINT, d DECIMAL(12,3), f FLOAT, g DOUBLE, v VARCHAR, j JSON,
      y BLOB, dt DATE, t TIME, tz TIMETZ, ts TIMESTAMP, tstz TIMESTAMPTZ, iv INTERVAL, u UUID, bits BIT,
      li INTEGER[], lv VARCHAR[], ll INTEGER[][], st STRUCT(a INTEGER), m MAP(VARCHAR, INTEGER), e ENUM('x', 'y'))`)
    const { fields } = await client.query('SELECT * FROM wire_t')
    const { rows } = await client.query(
      "select attname, atttypid, attlen from pg_catalog.pg_attribute where attrelid = 'wire_t'::regclass and attnum > 0 order by attnum",
    )
    expect(rows.map((row) => [row.attname, Number(row.atttypid)])).toEqual(
      fields.map((field) => [field.name, field.dataTypeID]),
    )
    expect(rows.map((row) => Number(row.attlen))).toEqual(fields.map((field) => field.dataTypeSize))
    // Every type pg_attribute names is in pg_type (pgjdbc's getColumns joins them).
    const joined = await client.query(
      "select count(*)::int as n from pg_catalog.pg_attribute a join pg_catalog.pg_type t on a.atttypid = t.oid where a.attrelid = 'wire_t'::regclass",
    )
    expect(joined.rows[0].n).toBe(fields.length)
  })

  it('primary keys and unique constraints appear in pg_index, pg_constraint and pg_class', async () => {
    const client = await connect()
    await client.query(
      'CREATE TABLE pk_t (a INTEGER, b INTEGER, c VARCHAR UNIQUE, PRIMARY KEY (b, a))',
    )
    const { rows } = await client.query(`
      select ci.relname, ci.relkind, i.indisprimary, i.indisunique, array_to_string(i.indkey, ',') as indkey, r.conname, r.contype
      from pg_index i join pg_class ci on ci.oid = i.indexrelid
      join pg_constraint r on r.conindid = i.indexrelid
      where i.indrelid = 'pk_t'::regclass order by 1`)
    expect(rows).toEqual([
      {
        relname: 'pk_t_b_a_pkey',
        relkind: 'i',
        indisprimary: true,
        indisunique: true,
        indkey: '2,1',
        conname: 'pk_t_b_a_pkey',
        contype: 'p',
      },
      {
        relname: 'pk_t_c_key',
        relkind: 'i',
        indisprimary: false,
        indisunique: true,
        indkey: '3',
        conname: 'pk_t_c_key',
        contype: 'u',
      },
    ])
  })
})

describe('oid typing and pool resets', () => {
  it('catalog oid columns and ::oid casts are oid on the wire; UINTEGER elsewhere stays int8', async () => {
    const client = await connect()
    const typed = await client.query(
      "select t.oid, t.typelem, $1::oid[] as asked from pg_catalog.pg_type t where t.typname = '_int4'",
      [[23, 4294967295]],
    )
    expect(typed.fields.map((field) => field.dataTypeID)).toEqual([26, 26, 1028])
    expect(typed.rows).toEqual([{ oid: 1007, typelem: 23, asked: [23, 4294967295] }])
    const plain = await client.query('select 7::UINTEGER as u')
    expect(plain.fields[0]?.dataTypeID).toBe(20)
    expect(plain.rows).toEqual([{ u: '7' }])
  })

  it('asyncpg-style reset: pg_advisory_unlock_all() and UNLISTEN do nothing, LISTEN/NOTIFY are 0A000', async () => {
    const client = await connect()
    await client.query('SELECT pg_advisory_unlock_all();\nCLOSE ALL;\nUNLISTEN *;\nRESET ALL;')
    expect(await value(client, 'select pg_catalog.pg_advisory_unlock_all()')).toBeNull()
    for (const sql of ['LISTEN chan', 'NOTIFY chan']) {
      const error = await rejection(client.query(sql))
      expect(error.code).toBe('0A000')
      expect(error.message).toMatch(/no notifications/)
    }
  })
})

describe('isolation of the per-session objects', () => {
  it("a session's own macros never change another session's answers", async () => {
    const mallory = await connect({ user: 'mallory' })
    const victim = await connect({ user: 'victim' })
    // In strict mode, CREATE MACRO lands in the shared database, behind each session's own objects.
    await mallory.query("CREATE OR REPLACE MACRO version() AS 'hacked'")
    await mallory.query("CREATE OR REPLACE MACRO current_user() AS 'root'")
    await mallory.query("CREATE OR REPLACE VIEW pg_attribute AS SELECT 'hacked' AS attname")
    expect(await value(victim, 'select current_user')).toBe('victim')
    expect(String(await value(victim, 'select version()'))).toMatch(/^PostgreSQL 15\.0 /)
    expect(String(await value(mallory, 'select version()'))).toMatch(/^PostgreSQL 15\.0 /)
    expect(
      await value(victim, "select count(*)::int from pg_attribute where attname = 'hacked'"),
    ).toBe(0)
    // Temporary objects are refused in strict mode.
    const temp = await rejection(mallory.query("CREATE TEMP MACRO session_user() AS 'root'"))
    expect(temp.code).toBe('0A000')
    // Dropping one only removes the dropping session's own.
    await mallory.query('DROP MACRO current_user')
    expect(await value(victim, 'select current_user')).toBe('victim')
    await mallory.query(
      'DROP MACRO IF EXISTS my_db.main.version; DROP MACRO IF EXISTS my_db.main.current_user; DROP VIEW IF EXISTS my_db.main.pg_attribute',
    )
  })

  it('objects first defined inside a transaction that rolls back are defined again', async () => {
    const client = await connect({ user: 'erin' })
    await client.query('BEGIN')
    expect(await value(client, 'select current_user')).toBe('erin')
    await client.query('ROLLBACK')
    expect(await value(client, 'select current_user')).toBe('erin')
    expect(String(await value(client, 'select version()'))).toMatch(/^PostgreSQL 15\.0 /)
    // And after one that failed.
    await client.query('BEGIN')
    expect(await value(client, 'select session_user')).toBe('erin')
    await rejection(client.query('select * from no_such_table'))
    await client.query('ROLLBACK')
    expect(await value(client, "select 'pg_class'::regclass > 0")).toBe(true)
  })

  it('strict mode stays locked after the session catalog is defined', async () => {
    const client = await connect()
    // current_setting answers text, as Postgres' does (DuckDB's own settings too).
    expect(await value(client, "select current_setting('lock_configuration')")).toBe('true')
    const read = await rejection(client.query("select * from read_text('/etc/' || 'hostname')"))
    expect(read.code).toBe('42501')
  })
})

describe.skipIf(postgresBinDir() === undefined)('format_type against PostgreSQL (oracle)', () => {
  let postgres: PostgresServer
  beforeAll(async () => {
    postgres = await startPostgres()
  }, 60_000)
  afterAll(async () => {
    await postgres?.stop()
  })

  it('names the columns of the same table as PostgreSQL does', async () => {
    const table = `CREATE TABLE oracle_t (a integer, b bigint, c smallint, d double precision, e real, f numeric(10,2),
      g text, h boolean, i date, j timestamp, k timestamptz, l time, m interval, n bytea, o uuid, p json, q integer[], r text[])`
    const reflect = `select a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) as type, a.attnotnull
      from pg_catalog.pg_attribute a where a.attrelid = 'oracle_t'::regclass and a.attnum > 0 order by a.attnum`
    const oracle = new pg.Client({ connectionString: postgres.url })
    await oracle.connect()
    try {
      await oracle.query(table)
      const expected = (await oracle.query(reflect)).rows
      const client = await connect()
      await client.query(table)
      expect((await client.query(reflect)).rows).toEqual(expected)
    } finally {
      await oracle.end()
    }
  })
})
