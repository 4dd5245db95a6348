import fc from 'fast-check'
import { stressScale } from '../stress-scale.js'

/**
 * Hostile names and values for the helpers and codegen: quoting and comment syntax, SQL that a naive
 * concatenation would run, JSDoc-closing text, control and invisible characters, bidirectional
 * overrides, combining marks, emoji, JavaScript's special property names, TypeScript keywords and the
 * type names a generated file uses. Every name is distinct from every other one ignoring case (DuckDB's
 * identifiers are case-insensitive), and none holds a NUL (SQL text cannot carry one: those are tested
 * as refusals).
 */
export const HOSTILE_NAMES: readonly string[] = [
  "it's",
  'say "hi"',
  `both ' and "`,
  "''",
  '""',
  'semi;colon',
  "x'; drop table canary; --",
  'y"; drop table canary; --',
  "z'); insert into canary values (666); --",
  '-- line comment',
  '/* block */',
  '*/ export const pwned = 1; /*',
  '/** @type {never} */',
  'back\\slash',
  'trailing\\',
  "\\'",
  '$1',
  '?',
  '%s',
  '\u0024{x}',
  '`tick`',
  '<script>',
  'new\nline',
  'cr\rreturn',
  'tab\there',
  'line\u2028separator',
  '\u202Eright-to-left',
  'שלום עולם',
  '🦆 duck',
  '👩‍💻',
  'e\u0301 combining',
  'zero\u200Bwidth',
  '\uFEFFbom',
  '\u0001control',
  '\u001B[31mescape',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'class',
  'interface',
  'default',
  'enum',
  'any',
  'never',
  'string',
  'db',
  'ColumnType',
  'Generated',
  'JsonValue',
  'date',
  'Record',
  '123',
  'NaN',
  ' padded ',
  '_',
  'a-b',
  'a_b',
]

/**
 * Names Kysely's table parser reads as syntax (`.` and ` as ` split a table reference, `:` a schema
 * from its database): a table named so cannot be keyed in a `DB` interface. Codegen leaves it out
 * with a warning; the load helpers read these characters as the documented separators.
 */
export const UNKEYABLE_TABLE_NAMES: readonly string[] = ['x.y', 'a as b', 'v1.2 as final']

/**
 * Whether a table key naming `parts` (`[table]`, `[schema, table]` or `[database, schema, table]`) reads
 * back as those parts, by the rules of Kysely's parser and the dialect's compiler — written out here
 * independently of codegen's check (`tableKeyRoundTrips`), which compiles the key: no part may hold `.`
 * or ` as `; once a key has a `.`, Kysely trims every part (String.prototype.trim: spaces, U+FEFF,
 * U+2028…); schema and database names may not hold `:` (the dialect splits them there).
 */
export function keyRoundTrips(parts: readonly string[]): boolean {
  if (parts.some((part) => part.includes('.') || part.includes(' as '))) return false
  if (parts.length === 1) return true
  return parts.every(
    (part, i) => part === part.trim() && (i === parts.length - 1 || !part.includes(':')),
  )
}

/**
 * Whether Kysely reads `name` back as itself where it parses a name: a column reference
 * (`select('name')`, `where('name', …)`, split at `.` and trimmed) or a table name in the load helpers
 * (`'schema.table'`, trimmed parts).
 */
export function parsesAsItself(name: string): boolean {
  return (
    !name.includes('.') && !name.includes(' as ') && !name.includes(':') && name === name.trim()
  )
}

/** A string of `length` characters mixing quotes, backslashes, comment markers, newlines and emoji. */
export function longHostileString(length: number, seed = 0): string {
  const pieces = ["'", '"', '\\', '--', '/*', '*/', ';', '\n', '🦆', 'e\u0301', '$1', ' ']
  let text = ''
  for (let i = seed; text.length < length; i++) text += `${pieces[i % pieces.length]}${i % 10}`
  // Cut at a code point boundary: a lone surrogate is not representable.
  let end = length
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return text.slice(0, end)
}

/** 64 KiB values and 1 KiB names in the short form; 1 MiB values and 64 KiB names in the long one. */
export const LONG_VALUE_LENGTH = stressScale(64 * 1024, 1024 * 1024)
export const LONG_NAME_LENGTH = stressScale(1024, 64 * 1024)

/** How many generated names each property test tries. */
export const PROPERTY_RUNS = stressScale(60, 600)

// Pieces that break naive quoting, comments, keys or case folding.
const PIECES = [
  "'",
  '"',
  '\\',
  ';',
  '--',
  '/*',
  '*/',
  '$1',
  '`',
  '${',
  '\n',
  '\r',
  '\u2028',
  '\u202E',
  '\u200B',
  '🦆',
  'e\u0301',
  ' ',
  '.',
  ':',
  ' as ',
  '__proto__',
  'constructor',
  'DB',
]

/**
 * Names as fast-check generates them: any well-formed string without NUL, biased towards the hostile
 * pieces, non-empty after trimming.
 */
export const hostileName: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
    fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 5 }).map((p) => p.join('')),
    fc
      .tuple(fc.string({ maxLength: 4 }), fc.constantFrom(...PIECES), fc.string({ maxLength: 4 }))
      .map((parts) => parts.join('')),
  )
  .filter((name) => !name.includes('\0') && name.trim() !== '')
