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

module.exports = new Proxy(
  {},
  {
    // TypeScript is plain CommonJS: `__esModule` is not one of its keys, and asking must not load it.
    get: (_target, key) => (key === '__esModule' ? undefined : Reflect.get(load(), key)),
    has: (_target, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key)
      return descriptor && { ...descriptor, configurable: true }
    },
  },
)
