import type { RuntimeEnumsStyle } from 'kysely-codegen'
import { describe, expectTypeOf, it } from 'vitest'
import type { CODEGEN_OPTIONS } from '../../codegen/codegen-options.js'
import type { CodegenConfig, GenerateTypesOptions } from '../../codegen/index.js'
import type { NestedNullability } from '../../codegen/ts-shape.js'

describe('the option types derived from the codegen options table', () => {
  it('CodegenConfig has every option with its value type', () => {
    expectTypeOf<Required<CodegenConfig>>().toEqualTypeOf<{
      readonly outFile: string
      readonly verify: boolean
      readonly print: boolean
      readonly url: string
      readonly databases: readonly string[]
      readonly allDatabases: boolean
      readonly defaultSchema: string
      readonly includePattern: string
      readonly excludePattern: string
      readonly camelCase: boolean
      readonly runtimeEnums: boolean | 'pascal-case' | 'screaming-snake-case'
      readonly typeOnlyImports: boolean
      readonly nestedNullability: 'nullable' | 'non-null'
      readonly selfContained: boolean
      readonly int64: 'bigint' | 'number' | 'string'
      readonly numeric: 'string' | 'number'
    }>()
  })

  it("nestedNullability's modes are the serializer's", () => {
    expectTypeOf<
      (typeof CODEGEN_OPTIONS.nestedNullability.values)[number]
    >().toEqualTypeOf<NestedNullability>()
  })

  it("runtimeEnums' styles are kysely-codegen's", () => {
    expectTypeOf<
      (typeof CODEGEN_OPTIONS.runtimeEnums.values)[number]
    >().toEqualTypeOf<RuntimeEnumsStyle>()
  })

  it('generateTypes takes the shared options, not the CLI-only print', () => {
    expectTypeOf<GenerateTypesOptions>().toHaveProperty('outFile')
    expectTypeOf<GenerateTypesOptions>().toHaveProperty('runtimeEnums')
    expectTypeOf<GenerateTypesOptions['int64']>().toEqualTypeOf<
      'bigint' | 'number' | 'string' | undefined
    >()
    expectTypeOf<GenerateTypesOptions>().not.toHaveProperty('print')
  })
})
