import { importedOrderIssues } from './imported-order-issues.js';
import type { RowError } from './report.js';
import type { ImportRows } from './import-rows.js';
import { TAOBAO_COLUMNS, type TaobaoRow } from './taobao.js';

/**
 * A Taobao export's mapped rows (taobao.ts) as what the importer writes: one customer per buyer,
 * one order per row, and the issues of the rows refused — a row is refused whole, its buyer too.
 * The customers are written before the orders (an order needs its customer), so a row whose
 * order the orders import would refuse is found here, first: it created its buyer, with the name,
 * phone, address and device of a row that was then refused (walkthrough: a buyer all of whose
 * rows were refused was created from an order dated 2099), and a refused newer row overwrote the
 * profile and device taken from an accepted one.
 */
export type TaobaoImportRows = ImportRows;

export function taobaoImportRows(rows: readonly TaobaoRow[], timezone: string, now: number): TaobaoImportRows {
  const errors: RowError[] = [];
  const customers = new Map<string, { line: number; customer: Record<string, unknown> }>();
  // The customer's device (the `device` fact) is that of their newest order: the export lists
  // orders newest first, so the last row is not the one to go by.
  const device = new Map<string, { at: number; device: 'mobile' | 'pc' }>();
  const orders: { line: number; order: Record<string, unknown> }[] = [];
  for (const r of rows) {
    if (r.error) errors.push({ line: r.line, ...r.error });
    if (!r.customer || !r.order) continue;
    const refused = importedOrderIssues(r.order, timezone, now);
    if (refused) {
      for (const i of refused) errors.push({ line: r.line, field: taobaoColumnOf(i.field), message: i.message });
      continue;
    }
    const { device: d, ...customer } = r.customer;
    customers.set(r.customer.externalId, { line: r.line, customer });
    const prior = device.get(r.customer.externalId);
    if (d && (!prior || r.order.createdAt >= prior.at)) device.set(r.customer.externalId, { at: r.order.createdAt, device: d });
    orders.push({ line: r.line, order: r.order });
  }
  for (const [id, d] of device) customers.get(id)!.customer.device = d.device;
  return { customers: [...customers.values()], orders, errors };
}

/** The export's column an order field comes from, so an error names what the shop sees in its file (else the field). */
const COLUMN_OF_FIELD: Record<string, string> = {
  externalId: TAOBAO_COLUMNS.orderId,
  customerExternalId: TAOBAO_COLUMNS.buyer,
  createdAt: TAOBAO_COLUMNS.created,
  paidAt: TAOBAO_COLUMNS.paid,
  amount: TAOBAO_COLUMNS.amount,
  status: TAOBAO_COLUMNS.status,
  'items.0.sku': TAOBAO_COLUMNS.title,
  'items.0.quantity': TAOBAO_COLUMNS.quantity,
};

export function taobaoColumnOf(field: string): string {
  return COLUMN_OF_FIELD[field] ?? field;
}
