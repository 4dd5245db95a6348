import {
  CODEGEN_OPTION_NAMES,
  type CodegenOptionName,
  type CodegenOptionSpec,
  codegenOption,
  codegenOptionFlag,
} from '../../codegen/codegen-options.js'
import type { CodegenConfig } from '../../codegen/config-file.js'
import { FlagError, type FlagKind, type FlagSpec } from './flag-parser.js'
import type { SubcommandFlags } from './subcommand.js'

/**
 * The codegen options' flags, derived from the table in `codegen/codegen-options.ts`: each option kind
 * has the flag kind whose parsed value is already the option's value (a boolean, a string, a list of
 * strings, or `true` / one of the values).
 */
const FLAG_KIND: Record<CodegenOptionSpec['kind'], FlagKind> = {
  boolean: 'boolean',
  string: 'string',
  'string-list': 'repeatable',
  choice: 'string',
  'boolean-or-choice': 'optional-value',
  json: 'string',
}

function flagOf(name: CodegenOptionName): FlagSpec {
  const spec = codegenOption(name)
  const value = 'default' in spec ? spec.default : undefined
  return {
    name: codegenOptionFlag(name),
    kind: spec.kind === 'json' && spec.bareFlag ? 'optional-value' : FLAG_KIND[spec.kind],
    valueName: spec.valueName,
    values: 'values' in spec ? spec.values : undefined,
    // `false` is what leaving a flag out means: not worth a "default:" in the help.
    defaultText:
      spec.defaultText ?? (value === undefined || value === false ? undefined : `${value}`),
    description: spec.description,
  }
}

/** One flag per codegen option, in the table's order. */
export const CODEGEN_OPTION_FLAGS: readonly FlagSpec[] = CODEGEN_OPTION_NAMES.map(flagOf)

/** A JSON flag's value, checked as a config file's would be. */
function parseJsonFlag(name: CodegenOptionName, text: string): unknown {
  const spec = codegenOption(name)
  const flag = codegenOptionFlag(name)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  if (spec.kind !== 'json' || value === undefined || !spec.check(value)) {
    const expected = spec.kind === 'json' ? `${spec.accepts}, e.g. --${flag}='${spec.example}'` : ''
    throw new FlagError(flag, `--${flag} takes JSON: ${expected}.`)
  }
  return value
}

/**
 * The options the command line gives, by option name: only the flags given. Throws {@link FlagError}
 * for a JSON flag whose value is not what its option accepts.
 */
export function optionsFromFlags(flags: SubcommandFlags): CodegenConfig {
  const options: Record<string, unknown> = {}
  for (const name of CODEGEN_OPTION_NAMES) {
    const value = flags[codegenOptionFlag(name)]
    if (value === undefined) continue
    // FLAG_KIND makes each parsed value the option's type (the parser checked the choices), but for
    // JSON text; a bare JSON flag is `true`.
    options[name] =
      codegenOption(name).kind === 'json' && typeof value === 'string'
        ? parseJsonFlag(name, value)
        : value
  }
  return options as CodegenConfig
}
