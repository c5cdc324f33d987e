import { csvCell } from './csv-cell.js';
import { zoneOffset } from '../engine/local-time.js';
import { pValueText } from '../experiment/p-value-text.js';

/**
 * The Excel variant of a CSV export (`excel=1`, `--excel`), one rule for every export: a UTF-8
 * byte order mark (Excel on Chinese Windows reads a file without one as GBK), a Chinese header row
 * with units in brackets (转化率(%), 成本(元)), and each cell written for the kind of its column:
 *
 * - `time`: the shop's wall clock as `YYYY-MM-DD HH:mm:ss`, which Excel reads as a date-time (an ISO
 *   string with `T` and an offset it keeps as text, and a plain UTC one is 8 hours off in Shanghai);
 * - `ratio`: a share as a percentage with two decimals (0.07314 → 7.31, 0.101 → 10.10, under a `(%)` header), as the
 *   designer's experiment chart writes a small rate; `points` the same for a difference of two rates;
 * - `id`: ids, codes and phone numbers kept as text: one Excel would read as a number or a date
 *   (13800138000 → 1.38E+10, 00123 → 123, 2024-11 → a date) is written as the formula ="13800138000",
 *   which Excel shows as that text; anything else as `text`;
 * - `text`: as the plain CSV's cells (csvCell: a leading = + - @ gets a ' so it never runs as a formula);
 * - `number`, `money`: numbers (money to the cent); `flag`: 是 / 否;
 * - `pvalue`: a p-value as the designer's experiment panel shows it, four decimals or `< 0.0001`
 *   (p-value-text.ts; the plain CSV keeps every digit for an analyst who recomputes).
 *
 * A column with `words` writes its codes (a status, a reason, a lifecycle stage) in the designer's
 * Chinese words (excel-words.ts), as text; a code without words stays as it is.
 *
 * Plain CSV (no excel) never goes through here: integrations read it byte for byte.
 */
export type ExcelKind = 'text' | 'id' | 'time' | 'ratio' | 'points' | 'number' | 'money' | 'flag' | 'pvalue';
export interface ExcelColumn {
  label: string;
  kind: ExcelKind;
  /** The code in words (excel-words.ts), for a column of codes. */
  words?: (code: string) => string;
}

/** `2025-11-20 19:13:48`: an instant (epoch ms, or an ISO 8601 string with its zone) on the shop's wall clock. */
export function excelTime(v: number | string, timezone: string): string {
  const ms = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) return String(v);
  const local = new Date(Math.floor(ms / 1000) * 1000 + zoneOffset(ms, timezone)).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
}

// What Excel's CSV import turns into a number, a date or a time: digits with signs, separators,
// exponents, currency or percent signs and nothing else (a letter other than e/E keeps it text).
const EXCEL_COERCES = /^[\s+\-]*[0-9.,:/\-\s]*[0-9][0-9.,:/\-\s]*(?:[eE][+\-]?\d+)?\s*%?$/;

/** One cell of the Excel variant, CSV-escaped. */
export function excelCell(kind: ExcelKind, v: unknown, timezone: string): string {
  if (v === null || v === undefined || v === '') return '';
  switch (kind) {
    case 'time':
      return csvCell(typeof v === 'number' || typeof v === 'string' ? excelTime(v, timezone) : v);
    case 'ratio':
    case 'points': {
      const n = Number(v);
      // Always two decimals, as the docs promise (10.10, not 10.1); rounded first so −0.00001 reads 0.00.
      // Written as is: digits, a point and a sign need no quoting, and csvCell would guard the text's leading "-" as a formula.
      return Number.isFinite(n) ? (Math.round(n * 10000) / 100).toFixed(2) : csvCell(v);
    }
    case 'money': {
      const n = Number(v);
      return Number.isFinite(n) ? csvCell(Math.round(n * 100) / 100) : csvCell(v);
    }
    case 'number':
      return csvCell(typeof v === 'string' && Number.isFinite(Number(v)) ? Number(v) : v);
    case 'pvalue': {
      const n = Number(v);
      return csvCell(Number.isFinite(n) ? pValueText(n) : v);
    }
    case 'flag':
      return v === true || v === 'true' || v === 1 || v === '1' ? '是' : v === false || v === 'false' || v === 0 || v === '0' ? '否' : csvCell(v);
    case 'id': {
      const s = String(v);
      // A formula's string literal holds at most 255 characters; no id that looks numeric is that long.
      // The formula is ours and its literal cannot run (csvCell would put a ' before its =), so it is quoted here.
      if (EXCEL_COERCES.test(s) && s.length <= 255) return '"=""' + s.replace(/"/g, '""""') + '"""';
      return csvCell(s);
    }
    default:
      return csvCell(v);
  }
}

/** One cell of a column: its code in words when the column has them, else by its kind. */
export function excelColumnCell(column: ExcelColumn, v: unknown, timezone: string): string {
  if (column.words && v !== null && v !== undefined && v !== '') return csvCell(column.words(String(v)));
  return excelCell(column.kind, v, timezone);
}

/** The header line (BOM first) of an Excel variant. */
export function excelHeader(columns: readonly ExcelColumn[]): string {
  return '\uFEFF' + columns.map((c) => csvCell(c.label)).join(',') + '\n';
}

/** One line of an Excel variant: `values` in the order of `columns`. */
export function excelLine(columns: readonly ExcelColumn[], values: readonly unknown[], timezone: string): string {
  return columns.map((c, i) => excelColumnCell(c, values[i], timezone)).join(',') + '\n';
}

/** A whole Excel variant from rows of values in the order of `columns`. */
export function excelCsv(columns: readonly ExcelColumn[], rows: readonly (readonly unknown[])[], timezone: string): string {
  return excelHeader(columns) + rows.map((r) => excelLine(columns, r, timezone)).join('');
}

/**
 * Column positions that move the last column (a name the plain CSV appends for integrations) to
 * third, beside the id in the second column it names: the funnel's step, the report's arm.
 */
export function nameBesideId(width: number): number[] {
  return [0, 1, width - 1, ...Array.from({ length: width - 3 }, (_, i) => i + 2)];
}
