/**
 * What kysely-codegen gets for `require('typescript')` (see `kysely-codegen-modules.ts`): TypeScript,
 * loaded on first use. kysely-codegen needs it only to read type expressions written as text (an
 * `overrides` or `typeMapping` value); the module itself takes longer to load than the rest of codegen.
 */
type TypeScript = typeof import('typescript')

let typescript: TypeScript | undefined
const load = (): TypeScript => {
  typescript ??= require('typescript') as TypeScript
  return typescript
}

// TypeScript is plain CommonJS: module loaders' interop checks (`__esModule`, and `module.exports` for
// an ES module required from CommonJS) find nothing, without loading it.
const INTEROP_KEYS = new Set<string | symbol>(['__esModule', 'module.exports'])

module.exports = new Proxy(
  {},
  {
    get: (_target, key) => (INTEROP_KEYS.has(key) ? undefined : Reflect.get(load(), key)),
    has: (_target, key) => !INTEROP_KEYS.has(key) && Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => {
      if (INTEROP_KEYS.has(key)) return undefined
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key)
      return descriptor && { ...descriptor, configurable: true }
    },
  },
)
