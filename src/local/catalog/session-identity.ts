import { createHash } from 'node:crypto'

/**
 * What `md_user_info()` answers on the local endpoint: MotherDuck's columns (user_id, username, org_id,
 * org_name, org_type, region). MotherDuck's docs name the columns and use `region` to find the endpoint's
 * host; the formats of the other values are not documented, so the defaults are stand-ins.
 */
export interface MotherDuckUserInfo {
  /** Default: a UUID derived from `username`, the same for the same name on every run. */
  readonly userId?: string
  /** Default: the user name of the connection's startup packet (`postgres` in MotherDuck's examples). */
  readonly username?: string
  /** Default: a UUID derived from `orgName`. */
  readonly orgId?: string
  /** Default: `'local'`. */
  readonly orgName?: string
  /** Default: `'local'`. */
  readonly orgType?: string
  /** Default: `'us-east-1'` (the dialect's default region, so `pg.<region>-aws.motherduck.com` is a real host). */
  readonly region?: string
}

/** `md_user_info()`'s columns, as MotherDuck names them, and the option each one comes from. */
export const USER_INFO_COLUMNS = {
  user_id: 'userId',
  username: 'username',
  org_id: 'orgId',
  org_name: 'orgName',
  org_type: 'orgType',
  region: 'region',
} as const satisfies Record<string, keyof MotherDuckUserInfo>

/** `md_user_info()` with every value set, for one session. */
export type ResolvedUserInfo = Required<MotherDuckUserInfo>

/**
 * Who a session is, as its catalog functions answer: `current_user`/`session_user` (the startup
 * packet's user), `pg_backend_pid()` (its BackendKeyData process id), `version()` and `md_user_info()`.
 */
export interface SessionIdentity {
  /** The startup packet's `user`. */
  readonly user: string
  readonly processId: number
  /** DuckDB's library version, `v1.5.6`. */
  readonly duckdbVersion: string
  readonly userInfo: ResolvedUserInfo
}

/** The Postgres version the endpoint announces (ParameterStatus `server_version`, `version()`). */
export const POSTGRES_VERSION = '15.0'

/**
 * `version()`: Postgres' banner shape, which SQLAlchemy parses (`PostgreSQL (\d+)\.?(\d+)?`), naming
 * DuckDB and the endpoint. What MotherDuck's endpoint answers is not documented; SQLAlchemy's documented
 * start-up (`select pg_catalog.version()`) needs this shape.
 */
export function versionBanner(duckdbVersion: string): string {
  return `PostgreSQL ${POSTGRES_VERSION} (DuckDB ${duckdbVersion} via kysely-motherduck local endpoint) on ${process.arch}-${process.platform}`
}

/** `md_user_info()`'s values for a session of `user`: the endpoint's options, then the defaults. */
export function resolveUserInfo(options: MotherDuckUserInfo, user: string): ResolvedUserInfo {
  const username = options.username ?? user
  const orgName = options.orgName ?? 'local'
  return {
    userId: options.userId ?? nameUuid(`user:${username}`),
    username,
    orgId: options.orgId ?? nameUuid(`org:${orgName}`),
    orgName,
    orgType: options.orgType ?? 'local',
    region: options.region ?? 'us-east-1',
  }
}

/** A UUID (version 5 layout) from a SHA-1 of `name`: stable across runs, distinct per name. */
function nameUuid(name: string): string {
  const bytes = createHash('sha1').update(`kysely-motherduck:${name}`).digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
