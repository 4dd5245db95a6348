import { format, inspect } from 'node:util'
import { afterAll, beforeEach } from 'vitest'
import { CANARY_TOKEN, canaryExcerpt, findCanary } from '../support/canary-token.js'

/*
 * Runs before every test file (vitest `setupFiles`): records what the file prints — every write to
 * process.stdout / process.stderr and every console call — and the errors of its failed tests, and
 * fails the file in an afterAll hook (the last one to run) when any of it shows the run's canary token
 * (test/support/canary-token.ts), raw or encoded. Only the place and a redacted excerpt are reported.
 */

interface Leak {
  readonly source: string
  readonly encoding: string
  readonly excerpt: string
}

interface CanaryState {
  /** The leaks of the test file that runs now. */
  leaks: Leak[]
  /** Whether process.stdout/stderr are already wrapped (once per process). */
  streamsWrapped: boolean
}

const STATE_KEY = Symbol.for('kysely-motherduck.test.canary')
const CONSOLE_WRAPPED = Symbol.for('kysely-motherduck.test.canary.console')

const globals = globalThis as typeof globalThis & { [STATE_KEY]?: CanaryState }
globals[STATE_KEY] ??= { leaks: [], streamsWrapped: false }
const state = globals[STATE_KEY]
state.leaks = []

function check(source: string, text: string): void {
  const encoding = findCanary(text)
  if (encoding !== undefined) {
    state.leaks.push({ source, encoding: encoding.name, excerpt: canaryExcerpt(text) })
  }
}

function chunkText(chunk: unknown): string {
  if (typeof chunk === 'string') return chunk
  if (chunk instanceof Uint8Array) return Buffer.from(chunk).toString('utf8')
  return String(chunk)
}

if (!state.streamsWrapped) {
  state.streamsWrapped = true
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name]
    const write = stream.write
    stream.write = function (this: typeof stream, chunk: unknown, ...rest: unknown[]) {
      check(`process.${name}.write`, chunkText(chunk))
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
    } as typeof stream.write
  }
}

// vitest gives each test file its own console: wrap the one this file gets.
const consoleObject = console as Console & { [CONSOLE_WRAPPED]?: true }
if (consoleObject[CONSOLE_WRAPPED] !== true) {
  consoleObject[CONSOLE_WRAPPED] = true
  const methods = [
    'log',
    'info',
    'warn',
    'error',
    'debug',
    'trace',
    'dirxml',
    'table',
    'group',
    'groupCollapsed',
  ] as const
  for (const method of methods) {
    const original = consoleObject[method].bind(consoleObject) as (...args: unknown[]) => void
    consoleObject[method] = (...args: unknown[]) => {
      check(`console.${method}`, format(...args))
      original(...args)
    }
  }
  const dir = consoleObject.dir.bind(consoleObject)
  consoleObject.dir = (item?: unknown, options?: object) => {
    check('console.dir', inspect(item, options))
    dir(item, options)
  }
  const assert = consoleObject.assert.bind(consoleObject) as (...args: unknown[]) => void
  consoleObject.assert = (condition?: boolean, ...args: unknown[]) => {
    if (!condition) check('console.assert', format(...args))
    assert(condition, ...args)
  }
}

beforeEach(({ onTestFailed }) => {
  onTestFailed(({ task }) => {
    for (const error of task.result?.errors ?? []) {
      check(`the error of the failed test "${task.name}"`, inspect(error, { depth: 8 }))
    }
  })
})

afterAll(() => {
  const leaks = state.leaks
  state.leaks = []
  if (leaks.length === 0) return
  const lines = leaks.map(
    (leak) =>
      `- ${leak.source} (${leak.encoding}):\n    ${leak.excerpt.replaceAll('\n', '\n    ')}`,
  )
  throw new Error(
    `The canary token (test/support/canary-token.ts, ${CANARY_TOKEN.length} characters) appeared ` +
      `${leaks.length} time(s) in this test file's output — the token must never be printed, in any ` +
      `encoding:\n${lines.join('\n')}`,
  )
})
