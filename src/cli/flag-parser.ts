import { MotherDuckError } from '../errors/motherduck-error.js'
/**
 * Command-line flags declared once as data: the parser and the help text both read the declarations,
 * so a flag cannot be parsed without being documented. Unknown flags are errors.
 */

/** How a flag takes its value. */
export type FlagKind =
  /** `--flag`, `--flag=true|false`, `--no-flag`. */
  | 'boolean'
  /** `--flag value` or `--flag=value`. */
  | 'string'
  /** Like `string`, and may be given several times. */
  | 'repeatable'
  /** `--flag` alone (= true) or `--flag=value`. */
  | 'optional-value'

export interface FlagSpec {
  /** The long name without dashes, kebab-case: `out-file`. */
  readonly name: string
  /** A one-letter alias: `h` for `-h`. */
  readonly short?: string
  readonly kind: FlagKind
  /** The value's name in the help text: `<path>`. */
  readonly valueName?: string
  /** The accepted values, checked by the parser and listed in the help. */
  readonly values?: readonly string[]
  /** The default as the help shows it. */
  readonly defaultText?: string
  readonly description: string
}

export type FlagValue = boolean | string | string[]

/** The parsed flags (by long name) and the arguments that are not flags. */
export interface ParsedFlags {
  readonly flags: Readonly<Record<string, FlagValue>>
  readonly positionals: readonly string[]
}

/** A flag is unknown, misses its value, or has a value it does not accept. */
export class FlagError extends MotherDuckError {
  override readonly name = 'FlagError'
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(message)
  }
}

const TRUE_WORDS = new Set(['true', '1', 'yes'])
const FALSE_WORDS = new Set(['false', '0', 'no'])

/**
 * Parses `argv` (without node, the script and the subcommand) against `specs`.
 *
 * ### Examples
 *
 * ```ts
 * parseFlags([{ name: 'out-file', kind: 'string', description: '…' }], ['--out-file', 'src/db.ts'])
 * // { flags: { 'out-file': 'src/db.ts' }, positionals: [] }
 * ```
 */
export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[]): ParsedFlags {
  const byName = new Map(specs.map((spec) => [spec.name, spec]))
  const byShort = new Map(specs.flatMap((spec) => (spec.short ? [[spec.short, spec]] : [])))
  const flags: Record<string, FlagValue> = {}
  const positionals: string[] = []

  const check = (spec: FlagSpec, value: string): string => {
    if (spec.values && !spec.values.includes(value)) {
      throw new FlagError(
        spec.name,
        `--${spec.name} does not accept "${value}"; use one of: ${spec.values.join(', ')}.`,
      )
    }
    return value
  }

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg)
      continue
    }
    const equals = arg.indexOf('=')
    const rawName = equals === -1 ? arg : arg.slice(0, equals)
    const inline = equals === -1 ? undefined : arg.slice(equals + 1)
    let spec: FlagSpec | undefined
    let negated = false
    if (rawName.startsWith('--')) {
      const name = rawName.slice(2)
      spec = byName.get(name)
      if (!spec && name.startsWith('no-')) {
        const positive = byName.get(name.slice(3))
        if (positive?.kind === 'boolean') {
          spec = positive
          negated = true
        }
      }
    } else if (rawName.length === 2) {
      spec = byShort.get(rawName.slice(1))
    }
    if (!spec) throw new FlagError(rawName, `Unknown flag ${rawName}.`)

    switch (spec.kind) {
      case 'boolean': {
        if (inline === undefined) {
          flags[spec.name] = !negated
        } else if (!negated && TRUE_WORDS.has(inline.toLowerCase())) {
          flags[spec.name] = true
        } else if (!negated && FALSE_WORDS.has(inline.toLowerCase())) {
          flags[spec.name] = false
        } else {
          throw new FlagError(spec.name, `--${spec.name} takes no value, or =true / =false.`)
        }
        break
      }
      case 'optional-value':
        flags[spec.name] = inline === undefined ? true : check(spec, inline)
        break
      case 'string':
      case 'repeatable': {
        let value = inline
        if (value === undefined) {
          const next = argv[i + 1]
          if (next === undefined || (next.startsWith('-') && next !== '-')) {
            throw new FlagError(
              spec.name,
              `--${spec.name} needs a value: --${spec.name} ${spec.valueName ?? '<value>'}.`,
            )
          }
          value = next
          i++
        }
        check(spec, value)
        if (spec.kind === 'repeatable') {
          const previous = flags[spec.name]
          flags[spec.name] = [...(Array.isArray(previous) ? previous : []), value]
        } else {
          flags[spec.name] = value
        }
        break
      }
    }
  }
  return { flags, positionals }
}

/** The options section of a help text, one line per flag, generated from the declarations. */
export function formatFlagHelp(specs: readonly FlagSpec[]): string {
  const heads = specs.map((spec) => {
    const value =
      spec.kind === 'string' || spec.kind === 'repeatable'
        ? ` ${spec.valueName ?? '<value>'}`
        : spec.kind === 'optional-value'
          ? `[=${spec.valueName ?? '<value>'}]`
          : ''
    return `  ${spec.short ? `-${spec.short}, ` : '    '}--${spec.name}${value}`
  })
  const width = Math.max(...heads.map((head) => head.length)) + 2
  return specs
    .map((spec, i) => {
      const notes = [
        ...(spec.values ? [`one of: ${spec.values.join(', ')}`] : []),
        ...(spec.kind === 'repeatable' ? ['repeatable'] : []),
        ...(spec.defaultText ? [`default: ${spec.defaultText}`] : []),
      ]
      const text = notes.length ? `${spec.description} (${notes.join('; ')})` : spec.description
      return `${heads[i]!.padEnd(width)}${text}`
    })
    .join('\n')
}
