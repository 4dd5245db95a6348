import { lstat, open, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { canaryExcerpt, findCanary } from '../../support/canary-token.js'

/**
 * Collects every artefact the canary sweep produces — errors, objects, child-process output, files —
 * in every form a leak could take (message, stack, `util.inspect` with `showHidden` at any depth,
 * `JSON.stringify`, `String()`, causes and aggregated errors), and remembers where the run's canary
 * token (test/support/canary-token.ts) showed, in any of its encodings.
 */
export class LeakScanner {
  /** `label: encoding: excerpt` for every leak, the token redacted. */
  readonly leaks: string[] = []
  /** How many texts were searched. */
  texts = 0
  /** How many files were read. */
  files = 0

  /** Searches one text. */
  text(label: string, text: string | Uint8Array): void {
    this.texts++
    const encoding = findCanary(text)
    if (encoding === undefined) return
    const excerpt =
      typeof text === 'string'
        ? canaryExcerpt(text)
        : canaryExcerpt(Buffer.from(text).toString('latin1'))
    this.leaks.push(`${label}: ${encoding.name}: ${excerpt}`)
  }

  /** Searches a value as it would be shown, logged or serialized; errors with their causes. */
  value(label: string, value: unknown, seen = new Set<unknown>()): void {
    if (seen.has(value)) return
    seen.add(value)
    this.text(
      `${label} (inspect)`,
      inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    )
    try {
      this.text(`${label} (JSON)`, JSON.stringify(value) ?? '')
    } catch (error) {
      // Circular objects (a pool, a socket): the error names the path, which is searched too.
      this.text(`${label} (JSON error)`, String(error))
    }
    try {
      this.text(`${label} (String)`, String(value))
    } catch {
      // An object without toString (null prototype): inspect covered it.
    }
    if (typeof value !== 'object' || value === null) return
    const record = value as {
      message?: unknown
      stack?: unknown
      cause?: unknown
      errors?: unknown
    }
    if (typeof record.message === 'string') this.text(`${label}.message`, record.message)
    if (typeof record.stack === 'string') this.text(`${label}.stack`, record.stack)
    if (record.cause !== undefined) this.value(`${label}.cause`, record.cause, seen)
    if (Array.isArray(record.errors)) {
      for (const [i, error] of record.errors.entries()) {
        this.value(`${label}.errors[${i}]`, error, seen)
      }
    }
  }

  /**
   * Searches every file under `dir` (to `depth` levels) modified at or after `since`, up to
   * `maxBytes` each; unreadable entries are skipped.
   */
  async directory(
    dir: string,
    since: number,
    depth = 6,
    maxBytes = 16 * 1024 * 1024,
  ): Promise<void> {
    let entries: string[]
    try {
      entries = await readdir(dir)
    } catch {
      return
    }
    for (const entry of entries) {
      const path = join(dir, entry)
      let stat: Awaited<ReturnType<typeof lstat>>
      try {
        stat = await lstat(path)
      } catch {
        continue
      }
      if (stat.isDirectory()) {
        if (depth > 0) await this.directory(path, since, depth - 1, maxBytes)
      } else if (stat.isFile() && stat.mtimeMs >= since && stat.size <= maxBytes) {
        await this.file(path)
      }
    }
  }

  /** Searches one file's bytes. */
  async file(path: string): Promise<void> {
    let handle: Awaited<ReturnType<typeof open>> | undefined
    try {
      handle = await open(path, 'r')
      const bytes = await handle.readFile()
      this.files++
      this.text(`file ${path}`, bytes)
    } catch {
      // Removed meanwhile, or not ours to read.
    } finally {
      await handle?.close()
    }
  }
}
