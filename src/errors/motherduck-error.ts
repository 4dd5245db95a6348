/**
 * The base class of every error kysely-motherduck throws: the dialect's, the readers' and loaders',
 * codegen's and the local endpoint's. Catch it to tell this package's errors from the driver's and
 * Kysely's; the subclasses carry the details as readonly fields, and no message ever contains the token.
 *
 * ### Examples
 *
 * ```ts
 * try {
 *   await insertRows(db, 'events', rows)
 * } catch (error) {
 *   if (error instanceof MotherDuckError) console.error(error.name, error.message)
 *   else throw error
 * }
 * ```
 */
export class MotherDuckError extends Error {
  override readonly name: string = 'MotherDuckError'
}
