/**
 * False for a string holding a lone UTF-16 surrogate, which has no UTF-8 form: encoding it (as pg does
 * for text parameters and query text) silently turns it into U+FFFD. `String.prototype.isWellFormed`
 * (ES2024, Node ≥ 20) is native and fast; the ES2023 lib this project compiles against lacks its type.
 */
export function isWellFormed(value: string): boolean {
  return (value as unknown as { isWellFormed(): boolean }).isWellFormed()
}
