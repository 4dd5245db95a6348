import { DEFAULT_TYPE_PARSING } from '../src/types/duckdb-types.js'
import { CodegenOptionError } from './codegen-errors.js'

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** An object of strings: `typeMapping`, `customImports`, `singularize`'s exceptions. */
const isStringRecord = (value: unknown): value is Readonly<Record<string, string>> =>
  isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string')

/**
 * kysely-codegen's `overrides` as a config file writes them: `{ columns: { 'table.column': 'Type' } }`.
 * (`generateTypes` also takes kysely-codegen's expression nodes as values.)
 */
export interface ColumnTypeOverrides {
  readonly columns?: Readonly<Record<string, string>> | undefined
}

const isColumnTypeOverrides = (value: unknown): value is ColumnTypeOverrides =>
  isPlainObject(value) &&
  Object.keys(value).every((key) => key === 'columns') &&
  (value.columns === undefined || isStringRecord(value.columns))

const isSingularize = (value: unknown): value is boolean | Readonly<Record<string, string>> =>
  typeof value === 'boolean' || isStringRecord(value)

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
   * `--flag <json>` (kysely-codegen's flags take JSON too); config: the value itself. `check` says what
   * is accepted, and its type predicate gives the option's type.
   */
  | (OptionFacts & {
      readonly kind: 'json'
      /** What the value must be, for error messages: `an object of type names to TypeScript types`. */
      readonly accepts: string
      /** A value `check` accepts, as JSON: shown in `--help` and in error messages. */
      readonly example: string
      readonly check: (value: unknown) => boolean
      /** `--flag` alone stands for `true` (`--singularize`). */
      readonly bareFlag?: boolean
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
  timestamp: {
    kind: 'choice',
    valueName: '<mode>',
    values: ['date', 'string'],
    default: DEFAULT_TYPE_PARSING.timestamp,
    description: "TIMESTAMP and TIMESTAMPTZ as the dialect's typeParsing.timestamp returns them.",
  },
  overrides: {
    kind: 'json',
    valueName: '<json>',
    accepts: 'an object { "columns": { "<table>.<column>": "<TypeScript type>" } }',
    example: '{"columns":{"events.payload":"{ kind: string } | null"}}',
    check: isColumnTypeOverrides,
    description:
      "A column's whole type, as written (add `| null` yourself); keyed by the table's key in DB, then the column.",
  },
  typeMapping: {
    kind: 'json',
    valueName: '<json>',
    accepts: 'an object of DuckDB type or ENUM names to TypeScript types',
    example: '{"timestamptz":"Temporal.Instant","uuid":"Uuid"}',
    check: isStringRecord,
    description:
      'Columns of a DuckDB type (and lists of it), or of a named ENUM, typed as this TypeScript type.',
  },
  customImports: {
    kind: 'json',
    valueName: '<json>',
    accepts: 'an object of type names to modules (`./module#Name` for another name)',
    example: '{"Uuid":"./types","Instant":"temporal-polyfill#Temporal"}',
    check: isStringRecord,
    description: 'Import these names, when the file uses them (in overrides or typeMapping).',
  },
  singularize: {
    kind: 'json',
    valueName: '<json>',
    accepts: 'a boolean, or an object of plural to singular names',
    example: '{"people":"person"}',
    check: isSingularize,
    bareFlag: true,
    description: 'Singular table interface names (`Order` for orders); the object adds exceptions.',
  },
  includeKyselyTables: {
    kind: 'boolean',
    default: false,
    description: "Type Kysely's migration tables (kysely_migration, kysely_migration_lock) too.",
  },
  failOnEmpty: {
    kind: 'boolean',
    default: false,
    description: 'Fail when no table matches (always with --verify); otherwise it is a warning.',
  },
  skipAutogeneratedFileComment: {
    kind: 'boolean',
    default: false,
    description: 'Leave out the comment at the top of the file that says how it was generated.',
  },
  logLevel: {
    kind: 'choice',
    valueName: '<level>',
    values: ['silent', 'error', 'warn', 'info', 'debug'],
    default: 'info',
    generateTypes: false,
    description:
      'What the command prints on stderr/stdout besides the types: info adds the summary, debug the config read.',
  },
  envFile: {
    kind: 'string',
    valueName: '<path>',
    accepts: 'a path',
    default: '.env',
    generateTypes: false,
    description:
      'Read environment variables from this file (the environment wins); an explicit file must exist.',
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
          : S extends {
                readonly kind: 'json'
                readonly check: (value: unknown) => value is infer T
              }
            ? T
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
  options: Pick<CodegenOptionValues, 'verify' | 'outFile' | 'allDatabases' | 'databases'>,
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
