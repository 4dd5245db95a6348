/**
 * Every reader option that takes text, by reader, with how the text is given: a string, a list of
 * strings, or a `{ key: 'TYPE' }` struct (hostile text as the key and as the value). The enum-like
 * options (`compression`, `encoding`, `format`, `records`, `new_line`) are typed as unions; hostile
 * text reaches them only through a cast, as from untyped code.
 */
export type TextOptionForm = 'string' | 'strings' | 'struct-key' | 'struct-value'

export interface ReaderTextOptions {
  readonly reader: 'readCsv' | 'readJson' | 'readParquet'
  /** A file of the reader fixtures (test/sources/reader-fixtures.ts) the options are applied to. */
  readonly file: string
  readonly options: Readonly<Record<string, readonly TextOptionForm[]>>
}

const STRUCT: readonly TextOptionForm[] = ['struct-key', 'struct-value']

export const READER_TEXT_OPTIONS: readonly ReaderTextOptions[] = [
  {
    reader: 'readCsv',
    file: 'events/events_1.csv',
    options: {
      auto_type_candidates: ['strings'],
      columns: STRUCT,
      comment: ['string'],
      compression: ['string'],
      dateformat: ['string'],
      decimal_separator: ['string'],
      delim: ['string'],
      sep: ['string'],
      escape: ['string'],
      encoding: ['string'],
      filename: ['string'],
      force_not_null: ['strings'],
      hive_types: STRUCT,
      names: ['strings'],
      column_names: ['strings'],
      new_line: ['string'],
      nullstr: ['string', 'strings'],
      quote: ['string'],
      rejects_scan: ['string'],
      rejects_table: ['string'],
      thousands: ['string'],
      timestampformat: ['string'],
      types: ['strings', ...STRUCT],
      dtypes: ['strings', ...STRUCT],
      column_types: ['strings', ...STRUCT],
    },
  },
  {
    reader: 'readJson',
    file: 'events.ndjson',
    options: {
      columns: STRUCT,
      compression: ['string'],
      dateformat: ['string'],
      date_format: ['string'],
      filename: ['string'],
      format: ['string'],
      hive_types: STRUCT,
      records: ['string'],
      timestampformat: ['string'],
      timestamp_format: ['string'],
    },
  },
  {
    reader: 'readParquet',
    file: 'parts/a.parquet',
    options: { encryption_config: STRUCT, filename: ['string'], hive_types: STRUCT },
  },
]

/** The option value that carries `text` in the given form. */
export function optionValue(form: TextOptionForm, text: string): unknown {
  switch (form) {
    case 'string':
      return text
    case 'strings':
      return [text]
    case 'struct-key':
      return { [text]: 'VARCHAR' }
    case 'struct-value':
      return { id: text }
  }
}
