import type { Dialect } from 'kysely'
import { type CreateKyselyDialectOptions, GeneratorDialect } from 'kysely-codegen'
import { MotherDuckCodegenAdapter } from './motherduck-codegen-adapter.js'
import {
  type CodegenIntrospectionOptions,
  MotherDuckCodegenIntrospector,
} from './motherduck-codegen-introspector.js'

/**
 * kysely-codegen's dialect for MotherDuck: our introspector and adapter, for kysely-codegen's
 * programmatic API (`generate`, `serializeFromMetadata`), whose CLI only knows its built-in dialects.
 *
 * ### Examples
 *
 * ```ts
 * const dialect = new MotherDuckGeneratorDialect({ defaultSchema: 'main' })
 * const text = await generate({ db, dialect, outFile: null })
 * ```
 */
export class MotherDuckGeneratorDialect extends GeneratorDialect {
  override readonly adapter: MotherDuckCodegenAdapter
  override readonly introspector: MotherDuckCodegenIntrospector

  constructor(
    options: CodegenIntrospectionOptions,
    private readonly kyselyDialect?: (connectionString: string) => Dialect,
  ) {
    super()
    this.adapter = new MotherDuckCodegenAdapter(options.defaultSchema)
    this.introspector = new MotherDuckCodegenIntrospector(this.adapter, options)
  }

  override async createKyselyDialect(options: CreateKyselyDialectOptions): Promise<Dialect> {
    if (!this.kyselyDialect) {
      throw new Error('MotherDuckGeneratorDialect was built without a Kysely dialect factory.')
    }
    return this.kyselyDialect(options.connectionString)
  }
}
