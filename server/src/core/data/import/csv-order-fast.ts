import { MAX_MONEY, ORDER_STATUSES, SEASONS, type OrderInput, type OrderItem, type OrderStatus } from '../model.js';
import { checkIdText, checkInstantRange, checkInstantText, checkPaidAfterCreated, MAX_ID_LENGTH } from '../input-limits.js';

/**
 * An order row of a CSV file, mapped and validated straight from its fields, for the rows that
 * are plainly valid. Returns the very value `mapRow('orders', 'csv', record, timezone)` gives
 * (the same keys in the same order, items included), or null for anything it does not vouch for:
 * the caller then maps the row the general way (row-mapper.ts + the zod schema of model.ts), which
 * names every bad field with the messages it always had. So this only ever decides "valid, and
 * this is the value"; every refusal and every message stays zod's.
 *
 * Why: the general way builds a record object keyed by the header, a shaped object, then zod's
 * checks and a transformed copy — several objects and closures a row, ~15% of the import's parser
 * thread with the garbage they leave. The checks below are the schema's, written out for the
 * CSV's text (tests/unit/import-csv-fast-path.test.ts holds them equal on valid and invalid rows).
 */

/** Where each order column is in the header (-1: absent); the last of equal names, as a record object keeps it. */
export interface OrderColumns {
  externalId: number;
  customerExternalId: number;
  status: number;
  amount: number;
  createdAt: number;
  paidAt: number;
  promotion: number;
  coupon: number;
  items: number;
}

export function orderColumns(header: readonly string[]): OrderColumns {
  const at = (name: string) => header.lastIndexOf(name);
  return {
    externalId: at('externalId'),
    customerExternalId: at('customerExternalId'),
    status: at('status'),
    amount: at('amount'),
    createdAt: at('createdAt'),
    paidAt: at('paidAt'),
    promotion: at('promotion'),
    coupon: at('coupon'),
    items: at('items'),
  };
}

const STATUS: ReadonlySet<string> = new Set(ORDER_STATUSES);
const SEASON: ReadonlySet<string> = new Set(SEASONS);
const toCents = (x: number) => Math.round(x * 100) / 100;

/** The trimmed field, '' when the column is absent (row-mapper's `text`). */
const field = (f: readonly string[], i: number): string => (i < 0 ? '' : f[i].trim());

/** A valid id (model.ts externalId: trimmed, 1–128 units, no control character), else null. */
const id = (t: string): string | null => (t.length === 0 || t.length > MAX_ID_LENGTH || checkIdText(t) !== null ? null : t);

/** A valid instant from non-empty trimmed text (digits: epoch ms; else ISO text in the shop's zone), else NaN. */
function instant(t: string, timezone: string): number {
  let ms = Number(t);
  if (!Number.isFinite(ms)) {
    const r = checkInstantText(t, timezone);
    if ('error' in r) return Number.NaN;
    ms = r.ms;
  }
  return checkInstantRange(ms) === null ? ms : Number.NaN;
}

/** A non-negative number up to MAX_MONEY from non-empty trimmed text, as row-mapper's `numberish` + model.ts `money`; else NaN (zod then words it). */
function amountOf(t: string): number {
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 && n <= MAX_MONEY ? n : Number.NaN;
}

/** row-mapper's csvItems for the `sku:category[:season[:quantity[:price]]]` form, validated; null to leave to zod. */
function items(t: string): OrderItem[] | null {
  if (t === '') return [];
  if (t.startsWith('[')) return null; // JSON: any shape, zod's to judge
  const out: OrderItem[] = [];
  for (const raw of t.split(';')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const parts = entry.split(':');
    const sku = parts[0].trim();
    const category = parts.length > 1 ? parts[1].trim() : '';
    if (sku === '' || category === '') return null;
    const s = parts.length > 2 ? parts[2].trim() : '';
    const season = s ? s.toLowerCase() : null;
    if (season !== null && !SEASON.has(season)) return null;
    const q = parts.length > 3 ? parts[3].trim() : '';
    let quantity = 1;
    if (q) {
      quantity = Number(q);
      if (!Number.isSafeInteger(quantity) || quantity <= 0) return null;
    }
    const p = parts.length > 4 ? parts[4].trim() : '';
    let price: number | undefined;
    if (p) {
      price = Number(p);
      if (!Number.isFinite(price) || price < 0 || price > MAX_MONEY) return null;
    }
    out.push({ sku, category, season: season as OrderItem['season'], quantity, price });
  }
  return out;
}

/** The order of a valid CSV row (as mapRow gives it), or null: then the general way decides and words it. */
export function fastCsvOrder(f: readonly string[], c: OrderColumns, timezone: string): OrderInput | null {
  const externalId = id(field(f, c.externalId));
  if (externalId === null) return null;
  const customerExternalId = id(field(f, c.customerExternalId));
  if (customerExternalId === null) return null;
  const status = field(f, c.status).toLowerCase();
  if (!STATUS.has(status)) return null;
  const a = field(f, c.amount);
  const amount = a === '' ? Number.NaN : amountOf(a);
  if (Number.isNaN(amount)) return null;
  const ct = field(f, c.createdAt);
  const createdAt = ct === '' ? Number.NaN : instant(ct, timezone);
  if (Number.isNaN(createdAt)) return null;
  const pt = field(f, c.paidAt);
  let paidAt: number | null = pt === '' ? null : instant(pt, timezone);
  if (Number.isNaN(paidAt)) return null;
  if (paidAt === null && status !== 'created' && status !== 'cancelled') return null;
  if (paidAt !== null && paidAt < createdAt) {
    if (checkPaidAfterCreated(createdAt, paidAt, timezone) !== null) return null;
    paidAt = createdAt;
  }
  const pr = field(f, c.promotion);
  const co = field(f, c.coupon);
  const its = items(field(f, c.items));
  if (its === null) return null;
  return { externalId, customerExternalId, status: status as OrderStatus, amount: toCents(amount), createdAt, paidAt, promotion: pr === '' ? null : pr, coupon: co === '' ? null : co, items: its };
}
