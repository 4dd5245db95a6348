import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { FlagError } from './flag-parser.js'

/**
 * The `--pid-file` of a long-running command: written once the command is ready (so a script can wait
 * for it to appear), removed when the command ends. A file left by an earlier run is removed first, so
 * that a wait for the file cannot mistake it for this run's.
 */
export class PidFile {
  private constructor(
    readonly path: string,
    /** The process the earlier run's file named, when that process still runs. */
    readonly previousPid: number | undefined,
  ) {}

  /**
   * Takes over `path`: notes which still-running process a file there names, then removes it. A file
   * that cannot be removed is a {@link FlagError} of `--pid-file`.
   */
  static async claim(path: string): Promise<PidFile> {
    const previousPid = await runningPidIn(path)
    try {
      await rm(path, { force: true })
    } catch (error) {
      throw new FlagError('pid-file', `--pid-file ${path}: ${(error as Error).message}`)
    }
    return new PidFile(path, previousPid)
  }

  /** Writes this process's id (through a temporary file, so a reader never sees it half written). */
  async write(): Promise<void> {
    const partial = `${this.path}.${process.pid}.tmp`
    await writeFile(partial, `${process.pid}\n`)
    await rename(partial, this.path)
  }

  /** Removes the file, unless another process has written its own id there since. */
  async remove(): Promise<void> {
    if ((await pidIn(this.path)) === process.pid) await rm(this.path, { force: true })
  }
}

async function pidIn(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim())
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

async function runningPidIn(path: string): Promise<number | undefined> {
  const pid = await pidIn(path)
  if (pid === undefined || pid === process.pid) return undefined
  try {
    process.kill(pid, 0)
    return pid
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined
  }
}
