import { lstat, mkdir } from 'node:fs/promises'
import { MotherDuckError } from '../errors/motherduck-error.js'

/**
 * A folder the demo would use is not private to this user: another user owns it, may write into it, or
 * it is not a plain folder (a symbolic link). Its files could be someone else's.
 */
export class UnsafeFolderError extends MotherDuckError {
  override readonly name = 'UnsafeFolderError'
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(
      [
        `${path} ${problem}, so another user could have put files there for the demo to open.`,
        'The demo keeps its sample data only in a folder of your own. Remove that folder if it is yours',
        `(rm -rf ${path}), or run the demo with a temp directory of your own: TMPDIR="$(mktemp -d)" npx kysely-motherduck demo`,
      ].join('\n'),
    )
  }
}

/**
 * Creates `path` (mode 0700) if missing, then checks that it is a folder this process's user owns and
 * that neither group nor others may write into it; otherwise throws {@link UnsafeFolderError}. `lstat`, so a
 * symbolic link planted under the name is refused rather than followed. On Windows, which has no uid,
 * only the kind is checked (the temp directory is per user there).
 *
 * ### Examples
 *
 * ```ts
 * await ensurePrivateFolder(join(tmpdir(), `kysely-motherduck-demo-${process.getuid?.()}`))
 * ```
 */
export async function ensurePrivateFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const stats = await lstat(path)
  if (!stats.isDirectory()) {
    throw new UnsafeFolderError(
      path,
      stats.isSymbolicLink() ? 'is a symbolic link' : 'is not a folder',
    )
  }
  const uid = process.getuid?.()
  if (uid === undefined) return
  if (stats.uid !== uid) {
    throw new UnsafeFolderError(path, `belongs to uid ${stats.uid}, not to you (uid ${uid})`)
  }
  if ((stats.mode & 0o022) !== 0) {
    throw new UnsafeFolderError(
      path,
      `can be written by ${stats.mode & 0o002 ? 'every user' : 'its group'} (mode ${(stats.mode & 0o7777).toString(8)})`,
    )
  }
}
