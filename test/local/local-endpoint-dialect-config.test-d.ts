import { describe, expectTypeOf, it } from 'vitest'
import { MotherDuckDialect, type MotherDuckDialectConfig } from '../../src/index.js'
import type {
  LocalEndpoint,
  LocalEndpointDialectConfig,
  LocalEndpointSsl,
} from '../../src/local/index.js'

declare const endpoint: LocalEndpoint

describe('endpoint.dialectConfig()', () => {
  it('is a MotherDuckDialectConfig, though src/local does not import the dialect', () => {
    expectTypeOf<LocalEndpointDialectConfig>().toExtend<MotherDuckDialectConfig>()
    expectTypeOf<LocalEndpointSsl>().toExtend<NonNullable<MotherDuckDialectConfig['ssl']>>()
    new MotherDuckDialect(endpoint.dialectConfig())
    new MotherDuckDialect(endpoint.dialectConfig({ database: 'my_db', ssl: { ca: 'pem' } }))
    const config: MotherDuckDialectConfig = { ...endpoint.dialectConfig(), pool: { max: 1 } }
    expectTypeOf(config).toEqualTypeOf<MotherDuckDialectConfig>()
  })

  it('takes a database and an ssl option, nothing else', () => {
    // @ts-expect-error: the token is the endpoint's
    endpoint.dialectConfig({ token: 'other' })
    // @ts-expect-error: not an ssl mode
    endpoint.dialectConfig({ ssl: 'prefer' })
  })
})
