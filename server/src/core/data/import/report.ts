import type { ImportFormat } from './row-reader.js';
import { WHOLE_ROW, type ImportKind, type RowIssue } from './row-mapper.js';

/** What an import did, the same from the CLI (--json) and from REST. */
export interface RowError extends RowIssue {
  line: number;
}

export interface ImportReport {
  file: string;
  kind: ImportKind;
  format: ImportFormat;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Order imports: customer events recorded for the first time (order_created, order_paid, ...). */
  eventsRecorded?: number;
  /** CSV columns that were not read. */
  ignoredColumns: string[];
  /** Ignored columns that look like a misspelt known column: `file: column "amout" is not read: did you mean "amount"?` */
  warnings: string[];
  /** One entry per issue of a failed row; capped so a file of bad rows cannot exhaust memory. */
  errors: RowError[];
  errorsOmitted: number;
}

export const MAX_REPORTED_ERRORS = 1000;

/**
 * How many rows these errors refused: each line once, since a row may have several errors (a
 * Taobao order created and paid in 2099 has two). Counting the errors said "6 row(s) refused" of 5.
 */
export function refusedRows(errors: readonly RowError[]): number {
  return new Set(errors.map((e) => e.line)).size;
}

export function emptyReport(file: string, kind: ImportKind, format: ImportFormat): ImportReport {
  return { file, kind, format, rows: 0, created: 0, updated: 0, unchanged: 0, failed: 0, ignoredColumns: [], warnings: [], errors: [], errorsOmitted: 0 };
}

/**
 * `customers.csv:17: email: not an email address: "li@"`; an issue of the whole row names no field
 * (`orders.csv:9: wrong number of columns: expected 6 as in the header, got 4 (no value for …)`):
 * it printed `(row)` where the field goes, which named nothing.
 */
export function formatRowError(file: string, e: RowError): string {
  return e.field === WHOLE_ROW ? `${file}:${e.line}: ${e.message}` : `${file}:${e.line}: ${e.field}: ${e.message}`;
}

export function formatSummary(r: ImportReport): string {
  const events = r.eventsRecorded !== undefined ? `, ${r.eventsRecorded} order events recorded` : '';
  const ignored = r.ignoredColumns.length ? `\nignored columns: ${r.ignoredColumns.join(', ')}` : '';
  return `${r.file}: ${r.rows} ${r.kind} rows: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.failed} failed${events}${ignored}`;
}
