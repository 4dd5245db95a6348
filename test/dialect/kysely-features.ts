import * as kysely from 'kysely'

/**
 * Whether the Kysely the tests run on can abort a running query (`execute({ signal })`,
 * `inflightQueryAbortStrategy`): kysely 0.29 can, 0.28 (which `.ci/run` also tests) cannot. Told apart
 * by the release's other change: 0.29 exports the Migrator only from `kysely/migration`, 0.28 from the root.
 */
export const KYSELY_ABORTS_QUERIES = !('Migrator' in kysely)
