import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'kysely-motherduck'

/**
 * The version in this package's own package.json, read when asked (not copied in at build time, so it
 * is the version that is installed). The file is found by walking up from this module: it sits two
 * folders up from `src/cli/` and three from `dist/src/cli/`. Throws when no package.json named
 * `kysely-motherduck` is found above it (the package was copied without its package.json).
 */
export async function packageVersion(): Promise<string> {
  let folder = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = await readManifest(join(folder, 'package.json'))
    if (manifest?.name === PACKAGE_NAME && typeof manifest.version === 'string') {
      return manifest.version
    }
    const parent = dirname(folder)
    if (parent === folder) {
      throw new Error(
        `No package.json of ${PACKAGE_NAME} found above ${fileURLToPath(import.meta.url)}.`,
      )
    }
    folder = parent
  }
}

async function readManifest(
  path: string,
): Promise<{ name?: unknown; version?: unknown } | undefined> {
  try {
    const manifest: unknown = JSON.parse(await readFile(path, 'utf8'))
    return typeof manifest === 'object' && manifest !== null ? manifest : undefined
  } catch {
    return undefined
  }
}
