import { readFileSync } from 'node:fs'

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100

/**
 * CPU seconds (user + system, every thread) a process has used so far, from /proc/<pid>/stat: where
 * the time of a load test goes, the endpoint's process or the clients'.
 */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after pid and comm.
  const user = Number(fields[11])
  const system = Number(fields[12])
  return (user + system) / TICKS_PER_SECOND
}
