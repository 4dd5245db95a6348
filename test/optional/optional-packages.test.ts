import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OPTIONAL_PACKAGES } from '../../src/cli/optional-peers.js'
import {
  listOf,
  MissingPackageError,
  missingPackages,
  requirePackages,
} from '../../src/optional/optional-packages.js'

const packageJson = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'),
) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
  peerDependencies: Record<string, string>
  peerDependenciesMeta: Record<string, { optional?: boolean }>
}

describe('the optional peer dependencies', () => {
  const names = Object.keys(OPTIONAL_PACKAGES)

  it('package.json declares each as an optional peer and a dev dependency, never a dependency', () => {
    const optionalPeers = Object.entries(packageJson.peerDependenciesMeta)
      .filter(([, meta]) => meta.optional === true)
      .map(([name]) => name)
    expect(optionalPeers.sort()).toEqual([...names].sort())
    for (const name of names) {
      expect(packageJson.peerDependencies[name], name).toBeDefined()
      expect(packageJson.devDependencies[name], name).toBeDefined()
      expect(packageJson.dependencies[name], name).toBeUndefined()
    }
  })

  it('finds the installed ones (the repository installs them as dev dependencies)', () => {
    expect(missingPackages(names)).toEqual([])
    expect(() => requirePackages('kysely-motherduck local', names)).not.toThrow()
  })

  it('lists names as a sentence does', () => {
    expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map(listOf)).toEqual([
      '',
      'a',
      'a and b',
      'a, b and c',
    ])
  })

  it('names the missing ones and the command that installs them', () => {
    const absent = 'kysely-motherduck-absent-package'
    expect(missingPackages(['typescript', absent, 'pg'])).toEqual([absent])
    const error = (() => {
      try {
        requirePackages('kysely-motherduck codegen', ['kysely-codegen', absent])
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(MissingPackageError)
    expect(error).toMatchObject({ feature: 'kysely-motherduck codegen', packages: [absent] })
    expect((error as Error).message).toBe(
      `kysely-motherduck codegen needs ${absent}: npm install -D ${absent}`,
    )
  })
})
