import * as nodeModule from 'node:module'

const KYSELY_CODEGEN_FILE = /[/\\]node_modules[/\\]kysely-codegen[/\\]/

/**
 * kysely-codegen's CommonJS files `require('kysely')` (Kysely's CommonJS build: a second copy of Kysely
 * beside the ES module this package loads) and `require('typescript')`, up front. Start-up is most of a
 * codegen run, so for requires from kysely-codegen's own files only, `kysely` is the ES module already
 * loaded, and `typescript` a stand-in that loads TypeScript when kysely-codegen first uses it (to read a
 * type written as text: an `overrides` or `typeMapping` value). Where Node has no `registerHooks`
 * (before 22.15, Bun, Deno) kysely-codegen loads as it is.
 */
function routeKyselyCodegenRequires(): void {
  const { registerHooks } = nodeModule as Partial<typeof nodeModule>
  if (typeof registerHooks !== 'function') return
  // `.cts` when run from the sources (tests, tsx), `.cjs` once built.
  const extension = import.meta.url.endsWith('.ts') ? 'cts' : 'cjs'
  const lazyTypeScript = new URL(`./lazy-typescript.${extension}`, import.meta.url).href
  const kysely = import.meta.resolve('kysely')
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (context.parentURL !== undefined && KYSELY_CODEGEN_FILE.test(context.parentURL)) {
        if (specifier === 'typescript') return { url: lazyTypeScript, shortCircuit: true }
        if (specifier === 'kysely') return { url: kysely, format: 'module', shortCircuit: true }
      }
      return nextResolve(specifier, context)
    },
  })
}

routeKyselyCodegenRequires()
