import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { quoteString } from '../sql/quote.js'
import { ensurePrivateFolder, type UnsafeFolderError } from './private-folder.js'

/** Bump when the generated data changes shape, so stale caches are rebuilt. */
export const SAMPLE_DATA_VERSION = 2

/** Rows in the synthetic `sample_data.hn.hacker_news`. */
export const HACKER_NEWS_ROWS = 100_000

export interface DemoDataFiles {
  /** DuckDB database file attached as `sample_data`. */
  readonly sampleDataPath: string
  /** Directory served as the `s3://kysely-motherduck-demo` object-store prefix. */
  readonly objectStoreDir: string
  /** Directory served as {@link OPEN_DATASETS_HACKER_NEWS}: the synthetic rows as Parquet. */
  readonly openDatasetsDir: string
  /** The Parquet file inside `objectStoreDir`, as a remote URL. */
  readonly parquetUrl: string
  /** Whether this call generated the data (the first run) rather than finding it. */
  readonly generated: boolean
}

export const DEMO_BUCKET = 's3://kysely-motherduck-demo'

/**
 * Where MotherDuck's public bucket holds Hacker News as Parquet
 * (`hacker_news_2021_2022.parquet`, the rows of `sample_data.hn.hacker_news`). Locally the same URL
 * serves the synthetic rows, so code that reads it runs unchanged on both.
 */
export const OPEN_DATASETS_HACKER_NEWS = 's3://us-prd-motherduck-open-datasets/hacker_news/parquet'

/** The file of {@link OPEN_DATASETS_HACKER_NEWS} that holds the rows. */
export const HACKER_NEWS_PARQUET = `${OPEN_DATASETS_HACKER_NEWS}/hacker_news_2021_2022.parquet`

/**
 * A deterministic pseudo-random value in [0, modulo) for row `i` and stream `salt`, in plain SQL.
 * md5 keeps it identical across DuckDB versions (unlike `hash()` or `random()`).
 */
function pick(salt: number, modulo: number): string {
  return `(md5_number('${salt}:' || i) % ${modulo})`
}

const WORDS = {
  lead: ['Show HN:', 'Ask HN:', 'Launch HN:', '', '', '', '', ''],
  adjective: [
    'A faster',
    'The hidden cost of',
    'Why I stopped using',
    'Building a',
    'Rewriting',
    'Understanding',
    'A tiny',
    'Scaling',
  ],
  noun: [
    'DuckDB extension',
    'Postgres wire protocol',
    'columnar database',
    'type-safe query builder',
    'Parquet reader',
    'static site',
    'CRDT library',
    'compiler in Rust',
  ],
  domain: [
    'github.com',
    'blog.example.com',
    'duckdb.org',
    'motherduck.com',
    'arxiv.org',
    'news.example.org',
  ],
} as const

function sqlList(words: readonly string[]): string {
  return `[${words.map(quoteString).join(', ')}]`
}

/**
 * The SQL that builds MotherDuck's `sample_data.hn.hacker_news` shape (same column names and types)
 * with synthetic rows, and a small Parquet file for the object-store step.
 */
function sampleDataSql(parquetPath: string, hackerNewsParquetPath: string): string {
  const stories = `${pick(1, 100)} < 25`
  return `
CREATE SCHEMA IF NOT EXISTS hn;
CREATE OR REPLACE TABLE hn.hacker_news AS
WITH base AS (SELECT range + 1 AS i FROM range(${HACKER_NEWS_ROWS}))
SELECT
  CASE WHEN ${stories} THEN trim(list_element(${sqlList(WORDS.lead)}, ${pick(2, WORDS.lead.length)}::INTEGER + 1)
    || ' ' || list_element(${sqlList(WORDS.adjective)}, ${pick(3, WORDS.adjective.length)}::INTEGER + 1)
    || ' ' || list_element(${sqlList(WORDS.noun)}, ${pick(4, WORDS.noun.length)}::INTEGER + 1)) END::VARCHAR AS title,
  CASE WHEN ${stories} AND ${pick(5, 10)} > 1 THEN 'https://' || list_element(${sqlList(WORDS.domain)}, ${pick(6, WORDS.domain.length)}::INTEGER + 1) || '/posts/' || i END::VARCHAR AS url,
  CASE WHEN NOT (${stories}) THEN 'Comment ' || i || ': ' || list_element(${sqlList(WORDS.noun)}, ${pick(7, WORDS.noun.length)}::INTEGER + 1) || ' looks interesting.' END::VARCHAR AS text,
  (${pick(8, 200)} = 0) AS dead,
  'user_' || ${pick(9, 5000)} AS "by",
  CASE WHEN ${stories} THEN (${pick(10, 50)} * ${pick(11, 50)} * ${pick(12, 4)} / 3 + ${pick(17, 97)} + 1)::BIGINT END AS score,
  (1609459200 + ${pick(13, 63072000)})::BIGINT AS "time",
  make_timestamp((1609459200 + ${pick(13, 63072000)})::BIGINT * 1000000) AS "timestamp",
  CASE WHEN ${stories} THEN 'story' ELSE 'comment' END::VARCHAR AS "type",
  i::BIGINT AS id,
  CASE WHEN NOT (${stories}) THEN (1 + ${pick(14, HACKER_NEWS_ROWS)})::BIGINT END AS parent,
  CASE WHEN ${stories} THEN ${pick(15, 300)}::BIGINT END AS descendants,
  NULL::BIGINT AS ranking,
  (${pick(16, 500)} = 0) AS deleted
FROM base
ORDER BY i;
COPY (
  SELECT year("timestamp") AS year, "type", count(*)::BIGINT AS items, sum(score)::BIGINT AS total_score
  FROM hn.hacker_news GROUP BY ALL ORDER BY ALL
) TO ${quoteString(parquetPath)} (FORMAT parquet);
COPY hn.hacker_news TO ${quoteString(hackerNewsParquetPath)} (FORMAT parquet);
`
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/**
 * Where the demo keeps its data by default: a folder of the temp directory named after the user's uid,
 * so that users of one machine do not share (or squat) it.
 */
export function defaultDemoCacheDir(): string {
  const uid = process.getuid?.()
  return join(
    tmpdir(),
    uid === undefined ? 'kysely-motherduck-demo' : `kysely-motherduck-demo-${uid}`,
  )
}

/**
 * Creates the demo's data once (deterministically) and returns where it is. Later runs reuse it.
 * Built into a temporary name and renamed, so an interrupted first run never leaves half a database.
 *
 * The demo attaches the database file it finds, so `cacheDir` and its version folder must be the user's
 * own and writable by no one else ({@link ensurePrivateFolder}); otherwise it throws
 * {@link UnsafeFolderError} and uses nothing there. It refuses rather than regenerating elsewhere: a
 * folder another user made under that name is an attack or a mistake the user should see.
 */
export async function ensureDemoData(cacheDir = defaultDemoCacheDir()): Promise<DemoDataFiles> {
  const dir = join(cacheDir, `v${SAMPLE_DATA_VERSION}`)
  await ensurePrivateFolder(cacheDir)
  await ensurePrivateFolder(dir)
  const sampleDataPath = join(dir, 'sample_data.duckdb')
  const objectStoreDir = join(dir, 'bucket')
  const openDatasetsDir = join(dir, 'open-datasets')
  const parquetName = 'hn/items_by_year.parquet'
  const files = {
    sampleDataPath,
    objectStoreDir,
    openDatasetsDir,
    parquetUrl: `${DEMO_BUCKET}/${parquetName}`,
  }
  if (await exists(sampleDataPath)) return { ...files, generated: false }

  await mkdir(join(objectStoreDir, 'hn'), { recursive: true })
  await mkdir(openDatasetsDir, { recursive: true })
  const partial = `${sampleDataPath}.${process.pid}.partial`
  await rm(partial, { force: true })
  // Imported here: with MOTHERDUCK_TOKEN the demo runs without DuckDB installed.
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(partial)
  try {
    const connection = await instance.connect()
    await connection.run(
      sampleDataSql(
        join(objectStoreDir, parquetName),
        join(openDatasetsDir, HACKER_NEWS_PARQUET.slice(OPEN_DATASETS_HACKER_NEWS.length + 1)),
      ),
    )
    connection.closeSync()
  } finally {
    instance.closeSync()
  }
  await rename(partial, sampleDataPath)
  return { ...files, generated: true }
}

/**
 * The local endpoint's `databases` and `objectStore` entries that serve the sample data: `sample_data`
 * (MotherDuck's shape, synthetic rows; shared and read-only, as on MotherDuck), the demo's bucket and
 * MotherDuck's public Hacker News Parquet prefix. `kysely-motherduck local --sample-data` and the demo
 * use them.
 */
export function sampleDataEndpointOptions(files: DemoDataFiles): {
  databases: Record<string, { path: string; readOnly: boolean }>
  objectStore: Record<string, string>
} {
  return {
    databases: { sample_data: { path: files.sampleDataPath, readOnly: true } },
    objectStore: {
      [DEMO_BUCKET]: files.objectStoreDir,
      [OPEN_DATASETS_HACKER_NEWS]: files.openDatasetsDir,
    },
  }
}
