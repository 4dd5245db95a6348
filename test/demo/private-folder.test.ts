import { spawn } from 'node:child_process'
import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePrivateFolder, UnsafeFolderError } from '../../src/demo/private-folder.js'
import {
  defaultDemoCacheDir,
  ensureDemoData,
  SAMPLE_DATA_VERSION,
} from '../../src/demo/sample-data.js'

/** The versioned folder inside the cache that holds the data. */
const VERSION_DIR = `v${SAMPLE_DATA_VERSION}`

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url))
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const uid = process.getuid?.()
const ON_POSIX = uid !== undefined

/** A folder that belongs to another user: chowned to nobody when the tests run as root, else `/`. */
async function folderOfAnotherUser(parent: string): Promise<string> {
  if (uid !== 0) return '/'
  const folder = join(parent, 'someone-elses')
  await mkdir(folder, { mode: 0o755 })
  await chown(folder, 65_534, 65_534)
  return folder
}

describe.runIf(ON_POSIX)('the demo keeps its sample data in a folder of the user’s own', () => {
  let directory: string

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kmd-private-folder-'))
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('creates a missing folder private (0700, owned by the user)', async () => {
    const folder = join(directory, 'fresh')
    await ensurePrivateFolder(folder)
    const stats = await lstat(folder)
    expect(stats.uid).toBe(uid)
    expect(stats.mode & 0o777).toBe(0o700)
    // And accepts it the next time.
    await expect(ensurePrivateFolder(folder)).resolves.toBeUndefined()
  })

  it('refuses a folder others may write into, one of another user, and a symbolic link', async () => {
    const everyone = join(directory, 'world-writable')
    await mkdir(everyone)
    await chmod(everyone, 0o1777)
    await expect(ensurePrivateFolder(everyone)).rejects.toThrow(
      `${everyone} can be written by every user (mode 1777)`,
    )
    const group = join(directory, 'group-writable')
    await mkdir(group)
    await chmod(group, 0o770)
    await expect(ensurePrivateFolder(group)).rejects.toThrow(
      'can be written by its group (mode 770)',
    )

    const foreign = await folderOfAnotherUser(directory)
    const error = await ensurePrivateFolder(foreign).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UnsafeFolderError)
    expect((error as Error).message).toContain(`${foreign} belongs to uid `)
    expect((error as Error).message).toContain(`not to you (uid ${uid})`)
    expect((error as Error).message).toContain('TMPDIR="$(mktemp -d)" npx kysely-motherduck demo')

    const link = join(directory, 'link')
    await symlink(join(directory, 'fresh'), link)
    await expect(ensurePrivateFolder(link)).rejects.toThrow(`${link} is a symbolic link`)
  })

  it('ensureDemoData refuses a planted cache and leaves its file alone', async () => {
    const planted = join(directory, 'planted')
    await mkdir(join(planted, VERSION_DIR), { recursive: true })
    await chmod(planted, 0o777)
    await writeFile(join(planted, VERSION_DIR, 'sample_data.duckdb'), 'not a database of yours')
    await expect(ensureDemoData(planted)).rejects.toThrow(UnsafeFolderError)
    expect(await readFile(join(planted, VERSION_DIR, 'sample_data.duckdb'), 'utf8')).toBe(
      'not a database of yours',
    )
    // Checked at each level: a private cache folder with a version folder others may write into.
    const inner = join(directory, 'inner')
    await mkdir(join(inner, VERSION_DIR), { recursive: true, mode: 0o700 })
    await chmod(join(inner, VERSION_DIR), 0o777)
    await expect(ensureDemoData(inner)).rejects.toThrow(
      `${join(inner, VERSION_DIR)} can be written`,
    )
  })

  it('the default cache folder is named after the uid, in the temp directory', () => {
    expect(defaultDemoCacheDir()).toBe(join(tmpdir(), `kysely-motherduck-demo-${uid}`))
  })

  it('`kysely-motherduck demo` with a squatted cache folder fails with what to do (exit 1)', async () => {
    const temp = join(directory, 'squatted-tmp')
    const squatted = join(temp, `kysely-motherduck-demo-${uid}`)
    await mkdir(squatted, { recursive: true })
    await chmod(squatted, 0o777)
    const child = spawn(
      process.execPath,
      ['--import', TSX_LOADER, join(REPOSITORY, 'src/cli/bin.ts'), 'demo'],
      {
        cwd: REPOSITORY,
        env: { ...process.env, TMPDIR: temp, MOTHERDUCK_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text))
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
    expect(code, output).toBe(1)
    expect(output).toContain(
      `The demo failed: UnsafeFolderError: ${squatted} can be written by every user`,
    )
    expect(output).toContain('run the demo with a temp directory of your own')
  })
})
