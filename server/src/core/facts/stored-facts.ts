import type { Customer, Order } from '../data/model.js';
import { PURCHASE_STATUSES } from '../data/model.js';
import { formatSeasonKey, isDouble11Day, localDate, seasonKeyOf } from './season.js';

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

/** Computes one customer's stored facts from the customer and all their orders. */
export function computeStoredFacts(customer: Customer, orders: readonly Order[], timezone: string): StoredFacts {
  let orderCount = 0;
  let totalSpent = 0;
  let firstOrderAt: number | null = null;
  let lastOrderAt: number | null = null;
  let unpaidOrderCount = 0;
  let double11OrderCount = 0;
  let lastUnpaidAt: number | null = null;
  const categories = new Set<string>();
  const categorySeasons = new Set<string>();
  const d11 = new Set<string>();

  for (const o of orders) {
    if (o.status === 'created') {
      unpaidOrderCount++;
      if (lastUnpaidAt === null || o.createdAt > lastUnpaidAt) lastUnpaidAt = o.createdAt;
      continue;
    }
    if (!PURCHASE_STATUSES.has(o.status)) continue;
    const at = o.paidAt ?? o.createdAt;
    orderCount++;
    totalSpent += o.amount;
    if (firstOrderAt === null || at < firstOrderAt) firstOrderAt = at;
    if (lastOrderAt === null || at > lastOrderAt) lastOrderAt = at;
    const season = formatSeasonKey(seasonKeyOf(at, timezone));
    for (const item of o.items) {
      categories.add(item.category);
      categorySeasons.add(`${item.category}@${season}`);
    }
    if (o.promotion === 'double11' || isDouble11Day(o.createdAt, timezone)) {
      d11.add(String(localDate(o.createdAt, timezone).year));
      double11OrderCount++;
    }
  }

  return {
    customerId: customer.id,
    orderCount,
    totalSpent: Math.round(totalSpent * 100) / 100,
    firstOrderAt,
    lastOrderAt,
    unpaidOrderCount,
    lastUnpaidAt,
    categories: sortedUnique(categories),
    categorySeasons: sortedUnique(categorySeasons),
    double11Years: sortedUnique(d11),
    double11OrderCount,
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
