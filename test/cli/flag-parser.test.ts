import { describe, expect, it } from 'vitest'
import { FlagError, type FlagSpec, formatFlagHelp, parseFlags } from '../../src/cli/flag-parser.js'

const SPECS: readonly FlagSpec[] = [
  { name: 'out-file', kind: 'string', valueName: '<path>', description: 'Where.' },
  { name: 'verify', kind: 'boolean', description: 'Check.' },
  { name: 'type-only-imports', kind: 'boolean', defaultText: 'true', description: 'Imports.' },
  { name: 'database', kind: 'repeatable', valueName: '<name>', description: 'A database.' },
  {
    name: 'runtime-enums',
    kind: 'optional-value',
    values: ['pascal-case', 'screaming-snake-case'],
    description: 'Enums.',
  },
  { name: 'int64', kind: 'string', values: ['bigint', 'number'], description: 'Mode.' },
  { name: 'help', short: 'h', kind: 'boolean', description: 'Help.' },
]

describe('parseFlags', () => {
  it('reads values after a space or an equals sign, and repeats', () => {
    const { flags, positionals } = parseFlags(SPECS, [
      '--out-file',
      'src/db.ts',
      '--database=a',
      '--database',
      'b',
      '--int64=number',
      'extra',
    ])
    expect(flags).toEqual({ 'out-file': 'src/db.ts', database: ['a', 'b'], int64: 'number' })
    expect(positionals).toEqual(['extra'])
  })

  it('reads booleans as --flag, --no-flag, --flag=false, and short names', () => {
    expect(parseFlags(SPECS, ['--verify', '--no-type-only-imports', '-h']).flags).toEqual({
      verify: true,
      'type-only-imports': false,
      help: true,
    })
    expect(parseFlags(SPECS, ['--verify=false']).flags).toEqual({ verify: false })
  })

  it('takes an optional value only after =', () => {
    expect(parseFlags(SPECS, ['--runtime-enums']).flags).toEqual({ 'runtime-enums': true })
    expect(parseFlags(SPECS, ['--runtime-enums=pascal-case']).flags).toEqual({
      'runtime-enums': 'pascal-case',
    })
  })

  it('rejects unknown flags, missing values and values outside the list', () => {
    expect(() => parseFlags(SPECS, ['--out'])).toThrow(
      new FlagError('--out', 'Unknown flag --out.'),
    )
    expect(() => parseFlags(SPECS, ['--no-out-file'])).toThrow(FlagError)
    expect(() => parseFlags(SPECS, ['--out-file'])).toThrow(/--out-file needs a value/)
    expect(() => parseFlags(SPECS, ['--out-file', '--verify'])).toThrow(/needs a value/)
    expect(() => parseFlags(SPECS, ['--int64=huge'])).toThrow(/one of: bigint, number/)
    expect(() => parseFlags(SPECS, ['--verify=maybe'])).toThrow(/takes no value/)
  })
})

describe('formatFlagHelp', () => {
  it('documents every declared flag with its value, choices and default', () => {
    const help = formatFlagHelp(SPECS)
    for (const spec of SPECS) expect(help).toContain(`--${spec.name}`)
    expect(help).toContain('--out-file <path>')
    expect(help).toContain('-h, --help')
    expect(help).toContain('one of: pascal-case, screaming-snake-case')
    expect(help).toContain('default: true')
    expect(help).toContain('repeatable')
  })
})
