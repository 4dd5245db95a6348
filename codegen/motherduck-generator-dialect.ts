import type { Dialect } from 'kysely'
import { MotherDuckDialect } from '../src/dialect/motherduck-dialect.js'
import { type CreateKyselyDialectOptions, GeneratorDialect } from './kysely-codegen.js'
import {
  MotherDuckCodegenAdapter,
  type MotherDuckCodegenAdapterOptions,
} from './motherduck-codegen-adapter.js'
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
 * import { generate } from 'kysely-codegen'
 *
 * const dialect = new MotherDuckGeneratorDialect({ defaultSchema: 'main', databases: ['my_db'] })
 * const text = await generate({ db, dialect, defaultSchemas: ['main'], outFile: null })
 * ```
 *
 * The generated SQL: the three catalog queries of {@link MotherDuckCodegenIntrospector}.
 */
export class MotherDuckGeneratorDialect extends GeneratorDialect {
  override readonly adapter: MotherDuckCodegenAdapter
  override readonly introspector: MotherDuckCodegenIntrospector

  constructor(options: CodegenIntrospectionOptions & MotherDuckCodegenAdapterOptions) {
    super()
    this.adapter = new MotherDuckCodegenAdapter(options.defaultSchema, options)
    this.introspector = new MotherDuckCodegenIntrospector(this.adapter, options)
  }

  /** kysely-codegen's `Introspector.connect` path: the URL decides TLS (its `ssl` retry is not needed). */
  override async createKyselyDialect(options: CreateKyselyDialectOptions): Promise<Dialect> {
    return new MotherDuckDialect({ url: options.connectionString })
  }
}
