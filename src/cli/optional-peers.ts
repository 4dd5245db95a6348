import { LOCAL_ENDPOINT_PACKAGES } from '../local/local-endpoint-packages.js'

/** What codegen loads when it runs: optional peer dependencies of the package. */
export const CODEGEN_PACKAGES: readonly string[] = ['kysely-codegen', 'typescript']

/**
 * Every optional peer dependency and what loads it. The runtime library (`kysely-motherduck`) never
 * needs them; package.json's `peerDependencies` and `peerDependenciesMeta` list the same names (a test
 * keeps the two in step).
 */
export const OPTIONAL_PACKAGES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    LOCAL_ENDPOINT_PACKAGES.map((name) => [
      name,
      'the local endpoint (kysely-motherduck/local, `kysely-motherduck local`)',
    ]),
  ),
  'kysely-codegen': 'codegen (kysely-motherduck/codegen, `kysely-motherduck codegen`)',
  typescript: 'codegen: kysely-codegen loads it to parse type expressions',
}
