/**
 * How the CLI's text writes a negative number: with the ASCII hyphen-minus, in money (-¥424.05) and
 * percentages (-19.78%) alike. The experiment report printed `−¥424.05` (U+2212) beside `-8101.02%`,
 * two minus signs in one row; the hyphen is the one a spreadsheet or grep reads back, and the
 * designer writes. A figure that rounds to zero has no sign (never "-0.00%").
 */
export const MINUS = '-';

/** `digits`-decimal text of a non-negative magnitude, with MINUS in front when `value` is negative and does not round to zero. */
export function signed(value: number, magnitude: (abs: number) => string): string {
  const text = magnitude(Math.abs(value));
  return value < 0 && /[1-9]/.test(text) ? `${MINUS}${text}` : text;
}

/** A share as a percentage with two decimals (0.1234 → 12.34%; −0.00001 → 0.00%), a dash without a figure. */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : signed(v, (a) => `${(a * 100).toFixed(2)}%`);
}

/**
 * A difference of two rates in percentage points with two decimals (−0.0001 → -0.01 pp): the
 * experiment report's absolute lift. Printed with `%` it read as a relative change (the Excel CSV's
 * header already said 百分点).
 */
export function points(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : signed(v, (a) => `${(a * 100).toFixed(2)} pp`);
}
