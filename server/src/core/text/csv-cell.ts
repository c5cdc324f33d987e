/**
 * One cell of a CSV report a person opens in a spreadsheet. Text starting with = + - @ tab or CR
 * gets a leading ' (OWASP CSV injection): the spreadsheet must not run it as a formula. Numbers
 * lose float noise (10 significant digits); null and undefined are empty cells.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(Number(v.toPrecision(10)));
  const s = String(v);
  const text = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
