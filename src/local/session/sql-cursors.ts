import type { DuckDBDataChunk, DuckDBPreparedStatement, DuckDBResult } from '@duckdb/node-api'
import { StatementType } from '@duckdb/node-api'
import type { CursorCommand } from '../../sql/cursor-command.js'
import { describeStatement, type StatementInfo } from '../../sql/sql-statements.js'
import { isKeyword, splitStatements, tokenizeSql } from '../../sql/sql-tokenizer.js'
import type { WireColumn } from '../encode/value-encoder.js'
import { EndpointError } from '../errors/endpoint-error.js'
import { formatBytes } from '../errors/format-bytes.js'
import { SqlState } from '../errors/sql-state.js'
import type { Portal, PreparedStatements, Statement } from './prepared-statements.js'
import { ResultCursor, type RowWindow } from './result-cursor.js'
import type { SessionLimits } from './session-limits.js'
import type { SessionSettings } from './session-settings.js'
import type { CatalogEpoch } from './statement-cache.js'
import type { Outcome, RowSource, StatementRunner } from './statement-runner.js'

/** The cursor commands that parsed (a syntax error is SessionCommands'). */
export type CursorStatement = Exclude<CursorCommand, { kind: 'syntax-error' }>
type Declare = Extract<CursorCommand, { kind: 'declare' }>
type Fetch = Extract<CursorCommand, { kind: 'fetch' }>

/** Where a cursor command came from: the simple protocol's statement text, or a portal (Bind). */
export interface CursorCommandSource {
  /** The statement's text after MotherDuck's rules (the simple protocol). */
  readonly text?: string
  /** The portal running the command (the extended protocol). */
  readonly portal?: Portal
}

/**
 * Postgres' SQL-level cursors: `DECLARE name CURSOR [WITH HOLD] FOR query`, `FETCH` / `MOVE`
 * forward, `CLOSE name | ALL`. As in Postgres, a cursor is a portal: DECLARE runs the query in
 * DuckDB and puts its rows in a portal of the session's registry under the cursor's name (so
 * Describe and Execute of that portal work too, as psycopg 3 relies on), and FETCH reads the next
 * rows of that portal's ResultCursor, streamed like any result — including the spill into memory
 * (up to maxSpillBytes) when another statement needs the DuckDB connection.
 *
 * Cursors end with their transaction, except WITH HOLD ones: those are read into memory when
 * their transaction commits (or at once, when declared outside a transaction block), up to
 * maxSpillBytes; a bigger one fails the COMMIT (or the DECLARE) with 54000. Cursors read forward
 * only: SCROLL is refused with 0A000, backward directions with Postgres' 55000. A BINARY cursor's
 * rows are in binary format; FETCH's own result formats do not change a cursor's format.
 */
export class SqlCursors {
  constructor(
    private readonly runner: StatementRunner,
    private readonly statements: PreparedStatements,
    private readonly settings: SessionSettings,
    private readonly catalog: CatalogEpoch,
    private readonly limits: SessionLimits,
    private readonly inTransactionBlock: () => boolean,
  ) {}

  /**
   * What Parse prepares in DuckDB for a cursor command: DECLARE's query (Bind's parameters are
   * its parameters); null for FETCH, MOVE and CLOSE, which never reach DuckDB.
   */
  async shape(command: CursorStatement, text: string): Promise<DuckDBPreparedStatement | null> {
    if (command.kind !== 'declare') return null
    return this.runner.prepare(declaredQuery(text).sql)
  }

  /** RowDescription of a prepared FETCH: its cursor's columns; null (NoData) for anything else. */
  columns(command: CursorStatement): readonly WireColumn[] | null {
    if (command.kind !== 'fetch' || command.move) return null
    const portal = this.statements.getPortal(command.name)
    if (portal === undefined || portal.state.kind === 'initial') return null
    const outcome = portal.state.outcome
    return outcome.kind === 'rows' ? outcome.cursor.columns : null
  }

  async run(command: CursorStatement, source: CursorCommandSource): Promise<Outcome> {
    switch (command.kind) {
      case 'declare':
        await this.declare(command, source)
        return { kind: 'tag', tag: 'DECLARE CURSOR' }
      case 'fetch':
        return this.fetch(command)
      case 'close':
        if (command.name === null) {
          this.statements.removePortals(source.portal, true)
          return { kind: 'tag', tag: 'CLOSE CURSOR ALL' }
        }
        this.requireCursor(command.name)
        this.statements.removePortal(command.name)
        return { kind: 'tag', tag: 'CLOSE CURSOR' }
    }
  }

  /**
   * Before COMMIT: the WITH HOLD cursors of the transaction are read into memory, to outlive it;
   * 54000 (and the transaction is rolled back) when one holds more than maxSpillBytes.
   */
  async holdForCommit(): Promise<void> {
    const portals = this.statements.cursorsToHold()
    if (portals.length > 0) await this.hold(portals)
  }

  private async declare(command: Declare, source: CursorCommandSource): Promise<void> {
    const { name } = command
    if (name === '') {
      throw new EndpointError(
        SqlState.SyntaxError,
        'zero-length delimited identifier at or near """"',
      )
    }
    const inBlock = this.inTransactionBlock()
    if (!command.hold && !inBlock) {
      throw new EndpointError(
        SqlState.NoActiveSqlTransaction,
        'DECLARE CURSOR can only be used in transaction blocks',
        { hint: 'BEGIN a transaction first, or declare the cursor WITH HOLD.' },
      )
    }
    if (this.statements.hasPortal(name)) {
      throw new EndpointError(SqlState.DuplicateCursor, `cursor "${name}" already exists`, {
        hint: 'CLOSE it first, or use another name.',
      })
    }
    if (command.scroll) {
      throw new EndpointError(
        SqlState.FeatureNotSupported,
        'SCROLL cursors are not supported: the local endpoint reads a cursor forward only',
        {
          hint: 'Declare it NO SCROLL (the default) and read it with FETCH NEXT, FORWARD n or ALL.',
        },
      )
    }
    const statement = source.portal?.statement ?? (await this.statementOf(source.text ?? ''))
    const prepared = statement.prepared!
    let outcome: Outcome
    try {
      if (prepared.statementType !== StatementType.SELECT) throw notAQuery()
      this.settings.check(prepared.statementType, statement.info)
      // The rows are written as DECLARE says (BINARY), in the session's TimeZone, once for every FETCH.
      outcome = await this.runner.run(prepared, statement.info, {
        formats: command.binary ? [1] : [],
        timeZone: this.settings.timeZone,
      })
    } catch (error) {
      // An unregistered statement is destroyed once no portal uses it (see releaseIfUnused).
      statement.failed = true
      if (source.portal === undefined) prepared.destroySync()
      throw error
    }
    const portal: Portal = {
      name,
      statement,
      parameters: source.portal?.parameters ?? [],
      state: { kind: 'running', outcome },
      cursor: { withHold: command.hold, held: false },
    }
    this.statements.putPortal(portal)
    if (command.hold && !inBlock) {
      try {
        await this.hold([portal])
      } catch (error) {
        this.statements.removePortal(name)
        throw error
      }
    }
  }

  private async fetch(command: Fetch): Promise<Outcome> {
    if (command.backward !== undefined) {
      throw new EndpointError(
        SqlState.ObjectNotInPrerequisiteState,
        'cursor can only scan forward',
        {
          hint: `The local endpoint's cursors read forward only (${command.backward} needs a SCROLL cursor): use NEXT, FORWARD n or ALL.`,
        },
      )
    }
    const portal = this.requireCursor(command.name)
    const outcome = rowsOf(portal)
    if (command.move) {
      const moved = await this.runner.skipRows(outcome.cursor, command.count ?? 0)
      return { kind: 'tag', tag: `MOVE ${moved}` }
    }
    return {
      kind: 'rows',
      cursor: new FetchedRows(outcome.cursor, command.count),
      statementType: outcome.statementType,
    }
  }

  /** Reads held cursors' rows into memory; 54000 when one has more than maxSpillBytes. */
  private async hold(portals: readonly Portal[]): Promise<void> {
    await this.runner.spillStreamingCursor()
    for (const portal of portals) {
      const rows = rowsOf(portal).cursor
      if (rows instanceof ResultCursor && rows.spillFailed) {
        throw new EndpointError(
          SqlState.ProgramLimitExceeded,
          `cursor "${portal.name}" cannot be held past its transaction: it has more than ${formatBytes(this.limits.maxSpillBytes)} of rows left to read (maxSpillBytes)`,
          {
            hint: 'Read it inside the transaction (WITHOUT HOLD), narrow its query, or start the endpoint with a larger maxSpillBytes.',
          },
        )
      }
      portal.cursor!.held = true
    }
  }

  private requireCursor(name: string): Portal {
    const portal = this.statements.getPortal(name)
    if (portal === undefined) {
      throw new EndpointError(SqlState.InvalidCursorName, `cursor "${name}" does not exist`)
    }
    return portal
  }

  /** DECLARE's query in the simple protocol: prepared now, in a statement no name refers to. */
  private async statementOf(text: string): Promise<Statement> {
    const query = declaredQuery(text)
    const epoch = this.catalog.value
    return {
      name: '',
      sql: query.sql,
      info: query.info,
      prepared: await this.runner.prepare(query.sql),
      parameterTypes: [],
      pathParameters: [],
      epoch,
      failed: false,
      boundPortal: null,
      portals: new Set(),
    }
  }
}

/**
 * The rows FETCH takes from its cursor: the next `count` (null: all) of the cursor's own rows,
 * read as they are sent. Closing it leaves the cursor open: the cursor's portal owns the rows.
 */
class FetchedRows implements RowSource {
  private left: number
  private finished = false

  constructor(
    private readonly rows: RowSource,
    count: number | null,
  ) {
    this.left = count ?? Number.POSITIVE_INFINITY
  }

  get columns(): RowSource['columns'] {
    return this.rows.columns
  }

  get isStreaming(): boolean {
    return this.rows.isStreaming
  }

  get done(): boolean {
    return this.finished
  }

  async next(
    limit: number,
    fetch: (result: DuckDBResult) => Promise<DuckDBDataChunk | null>,
  ): Promise<RowWindow | null> {
    if (this.left === 0) {
      this.finished = true
      return null
    }
    const window = await this.rows.next(Math.min(limit, this.left), fetch)
    if (window === null) {
      this.finished = true
      return null
    }
    this.left -= window.count
    if (this.left === 0 || this.rows.done) this.finished = true
    return window
  }

  close(): void {}
}

/** The first words of the queries Postgres' DECLARE takes (its SelectStmt), and DuckDB's FROM-first. */
const QUERY_STARTS = new Set(['SELECT', 'VALUES', 'TABLE', 'WITH', 'FROM', '('])

/** The query of a DECLARE statement's text (`text` holds the DECLARE first), and its info. */
function declaredQuery(text: string): { sql: string; info: StatementInfo } {
  const tokens = splitStatements(tokenizeSql(text))[0] ?? []
  const forAt = tokens.findIndex((token) => isKeyword(token, 'FOR'))
  const query = tokens.slice(forAt + 1)
  const first = query[0]
  if (forAt < 0 || first === undefined || !QUERY_STARTS.has(first.text.toUpperCase())) {
    throw new EndpointError(
      SqlState.SyntaxError,
      first === undefined
        ? 'syntax error at end of input'
        : `syntax error at or near "${first.text}"`,
      { hint: 'DECLARE … CURSOR FOR takes a query: SELECT, VALUES, TABLE or WITH … SELECT.' },
    )
  }
  return {
    sql: text.slice(first.start, query[query.length - 1]!.end),
    info: describeStatement(query),
  }
}

function notAQuery(): EndpointError {
  return new EndpointError(SqlState.SyntaxError, 'DECLARE CURSOR takes a query, not a statement', {
    hint: 'DECLARE … CURSOR FOR takes a query that returns rows: SELECT, VALUES, TABLE or WITH … SELECT.',
  })
}

function rowsOf(portal: Portal): Extract<Outcome, { kind: 'rows' }> {
  const outcome = portal.state.kind === 'initial' ? undefined : portal.state.outcome
  if (outcome?.kind !== 'rows') {
    throw new EndpointError(
      SqlState.InvalidCursorState,
      `portal "${portal.name}" does not return rows`,
    )
  }
  return outcome
}
