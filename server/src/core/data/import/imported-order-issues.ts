import type { OrderInput } from '../model.js';
import { futureOrderTimeIssues } from './future-row-times.js';
import { mapRow, type RowIssue } from './row-mapper.js';

/**
 * The issues the orders import would refuse this order with, or null: the same two checks, in the
 * same order, as its parse of an NDJSON row (parsed-rows.ts parseRow: the input schema, then a
 * createdAt or paidAt more than 1 day ahead of the import's clock, every such field). The
 * third-party files (Taobao, CDNOW) ask it before writing a row's customer: the customers go in
 * first (an order needs its customer), so a row the orders import refuses afterwards had already
 * created its customer.
 */
export function importedOrderIssues(order: Record<string, unknown>, timezone: string, now: number): RowIssue[] | null {
  const mapped = mapRow('orders', 'ndjson', order, timezone);
  if (!mapped.ok) return mapped.issues;
  return futureOrderTimeIssues(mapped.value as OrderInput, now);
}
