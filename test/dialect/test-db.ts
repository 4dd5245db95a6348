import type { ColumnType } from 'kysely'
import type { JsonValue } from '../../src/index.js'

/** DECIMAL: read as a string (exact), written as a number or a string. */
type Decimal = ColumnType<string, number | string, number | string>
/** TIMESTAMP: read as a Date (UTC), written as a Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>

type JsonObject = { [key: string]: JsonValue }

/** `items` in the connected database's default schema `main`. */
export interface Items {
  id: number
  name: string
  /** DOUBLE */
  price: number | null
  /** DECIMAL(10,2) */
  cost: Decimal | null
  qty: number | null
  tags: string[] | null
  sizes: number[] | null
  /** JSON: read parsed; written as an object (sent as JSON) or as JSON text. */
  attrs: ColumnType<JsonObject | null, JsonObject | string | null, JsonObject | string | null>
  created_at: Timestamp | null
}

/** `audit.events` in another schema of the connected database. */
export interface AuditEvents {
  id: number
  item_id: number
  note: string | null
}

/** `other_db.sales.orders`: a table of another attached database. */
export interface SalesOrders {
  id: number
  item_id: number
  amount: Decimal
}

/**
 * The test schema, keyed as codegen keys tables: bare in `main`, `schema.table` in another schema of the
 * connected database, `database:schema.table` in another database.
 */
export interface TestDB {
  items: Items
  'audit.events': AuditEvents
  'other_db:sales.orders': SalesOrders
}

/** The statements that create {@link TestDB} (`other` is the name of the second database). */
export function createTestSchemaSql(other: string): string[] {
  return [
    `create table items (id integer primary key, name varchar not null, price double, cost decimal(10,2),
      qty integer,
      tags varchar[], sizes double[], attrs json, created_at timestamp)`,
    'create schema if not exists audit',
    // No sequence: MotherDuck does not support them (the introspection test adds one locally).
    'create table audit.events (id integer primary key, item_id integer not null, note varchar)',
    `create schema if not exists "${other}".sales`,
    `create table "${other}".sales.orders (id integer primary key, item_id integer not null,
      amount decimal(10,2) not null)`,
  ]
}
