/**
 * The AWS regions MotherDuck runs in. Their Postgres endpoints are `pg.<region>-aws.motherduck.com`.
 *
 * ### Examples
 *
 * ```ts
 * MOTHERDUCK_AWS_REGIONS.includes('eu-central-1') // true
 * ```
 */
export const MOTHERDUCK_AWS_REGIONS = [
  'us-east-1',
  'us-west-2',
  'eu-central-1',
  'eu-west-1',
  'ap-northeast-1',
  'ap-southeast-2',
] as const

/**
 * The Azure regions MotherDuck runs in. Their Postgres endpoints are `pg.<region>-azure.motherduck.com`.
 *
 * ### Examples
 *
 * ```ts
 * MOTHERDUCK_AZURE_REGIONS.includes('eastus') // true
 * ```
 */
export const MOTHERDUCK_AZURE_REGIONS = ['eastus', 'uksouth'] as const

/**
 * Every region MotherDuck runs in, AWS then Azure: the values `region` and `MOTHERDUCK_REGION` accept.
 * The Postgres endpoint of a region is on its cloud's host ({@link motherDuckHost}); a token only
 * authenticates in its own region.
 *
 * ### Examples
 *
 * ```ts
 * const region = MOTHERDUCK_REGIONS.find((r) => r === process.env.MY_REGION) ?? DEFAULT_MOTHERDUCK_REGION
 * ```
 */
export const MOTHERDUCK_REGIONS = [...MOTHERDUCK_AWS_REGIONS, ...MOTHERDUCK_AZURE_REGIONS] as const

/** One of {@link MOTHERDUCK_REGIONS}, e.g. `'eu-central-1'` or `'eastus'`. */
export type MotherDuckRegion = (typeof MOTHERDUCK_REGIONS)[number]

/** The cloud a {@link MotherDuckRegion} is in: the suffix of its endpoint's host label. */
export type MotherDuckCloud = 'aws' | 'azure'

/** The region used when neither the config, the URL, the environment nor the token names one: `'us-east-1'`. */
export const DEFAULT_MOTHERDUCK_REGION: MotherDuckRegion = 'us-east-1'

/** Whether `value` is one of {@link MOTHERDUCK_REGIONS}, spelled exactly (lower case, no spaces). */
export function isMotherDuckRegion(value: string): value is MotherDuckRegion {
  return (MOTHERDUCK_REGIONS as readonly string[]).includes(value)
}

/**
 * The cloud a region is in.
 *
 * ### Examples
 *
 * ```ts
 * motherDuckCloud('eu-west-1') // 'aws'
 * motherDuckCloud('uksouth') // 'azure'
 * ```
 */
export function motherDuckCloud(region: MotherDuckRegion): MotherDuckCloud {
  return (MOTHERDUCK_AZURE_REGIONS as readonly string[]).includes(region) ? 'azure' : 'aws'
}

/**
 * The Postgres endpoint host of a region (the port is 5432): `pg.<region>-aws.motherduck.com` for an AWS
 * region, `pg.<region>-azure.motherduck.com` for an Azure one.
 *
 * ### Examples
 *
 * ```ts
 * motherDuckHost('eu-central-1') // 'pg.eu-central-1-aws.motherduck.com'
 * motherDuckHost('eastus') // 'pg.eastus-azure.motherduck.com'
 * ```
 */
export function motherDuckHost(region: MotherDuckRegion): string {
  return `pg.${region}-${motherDuckCloud(region)}.motherduck.com`
}

/**
 * The region whose Postgres endpoint `host` is ({@link motherDuckHost} read backwards, ignoring case), or
 * `undefined` for any other host (the local endpoint, a proxy, a region under the other cloud's suffix).
 *
 * ### Examples
 *
 * ```ts
 * regionOfMotherDuckHost('pg.eu-central-1-aws.motherduck.com') // 'eu-central-1'
 * regionOfMotherDuckHost('pg.uksouth-azure.motherduck.com') // 'uksouth'
 * regionOfMotherDuckHost('127.0.0.1') // undefined
 * ```
 */
export function regionOfMotherDuckHost(host: string): MotherDuckRegion | undefined {
  const name = host.toLowerCase()
  return MOTHERDUCK_REGIONS.find((region) => motherDuckHost(region) === name)
}

/** A region name as a whole word, alone or with its cloud's host suffix (`eastus-azure`). */
const REGION_PATTERN = new RegExp(
  `(?:^|[^a-z0-9-])(${MOTHERDUCK_REGIONS.join('|')})(?:-aws|-azure)?(?![a-z0-9-])`,
  'g',
)

/**
 * Best effort: the region a MotherDuck token was issued for, read from its JWT claims without
 * verifying them (only the server can). MotherDuck does not document its claims; third-party reports
 * say they name the region, so this looks, in order, at claims named like a region (`region`,
 * `md_region`, `aws_region`, `awsRegion`, `azure_region`, `azureRegion`, `mdRegion`, also one level
 * down) and then at any string claim (for example an issuer or audience URL) that contains exactly one
 * region name as a whole word. AWS and Azure regions alike; a name may carry its cloud's host suffix
 * (`eu-west-1-aws`, `eastus-azure`).
 * Returns `undefined` when the token is not a JWT or no single region is found, so the caller falls
 * back to the default region. Never throws and never puts the token in an error.
 *
 * ### Examples
 *
 * ```ts
 * regionFromToken(process.env.MOTHERDUCK_TOKEN ?? '') // e.g. 'eu-central-1' or 'eastus', or undefined
 * regionFromToken('not-a-jwt') // undefined
 * ```
 */
export function regionFromToken(token: string): MotherDuckRegion | undefined {
  const claims = decodeJwtClaims(token)
  if (claims === undefined) return undefined
  const named = findNamedRegionClaim(claims, 0)
  if (named !== undefined) return named
  const found = new Set<MotherDuckRegion>()
  collectRegionMentions(claims, 0, found)
  return found.size === 1 ? [...found][0] : undefined
}

const REGION_CLAIM_NAMES = new Set([
  'region',
  'md_region',
  'aws_region',
  'awsregion',
  'azure_region',
  'azureregion',
  'mdregion',
])

function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[1] === undefined || parts[1].length === 0) return undefined
  try {
    const json = Buffer.from(parts[1], 'base64url').toString('utf8')
    const claims: unknown = JSON.parse(json)
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function findNamedRegionClaim(claims: unknown, depth: number): MotherDuckRegion | undefined {
  if (typeof claims !== 'object' || claims === null || depth > 1) return undefined
  for (const [key, value] of Object.entries(claims)) {
    if (REGION_CLAIM_NAMES.has(key.toLowerCase()) && typeof value === 'string') {
      const region = value
        .trim()
        .toLowerCase()
        .replace(/-(?:aws|azure)$/, '')
      if (isMotherDuckRegion(region)) return region
    }
  }
  for (const value of Object.values(claims)) {
    const nested = findNamedRegionClaim(value, depth + 1)
    if (nested !== undefined) return nested
  }
  return undefined
}

function collectRegionMentions(value: unknown, depth: number, found: Set<MotherDuckRegion>): void {
  if (depth > 2) return
  if (typeof value === 'string') {
    for (const match of value.toLowerCase().matchAll(REGION_PATTERN)) {
      if (match[1] !== undefined && isMotherDuckRegion(match[1])) found.add(match[1])
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) collectRegionMentions(child, depth + 1, found)
  }
}
