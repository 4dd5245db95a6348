import { createRequire } from 'node:module'
import { MotherDuckError } from '../errors/motherduck-error.js'

/**
 * Checking optional peer dependencies before they are imported, and naming the missing ones. Which
 * packages are optional lives with what loads them: `src/local/local-endpoint-packages.ts` (DuckDB) and
 * `src/cli/optional-peers.ts` (kysely-codegen, TypeScript, and the whole list). Nothing here is imported
 * by the runtime library.
 */

/**
 * An optional package a feature loads is not installed. `feature` names what needs it, `packages` the
 * missing ones; the message gives the command that installs them.
 */
export class MissingPackageError extends MotherDuckError {
  override readonly name = 'MissingPackageError'
  constructor(
    readonly feature: string,
    readonly packages: readonly string[],
  ) {
    super(`${feature} needs ${listOf(packages)}: npm install -D ${packages.join(' ')}`)
  }
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

const require = createRequire(import.meta.url)

/** Whether `name` resolves from here, as the imports of this package's modules resolve it. */
function isInstalled(name: string): boolean {
  try {
    require.resolve(name)
    return true
  } catch (error) {
    // A package whose `exports` offer no `require` condition is there all the same.
    return (error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND'
  }
}

/** The packages of `packages` that are not installed, in the same order. */
export function missingPackages<Name extends string>(packages: readonly Name[]): Name[] {
  return packages.filter((name) => !isInstalled(name))
}

/**
 * Throws {@link MissingPackageError} when one of `packages` is not installed; call it before importing
 * the modules that need them, so the user reads what to install instead of a resolution stack trace.
 *
 * ### Examples
 *
 * ```ts
 * requirePackages('kysely-motherduck codegen', ['kysely-codegen', 'typescript'])
 * // MissingPackageError: kysely-motherduck codegen needs kysely-codegen: npm install -D kysely-codegen
 * const { serializeFromMetadata } = await import('kysely-codegen')
 * ```
 */
export function requirePackages(feature: string, packages: readonly string[]): void {
  const missing = missingPackages(packages)
  if (missing.length > 0) throw new MissingPackageError(feature, missing)
}
