import { type RawBuilder, sql } from 'kysely'

/*
 * What the JSON helpers write for one value, so that it arrives as its column's type says (see
 * json-helper-types.ts). DuckDB's to_json writes DECIMAL, HUGEINT and BIGINT as JSON numbers (a double's
 * precision, or a bigint beyond 2^53 − 1), a TIMESTAMP without its zone, a FLOAT widened to double digits
 * (0.10000000149011612) and a BLOB in DuckDB's escape text. Those are rewritten:
 * - exact numbers (BIGINT, UINTEGER, UBIGINT, HUGEINT, UHUGEINT, BIGNUM, DECIMAL) → their digits as a string,
 *   the text the same column has at top level;
 * - TIMESTAMP (_S, _MS, _NS) and TIMESTAMPTZ → the instant as `Date#toISOString()` writes it
 *   (`2024-03-10T12:00:00.000Z`), i.e. the top-level `Date`'s ISO text: a TIMESTAMP is read as UTC there too;
 * - FLOAT → the JSON number of its shortest text (0.1), as at top level; NaN and ±Infinity stay DuckDB's words;
 * - BLOB → Postgres' bytea text `\x…` (lowercase hex), the top-level value's wire text;
 * and a LIST or ARRAY of one of those element by element. Everything else is to_json's own value.
 *
 * The value's type is only known to DuckDB, so the rewrite is a CASE on typeof(value). Every branch must
 * bind for every type, so each reads the value through TRY_CAST, which binds from any type (the branch
 * that runs casts a value to its own type).
 */

/** One kind of value the JSON helpers rewrite. */
interface RewrittenKind {
  /** typeof() spellings of the scalar type, as a regular expression. */
  readonly typeofPattern: string
  /** The DuckDB type the value is read as. */
  readonly castType: string
  /** The JSON of one value `e` of castType. */
  readonly json: (e: RawBuilder<unknown>) => RawBuilder<unknown>
}

const ISO_FORMAT = '%Y-%m-%dT%H:%M:%S.%gZ'

/**
 * A TIMESTAMP (any precision) `u`, read as UTC, in `Date#toISOString()` form: four-digit years, else a
 * sign and six digits; ±infinity as the ISO text of the Date that pg's parser makes of them.
 */
function isoInstant(u: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`to_json(case when year(${u}) between 0 and 9999 then strftime(${u}, ${sql.lit(ISO_FORMAT)}) when year(${u}) is not null then (case when year(${u}) < 0 then '-' else '+' end) || lpad(abs(year(${u}))::VARCHAR, 6, '0') || strftime(${u}, ${sql.lit(ISO_FORMAT.slice(2))}) when ${u} > 'epoch' then '+275760-09-13T00:00:00.000Z' when ${u} < 'epoch' then '-271821-04-20T00:00:00.000Z' end)`
}

const REWRITTEN_KINDS: readonly RewrittenKind[] = [
  {
    typeofPattern: String.raw`BIGINT|UINTEGER|UBIGINT|HUGEINT|UHUGEINT|BIGNUM|VARINT|DECIMAL\(\d+,\d+\)`,
    castType: 'VARCHAR',
    json: (e) => sql`to_json(${e})`,
  },
  {
    typeofPattern: 'FLOAT',
    castType: 'FLOAT',
    // The shortest text is a JSON number; NaN and ±Infinity are to_json's words, which parseJson reads.
    json: (e) => sql`case when isfinite(${e}) then ${e}::VARCHAR::JSON else to_json(${e}) end`,
  },
  {
    typeofPattern: 'TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS',
    castType: 'TIMESTAMP',
    json: isoInstant,
  },
  { typeofPattern: 'TIMESTAMP_NS', castType: 'TIMESTAMP_NS', json: isoInstant },
  {
    typeofPattern: 'TIMESTAMP WITH TIME ZONE',
    castType: 'TIMESTAMPTZ',
    json: (e) => isoInstant(sql`timezone('UTC', ${e})`),
  },
  {
    typeofPattern: 'BLOB',
    castType: 'BLOB',
    json: (e) => sql`to_json('\\x' || lower(hex(${e})))`,
  },
]

const element = sql.raw('e')

/**
 * The SQL of a value's JSON as the JSON helpers write it (type JSON), for a value expression `value`,
 * which is repeated in it (e.g. `COLUMNS(*)`, which DuckDB expands to one such expression per column).
 * A list comprehension names the value `e`, so that a rewrite repeats `e`, not the value's expression.
 */
export function jsonColumnValue(value: RawBuilder<unknown>): RawBuilder<unknown> {
  const branches = REWRITTEN_KINDS.flatMap((kind) => {
    const type = sql.raw(kind.castType)
    const json = kind.json(element)
    return [
      sql`when regexp_full_match(typeof(${value}), ${sql.lit(kind.typeofPattern)}) then [${json} for e in [TRY_CAST(${value} AS ${type})]][1]`,
      sql`when regexp_full_match(typeof(${value}), ${sql.lit(`(${kind.typeofPattern})\\[\\d*\\]`)}) then to_json([${json} for e in TRY_CAST(${value} AS ${type}[])])`,
    ]
  })
  return sql`case ${sql.join(branches, sql` `)} else to_json(${value}) end`
}
