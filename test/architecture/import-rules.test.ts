/**
 * The import graph's rules, checked on the sources so a later change cannot break them unnoticed:
 * - what `kysely-motherduck` imports (the runtime library) never reaches the local endpoint, DuckDB or
 *   codegen's dependencies;
 * - the local endpoint never reaches Kysely or the dialect;
 * - the optional peer dependencies (DuckDB, kysely-codegen, TypeScript) load only when a feature runs:
 *   importing `kysely-motherduck`, `kysely-motherduck/local` or starting the bin never loads them;
 * - folders import only folders of their own layer or below, and no two files import each other, however
 *   indirectly.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { OPTIONAL_PACKAGES } from '../../src/cli/optional-peers.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Folders bottom to top; a folder may import its own layer and the layers below it, never above. */
const LAYERS: readonly (readonly string[])[] = [
  ['src/errors'],
  ['src/sql', 'src/optional'],
  ['src/net', 'src/wire', 'src/types'],
  ['src/motherduck'],
  ['src/catalog', 'src/sources', 'src/helpers', 'src/load'],
  ['src/dialect'],
  ['src/index.ts', 'codegen', 'src/local/errors'],
  ['src/local/protocol'],
  ['src/local/encode', 'src/local/decode', 'src/local/rules', 'src/local/catalog'],
  ['src/local/session'],
  ['src/local/startup'],
  ['src/local'],
  ['src/cli', 'src/demo'],
]

interface SourceFile {
  /** Relative to the repository, e.g. `src/local/session/session.ts`. */
  readonly path: string
  /** Relative imports resolved to repository paths. */
  readonly files: readonly string[]
  /** Package imports, e.g. `kysely`, `@duckdb/node-api`. */
  readonly packages: readonly string[]
  /**
   * What loading the file loads at once, relative files (as in `files`) and packages: its static
   * `import` / `export … from` statements but `import type` / `export type` (with
   * `verbatimModuleSyntax`, every other one stays in the JavaScript). `import()` is left out: it loads
   * when it runs.
   */
  readonly loads: readonly string[]
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name).split('\\').join('/'))
}

function readGraph(): Map<string, SourceFile> {
  const graph = new Map<string, SourceFile>()
  for (const path of [...sourceFiles('src'), ...sourceFiles('codegen')]) {
    const imports = ts.preProcessFile(
      readFileSync(join(root, path), 'utf8'),
      true,
      true,
    ).importedFiles
    const files: string[] = []
    const packages: string[] = []
    for (const { fileName } of imports) {
      if (fileName.startsWith('.')) {
        files.push(importTarget(path, fileName))
      } else {
        packages.push(fileName)
      }
    }
    graph.set(path, { path, files, packages, loads: staticLoads(path) })
  }
  return graph
}

/** Repository path of a relative import in `from`, as `.ts`; a package import as it is. */
function importTarget(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier
  return relative(root, resolve(root, dirname(from), specifier))
    .split('\\')
    .join('/')
    .replace(/\.js$/, '.ts')
}

function staticLoads(path: string): string[] {
  const source = ts.createSourceFile(
    path,
    readFileSync(join(root, path), 'utf8'),
    ts.ScriptTarget.Latest,
  )
  const loads: string[] = []
  for (const statement of source.statements) {
    const erased =
      (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly === true) ||
      (ts.isExportDeclaration(statement) && statement.isTypeOnly)
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
        ? statement.moduleSpecifier
        : undefined
    if (!erased && specifier !== undefined && ts.isStringLiteral(specifier)) {
      loads.push(importTarget(path, specifier.text))
    }
  }
  return loads
}

/** The packages of `names` that loading `entry` loads at once, each with the chain of files to it. */
function loadedAtOnce(entry: string, names: readonly string[]): string[] {
  const found: string[] = []
  const seen = new Set<string>()
  const visit = (path: string, chain: readonly string[]) => {
    const file = graph.get(path)
    if (file === undefined || seen.has(path)) return
    seen.add(path)
    for (const target of file.loads) {
      if (names.includes(packageName(target) ?? '')) {
        found.push([...chain, path, target].join(' → '))
      } else {
        visit(target, [...chain, path])
      }
    }
  }
  visit(entry, [])
  return found
}

const OPTIONAL_PEERS = Object.keys(OPTIONAL_PACKAGES)

const graph = readGraph()

/** Every file reached from `entry`, itself included. */
function reachable(entry: string): SourceFile[] {
  const seen = new Map<string, SourceFile>()
  const visit = (path: string) => {
    const file = graph.get(path)
    if (file === undefined || seen.has(path)) return
    seen.set(path, file)
    for (const next of file.files) visit(next)
  }
  visit(entry)
  return [...seen.values()]
}

/** `chain` of files from `entry` to the first file matching `bad`, for a readable failure. */
function pathTo(entry: string, bad: (file: SourceFile) => boolean): string[] | undefined {
  const parent = new Map<string, string | null>([[entry, null]])
  const queue = [entry]
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const file = graph.get(path)
    if (file === undefined) continue
    if (bad(file)) {
      const chain: string[] = []
      for (let at: string | null = path; at !== null; at = parent.get(at) ?? null) chain.unshift(at)
      return chain
    }
    for (const next of file.files) {
      if (!parent.has(next)) {
        parent.set(next, path)
        queue.push(next)
      }
    }
  }
  return undefined
}

const packageName = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]

function layerOf(path: string): { folder: string; rank: number } {
  let best: { folder: string; rank: number } | undefined
  LAYERS.forEach((folders, rank) => {
    for (const folder of folders) {
      const inside = path === folder || path.startsWith(`${folder}/`)
      if (inside && (best === undefined || folder.length > best.folder.length))
        best = { folder, rank }
    }
  })
  if (best === undefined) throw new Error(`${path} is in no layer: add its folder to LAYERS`)
  return best
}

describe('the import graph', () => {
  it('reads every source file and resolves every relative import', () => {
    expect(graph.size).toBeGreaterThan(80)
    const unresolved = [...graph.values()].flatMap((file) =>
      file.files.filter((target) => !graph.has(target)).map((target) => `${file.path} → ${target}`),
    )
    expect(unresolved).toEqual([])
  })

  it('the runtime library (kysely-motherduck) never reaches the local endpoint, DuckDB or codegen', () => {
    const forbidden = (file: SourceFile) =>
      file.path.startsWith('src/local/') ||
      file.path.startsWith('codegen/') ||
      file.path.startsWith('src/cli/') ||
      file.path.startsWith('src/demo/') ||
      file.packages.some((p) =>
        ['@duckdb/node-api', 'kysely-codegen', 'typescript'].includes(packageName(p) ?? ''),
      )
    expect(pathTo('src/index.ts', forbidden)).toBeUndefined()
    expect(reachable('src/index.ts').length).toBeGreaterThan(20)
  })

  it('the local endpoint (kysely-motherduck/local) never reaches Kysely or the dialect', () => {
    const forbidden = (file: SourceFile) =>
      file.path.startsWith('src/dialect/') ||
      file.path.startsWith('codegen/') ||
      file.packages.some((p) => ['kysely', 'kysely-codegen', 'pg'].includes(packageName(p) ?? ''))
    expect(pathTo('src/local/index.ts', forbidden)).toBeUndefined()
    expect(
      reachable('src/local/index.ts').some((f) => f.path.startsWith('src/local/session/')),
    ).toBe(true)
  })

  it('codegen (kysely-motherduck/codegen) never reaches the local endpoint or DuckDB', () => {
    const forbidden = (file: SourceFile) =>
      file.path.startsWith('src/local/') ||
      file.packages.some((p) => packageName(p) === '@duckdb/node-api')
    expect(pathTo('codegen/index.ts', forbidden)).toBeUndefined()
  })

  it('importing kysely-motherduck or kysely-motherduck/local, or starting the bin, loads no optional peer', () => {
    for (const entry of ['src/index.ts', 'src/local/index.ts', 'src/cli/bin.ts']) {
      expect(loadedAtOnce(entry, OPTIONAL_PEERS), entry).toEqual([])
    }
    // The walk finds a static load where there is one (the check can fail).
    expect(loadedAtOnce('src/local/startup/server.ts', OPTIONAL_PEERS).length).toBeGreaterThan(0)
    expect(loadedAtOnce('src/index.ts', ['pg']).length).toBeGreaterThan(0)
  })

  it('no folder imports a folder of a higher layer', () => {
    const upward: string[] = []
    for (const file of graph.values()) {
      const from = layerOf(file.path)
      for (const target of file.files) {
        const to = layerOf(target)
        if (to.rank > from.rank)
          upward.push(`${file.path} (${from.folder}) → ${target} (${to.folder})`)
      }
    }
    expect(upward).toEqual([])
  })

  it('has no cycles, between files or between folders', () => {
    expect(cycles(new Map([...graph].map(([path, file]) => [path, file.files])))).toEqual([])
    const folders = new Map<string, Set<string>>()
    for (const file of graph.values()) {
      const from = layerOf(file.path).folder
      const targets = folders.get(from) ?? new Set<string>()
      for (const target of file.files) {
        const to = layerOf(target).folder
        if (to !== from) targets.add(to)
      }
      folders.set(from, targets)
    }
    expect(cycles(new Map([...folders].map(([folder, to]) => [folder, [...to]])))).toEqual([])
  })

  it('finds a cycle and an upward import when there is one (the checks can fail)', () => {
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']])
    expect(layerOf('src/local/session/session.ts').rank).toBeGreaterThan(
      layerOf('src/dialect/motherduck-dialect.ts').rank,
    )
    expect(() => layerOf('elsewhere/x.ts')).toThrow(/in no layer/)
  })
})

/** The strongly connected components with more than one node (Tarjan), each sorted. */
function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  let next = 0
  const connect = (node: string) => {
    index.set(node, next)
    low.set(node, next)
    next++
    stack.push(node)
    onStack.add(node)
    for (const to of edges.get(node) ?? []) {
      if (!edges.has(to)) continue
      if (!index.has(to)) {
        connect(to)
        low.set(node, Math.min(low.get(node)!, low.get(to)!))
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!))
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = []
      let member: string | undefined
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const node of edges.keys()) if (!index.has(node)) connect(node)
  return found
}
