import type { ValueTransformer } from 'typeorm';
import { sanitizeListValue } from '../core/facts/list-value.js';

/**
 * Instants are stored as epoch milliseconds in BIGINT columns on both SQLite and PostgreSQL:
 * compiled segment SQL does plain integer arithmetic on them (`(:at - last_order_at) / 86400000`)
 * the same way on both databases. The pg driver returns BIGINT as a string; this turns it back.
 */
export const epochMs: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};

/** DOUBLE PRECISION comes back as a string from some drivers; keep numbers numbers. */
export const numeric: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};

/**
 * List facts (categories, tags, Double-11 years) are stored as "|a|b|" so that "contains x"
 * is one portable `LIKE '%|x|%'` on a single table, which keeps segment counts a single scan.
 */
export function encodeList(values: readonly string[]): string {
  return values.length === 0 ? '' : `|${values.map(sanitizeListValue).join('|')}|`;
}
export function decodeList(text: string | null): string[] {
  return !text ? [] : text.slice(1, -1).split('|');
}
/** The list separator cannot appear inside a value (core/facts/list-value.ts). */
export { sanitizeListValue };
