import { inspect } from 'node:util'
import { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import {
  createMotherDuckPool,
  MOTHERDUCK_AWS_REGIONS,
  MOTHERDUCK_AZURE_REGIONS,
  MOTHERDUCK_REGIONS,
  MotherDuckConfigError,
  MotherDuckDialect,
  MotherDuckRegionError,
  MotherDuckTokenMissingError,
  motherDuckHost,
  motherDuckPoolConfig,
  regionFromToken,
  resolveMotherDuckConnection,
} from '../../src/index.js'
import { regionOfMotherDuckHost } from '../../src/motherduck/regions.js'

const TOKEN = 'tok_SECRET_1234567890'

/** A JWT-shaped token with the given claims (unsigned: only the server verifies tokens). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`
}

describe('config resolution order', () => {
  it('uses MOTHERDUCK_TOKEN with the default region and database', () => {
    const resolved = resolveMotherDuckConnection({ env: { MOTHERDUCK_TOKEN: TOKEN } })
    expect(resolved.toJSON()).toEqual({
      host: 'pg.us-east-1-aws.motherduck.com',
      port: 5432,
      user: 'postgres',
      database: 'md:',
      sslMode: 'verify-full',
      region: 'us-east-1',
      applicationName: 'kysely-motherduck',
    })
    expect(resolved.token).toBe(TOKEN)
    expect(resolved.ssl).toEqual({
      rejectUnauthorized: true,
      servername: 'pg.us-east-1-aws.motherduck.com',
    })
  })

  it('reads MOTHERDUCK_REGION and MOTHERDUCK_DATABASE', () => {
    const resolved = resolveMotherDuckConnection({
      env: {
        MOTHERDUCK_TOKEN: TOKEN,
        MOTHERDUCK_REGION: 'eu-central-1',
        MOTHERDUCK_DATABASE: 'analytics',
      },
    })
    expect(resolved.host).toBe('pg.eu-central-1-aws.motherduck.com')
    expect(resolved.database).toBe('analytics')
    expect(resolved.region).toBe('eu-central-1')
  })

  it('prefers MOTHERDUCK_URL over the separate variables', () => {
    const resolved = resolveMotherDuckConnection({
      env: {
        MOTHERDUCK_URL: `postgresql://someone:${TOKEN}@pg.us-west-2-aws.motherduck.com:5432/md:mydb?sslmode=verify-full`,
        MOTHERDUCK_TOKEN: 'other-token',
        MOTHERDUCK_REGION: 'eu-west-1',
        MOTHERDUCK_DATABASE: 'ignored',
      },
    })
    expect(resolved.host).toBe('pg.us-west-2-aws.motherduck.com')
    expect(resolved.region).toBe('us-west-2')
    expect(resolved.user).toBe('someone')
    expect(resolved.database).toBe('md:mydb')
    expect(resolved.token).toBe(TOKEN)
    expect(resolved.sslMode).toBe('verify-full')
  })

  it('prefers explicit options over the URL and the environment', () => {
    const resolved = resolveMotherDuckConnection({
      token: 'explicit-token',
      region: 'ap-southeast-2',
      database: 'explicit_db',
      applicationName: 'my-app',
      env: {
        MOTHERDUCK_URL: `postgresql://postgres:${TOKEN}@pg.us-west-2-aws.motherduck.com/md:`,
        MOTHERDUCK_DATABASE: 'env_db',
      },
    })
    expect(resolved.host).toBe('pg.ap-southeast-2-aws.motherduck.com')
    expect(resolved.database).toBe('explicit_db')
    expect(resolved.token).toBe('explicit-token')
    expect(resolved.applicationName).toBe('my-app')
  })

  it('ignores MOTHERDUCK_URL when an explicit host is given', () => {
    const resolved = resolveMotherDuckConnection({
      host: '127.0.0.1',
      port: 15432,
      token: 'local',
      env: { MOTHERDUCK_URL: `postgresql://postgres:${TOKEN}@pg.us-west-2-aws.motherduck.com/md:` },
    })
    expect(resolved.toJSON()).toMatchObject({
      host: '127.0.0.1',
      port: 15432,
      database: 'md:',
      sslMode: 'disable',
      region: undefined,
    })
  })

  it('an explicit `url` wins over MOTHERDUCK_URL', () => {
    const resolved = resolveMotherDuckConnection({
      url: 'postgres://postgres:abc12345@localhost:6543/db1',
      env: { MOTHERDUCK_URL: `postgresql://postgres:${TOKEN}@pg.us-west-2-aws.motherduck.com/md:` },
    })
    expect(resolved.toJSON()).toMatchObject({ host: 'localhost', port: 6543, database: 'db1' })
    expect(resolved.token).toBe('abc12345')
  })
})

describe('regions', () => {
  it('accepts the six AWS regions, with -aws hosts', () => {
    for (const region of MOTHERDUCK_AWS_REGIONS) {
      expect(resolveMotherDuckConnection({ token: TOKEN, region, env: {} }).host).toBe(
        `pg.${region}-aws.motherduck.com`,
      )
    }
  })

  it('accepts the two Azure regions, with -azure hosts, from `region` and MOTHERDUCK_REGION', () => {
    for (const region of MOTHERDUCK_AZURE_REGIONS) {
      const fromOption = resolveMotherDuckConnection({ token: TOKEN, region, env: {} })
      expect(fromOption.toJSON()).toMatchObject({
        host: `pg.${region}-azure.motherduck.com`,
        region,
        sslMode: 'verify-full',
      })
      expect(fromOption.ssl).toEqual({
        rejectUnauthorized: true,
        servername: `pg.${region}-azure.motherduck.com`,
      })
      const fromEnv = resolveMotherDuckConnection({
        env: { MOTHERDUCK_TOKEN: TOKEN, MOTHERDUCK_REGION: ` ${region.toUpperCase()} ` },
      })
      expect(fromEnv.host).toBe(`pg.${region}-azure.motherduck.com`)
      expect(fromEnv.region).toBe(region)
      expect(() => new MotherDuckDialect({ token: TOKEN, region })).not.toThrow()
    }
    expect(
      motherDuckPoolConfig({ env: { MOTHERDUCK_TOKEN: TOKEN, MOTHERDUCK_REGION: 'uksouth' } }).host,
    ).toBe('pg.uksouth-azure.motherduck.com')
  })

  it("reads a URL host's region back, and none from other hosts", () => {
    for (const region of MOTHERDUCK_REGIONS) {
      expect(regionOfMotherDuckHost(motherDuckHost(region))).toBe(region)
      expect(
        resolveMotherDuckConnection({
          url: `postgresql://postgres:${TOKEN}@${motherDuckHost(region).toUpperCase()}/md:`,
          env: {},
        }).region,
      ).toBe(region)
    }
    for (const host of [
      '127.0.0.1',
      'pg.us-east-2-aws.motherduck.com',
      'pg.us-east-1-aws.motherduck.com.evil',
      'pg.eastus-aws.motherduck.com',
      'pg.us-east-1-azure.motherduck.com',
      'pg.westeurope-azure.motherduck.com',
    ]) {
      expect(regionOfMotherDuckHost(host)).toBeUndefined()
      expect(
        resolveMotherDuckConnection({ url: `postgresql://postgres:${TOKEN}@${host}/md:`, env: {} })
          .region,
      ).toBeUndefined()
    }
  })

  it('rejects an unknown region with the list of regions', () => {
    const attempt = () =>
      resolveMotherDuckConnection({
        env: { MOTHERDUCK_TOKEN: TOKEN, MOTHERDUCK_REGION: 'us-east-2' },
      })
    expect(attempt).toThrow(MotherDuckRegionError)
    expect(attempt).toThrow(
      'Unknown MotherDuck region "us-east-2" (from MOTHERDUCK_REGION). Use one of the AWS regions us-east-1, us-west-2, eu-central-1, eu-west-1, ap-northeast-1, ap-southeast-2 or the Azure regions eastus, uksouth.',
    )
  })

  it('rejects an Azure region spelled with its cloud, and lists both clouds', () => {
    const attempt = () => new MotherDuckDialect({ region: 'eastus-azure' as 'eastus' })
    expect(attempt).toThrow(MotherDuckRegionError)
    expect(attempt).toThrow(
      /\(from `region`\)\. Use one of the AWS regions us-east-1, .* or the Azure regions eastus, uksouth\./,
    )
    try {
      attempt()
    } catch (error) {
      expect((error as MotherDuckRegionError).regions).toEqual(MOTHERDUCK_REGIONS)
    }
  })

  it('rejects an unknown explicit region when the dialect is constructed', () => {
    expect(() => new MotherDuckDialect({ region: 'mars-1' as 'us-east-1' })).toThrow(
      MotherDuckRegionError,
    )
  })

  it('derives the region from a region claim of the token (best effort)', () => {
    expect(regionFromToken(jwt({ region: 'eu-west-1', sub: 'x' }))).toBe('eu-west-1')
    expect(regionFromToken(jwt({ md: { awsRegion: 'ap-northeast-1' } }))).toBe('ap-northeast-1')
    expect(regionFromToken(jwt({ iss: 'https://auth.eu-central-1.example.com/' }))).toBe(
      'eu-central-1',
    )
    const resolved = resolveMotherDuckConnection({
      env: { MOTHERDUCK_TOKEN: jwt({ region: 'us-west-2' }) },
    })
    expect(resolved.host).toBe('pg.us-west-2-aws.motherduck.com')
  })

  it('derives an Azure region from the token, with its -azure host', () => {
    expect(regionFromToken(jwt({ region: 'eastus' }))).toBe('eastus')
    expect(regionFromToken(jwt({ md: { azureRegion: 'UKSOUTH' } }))).toBe('uksouth')
    expect(regionFromToken(jwt({ region: 'uksouth-azure' }))).toBe('uksouth')
    expect(regionFromToken(jwt({ aud: 'postgres://pg.eastus-azure.motherduck.com' }))).toBe(
      'eastus',
    )
    expect(regionFromToken(jwt({ aud: 'postgres://pg.eu-west-1-aws.motherduck.com' }))).toBe(
      'eu-west-1',
    )
    expect(regionFromToken(jwt({ aud: 'eastus2 westus' }))).toBeUndefined()
    expect(regionFromToken(jwt({ aud: 'eastus or eu-west-1' }))).toBeUndefined()
    const resolved = resolveMotherDuckConnection({
      env: { MOTHERDUCK_TOKEN: jwt({ region: 'uksouth' }) },
    })
    expect(resolved.host).toBe('pg.uksouth-azure.motherduck.com')
    expect(resolved.region).toBe('uksouth')
  })

  it('falls back to the default when the token names no single region', () => {
    expect(regionFromToken('not-a-jwt')).toBeUndefined()
    expect(regionFromToken('a.%%%.c')).toBeUndefined()
    expect(regionFromToken(jwt({ sub: 'user', aud: 'us-east-1 or eu-west-1' }))).toBeUndefined()
    expect(regionFromToken(jwt({ region: 'nowhere' }))).toBeUndefined()
    const resolved = resolveMotherDuckConnection({ env: { MOTHERDUCK_TOKEN: jwt({ sub: 'u' }) } })
    expect(resolved.region).toBe('us-east-1')
  })

  it('an explicit MOTHERDUCK_REGION wins over the token', () => {
    const resolved = resolveMotherDuckConnection({
      env: { MOTHERDUCK_TOKEN: jwt({ region: 'us-west-2' }), MOTHERDUCK_REGION: 'eu-west-1' },
    })
    expect(resolved.region).toBe('eu-west-1')
  })
})

describe('missing token', () => {
  it('says how to set one', () => {
    const attempt = () => resolveMotherDuckConnection({ env: {} })
    expect(attempt).toThrow(MotherDuckTokenMissingError)
    expect(attempt).toThrow(/Set the MOTHERDUCK_TOKEN environment variable, pass `token`/)
    expect(attempt).toThrow(/https:\/\/motherduck\.com\/docs\//)
  })

  it('is raised on first use, not when the dialect is constructed', async () => {
    const db = new Kysely<Record<string, never>>({ dialect: new MotherDuckDialect({ env: {} }) })
    await expect(db.selectNoFrom((eb) => eb.val(1).as('x')).execute()).rejects.toThrow(
      MotherDuckTokenMissingError,
    )
    await db.destroy()
  })
})

// The TLS resolution matrix (remote hosts verified unless `require`, loopback plain text) is in
// test/reliability/tls.test.ts; these are the sslrootcert details of URL parsing.
describe('sslrootcert', () => {
  it('reads sslrootcert=system as the system CAs, not as a file named "system"', () => {
    const resolved = resolveMotherDuckConnection({
      env: {
        MOTHERDUCK_URL: `postgresql://postgres:${TOKEN}@pg.us-east-1-aws.motherduck.com:5432/md:?sslmode=verify-full&sslrootcert=system`,
      },
    })
    const ssl = resolved.ssl as { ca?: string[]; rejectUnauthorized?: boolean; servername?: string }
    expect(ssl.rejectUnauthorized).toBe(true)
    expect(ssl.servername).toBe('pg.us-east-1-aws.motherduck.com')
    expect(Array.isArray(ssl.ca) && ssl.ca.length > 0).toBe(true)
    // The pool config built from it carries no file path either.
    const poolConfig = motherDuckPoolConfig({
      env: {
        MOTHERDUCK_URL: `postgresql://postgres:${TOKEN}@pg.us-east-1-aws.motherduck.com:5432/md:?sslrootcert=system`,
      },
    })
    expect(JSON.stringify(poolConfig)).not.toContain('system')
    expect('connectionString' in poolConfig).toBe(false)
  })

  it('maps sslmode=require and a readable sslrootcert path', () => {
    const require = resolveMotherDuckConnection({
      env: { MOTHERDUCK_URL: `postgresql://postgres:${TOKEN}@db.example.com/md:?sslmode=require` },
    })
    expect(require.sslMode).toBe('require')
    const withCa = resolveMotherDuckConnection({
      env: {
        MOTHERDUCK_URL: `postgresql://postgres:${TOKEN}@db.example.com/md:?sslmode=verify-full&sslrootcert=${encodeURIComponent(new URL(import.meta.url).pathname)}`,
      },
    })
    expect(withCa.sslMode).toBe('custom')
    expect((withCa.ssl as { ca?: Buffer }).ca).toBeInstanceOf(Buffer)
  })

  it('names an unreadable sslrootcert without showing the URL', () => {
    const attempt = () =>
      resolveMotherDuckConnection({
        env: {
          MOTHERDUCK_URL: `postgresql://postgres:${TOKEN}@db.example.com/md:?sslrootcert=/no/such/ca.pem`,
        },
      })
    expect(attempt).toThrow(/sslrootcert=\/no\/such\/ca\.pem, which cannot be read \(ENOENT\)/)
    expect(attempt).not.toThrow(new RegExp(TOKEN))
  })
})

describe('invalid configuration', () => {
  it('rejects a URL that does not parse without echoing it', () => {
    const attempt = () => resolveMotherDuckConnection({ env: { MOTHERDUCK_URL: `::${TOKEN}::` } })
    expect(attempt).toThrow(MotherDuckConfigError)
    try {
      attempt()
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(TOKEN)
      expect(String((error as Error).stack)).not.toContain(TOKEN)
    }
  })

  it('rejects a non-postgres URL, a bad port and a bad ssl value', () => {
    expect(() => resolveMotherDuckConnection({ url: 'mysql://a:b@c/d', env: {} })).toThrow(
      /must start with postgresql:\/\//,
    )
    expect(() => new MotherDuckDialect({ port: 70000 })).toThrow(/`port` must be an integer/)
    expect(() => new MotherDuckDialect({ ssl: 'verify-ca' as 'require' })).toThrow(
      /`ssl` must be 'verify-full', 'require', false/,
    )
    expect(() =>
      resolveMotherDuckConnection({ url: `postgresql://p:${TOKEN}@h/d?sslmode=bogus`, env: {} }),
    ).toThrow(/sslmode=bogus/)
  })
})

describe('the token never shows', () => {
  const config = { token: TOKEN, env: {} }

  it('not in the resolved connection', () => {
    const resolved = resolveMotherDuckConnection(config)
    expect(inspect(resolved, { showHidden: true, depth: 10 })).not.toContain(TOKEN)
    expect(JSON.stringify(resolved)).not.toContain(TOKEN)
  })

  it('not in the pool config, even spread', () => {
    const poolConfig = motherDuckPoolConfig(config)
    expect(inspect(poolConfig, { showHidden: true, depth: 10 })).not.toContain(TOKEN)
    expect(JSON.stringify(poolConfig)).not.toContain(TOKEN)
    const spread = { ...poolConfig }
    expect(typeof spread.password).toBe('function')
    expect((spread.password as () => string)()).toBe(TOKEN)
  })

  it('not in the dialect, a pool or a Kysely instance', async () => {
    const dialect = new MotherDuckDialect(config)
    expect(inspect(dialect, { showHidden: true, depth: 10 })).not.toContain(TOKEN)
    expect(JSON.stringify(dialect)).not.toContain(TOKEN)
    const pool = createMotherDuckPool(config)
    expect(inspect(pool, { depth: 10 })).not.toContain(TOKEN)
    await pool.end()
    const db = new Kysely<Record<string, never>>({ dialect })
    expect(inspect(db, { depth: 6 })).not.toContain(TOKEN)
    await db.destroy()
  })
})
