/**
 * List facts (categories, category seasons, Double-11 years) are stored as "|a|b|"
 * (persistence/columns.ts), so a value can never contain the separator. Here in core because an
 * import's parser thread prepares the values an order adds to its customer's lists
 * (core/data/import/staged-order.ts) without touching persistence.
 */
export function sanitizeListValue(v: string): string {
  // Nearly no value has a separator: a lookup is cheaper than a regular expression's replace
  // (an import sanitizes two to three values an order in its parser thread).
  return v.indexOf('|') === -1 ? v : v.replace(/\|/g, '/');
}
