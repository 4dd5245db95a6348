import { createRequire } from 'node:module'
import { MotherDuckError } from '../errors/motherduck-error.js'

/**
 * The packages kysely-motherduck declares as optional peer dependencies, and what loads each. The
 * runtime library (`kysely-motherduck`) never needs them; `package.json`'s `peerDependencies` and
 * `peerDependenciesMeta` list the same names (a test keeps the two in step).
 */
export const OPTIONAL_PACKAGES = {
  '@duckdb/node-api': 'the local endpoint (kysely-motherduck/local, `kysely-motherduck local`)',
  'kysely-codegen': 'codegen (kysely-motherduck/codegen, `kysely-motherduck codegen`)',
  typescript: 'codegen: kysely-codegen loads it to parse type expressions',
} as const

export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES

/** What the local endpoint loads when it starts. */
export const LOCAL_ENDPOINT_PACKAGES: readonly OptionalPackage[] = ['@duckdb/node-api']

/** What codegen loads when it runs. */
export const CODEGEN_PACKAGES: readonly OptionalPackage[] = ['kysely-codegen', 'typescript']

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
 * requirePackages('kysely-motherduck local', LOCAL_ENDPOINT_PACKAGES)
 * // MissingPackageError: kysely-motherduck local needs @duckdb/node-api: npm install -D @duckdb/node-api
 * const { DuckDBInstance } = await import('@duckdb/node-api')
 * ```
 */
export function requirePackages(feature: string, packages: readonly string[]): void {
  const missing = missingPackages(packages)
  if (missing.length > 0) throw new MissingPackageError(feature, missing)
}
