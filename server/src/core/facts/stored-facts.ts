import type { Customer, Order } from '../data/model.js';
import { PURCHASE_STATUSES } from '../data/model.js';
import { dayFacts } from './season.js';

/**
 * The per-customer fact row kept in `customer_facts`. It holds only what does not change as
 * time passes (counts, sums, timestamps, sets); time-relative facts (recencyDays, lifecycle
 * stage, last season's categories) are derived from it at evaluation time, so a stored row
 * never goes stale and `--at` can evaluate the shop at any instant.
 */
export interface StoredFacts {
  customerId: number;
  orderCount: number;
  totalSpent: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  unpaidOrderCount: number;
  lastUnpaidAt: number | null;
  categories: string[];
  /** "category@2025-summer": category bought in that season. */
  categorySeasons: string[];
  double11Years: string[];
  province: string | null;
  city: string | null;
  device: 'mobile' | 'pc' | null;
  tags: string[];
  consentSms: boolean | null;
  consentEmail: boolean | null;
  consentWechat: boolean | null;
  consentWangwang: boolean | null;
  consentPush: boolean | null;
  /** Paid orders that were Double-11 orders (promotion double11 or placed on 11 Nov). */
  double11OrderCount?: number;
  /** BG/NBD predictions of the last `rekindle analyse --model bgnbd` (absent until one ran). */
  pAlive?: number | null;
  expectedPurchases?: number | null;
}

const sortedUnique = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** The order-derived part of the facts while orders are added (a full recompute or a merge). */
interface OrderAggregate {
  orderCount: number;
  totalSpent: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  unpaidOrderCount: number;
  lastUnpaidAt: number | null;
  double11OrderCount: number;
  categories: Set<string>;
  categorySeasons: Set<string>;
  d11: Set<string>;
}

function addOrder(a: OrderAggregate, o: Order, timezone: string): void {
  if (o.status === 'created') {
    a.unpaidOrderCount++;
    if (a.lastUnpaidAt === null || o.createdAt > a.lastUnpaidAt) a.lastUnpaidAt = o.createdAt;
    return;
  }
  if (!PURCHASE_STATUSES.has(o.status)) return;
  const at = o.paidAt ?? o.createdAt;
  a.orderCount++;
  a.totalSpent += o.amount;
  if (a.firstOrderAt === null || at < a.firstOrderAt) a.firstOrderAt = at;
  if (a.lastOrderAt === null || at > a.lastOrderAt) a.lastOrderAt = at;
  const season = dayFacts(at, timezone).seasonKey;
  for (const item of o.items) {
    a.categories.add(item.category);
    a.categorySeasons.add(`${item.category}@${season}`);
  }
  const created = dayFacts(o.createdAt, timezone);
  if (o.promotion === 'double11' || created.double11) {
    a.d11.add(created.year);
    a.double11OrderCount++;
  }
}

function orderFacts(a: OrderAggregate) {
  return {
    orderCount: a.orderCount,
    totalSpent: Math.round(a.totalSpent * 100) / 100,
    firstOrderAt: a.firstOrderAt,
    lastOrderAt: a.lastOrderAt,
    unpaidOrderCount: a.unpaidOrderCount,
    lastUnpaidAt: a.lastUnpaidAt,
    categories: sortedUnique(a.categories),
    categorySeasons: sortedUnique(a.categorySeasons),
    double11Years: sortedUnique(a.d11),
    double11OrderCount: a.double11OrderCount,
  };
}

/** Computes one customer's stored facts from the customer and all their orders. */
export function computeStoredFacts(customer: Customer, orders: readonly Order[], timezone: string): StoredFacts {
  const a: OrderAggregate = { orderCount: 0, totalSpent: 0, firstOrderAt: null, lastOrderAt: null, unpaidOrderCount: 0, lastUnpaidAt: null, double11OrderCount: 0, categories: new Set(), categorySeasons: new Set(), d11: new Set() };
  for (const o of orders) addOrder(a, o, timezone);
  return {
    customerId: customer.id,
    ...orderFacts(a),
    province: customer.province,
    city: customer.city,
    device: customer.device,
    tags: sortedUnique(customer.tags),
    consentSms: customer.consent.sms ?? null,
    consentEmail: customer.consent.email ?? null,
    consentWechat: customer.consent.wechat ?? null,
    consentWangwang: customer.consent.wangwang ?? null,
    consentPush: customer.consent.push ?? null,
  };
}

/**
 * The facts after NEW orders are added to a customer whose stored facts are `prev` (the
 * incremental path of a bulk import: no re-read of the customer's order history). Equal to
 * `computeStoredFacts` over all the orders, as long as none of `added` was already counted in
 * `prev` (a changed order needs the full recompute: its old state cannot be subtracted from sets).
 */
export function addOrdersToFacts(prev: StoredFacts, added: readonly Order[], timezone: string): StoredFacts {
  const a: OrderAggregate = {
    orderCount: prev.orderCount,
    totalSpent: prev.totalSpent,
    firstOrderAt: prev.firstOrderAt,
    lastOrderAt: prev.lastOrderAt,
    unpaidOrderCount: prev.unpaidOrderCount,
    lastUnpaidAt: prev.lastUnpaidAt,
    double11OrderCount: prev.double11OrderCount ?? 0,
    categories: new Set(prev.categories),
    categorySeasons: new Set(prev.categorySeasons),
    d11: new Set(prev.double11Years),
  };
  for (const o of added) addOrder(a, o, timezone);
  return { ...prev, ...orderFacts(a) };
}

/**
 * The facts a customer had at instant `at`: the order-derived part recomputed from the orders
 * the shop knew then (created by `at`; one paid after `at` was still unpaid at `at`), the rest
 * (region, tags, consent, predictions) as stored today — the shop keeps no history of those.
 * `segment --at <past date>` reads these when the shop has orders after that date: today's
 * stored row would count later orders and give a negative recencyDays.
 */
export function storedFactsAt(current: StoredFacts, orders: readonly Order[], at: number, timezone: string): StoredFacts {
  const a: OrderAggregate = { orderCount: 0, totalSpent: 0, firstOrderAt: null, lastOrderAt: null, unpaidOrderCount: 0, lastUnpaidAt: null, double11OrderCount: 0, categories: new Set(), categorySeasons: new Set(), d11: new Set() };
  for (const o of orders) {
    if (o.createdAt > at) continue;
    if (o.paidAt !== null && o.paidAt > at && PURCHASE_STATUSES.has(o.status)) addOrder(a, { ...o, status: 'created', paidAt: null }, timezone);
    else addOrder(a, o, timezone);
  }
  return { ...current, ...orderFacts(a) };
}
