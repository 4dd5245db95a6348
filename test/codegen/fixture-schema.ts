/**
 * The codegen fixture: every DuckDB type codegen maps, several schemas, a second database, views,
 * defaults and a sequence, named and inline enums, and identifiers that need quoting. The same
 * statements build it in-process (unit tests) and through the local endpoint (golden and round trip).
 */

/** The second database, whose tables get three-part keys. */
export const OTHER_DATABASE = 'fixture_other'

/** Every scalar type of the type table, one column each, in a table named after what it holds. */
const SCALAR_COLUMNS = [
  ['c_boolean', 'BOOLEAN', 'true'],
  ['c_tinyint', 'TINYINT', '-8'],
  ['c_smallint', 'SMALLINT', '-16000'],
  ['c_integer', 'INTEGER', '-2000000000'],
  ['c_bigint', 'BIGINT', '-9007199254740993'],
  ['c_utinyint', 'UTINYINT', '250'],
  ['c_usmallint', 'USMALLINT', '65000'],
  ['c_uinteger', 'UINTEGER', '4000000000'],
  ['c_ubigint', 'UBIGINT', '18446744073709551615'],
  ['c_hugeint', 'HUGEINT', '-170141183460469231731687303715884105727'],
  ['c_uhugeint', 'UHUGEINT', '340282366920938463463374607431768211455'],
  ['c_bignum', 'BIGNUM', "'123456789012345678901234567890123456789012'"],
  ['c_decimal_4_1', 'DECIMAL(4,1)', '-123.4'],
  ['c_decimal_18_3', 'DECIMAL(18,3)', '123456789012345.678'],
  ['c_decimal_38_10', 'DECIMAL(38,10)', '1234567890123456789012345678.0123456789'],
  ['c_float', 'FLOAT', '1.5'],
  ['c_double', 'DOUBLE', '-2.25'],
  ['c_varchar', 'VARCHAR', '\'héllo, "wörld"\''],
  ['c_json', 'JSON', '\'{"a": [1, 2.5, "x", null, true], "big": 9007199254740993}\''],
  ['c_blob', 'BLOB', "'\\xDE\\xAD\\xBE\\xEF'::BLOB"],
  ['c_bit', 'BIT', "'101101'"],
  ['c_uuid', 'UUID', "'6f1c1c7e-0d35-4d67-9d3c-2b8f9a4f3e10'"],
  ['c_date', 'DATE', "'2024-02-29'"],
  ['c_time', 'TIME', "'13:45:56.123456'"],
  ['c_time_ns', 'TIME_NS', "'13:45:56.123456789'"],
  ['c_timetz', 'TIMETZ', "'13:45:56+02:00'"],
  ['c_timestamp', 'TIMESTAMP', "'2024-02-29 13:45:56.123456'"],
  ['c_timestamp_s', 'TIMESTAMP_S', "'2024-02-29 13:45:56'"],
  ['c_timestamp_ms', 'TIMESTAMP_MS', "'2024-02-29 13:45:56.123'"],
  ['c_timestamp_ns', 'TIMESTAMP_NS', "'2024-02-29 13:45:56.123456789'"],
  ['c_timestamptz', 'TIMESTAMPTZ', "'2024-02-29 13:45:56.123+01'"],
  ['c_interval', 'INTERVAL', "INTERVAL '1 year 2 months 3 days 04:05:06.5'"],
  ['c_geometry', 'GEOMETRY', "'POINT (1 2)'"],
  ['c_variant', 'VARIANT', '42::VARIANT'],
] as const

/** Lists, fixed-size arrays, STRUCT, MAP and UNION, nested. */
const NESTED_COLUMNS = [
  ['l_integer', 'INTEGER[]', '[1, 2, 3]'],
  ['l_bigint', 'BIGINT[]', '[9007199254740993, -1]'],
  ['l_varchar', 'VARCHAR[]', "['Chez Jay', 'Musso & Frank', 'a,b', 'quote\"d']"],
  ['l_decimal', 'DECIMAL(10,2)[]', '[1.50, -2.25]'],
  ['l_timestamp', 'TIMESTAMP[]', "['2024-01-01 00:00:00'::TIMESTAMP]"],
  ['l_date', 'DATE[]', "['2024-01-01'::DATE]"],
  ['l_boolean', 'BOOLEAN[]', '[true, false]'],
  ['l_blob', 'BLOB[]', "['\\x01\\x02'::BLOB]"],
  ['l_mood', 'mood[]', "['happy', 'sad']"],
  ['l_list', 'INTEGER[][]', '[[1, 2], [3]]'],
  ['l_list_bigint', 'BIGINT[][]', '[[9007199254740993], [1]]'],
  ['a_fixed', 'INTEGER[3]', '[7, 8, 9]'],
  ['a_fixed_list', 'DOUBLE[2][]', '[[1.5, 2.5], [3.5, 4.5]]'],
  [
    's_struct',
    'STRUCT(id BIGINT, name VARCHAR, "Field With Space" DOUBLE, tags VARCHAR[], born DATE, mood mood, inner_s STRUCT(deep_flag BOOLEAN, hugenum HUGEINT))',
    "{'id': 9007199254740993, 'name': 'x', 'Field With Space': 1.5, 'tags': ['a', 'b'], 'born': DATE '2000-01-02', 'mood': 'ok', 'inner_s': {'deep_flag': true, 'hugenum': 170141183460469231731687303715884105727}}",
  ],
  ['l_struct', 'STRUCT(k VARCHAR, v INTEGER)[]', "[{'k': 'a', 'v': 1}, {'k': 'b', 'v': 2}]"],
  ['m_map', 'MAP(VARCHAR, INTEGER)', "MAP {'a': 1, 'b': 2}"],
  ['m_map_int_key', 'MAP(INTEGER, STRUCT(x DOUBLE))', "MAP {1: {'x': 1.5}}"],
  ['u_union', 'UNION(num INTEGER, str VARCHAR)', "union_value(str := 'hello')"],
  ['u_union_nested', 'UNION(ts TIMESTAMP, l INTEGER[])', 'union_value(l := [1, 2])'],
] as const

/**
 * A second value for each nested column, with a NULL inside it (a STRUCT field, a list element, a MAP
 * value, a UNION member's value): DuckDB allows one anywhere in a nested value, and the generated types
 * must say so.
 */
const NESTED_NULLS_INSIDE: Readonly<Record<(typeof NESTED_COLUMNS)[number][0], string>> = {
  l_integer: '[1, NULL]',
  l_bigint: '[NULL, 9007199254740993]',
  l_varchar: "[NULL, 'NULL', '']",
  l_decimal: '[NULL]',
  l_timestamp: '[NULL]',
  l_date: '[NULL]',
  l_boolean: '[NULL, true]',
  l_blob: '[NULL]',
  l_mood: "['ok', NULL]",
  l_list: '[[1, NULL], NULL]',
  l_list_bigint: '[[NULL], NULL]',
  a_fixed: '[NULL, 8, 9]',
  a_fixed_list: '[[NULL, 2.5], NULL]',
  s_struct:
    "{'id': NULL, 'name': NULL, 'Field With Space': NULL, 'tags': [NULL], 'born': NULL, 'mood': NULL, 'inner_s': {'deep_flag': NULL, 'hugenum': NULL}}",
  l_struct: "[NULL, {'k': NULL, 'v': 1}]",
  m_map: "MAP {'a': NULL}",
  m_map_int_key: "MAP {1: NULL, 2: {'x': NULL}}",
  u_union: 'union_value(num := NULL::INTEGER)',
  u_union_nested: 'union_value(l := [NULL::INTEGER])',
}

/** Column names the scalar and nested tables use, with the SQL literal of one non-null value each. */
export const TYPED_COLUMNS = [...SCALAR_COLUMNS, ...NESTED_COLUMNS]

/**
 * The statements that build the fixture, in order, on a fresh database. The second database must be
 * attached already (the local endpoint attaches it from its `databases` option, as MotherDuck refuses
 * ATTACH), unless `attach` is set (in-process DuckDB).
 */
export function fixtureStatements(
  { attach }: { attach: boolean } = { attach: true },
  otherDatabase = OTHER_DATABASE,
): string[] {
  const columnList = (columns: readonly (readonly [string, string, string])[]) =>
    columns.map(([name, type]) => `${name} ${type}`).join(', ')
  const valueList = (columns: readonly (readonly [string, string, string])[]) =>
    columns.map(([, , value]) => value).join(', ')
  return [
    "CREATE TYPE mood AS ENUM ('happy', 'sad', 'ok')",
    'CREATE SCHEMA analytics',
    "CREATE TYPE analytics.tier AS ENUM ('free', 'pro', 'enterprise plan')",
    'CREATE SCHEMA "Odd Schema"',
    'CREATE SEQUENCE order_ids START 100',

    `CREATE TABLE scalar_types (id INTEGER PRIMARY KEY, ${columnList(SCALAR_COLUMNS)})`,
    `INSERT INTO scalar_types VALUES (1, ${valueList(SCALAR_COLUMNS)})`,
    `INSERT INTO scalar_types (id) VALUES (2)`,
    `CREATE TABLE nested_types (id INTEGER PRIMARY KEY, ${columnList(NESTED_COLUMNS)})`,
    `INSERT INTO nested_types VALUES (1, ${valueList(NESTED_COLUMNS)})`,
    `INSERT INTO nested_types (id) VALUES (2)`,
    `INSERT INTO nested_types VALUES (3, ${NESTED_COLUMNS.map(([name]) => NESTED_NULLS_INSIDE[name]).join(', ')})`,

    `CREATE TABLE orders (
      id BIGINT PRIMARY KEY DEFAULT nextval('order_ids'),
      customer_name VARCHAR NOT NULL,
      status ENUM('new', 'paid', 'shipped', 'it''s complicated') NOT NULL DEFAULT 'new',
      mood mood,
      amount DECIMAL(12,2) NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
      note VARCHAR
    )`,
    "COMMENT ON COLUMN orders.amount IS 'Total in EUR, */ tax included.'",
    "INSERT INTO orders (customer_name, status, mood, amount, note) VALUES ('Ada', 'paid', 'happy', 12.50, NULL), ('Bob', 'it''s complicated', NULL, 3.00, 'gift')",
    'CREATE VIEW order_totals AS SELECT customer_name, sum(amount) AS total, count(*) AS order_count FROM orders GROUP BY customer_name',

    `CREATE TABLE analytics.events (
      event_id UUID NOT NULL DEFAULT uuid(),
      tier analytics.tier NOT NULL,
      payload JSON,
      occurred_at TIMESTAMP NOT NULL
    )`,
    "INSERT INTO analytics.events (tier, payload, occurred_at) VALUES ('enterprise plan', '{\"k\": 1}', '2024-05-06 07:08:09')",
    'CREATE VIEW analytics.daily AS SELECT CAST(occurred_at AS DATE) AS day, count(*) AS n FROM analytics.events GROUP BY 1',

    // Identifiers that need quoting in TypeScript (and SQL).
    `CREATE TABLE "Odd Schema"."Order Items" (
      "select" INTEGER NOT NULL,
      "quote""d" VARCHAR,
      "Naïve Column" VARCHAR,
      "class" BOOLEAN,
      "camelCase" INTEGER,
      snake_case_column INTEGER,
      "123starts_with_digit" INTEGER
    )`,
    `INSERT INTO "Odd Schema"."Order Items" VALUES (1, 'q', 'n', true, 2, 3, 4)`,
    'CREATE TABLE "select" (id INTEGER NOT NULL, "from" VARCHAR)',
    `INSERT INTO "select" VALUES (1, 'x')`,
    'CREATE TABLE "Mixed_Case_Table" ("MixedColumn" INTEGER)',
    'INSERT INTO "Mixed_Case_Table" VALUES (1)',
    'CREATE TABLE "café" ("crème brûlée" VARCHAR)',
    `INSERT INTO "café" VALUES ('délicieux')`,

    ...(attach ? [`ATTACH ':memory:' AS ${otherDatabase}`] : []),
    `CREATE TABLE ${otherDatabase}.main.accounts (id INTEGER NOT NULL, balance HUGEINT, opened DATE)`,
    `INSERT INTO ${otherDatabase}.main.accounts VALUES (1, 99, '2020-01-01')`,
    `CREATE SCHEMA ${otherDatabase}.archive`,
    `CREATE TABLE ${otherDatabase}.archive.orders (id BIGINT, archived_at TIMESTAMP)`,
    `INSERT INTO ${otherDatabase}.archive.orders VALUES (7, '2019-12-31 23:59:59')`,
    `CREATE VIEW ${otherDatabase}.main.rich_accounts AS SELECT * FROM ${otherDatabase}.main.accounts WHERE balance > 10`,
  ]
}
