/** The tables of the load tests (in the endpoint's `load_db` database). */
export interface LoadDB {
  /** Every write of the mixed clients: one row per (client_id, seq). */
  events: { client_id: number; seq: number; kind: string; amount: bigint }
  /** One row per mixed client, incremented by its updates. */
  counters: { client_id: number; updates: number }
  /** The rows of the concurrent `insertRows` writers. */
  loaded: { id: bigint; writer: number; payload: string }
}

/** The database the load tests connect to. */
export const LOAD_DATABASE = 'load_db'
