import { describe, expect, it } from 'vitest'
import { startupSettings } from '../../../src/local/startup/startup-settings.js'

describe('startupSettings', () => {
  it('reads parameters, then -c and -- options with escaped spaces, as Postgres does', () => {
    expect(
      startupSettings({
        user: 'me',
        database: 'md:',
        replication: 'false',
        '_pq_.option': 'x',
        application_name: 'app',
        options:
          '-c search_path=a,b  --statement-timeout=5s -cDateStyle=ISO -c application_name=a\\ b\\\\c -B 64',
      }),
    ).toEqual([
      ['application_name', 'app'],
      ['search_path', 'a,b'],
      ['statement_timeout', '5s'],
      ['DateStyle', 'ISO'],
      ['application_name', 'a b\\c'],
    ])
  })
})
