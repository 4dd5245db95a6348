import type { ChildProcess } from 'node:child_process'
import { redactCanary } from './canary-token.js'

/** A `kysely-motherduck local` process (or npx, sh… with one inside) and what it has printed. */
export interface LocalProcess {
  readonly child: ChildProcess
  /** Its stdout and stderr so far, interleaved as they arrived. */
  output(): string
  /** Resolves with the port once it listens; rejects if the process exits first. */
  readonly listening: Promise<number>
  /** Resolves with the exit code once the process has exited and its output is closed. */
  readonly closed: Promise<number | null>
}

/** Watches a spawned process whose stdout and stderr are pipes, for `kysely-motherduck local`'s banner. */
export function watchLocalProcess(child: ChildProcess): LocalProcess {
  let output = ''
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text))
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text))
  // 'close' waits for the pipes too: under npx they stay open until the endpoint process itself exits.
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve))
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const match = /listening on [^\s]+:(\d+)/.exec(output)
      if (match) resolve(Number(match[1]))
    })
    child.once('exit', (code) =>
      reject(new Error(`exited (${code}) before listening:\n${redactCanary(output)}`)),
    )
  })
  // Awaited only by tests that expect it to listen.
  listening.catch(() => undefined)
  return { child, output: () => output, listening, closed }
}
