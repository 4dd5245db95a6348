import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { REPO_ROOT } from '../../codegen/helpers/compile-typescript.js'
import { CANARY_ISSUED_AT_ENV, CANARY_TOKEN_ENV } from '../../support/canary-token.js'

const TSX = createRequire(import.meta.url).resolve('tsx/cli')
const BIN = resolve(REPO_ROOT, 'src/cli/bin.ts')

/** A `kysely-motherduck` process started from the sources, and everything it printed so far. */
export interface CliProcess {
  readonly child: ChildProcess
  readonly output: { stdout: string; stderr: string }
  /** Resolves once stdout matches `pattern` (rejects if the process exits first). */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>
}

/**
 * Starts `kysely-motherduck <args>` (src/cli/bin.ts through tsx) in `cwd`, with the environment of this
 * process minus every `MOTHERDUCK_*` variable and the canary's own variables (the child must learn the
 * token only from what it is given), plus `env`.
 */
export function startCli(
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): CliProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^motherduck_/i.test(name) && name !== CANARY_TOKEN_ENV && name !== CANARY_ISSUED_AT_ENV,
    ),
  )
  const child = spawn(process.execPath, [TSX, BIN, ...args], {
    cwd,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = { stdout: '', stderr: '' }
  child.stdout?.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString('utf8')
  })
  // 'close': the process has exited and its output pipes are drained.
  const exited = new Promise<number | null>((resolvePromise) =>
    child.once('close', (code) => resolvePromise(code)),
  )
  return {
    child,
    output,
    exited,
    waitFor(pattern) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const match = pattern.exec(output.stdout)
          if (match) {
            child.stdout?.off('data', check)
            resolvePromise(match)
          }
        }
        child.stdout?.on('data', check)
        check()
        void exited.then(() => reject(new Error(`exited before ${pattern}: ${output.stderr}`)))
      })
    },
  }
}

/** Runs `kysely-motherduck <args>` to its end; resolves with its exit code and output. */
export async function runCli(
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = startCli(args, cwd, env)
  const code = await cli.exited
  return { code, ...cli.output }
}
