import { basename } from 'node:path'

/** How {@link waitForStop} watches for the end of a long-running command. */
export interface StopWatchOptions {
  /**
   * Also stop when the process that started this one exits (seen as `process.ppid` changing: an
   * orphan is adopted by init or a subreaper). For launchers that do not pass signals on.
   */
  readonly watchParent: boolean
  /** How often the parent is checked, in milliseconds. Default: 200. */
  readonly pollMs?: number
}

/** The reason {@link waitForStop} gives when the parent process went away. */
export const PARENT_EXITED = 'the process that started it exited'

/**
 * Resolves with the first reason to stop: `'SIGINT'`, `'SIGTERM'`, or {@link PARENT_EXITED} when
 * `watchParent` is on. Until then those signals do not end the process; once it resolves, its
 * listeners and timer are gone (a second Ctrl-C then ends the process the default way).
 */
export function waitForStop(options: StopWatchOptions): Promise<string> {
  return new Promise((resolve) => {
    const parent = process.ppid
    const stop = (reason: string): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      clearInterval(poll)
      resolve(reason)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    const poll = options.watchParent
      ? setInterval(() => {
          if (process.ppid !== parent) stop(PARENT_EXITED)
        }, options.pollMs ?? 200)
      : undefined
    poll?.unref()
  })
}

/**
 * Whether npm started this command directly: `npx kysely-motherduck …`, `npm exec`, or an npm script
 * whose command is `kysely-motherduck …` (npm sets `npm_lifecycle_script` to it). npm runs the command
 * through `sh -c` and passes SIGINT/SIGTERM to that shell only; a shell such as dash (Debian's and
 * Ubuntu's `sh`) then exits without passing the signal on, and the command is left running. A command
 * npm started this way has to notice its parent shell exit.
 *
 * ### Examples
 *
 * ```ts
 * startedByNpm({ npm_lifecycle_script: "'kysely-motherduck'" }) // true (npx kysely-motherduck local)
 * startedByNpm({ npm_lifecycle_script: 'kysely-motherduck local --port 5433' }) // true (npm run)
 * startedByNpm({ npm_lifecycle_script: 'sh ./start-db.sh' }) // false: that script's shell started it
 * ```
 */
export function startedByNpm(env: Readonly<Record<string, string | undefined>>): boolean {
  const [command] = (env.npm_lifecycle_script ?? '').trim().split(/\s+/)
  return (
    command !== undefined && basename(command.replace(/^['"]|['"]$/g, '')) === 'kysely-motherduck'
  )
}
