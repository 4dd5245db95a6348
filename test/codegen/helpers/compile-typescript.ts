import { dirname, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** The generated file's import of this package, pointed at the sources (the package is not built in tests). */
export function importFromSources(text: string, fromDirectory: string): string {
  const specifier = relativePath(fromDirectory, resolve(REPO_ROOT, 'src/index.js'))
  return text.replaceAll('from "kysely-motherduck"', `from "${specifier}"`)
}

function relativePath(from: string, to: string): string {
  const path = relative(from, to).split(sep).join('/')
  return path.startsWith('.') ? path : `./${path}`
}

/**
 * Type-checks in-memory TypeScript files (absolute paths inside the repository, so that `kysely` and
 * relative imports resolve) with the repository's compiler options; resolves to the diagnostics as text.
 */
export function typeCheck(files: Readonly<Record<string, string>>): string[] {
  const configPath = resolve(REPO_ROOT, 'tsconfig.json')
  const config = ts.readConfigFile(configPath, ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT)
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, declaration: false }
  const host = ts.createCompilerHost(options)
  const original = {
    fileExists: host.fileExists.bind(host),
    readFile: host.readFile.bind(host),
    getSourceFile: host.getSourceFile.bind(host),
  }
  const directories = new Set(Object.keys(files).map((name) => dirname(name)))
  const directoryExists = host.directoryExists?.bind(host)
  host.directoryExists = (name) => directories.has(name) || (directoryExists?.(name) ?? false)
  host.fileExists = (name) => name in files || original.fileExists(name)
  host.readFile = (name) => files[name] ?? original.readFile(name)
  host.getSourceFile = (name, language, onError, shouldCreate) => {
    const text = files[name]
    return text === undefined
      ? original.getSourceFile(name, language, onError, shouldCreate)
      : ts.createSourceFile(name, text, language, true)
  }
  const program = ts.createProgram(Object.keys(files), options, host)
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    if (!diagnostic.file || diagnostic.start === undefined) return message
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    const lines = diagnostic.file.text.split('\n')
    // A `// what` comment on the line above names what the failing line checks.
    const above = lines[line - 1]?.trim() ?? ''
    const context = above.startsWith('//') ? `${above}\n    ` : ''
    return `${diagnostic.file.fileName}:${line + 1}: ${message}\n    ${context}${lines[line]?.trim()}`
  })
}
