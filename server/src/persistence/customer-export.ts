import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { In, IsNull, MoreThan, type DataSource } from 'typeorm';
import { CHANNELS } from '../core/data/model.js';
import { deriveFacts, type DeriveContext } from '../core/facts/derive.js';
import { computeStoredFacts } from '../core/facts/stored-facts.js';
import { excelLines } from './excel-lines.js';
import { CUSTOMER_EXCEL } from '../core/text/customer-excel-columns.js';
import { shopIsoTime } from '../core/engine/local-time.js';
import { toCustomer } from './customer-mapper.js';
import { CustomerEntity } from './entities/customer.entity.js';
import { CustomerFactsEntity } from './entities/customer-facts.entity.js';
import { decodeFacts, ORDER_COLUMNS, ordersByCustomer } from './fact-store.js';
import { ordersAfter } from './orders-after.js';
import { settleOwedFacts } from './owed-facts.js';
import { placeholders, queryRows } from './sql-batch.js';
import { storedFactsAt } from '../core/facts/stored-facts.js';

/**
 * Customers CSV export with their facts as of an instant. The profile columns use the import
 * names (docs/data-import.md), so an export can be re-imported; the fact columns are read-only
 * and ignored on import. Rows are read page by page and streamed through csv-stringify. Times are
 * the shop's wall clock with its offset (2025-11-20T19:13:48+08:00), as ISO 8601.
 */
const PROFILE_COLUMNS = ['externalId', 'name', 'phone', 'email', 'wechatId', 'province', 'city', 'device', 'tags', ...CHANNELS.map((c) => `consent_${c}`)];
export const FACT_EXPORT_COLUMNS = [
  'orderCount',
  'totalSpent',
  'aov',
  'firstOrderAt',
  'lastOrderAt',
  'recencyDays',
  'lifecycleStage',
  'unpaidOrderCount',
  'lastUnpaidAt',
  'hoursSinceLastUnpaid',
  'categories',
  'categoriesLastSeason',
  'categoriesSameSeasonLastYear',
  'double11Years',
  'double11Count',
];
export const EXPORT_COLUMNS = [...PROFILE_COLUMNS, ...FACT_EXPORT_COLUMNS];
const DATE_FACTS = new Set(['firstOrderAt', 'lastOrderAt', 'lastUnpaidAt']);
const PAGE = 1000;

function cell(column: string, v: unknown, timezone: string): string {
  if (v === null || v === undefined) return '';
  if (DATE_FACTS.has(column)) return shopIsoTime(v as number, timezone);
  if (Array.isArray(v)) return v.join('|');
  if (typeof v === 'number') return String(Math.round(v * 100) / 100);
  return String(v);
}

/** Live customers in id order, each as a record keyed by EXPORT_COLUMNS. */
export async function* customerExportRows(ds: DataSource, ctx: DeriveContext): AsyncGenerator<Record<string, string>> {
  let after = 0;
  // As segment does: facts as of `at` count only the orders up to it. The stored rows count every
  // order, and a database a simulation ran in holds orders after today's clock.
  const recompute = (await ordersAfter(ds, ctx.at)).count > 0;
  for (;;) {
    const page = await ds.manager.find(CustomerEntity, { where: { id: MoreThan(after), deletedAt: IsNull() }, order: { id: 'ASC' }, take: PAGE });
    if (page.length === 0) return;
    after = page[page.length - 1].id;
    await settleOwedFacts(ds); // an import's owed facts first (owed-facts.ts)
    const facts = await ds.manager.find(CustomerFactsEntity, { where: { customerId: In(page.map((c) => c.id)) } });
    let stored = facts.map((f) => decodeFacts(f as unknown as Record<string, unknown>));
    if (recompute && stored.length) {
      const orders = ordersByCustomer(await queryRows(ds, `SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id IN (${placeholders(stored.length)})`, stored.map((f) => f.customerId)));
      stored = stored.map((f) => storedFactsAt(f, orders.get(f.customerId) ?? [], ctx.at, ctx.timezone));
    }
    const byId = new Map(stored.map((f) => [f.customerId, f]));
    for (const e of page) {
      const c = toCustomer(e);
      // A customer written without a facts refresh (should not happen) exports as never-bought.
      const derived = deriveFacts(byId.get(c.id) ?? computeStoredFacts(c, [], ctx.timezone), ctx);
      const row: Record<string, string> = {};
      for (const k of PROFILE_COLUMNS) {
        row[k] = k.startsWith('consent_') ? cell(k, c.consent[k.slice(8) as keyof typeof c.consent], ctx.timezone) : cell(k, (c as unknown as Record<string, unknown>)[k], ctx.timezone);
      }
      for (const k of FACT_EXPORT_COLUMNS) row[k] = cell(k, derived[k], ctx.timezone);
      yield row;
    }
  }
}

/**
 * The export as a byte stream (header line first), for a file, stdout or an HTTP response.
 * `excel`: the Excel variant (core/text/excel-sheet.ts: a byte order mark, Chinese headers, times a
 * spreadsheet reads as date-times, phone numbers and ids as text); off by default: scripts want the plain CSV.
 */
export function customerExportCsv(ds: DataSource, ctx: DeriveContext, opts: { excel?: boolean } = {}): Readable {
  // pipeline (not pipe) so a database error destroys the returned stream instead of hanging it.
  if (opts.excel) return pipeline(Readable.from(customerExportRows(ds, ctx)), excelLines(CUSTOMER_EXCEL, EXPORT_COLUMNS, ctx.timezone), () => {});
  return pipeline(Readable.from(customerExportRows(ds, ctx)), stringify({ header: true, columns: EXPORT_COLUMNS, escape_formulas: true }), () => {});
}
