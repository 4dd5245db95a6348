import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { FlagError } from './flag-parser.js'
import type { SubcommandFlags } from './subcommand.js'

/** The environment variable `kysely-motherduck local` takes its token from when no token flag is given. */
export const LOCAL_TOKEN_ENV = 'MOTHERDUCK_LOCAL_TOKEN'

/** The flags that give the token; at most one of them per run. */
const TOKEN_FLAGS = ['token', 'token-file', 'token-stdin'] as const

/** A token longer than this is a mistake (a file or stream that is not a token), not a password. */
const MAX_TOKEN_BYTES = 64 * 1024

/** The token of one `kysely-motherduck local` run and what to tell the user about it. */
export interface LocalToken {
  readonly value: string
  /** Where it came from, as the output names it: `--token-file ./token`, `MOTHERDUCK_LOCAL_TOKEN`, … */
  readonly source: string
  /** What to print on stderr (each a paragraph): how others could read it. Never the token itself. */
  readonly warnings: readonly string[]
}

/** Where {@link resolveLocalToken} reads the environment and stdin; the process's own by default. */
export interface LocalTokenInputs {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdin: Readable
}

/**
 * The token clients must present, from one of `--token`, `--token-file <path>`, `--token-stdin` (two of
 * them are a {@link FlagError}: neither would be the obvious winner), else from `MOTHERDUCK_LOCAL_TOKEN`
 * (empty counts as unset); undefined when none is given, so the endpoint draws a random one. A flag beats
 * the variable, as an option beats the environment everywhere else in the package.
 *
 * `--token` on the command line is readable by every local user (`ps`, /proc/PID/cmdline): it works, with
 * a warning that names the other ways. A `--token-file` others may read or write works too, with a
 * warning that says `chmod 600`: refusing it, as ssh refuses such a key, would break the secrets that
 * Docker and Kubernetes mount as 0444 / 0644 in a container that runs one user.
 *
 * ### Examples
 *
 * ```ts
 * const token = await resolveLocalToken({ 'token-file': './token' }, { env: process.env, stdin: process.stdin })
 * // { value: '…', source: '--token-file ./token', warnings: [] }
 * ```
 */
export async function resolveLocalToken(
  flags: SubcommandFlags,
  inputs: LocalTokenInputs,
): Promise<LocalToken | undefined> {
  const given = TOKEN_FLAGS.filter((flag) => flags[flag] !== undefined && flags[flag] !== false)
  if (given.length > 1) {
    throw new FlagError(
      given[1] ?? 'token',
      `${given.map((flag) => `--${flag}`).join(' and ')} both give the token: pass one of them.`,
    )
  }
  if (typeof flags.token === 'string') {
    return {
      value: nonEmpty('token', flags.token, '--token is empty'),
      source: '--token',
      warnings: [
        [
          'Warning: --token on the command line can be read by any user of this machine in the process',
          `list (ps). Pass it in ${LOCAL_TOKEN_ENV}, in a file (--token-file <path>, chmod 600) or on`,
          'stdin (--token-stdin) instead.',
        ].join('\n'),
      ],
    }
  }
  const path = flags['token-file']
  if (typeof path === 'string') return await tokenFromFile(path)
  if (flags['token-stdin'] === true) {
    const line = await readText(inputs.stdin, 'token-stdin', 'stdin', { firstLineOnly: true })
    return {
      value: nonEmpty('token-stdin', withoutLineEnd(line), '--token-stdin read an empty line'),
      source: '--token-stdin',
      warnings: [],
    }
  }
  const fromEnv = inputs.env[LOCAL_TOKEN_ENV]
  if (fromEnv === undefined || fromEnv === '') return undefined
  return { value: fromEnv, source: LOCAL_TOKEN_ENV, warnings: [] }
}

/** The token in `path`: the whole file minus one trailing newline; empty or several lines is an error. */
async function tokenFromFile(path: string): Promise<LocalToken> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw new FlagError('token-file', `--token-file ${path}: ${(error as Error).message}`)
  }
  try {
    // The permissions of the file that was opened, not of whatever the path names a moment later.
    const stats = await handle.stat()
    const text = await readText(handle.createReadStream({ autoClose: false }), 'token-file', path)
    const value = withoutLineEnd(text)
    nonEmpty('token-file', value, `--token-file ${path} is empty`)
    if (/[\r\n]/.test(value)) {
      throw new FlagError(
        'token-file',
        `--token-file ${path} holds more than one line: the token is the whole file (one final newline is dropped).`,
      )
    }
    const sharedWithOthers =
      process.platform !== 'win32' && stats.isFile() && (stats.mode & 0o077) !== 0
    return {
      value,
      source: `--token-file ${path}`,
      warnings: sharedWithOthers
        ? [
            `Warning: --token-file ${path} can be read or written by other users (mode ${(stats.mode & 0o7777).toString(8)}).\n` +
              `Make it private: chmod 600 ${path}`,
          ]
        : [],
    }
  } finally {
    await handle.close()
  }
}

/** `text` without one final `\n` or `\r\n`. */
function withoutLineEnd(text: string): string {
  return text.replace(/\r?\n$/, '')
}

function nonEmpty(flag: string, value: string, problem: string): string {
  if (value === '') {
    throw new FlagError(flag, `${problem}: the token clients must send cannot be empty.`)
  }
  return value
}

/**
 * The text of `stream` up to its end (or through its first newline), at most {@link MAX_TOKEN_BYTES};
 * the stream is destroyed afterwards, so stdin does not keep the process alive.
 */
async function readText(
  stream: Readable,
  flag: string,
  what: string,
  { firstLineOnly = false } = {},
): Promise<string> {
  const chunks: Buffer[] = []
  let length = 0
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
      const newline = firstLineOnly ? bytes.indexOf(0x0a) : -1
      const kept = newline === -1 ? bytes : bytes.subarray(0, newline + 1)
      chunks.push(kept)
      length += kept.length
      if (length > MAX_TOKEN_BYTES) {
        throw new FlagError(
          flag,
          `--${flag}: ${what} holds more than ${MAX_TOKEN_BYTES / 1024} KiB before ${firstLineOnly ? 'a newline' : 'its end'}: that is not a token.`,
        )
      }
      if (newline !== -1) break
    }
  } catch (error) {
    if (error instanceof FlagError) throw error
    throw new FlagError(flag, `--${flag}: could not read ${what}: ${(error as Error).message}`)
  } finally {
    stream.destroy()
  }
  return Buffer.concat(chunks).toString('utf8')
}
