import type { CdnowOrder } from '../cdnow.js';
import { importedOrderIssues } from './imported-order-issues.js';
import type { RowError } from './report.js';
import type { ImportRows } from './import-rows.js';
import { mapRow, type RowIssue } from './row-mapper.js';

/**
 * A CDNOW file's lines (cdnow.ts) as what the importer writes: one customer per customer_id, one
 * completed order per line, and the issues of the lines refused — a line is refused whole, its
 * customer too, as a Taobao export's row is (taobao-rows.ts). The customers are written before the
 * orders, so a line the orders import would refuse (dated 2099, an amount past 10^12) used to
 * create its customer all the same (walkthrough), and its errors named the order's fields
 * (createdAt and paidAt, twice for the one date) instead of the file's columns.
 */
export type CdnowImportRows = ImportRows;

export function cdnowImportRows(rows: readonly CdnowOrder[], timezone: string, now: number): CdnowImportRows {
  const errors: RowError[] = [];
  const customers = new Map<string, { line: number; customer: Record<string, unknown> }>();
  const orders: { line: number; order: Record<string, unknown> }[] = [];
  for (const r of rows) {
    const customer = { externalId: r.customerId };
    const order = cdnowOrder(r);
    // A customer_id the customers import refuses is said once, by the customer: the order, keyed by
    // that id, would only repeat it (of an id "cdnow-…" the file does not have).
    const mapped = mapRow('customers', 'ndjson', customer, timezone);
    const refused = mapped.ok ? importedOrderIssues(order, timezone, now) : mapped.issues;
    if (refused) {
      errors.push(...inColumns(refused).map((i) => ({ line: r.line, ...i })));
      continue;
    }
    // The customer's line in messages: their first accepted one.
    if (!customers.has(r.customerId)) customers.set(r.customerId, { line: r.line, customer });
    orders.push({ line: r.line, order });
  }
  return { customers: [...customers.values()], orders, errors };
}

function cdnowOrder(r: CdnowOrder): Record<string, unknown> {
  return { externalId: `cdnow-${r.customerId}-${r.line}`, customerExternalId: r.customerId, status: 'completed', amount: r.amount, createdAt: r.at, paidAt: r.at, items: [{ sku: 'cd', category: 'music', quantity: Math.max(1, r.cds) }] };
}

/** The file's column a customer or order field comes from (cdnow.ts names them so), so an error names what the file has. */
const COLUMN_OF_FIELD: Record<string, string> = {
  externalId: 'customer_id',
  customerExternalId: 'customer_id',
  createdAt: 'date',
  paidAt: 'date',
  amount: 'dollar_value',
  'items.0.quantity': 'num_cds',
};

export const cdnowColumnOf = (field: string): string => COLUMN_OF_FIELD[field] ?? field;

/**
 * The issues in the file's columns, each once: createdAt and paidAt are both the line's date (one
 * message, not two), an order's id and customer both its customer_id.
 */
function inColumns(issues: readonly RowIssue[]): RowIssue[] {
  const seen = new Set<string>();
  const out: RowIssue[] = [];
  for (const i of issues) {
    const field = cdnowColumnOf(i.field);
    const key = `${field}\u0000${i.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message: i.message });
  }
  return out;
}
