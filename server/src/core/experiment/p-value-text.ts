/**
 * A p-value as people read it: four decimals, and "< 0.0001" below that — "p = 0.0000" reads as
 * impossible (a p-value is never 0). The CSV and JSON keep the number.
 */
export function pValueText(p: number): string {
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

/** "p = 0.0312", or "p < 0.0001". */
export function pStatement(p: number): string {
  return p < 0.0001 ? 'p < 0.0001' : `p = ${p.toFixed(4)}`;
}
