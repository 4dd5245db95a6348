import { DummyDriver, Kysely } from 'kysely'
import { MotherDuckAdapter } from '../../src/dialect/motherduck-adapter.js'
import { MotherDuckIntrospector } from '../../src/dialect/motherduck-introspector.js'
import { MotherDuckQueryCompiler } from '../../src/dialect/motherduck-query-compiler.js'

/** A Kysely with the MotherDuck dialect's compiler but no connection, for exact-SQL assertions. */
export function compileOnlyDb<DB>(): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new MotherDuckAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new MotherDuckIntrospector(db),
      createQueryCompiler: () => new MotherDuckQueryCompiler(),
    },
  })
}
