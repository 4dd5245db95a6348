import type { ControlledTransaction, Kysely, Transaction } from 'kysely'

/**
 * A database handle that `createTableAs` and `insertRows` accept: a `Kysely`, or a transaction of one
 * (`db.transaction().execute(async (trx) => insertRows(trx, …))`). Listed one by one
 * because TypeScript cannot infer `DB` from a `Transaction<DB>` passed where `Kysely<DB>` is expected
 * (their method types differ enough to defeat inference), while it infers it from a matching member of
 * a union. All three are `Kysely<DB>` at run time.
 */
export type KyselyHandle<DB> = Kysely<DB> | Transaction<DB> | ControlledTransaction<DB, string[]>
