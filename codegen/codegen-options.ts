import { DEFAULT_TYPE_PARSING } from '../src/types/duckdb-types.js'
import { CodegenOptionError } from './codegen-errors.js'

interface OptionFacts {
  /** One line for `--help`. */
  readonly description: string
  /** The CLI flag without dashes, when it is not the key in kebab-case. */
  readonly flag?: string
  /** The value's name in `--help`: `<path>`. */
  readonly valueName?: string
  /** The default, in words, when it is not a value (`the connected database`). */
  readonly defaultText?: string
  /**
   * `false` for options of the CLI and config file only: `generateTypes()` prints nothing, and takes
   * `url` (without the config file's `env(VARIABLE)` form) through its connection options.
   */
  readonly generateTypes?: false
}

/**
 * One option's declaration in {@link CODEGEN_OPTIONS}. Its `kind` says how the value is written on the
 * command line and in a config file.
 */
export type CodegenOptionSpec =
  /** `--flag`, `--no-flag`, `--flag=true|false`; config: `true` or `false`. */
  | (OptionFacts & { readonly kind: 'boolean'; readonly default?: boolean })
  /** `--flag <value>`; config: a string. */
  | (OptionFacts & {
      readonly kind: 'string'
      /** What a config file must hold, for its error message: `a path`. */
      readonly accepts: string
      readonly default?: string
    })
  /** `--flag <value>`, repeatable; config: an array of strings. */
  | (OptionFacts & { readonly kind: 'string-list'; readonly accepts: string })
  /** `--flag <value>`, one of `values`; config: one of `values`. */
  | (OptionFacts & {
      readonly kind: 'choice'
      readonly values: readonly string[]
      readonly default?: string
    })
  /** `--flag` alone (`true`) or `--flag=<value>`; config: `true`, `false` or one of `values`. */
  | (OptionFacts & {
      readonly kind: 'boolean-or-choice'
      readonly values: readonly string[]
      readonly default?: boolean | string
    })

/**
 * Every codegen option, declared once as data. The rest is derived from this table:
 * - the option types: {@link CodegenOptionValues}, so `CodegenConfig` and most of `GenerateTypesOptions`;
 * - the config-file checks and their messages (`config-file.ts`);
 * - the CLI flags, how their values become options, and `kysely-motherduck codegen --help`
 *   (`src/cli/codegen-flags.ts`).
 *
 * An option is keyed by its name in a config file and in `generateTypes()` (camelCase); its flag is
 * that name in kebab-case unless `flag` says otherwise.
 */
export const CODEGEN_OPTIONS = {
  outFile: {
    kind: 'string',
    valueName: '<path>',
    accepts: 'a path',
    description:
      'Write the types to this file (directories are created; unchanged files are not rewritten).',
  },
  verify: {
    kind: 'boolean',
    default: false,
    description:
      'Write nothing; exit 1 and print a diff when --out-file differs from the database (for CI).',
  },
  print: {
    kind: 'boolean',
    default: false,
    generateTypes: false,
    description: 'Print the types on stdout instead of writing them.',
  },
  url: {
    kind: 'string',
    valueName: '<postgresql://…>',
    accepts: 'a postgresql:// URL or env(VARIABLE)',
    defaultText: 'MOTHERDUCK_URL, else MOTHERDUCK_TOKEN + MOTHERDUCK_REGION + MOTHERDUCK_DATABASE',
    generateTypes: false,
    description: 'Connection URL; the token is the password.',
  },
  databases: {
    kind: 'string-list',
    flag: 'database',
    valueName: '<name>',
    accepts: 'an array of database names',
    defaultText: 'the connected database',
    description: 'Generate types for this database.',
  },
  allDatabases: {
    kind: 'boolean',
    default: false,
    description: 'Generate types for every attached database.',
  },
  defaultSchema: {
    kind: 'string',
    valueName: '<schema>',
    accepts: 'a schema name',
    default: 'main',
    description:
      "Key this schema's tables as 'table'; other schemas as 'schema.table', other databases as 'database:schema.table'.",
  },
  includePattern: {
    kind: 'string',
    valueName: '<glob>',
    accepts: 'a glob',
    description:
      "Only tables matching the glob: on 'table', 'schema.table' or 'database.schema.table' (by its dots).",
  },
  excludePattern: {
    kind: 'string',
    valueName: '<glob>',
    accepts: 'a glob',
    description: 'Leave out tables matching the glob (same forms as --include-pattern).',
  },
  camelCase: {
    kind: 'boolean',
    default: false,
    description: "Column and STRUCT field names as Kysely's CamelCasePlugin returns them.",
  },
  runtimeEnums: {
    kind: 'boolean-or-choice',
    valueName: '<style>',
    // `true` (the flag alone) is kysely-codegen's screaming-snake-case.
    values: ['pascal-case', 'screaming-snake-case'],
    default: false,
    description:
      'Named ENUM types as TypeScript enums instead of unions of their labels; alone: screaming-snake-case.',
  },
  typeOnlyImports: {
    kind: 'boolean',
    default: true,
    description: 'Write `import type { … }`; --no-type-only-imports writes plain imports.',
  },
  nestedNullability: {
    kind: 'choice',
    valueName: '<mode>',
    values: ['nullable', 'non-null'],
    default: 'nullable',
    description:
      'STRUCT fields, list elements and MAP values typed `T | null` (DuckDB allows NULL there), or `T`.',
  },
  selfContained: {
    kind: 'boolean',
    default: true,
    description:
      'Write JsonValue and IntervalValue into the file; --no-self-contained imports them from kysely-motherduck.',
  },
  int64: {
    kind: 'choice',
    valueName: '<mode>',
    values: ['bigint', 'number', 'string'],
    default: DEFAULT_TYPE_PARSING.int64,
    description: "BIGINT and UINTEGER as the dialect's typeParsing.int64 returns them.",
  },
  numeric: {
    kind: 'choice',
    valueName: '<mode>',
    values: ['string', 'number'],
    default: DEFAULT_TYPE_PARSING.numeric,
    description:
      "DECIMAL, HUGEINT, UHUGEINT, UBIGINT, BIGNUM as the dialect's typeParsing.numeric returns them.",
  },
} as const satisfies Record<string, CodegenOptionSpec>

/** An option's name in a config file and in `generateTypes()`: `outFile`. */
export type CodegenOptionName = keyof typeof CODEGEN_OPTIONS

/** The value type an option's kind stands for. */
type ValueOf<S> = S extends { readonly kind: 'boolean' }
  ? boolean
  : S extends { readonly kind: 'string' }
    ? string
    : S extends { readonly kind: 'string-list' }
      ? readonly string[]
      : S extends { readonly kind: 'choice'; readonly values: readonly (infer V)[] }
        ? V
        : S extends { readonly kind: 'boolean-or-choice'; readonly values: readonly (infer V)[] }
          ? boolean | V
          : never

/**
 * The options of {@link CODEGEN_OPTIONS} as a type, each optional: see each entry there for what it does
 * and its default.
 */
export type CodegenOptionValues = {
  readonly [K in CodegenOptionName]?: ValueOf<(typeof CODEGEN_OPTIONS)[K]> | undefined
}

/** The options `generateTypes()` takes from the table (not those marked `generateTypes: false`). */
export type GenerateTypesOptionName = {
  [K in CodegenOptionName]: (typeof CODEGEN_OPTIONS)[K] extends { readonly generateTypes: false }
    ? never
    : K
}[CodegenOptionName]

/** The option names of {@link CODEGEN_OPTIONS}, in their order. */
export const CODEGEN_OPTION_NAMES = Object.keys(CODEGEN_OPTIONS) as CodegenOptionName[]

/** The declaration of `name`, widened to {@link CodegenOptionSpec} for code that walks the table. */
export function codegenOption(name: CodegenOptionName): CodegenOptionSpec {
  return CODEGEN_OPTIONS[name]
}

/** The CLI flag of an option, without dashes: `out-file` for `outFile`, `database` for `databases`. */
export function codegenOptionFlag(name: CodegenOptionName): string {
  return codegenOption(name).flag ?? name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
}

/**
 * The rules between options, checked before connecting by `generateTypes()` and by the CLI. `spell`
 * writes an option's name as the caller's user knows it: `` `outFile` `` or `--out-file`.
 */
export function checkCodegenOptionCombinations(
  options: CodegenOptionValues,
  spell: (name: CodegenOptionName) => string,
): void {
  if (options.verify && options.outFile === undefined) {
    throw new CodegenOptionError(
      'verify',
      `${spell('verify')} compares with a file: give ${spell('outFile')} too.`,
    )
  }
  if (options.allDatabases && options.databases?.length) {
    throw new CodegenOptionError(
      'allDatabases',
      `${spell('allDatabases')} and ${spell('databases')} exclude each other: give one of them.`,
    )
  }
}
