import { MotherDuckError } from '../errors/motherduck-error.js'
import { refersToThisMachine } from '../net/loopback-host.js'

/**
 * One path, URL or glob, or a non-empty list of them: what every reader takes first. A list is written
 * as a DuckDB list literal: `['s3://b/a.parquet', 's3://b/b.parquet']`.
 */
export type ReaderPaths = string | readonly string[]

/**
 * URL schemes MotherDuck reads on its own servers (`MD_RUN = AUTO` runs these remotely too), and so the
 * schemes the readers accept. Anything else names a file on the client machine, which the server cannot
 * see: the readers refuse it with a {@link LocalPathError}.
 */
export const REMOTE_SCHEMES = [
  's3',
  's3a',
  's3n',
  'gcs',
  'gs',
  'r2',
  'azure',
  'az',
  'abfss',
  'hf',
  'http',
  'https',
] as const

/** One of {@link REMOTE_SCHEMES}. */
type RemoteScheme = (typeof REMOTE_SCHEMES)[number]

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i

/** The remote scheme `path` starts with, lower-case, or undefined (a local path or another scheme). */
function remoteScheme(path: string): RemoteScheme | undefined {
  const scheme = SCHEME.exec(path)?.[1]?.toLowerCase()
  return REMOTE_SCHEMES.find((remote) => remote === scheme)
}

/**
 * Whether `path` starts with one of {@link REMOTE_SCHEMES} (`s3://…`), whatever host follows: the one
 * test of "remote" that the readers, the dialect's load check and the local endpoint's rules share.
 */
export function hasRemoteScheme(path: string): boolean {
  return remoteScheme(path) !== undefined
}

/**
 * Thrown by a reader, before anything is sent, for a path the MotherDuck server cannot read: a
 * client-local file (`./data.parquet`, `/tmp/x.csv`, `file://…`) or a URL on the client's own machine
 * (`http://localhost/…`). Upload the file to object storage and read it from there (any of
 * {@link REMOTE_SCHEMES}), or load rows that are already in memory with `insertRows`.
 *
 * ### Examples
 *
 * ```ts
 * readParquet('./local.parquet')
 * // LocalPathError: read_parquet runs on the MotherDuck server, which cannot read "./local.parquet" from this machine. …
 * ```
 */
export class LocalPathError extends MotherDuckError {
  override readonly name = 'LocalPathError'
  constructor(
    /** The reader that was given the path, e.g. `read_parquet`. */
    readonly reader: string,
    /** The path as given. */
    readonly path: string,
  ) {
    super(
      `${reader} runs on the MotherDuck server, which cannot read ${JSON.stringify(path)} from this machine. ` +
        `Upload the file to object storage and read it from there (${REMOTE_SCHEMES.map((s) => `${s}://`).join(', ')}), ` +
        'or load rows that are already in memory with insertRows(db, table, rows).',
    )
  }
}

/** Thrown by a reader, before anything is sent, when given an empty list of paths: pass at least one. */
export class EmptyPathListError extends MotherDuckError {
  override readonly name = 'EmptyPathListError'
  constructor(readonly reader: string) {
    super(`${reader} needs at least one path: pass a URL, a glob, or a non-empty list of them.`)
  }
}

/** Throws `LocalPathError` unless the MotherDuck server can read `path` itself. */
function assertRemotePath(path: string, reader: string): void {
  const scheme = remoteScheme(path)
  if (scheme === undefined) throw new LocalPathError(reader, path)
  if (scheme === 'http' || scheme === 'https') {
    if (refersToThisMachine(urlHost(path))) throw new LocalPathError(reader, path)
  }
}

/** The host of an http(s) URL, or the text between `//` and the path when the URL does not parse (a glob). */
function urlHost(path: string): string {
  try {
    return new URL(path).hostname
  } catch {
    const authority = path.slice(path.indexOf('//') + 2).split(/[/?#]/, 1)[0] ?? ''
    return authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '')
  }
}

/** The paths as a list, each checked with `assertRemotePath`. */
export function remotePathList(paths: ReaderPaths, reader: string): readonly string[] {
  const list = typeof paths === 'string' ? [paths] : paths
  if (list.length === 0) throw new EmptyPathListError(reader)
  for (const path of list) assertRemotePath(path, reader)
  return list
}
