import { MotherDuckError } from '../../errors/motherduck-error.js'
import type { SqlState } from './sql-state.js'

/**
 * An error the endpoint raises itself (a refused statement, a bad parameter, a failed login),
 * carried to the client as an ErrorResponse with `code` as its SQLSTATE.
 *
 * ### Examples
 * ```ts
 * throw new EndpointError(SqlState.FeatureNotSupported, 'MotherDuck does not support ATTACH.', {
 *   hint: 'Query other databases with three-part names (db.schema.table).',
 * })
 * ```
 */
export class EndpointError extends MotherDuckError {
  override readonly name = 'EndpointError'
  readonly code: SqlState
  readonly severity: 'ERROR' | 'FATAL'
  readonly detail?: string
  readonly hint?: string

  constructor(
    code: SqlState,
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
