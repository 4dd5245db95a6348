import {
  CODEGEN_OPTION_NAMES,
  type CodegenOptionName,
  type CodegenOptionSpec,
  codegenOption,
  codegenOptionFlag,
} from '../../codegen/codegen-options.js'
import type { CodegenConfig } from '../../codegen/config-file.js'
import type { FlagKind, FlagSpec } from './flag-parser.js'
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
}

function flagOf(name: CodegenOptionName): FlagSpec {
  const spec = codegenOption(name)
  const value = 'default' in spec ? spec.default : undefined
  return {
    name: codegenOptionFlag(name),
    kind: FLAG_KIND[spec.kind],
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

/** The options the command line gives, by option name: only the flags given. */
export function optionsFromFlags(flags: SubcommandFlags): CodegenConfig {
  const options: Record<string, unknown> = {}
  for (const name of CODEGEN_OPTION_NAMES) {
    const value = flags[codegenOptionFlag(name)]
    if (value !== undefined) options[name] = value
  }
  // FLAG_KIND makes each parsed value the option's type; the parser checked the choices.
  return options as CodegenConfig
}
