import { type DuckDBScalarTypeName, scalarTypeOf } from './duckdb-types.js'

/**
 * A DuckDB column type as a tree, read from the spelling `duckdb_columns().data_type` gives
 * (`INTEGER`, `DECIMAL(10,2)`, `ENUM('a', 'b')`, `STRUCT(a INTEGER, "b c" VARCHAR[])`, `MAP(VARCHAR, INTEGER)`,
 * `UNION(n INTEGER, s VARCHAR)`, `INTEGER[3][]`…). `unknown` keeps spellings this table does not know
 * (types from extensions), so that codegen can fall back instead of failing.
 */
export type DuckDBType =
  | { readonly kind: 'scalar'; readonly name: DuckDBScalarTypeName; readonly spelling: string }
  | { readonly kind: 'enum'; readonly labels: readonly string[] }
  | { readonly kind: 'list'; readonly element: DuckDBType; readonly size: number | undefined }
  | { readonly kind: 'struct'; readonly fields: readonly DuckDBField[] }
  | { readonly kind: 'map'; readonly key: DuckDBType; readonly value: DuckDBType }
  | { readonly kind: 'union'; readonly members: readonly DuckDBField[] }
  | { readonly kind: 'unknown'; readonly spelling: string }

/** A STRUCT field or a UNION member. */
export interface DuckDBField {
  readonly name: string
  readonly type: DuckDBType
}

/**
 * Thrown by {@link parseDuckDBType} for a type spelling that is not well formed (unbalanced parentheses,
 * a stray token…); `position` is where reading stopped. Codegen catches it, types the column as `string`
 * and warns; a spelling DuckDB itself produced that fails here is a bug to report.
 */
export class DuckDBTypeSyntaxError extends SyntaxError {
  override readonly name = 'DuckDBTypeSyntaxError'
  constructor(
    readonly spelling: string,
    readonly position: number,
    detail: string,
  ) {
    super(
      `Cannot read the DuckDB type ${JSON.stringify(spelling)} at character ${position}: ${detail}. ` +
        'Please report this type spelling to kysely-motherduck.',
    )
  }
}

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'quoted'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | '[' | ']' | ','; readonly at: number }

function tokenize(spelling: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < spelling.length) {
    const ch = spelling[i]!
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch, at: i })
      i++
    } else if (ch === '"' || ch === "'") {
      // Both quote styles double the quote character to escape it.
      const start = i
      let text = ''
      i++
      for (;;) {
        if (i >= spelling.length) {
          throw new DuckDBTypeSyntaxError(spelling, start, `unterminated ${ch}`)
        }
        if (spelling[i] === ch) {
          if (spelling[i + 1] === ch) {
            text += ch
            i += 2
            continue
          }
          i++
          break
        }
        text += spelling[i]
        i++
      }
      tokens.push({ kind: ch === '"' ? 'quoted' : 'string', text, at: start })
    } else {
      const start = i
      while (i < spelling.length && !/[\s()[\],"']/.test(spelling[i]!)) i++
      tokens.push({ kind: 'word', text: spelling.slice(start, i), at: start })
    }
  }
  return tokens
}

class TypeReader {
  private index = 0
  constructor(
    private readonly spelling: string,
    private readonly tokens: readonly Token[],
  ) {}

  readAll(): DuckDBType {
    const type = this.readType()
    const rest = this.tokens[this.index]
    if (rest) throw new DuckDBTypeSyntaxError(this.spelling, rest.at, `unexpected ${rest.text}`)
    return type
  }

  private peek(): Token | undefined {
    return this.tokens[this.index]
  }

  private isPunct(text: string): boolean {
    const token = this.peek()
    return token?.kind === 'punct' && token.text === text
  }

  private expect(text: string): void {
    const token = this.peek()
    if (token?.kind !== 'punct' || token.text !== text) {
      throw new DuckDBTypeSyntaxError(
        this.spelling,
        token?.at ?? this.spelling.length,
        `expected ${text}`,
      )
    }
    this.index++
  }

  private readType(): DuckDBType {
    const start = this.peek()
    const words: string[] = []
    for (let token = this.peek(); token?.kind === 'word'; token = this.peek()) {
      words.push(token.text)
      this.index++
    }
    if (words.length === 0) {
      throw new DuckDBTypeSyntaxError(
        this.spelling,
        start?.at ?? this.spelling.length,
        'expected a type name',
      )
    }
    const name = words.join(' ').toUpperCase()
    let type: DuckDBType
    if ((name === 'STRUCT' || name === 'ROW' || name === 'UNION') && this.isPunct('(')) {
      const fields = this.readFields()
      type = name === 'UNION' ? { kind: 'union', members: fields } : { kind: 'struct', fields }
    } else if (name === 'MAP' && this.isPunct('(')) {
      this.expect('(')
      const key = this.readType()
      this.expect(',')
      const value = this.readType()
      this.expect(')')
      type = { kind: 'map', key, value }
    } else if (name === 'ENUM' && this.isPunct('(')) {
      type = { kind: 'enum', labels: this.readLabels() }
    } else if (name === 'LIST' && this.isPunct('(')) {
      this.expect('(')
      const element = this.readType()
      this.expect(')')
      type = { kind: 'list', element, size: undefined }
    } else {
      const args = this.isPunct('(') ? this.readArguments() : ''
      const spelling = `${words.join(' ')}${args}`
      const scalar = scalarTypeOf(spelling)
      type = scalar ? { kind: 'scalar', name: scalar, spelling } : { kind: 'unknown', spelling }
    }
    while (this.isPunct('[')) {
      this.index++
      const token = this.peek()
      let size: number | undefined
      if (token?.kind === 'word') {
        size = Number(token.text)
        this.index++
      }
      this.expect(']')
      type = { kind: 'list', element: type, size }
    }
    return type
  }

  private readFields(): DuckDBField[] {
    this.expect('(')
    const fields: DuckDBField[] = []
    for (;;) {
      const token = this.peek()
      if (token?.kind !== 'word' && token?.kind !== 'quoted') {
        throw new DuckDBTypeSyntaxError(
          this.spelling,
          token?.at ?? this.spelling.length,
          'expected a field name',
        )
      }
      this.index++
      fields.push({ name: token.text, type: this.readType() })
      if (this.isPunct(')')) break
      this.expect(',')
    }
    this.expect(')')
    return fields
  }

  private readLabels(): string[] {
    this.expect('(')
    const labels: string[] = []
    while (!this.isPunct(')')) {
      const token = this.peek()
      if (token?.kind !== 'string') {
        throw new DuckDBTypeSyntaxError(
          this.spelling,
          token?.at ?? this.spelling.length,
          'expected a quoted enum label',
        )
      }
      labels.push(token.text)
      this.index++
      if (!this.isPunct(')')) this.expect(',')
    }
    this.expect(')')
    return labels
  }

  // DECIMAL(10,2), VARCHAR(20): kept verbatim in the spelling, they do not change the TypeScript type.
  private readArguments(): string {
    this.expect('(')
    const parts: string[] = []
    while (!this.isPunct(')')) {
      const token = this.peek()
      if (!token) throw new DuckDBTypeSyntaxError(this.spelling, this.spelling.length, 'expected )')
      parts.push(token.text)
      this.index++
    }
    this.expect(')')
    return `(${parts.join('')})`
  }
}

/**
 * Reads a DuckDB type spelling into a tree.
 *
 * ### Examples
 *
 * ```ts
 * parseDuckDBType('STRUCT(a INTEGER, "b c" VARCHAR[])')
 * // { kind: 'struct', fields: [{ name: 'a', type: { kind: 'scalar', name: 'INTEGER', … } },
 * //   { name: 'b c', type: { kind: 'list', element: { kind: 'scalar', name: 'VARCHAR', … } } }] }
 * ```
 */
export function parseDuckDBType(spelling: string): DuckDBType {
  return new TypeReader(spelling, tokenize(spelling)).readAll()
}
