import { MotherDuckError } from '../../errors/motherduck-error.js'
/** The fields of a Postgres ErrorResponse that the local endpoint fills in. */
export interface PgErrorFields {
  readonly severity: 'ERROR' | 'FATAL'
  readonly code: string
  readonly message: string
  readonly detail?: string
  readonly hint?: string
  readonly position?: number
}

/**
 * An error the endpoint raises itself (a refused statement, a bad parameter, a protocol violation),
 * carried to the client as an ErrorResponse with `code` as its SQLSTATE.
 *
 * ### Examples
 * ```ts
 * throw new EndpointError('0A000', 'MotherDuck does not support ATTACH.', {
 *   hint: 'Query other databases with three-part names (db.schema.table).',
 * })
 * ```
 */
export class EndpointError extends MotherDuckError {
  override readonly name = 'EndpointError'
  readonly code: string
  readonly severity: 'ERROR' | 'FATAL'
  readonly detail?: string
  readonly hint?: string

  constructor(
    code: string,
    message: string,
    extra: { severity?: 'ERROR' | 'FATAL'; detail?: string; hint?: string } = {},
  ) {
    super(message)
    this.code = code
    this.severity = extra.severity ?? 'ERROR'
    if (extra.detail !== undefined) this.detail = extra.detail
    if (extra.hint !== undefined) this.hint = extra.hint
  }
}

interface Rule {
  /** DuckDB's error class, the text before ` Error: ` (`Catalog`, `Binder`, `Constraint`…). */
  readonly type?: string
  /** Tested against the message after the class prefix. */
  readonly pattern?: RegExp
  readonly code: string
  readonly hint?: string
  readonly severity?: 'FATAL'
}

const CAST_HINT =
  'DuckDB could not infer the type of a parameter or literal here: add an explicit cast, ' +
  'e.g. CAST($1 AS INTEGER) or $1::DATE.'

const HTTPFS_HINT =
  'The local endpoint cannot load httpfs offline: map the URL prefix to a local directory with ' +
  "the objectStore option, e.g. { 's3://bucket': './data' }."

// First match wins: specific message patterns before the catch-all of each error class.
const RULES: readonly Rule[] = [
  { type: 'Parser', code: '42601' },
  { type: 'Syntax', code: '42601' },

  { pattern: /Current transaction is aborted/i, code: '25P02' },
  { pattern: /Division by zero|divide by zero/i, code: '22012' },
  { pattern: /read-only mode|read only mode|read-only database/i, code: '42501' },

  { type: 'Catalog', pattern: /^Table with name .* does not exist/i, code: '42P01' },
  { type: 'Catalog', pattern: /^View with name .* does not exist/i, code: '42P01' },
  { type: 'Catalog', pattern: /Function with name .* does not exist/i, code: '42883' },
  { type: 'Catalog', pattern: /^Schema with name .* does not exist/i, code: '3F000' },
  { type: 'Catalog', pattern: /^Type with name .* does not exist/i, code: '42704' },
  {
    type: 'Catalog',
    pattern: /^Catalog .* does not exist|No catalog \+ schema named/i,
    code: '3D000',
  },
  { type: 'Catalog', pattern: /^(Table|View) with name .* already exists/i, code: '42P07' },
  { type: 'Catalog', pattern: /^Schema with name .* already exists/i, code: '42P06' },
  { type: 'Catalog', pattern: /already exists/i, code: '42710' },
  { type: 'Catalog', pattern: /unrecognized configuration parameter/i, code: '42704' },
  { type: 'Catalog', pattern: /does not exist/i, code: '42704' },
  { type: 'Catalog', pattern: /Cannot drop entry .* because/i, code: '2BP01' },
  { type: 'Catalog', code: '42000' },

  {
    type: 'Binder',
    pattern: /Referenced column .* not found|Could not find key .* in struct/i,
    code: '42703',
  },
  { type: 'Binder', pattern: /Column .* does not exist|column .* not found/i, code: '42703' },
  {
    type: 'Binder',
    pattern: /Referenced table .* not found|Table .* does not exist/i,
    code: '42P01',
  },
  { type: 'Binder', pattern: /^Catalog .* does not exist|^Database .* not found/i, code: '3D000' },
  { type: 'Binder', pattern: /ambiguous/i, code: '42702' },
  {
    type: 'Binder',
    pattern: /Could not choose a best candidate function|No function matches/i,
    code: '42883',
    hint: CAST_HINT,
  },
  { type: 'Binder', pattern: /must appear in the GROUP BY clause|GROUP BY/i, code: '42803' },
  { type: 'Binder', code: '42000' },

  { type: 'Constraint', pattern: /NOT NULL/i, code: '23502' },
  { type: 'Constraint', pattern: /foreign key/i, code: '23503' },
  { type: 'Constraint', pattern: /CHECK constraint/i, code: '23514' },
  { type: 'Constraint', pattern: /Duplicate key|unique|primary key/i, code: '23505' },
  { type: 'Constraint', code: '23000' },

  { type: 'Conversion', pattern: /Unimplemented type for cast/i, code: '42846' },
  { type: 'Conversion', pattern: /out of range/i, code: '22003' },
  { type: 'Conversion', code: '22P02' },
  { type: 'Out of Range', code: '22003' },
  { type: 'Decimal', code: '22003' },
  { type: 'Divide by Zero', code: '22012' },
  { type: 'Mismatch Type', code: '42804' },
  { type: 'Invalid type', code: '42804' },
  { type: 'Unknown Type', code: '42704' },

  { type: 'INTERRUPT', code: '57014' },
  { type: 'Interrupt', code: '57014' },

  { type: 'TransactionContext', pattern: /no transaction is active/i, code: '25P01' },
  { type: 'TransactionContext', pattern: /within a transaction|already active/i, code: '25001' },
  { type: 'TransactionContext', pattern: /conflict/i, code: '40001' },
  { type: 'TransactionContext', code: '25000' },

  { type: 'Not implemented', code: '0A000' },
  { type: 'Permission', code: '42501' },
  { type: 'Dependency', code: '2BP01' },
  { type: 'Sequence', code: '2200H' },
  { type: 'Object Size', code: '54000' },
  { type: 'Out of Memory', code: '53200' },

  { type: 'Parameter Not Resolved', code: '42P18', hint: CAST_HINT },
  { type: 'Parameter Not Allowed', code: '0A000' },
  { type: 'Invalid Input', pattern: /Expected \d+ parameters?, but/i, code: '08P01' },
  { type: 'Invalid Input', pattern: /Values were not provided for the following/i, code: '08P01' },
  { type: 'Invalid Input', code: '22023' },
  { type: 'Settings', code: '22023' },
  { type: 'Invalid Configuration', code: '22023' },

  { type: 'IO', pattern: /No files found|No such file|does not exist|not found/i, code: '58P01' },
  { type: 'IO', code: '58030' },
  { type: 'HTTP', code: '58030', hint: HTTPFS_HINT },
  { type: 'Missing Extension', code: '0A000', hint: HTTPFS_HINT },
  { type: 'Extension Autoloading', code: '0A000', hint: HTTPFS_HINT },

  { type: 'FATAL', code: 'XX000', severity: 'FATAL' },
]

const DUCKDB_ERROR = /^([A-Za-z][A-Za-z ]*?) Error: ([\s\S]*)$/

/**
 * The SQLSTATE, severity and message for anything thrown while running SQL. DuckDB errors keep
 * DuckDB's own message text (what MotherDuck users see) and get their code from DuckDB's error class
 * and message; an {@link EndpointError} keeps its own fields; anything else is XX000.
 *
 * ### Examples
 * ```ts
 * toPgError(new Error('Catalog Error: Table with name nope does not exist!'))
 * // { severity: 'ERROR', code: '42P01', message: 'Catalog Error: Table with name nope does not exist!' }
 * ```
 */
export function toPgError(error: unknown): PgErrorFields {
  if (error instanceof EndpointError) {
    return {
      severity: error.severity,
      code: error.code,
      message: error.message,
      ...(error.detail === undefined ? {} : { detail: error.detail }),
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    }
  }
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : String(error)
  const match = DUCKDB_ERROR.exec(message)
  if (match) {
    const type = match[1]!
    const body = match[2]!
    for (const rule of RULES) {
      if (rule.type !== undefined && rule.type.toLowerCase() !== type.toLowerCase()) continue
      if (rule.pattern !== undefined && !rule.pattern.test(body)) continue
      return {
        severity: rule.severity ?? 'ERROR',
        code: rule.code,
        message,
        ...(rule.hint === undefined ? {} : { hint: rule.hint }),
      }
    }
  }
  return { severity: 'ERROR', code: 'XX000', message: message || 'Internal error' }
}
