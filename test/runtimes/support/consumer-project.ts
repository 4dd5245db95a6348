import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import {
  copyFile,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../../..')
const repoModules = join(root, 'node_modules')
// Outside node_modules: Deno refuses to strip types from files under a node_modules folder.
const cache = join(tmpdir(), 'kysely-motherduck-runtimes')
const appsDir = join(root, 'test/runtimes/apps')

/** What the build depends on: a change to any of these (or to the checkout's path) makes a new project. */
const INPUT_DIRS = ['src', 'codegen', 'test/runtimes/apps']
const INPUT_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json']

/** Projects of other source states are removed once they are this old (other checkouts share the folder). */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000

/**
 * A project that uses kysely-motherduck as an application does, for the runtime smoke tests:
 * `node_modules/kysely-motherduck` holds the package as `npm run build` compiles it (its package.json and
 * `dist/`), the other packages are the repository's own (symlinked), and the apps of test/runtimes/apps
 * sit at its top, so they import `kysely-motherduck` by name and get the built package through its
 * `exports` map. It is built into its own folder rather than the repository's `dist/`, which other tests
 * rebuild while they run.
 *
 * One project per checkout and state of its sources (a hash of src/, codegen/, the apps, package.json
 * and the tsconfigs), kept in the temporary directory: the runtime tests share one build, also when vitest runs
 * them side by side (the first to finish moves its build into place; a later one finds it).
 *
 * ### Examples
 *
 * ```ts
 * const project = await consumerProject()
 * await run('bun', ['run', 'server-app.ts'], { cwd: project })
 * ```
 */
export async function consumerProject(): Promise<string> {
  const hash = await inputHash()
  const project = join(cache, hash)
  if (existsSync(join(project, 'package.json'))) return project
  await mkdir(cache, { recursive: true })
  const staging = `${project}.staging-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await buildProject(staging)
    await rename(staging, project).catch((error: NodeJS.ErrnoException) => {
      // Another test file finished the same build first: use that one.
      if (!existsSync(join(project, 'package.json'))) throw error
    })
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
  await removeStaleProjects(hash)
  return project
}

/** Compiles the package into `dir/node_modules/kysely-motherduck` and lays out the project around it. */
async function buildProject(dir: string): Promise<void> {
  const modules = join(dir, 'node_modules')
  const packageDir = join(modules, 'kysely-motherduck')
  await mkdir(packageDir, { recursive: true })
  // The build's own compiler settings; `--noCheck` because `npm run typecheck` checks the same sources.
  await run(
    process.execPath,
    [
      join(repoModules, 'typescript/bin/tsc'),
      ...['-p', join(root, 'tsconfig.build.json'), '--noCheck'],
      ...['--outDir', join(packageDir, 'dist')],
    ],
    { cwd: root },
  )
  await copyFile(join(root, 'package.json'), join(packageDir, 'package.json'))
  for (const name of await readdir(repoModules)) {
    if (name === '.bin' || name === '.cache' || name === 'kysely-motherduck') continue
    await symlink(join(repoModules, name), join(modules, name))
  }
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'runtime-smoke-app',
        private: true,
        type: 'module',
        dependencies: { kysely: '*', 'kysely-motherduck': '*' },
      },
      null,
      2,
    )}\n`,
  )
  for (const name of await readdir(appsDir)) {
    await copyFile(join(appsDir, name), join(dir, name))
  }
}

/** A hash of every build input, by path and content. */
async function inputHash(): Promise<string> {
  const files = [...INPUT_FILES]
  for (const dir of INPUT_DIRS) {
    const names = await readdir(join(root, dir), { recursive: true, withFileTypes: true })
    for (const entry of names) {
      if (entry.isFile()) files.push(join(entry.parentPath, entry.name).slice(root.length + 1))
    }
  }
  // The project links to this checkout's node_modules: another checkout gets a project of its own.
  const hash = createHash('sha256').update(`${root}\0`)
  for (const file of files.sort()) {
    hash.update(`${file}\0`)
    hash.update(await readFile(join(root, file)))
  }
  return hash.digest('hex').slice(0, 16)
}

/** Removes projects (and abandoned staging folders) of other source states older than a day. */
async function removeStaleProjects(current: string): Promise<void> {
  for (const name of await readdir(cache)) {
    if (name.startsWith(current)) continue
    const path = join(cache, name)
    const { mtimeMs } = await stat(path)
    if (Date.now() - mtimeMs > STALE_AFTER_MS) await rm(path, { recursive: true, force: true })
  }
}
