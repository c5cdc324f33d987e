import { In, MoreThan, type DataSource } from 'typeorm';
import { mergeIntervalResults, repurchaseIntervals, type IntervalResult } from '../core/analysis/intervals.js';
import { summariseCustomers, type CustomerSummary, type Purchase } from '../core/analysis/purchases.js';
import type { AnalysisInput } from '../core/analysis/report.js';
import { PURCHASE_STATUSES } from '../core/data/model.js';
import type { ShopConfig } from '../core/shop-config.js';
import { CustomerFactsEntity } from './entities/customer-facts.entity.js';
import { OrderEntity } from './entities/order.entity.js';
import { settleOwedFacts } from './owed-facts.js';

const CHUNK = 2000;

/**
 * Reads what the lifecycle and RFM analyses need from the shop database, a chunk of customers
 * at a time (keyset on customer_id), so memory holds one chunk's orders plus one small summary
 * per customer and the interval list — never the orders table.
 *
 * Customers are those with a `customer_facts` row (live customers; the recycle bin is left out,
 * as segments do). Intervals come from the customers' purchase orders (paid, shipped, completed;
 * time = paidAt, else createdAt, as in the facts) up to `at`, in the shop's time zone. RFM, the
 * stage counts and the breakdowns read order count, spend and last order from those same orders,
 * as `segment --at` recomputes them (core/facts/stored-facts.ts storedFactsAt): the stored facts
 * count every order up to today, so `analyse --at <earlier instant>` scored later orders
 * (negative recency days, more buyers in RFM than in the intervals above it). Region is today's.
 */
export async function loadAnalysisInput(ds: DataSource, shop: ShopConfig, at: number, shares?: readonly [number, number, number]): Promise<AnalysisInput> {
  const customers: CustomerSummary[] = [];
  const parts: IntervalResult[] = [];
  let after = 0;
  for (;;) {
    await settleOwedFacts(ds); // an import's owed facts first (owed-facts.ts)
    const facts = await ds.manager.find(CustomerFactsEntity, {
      select: { customerId: true, orderCount: true, province: true },
      where: { customerId: MoreThan(after) },
      order: { customerId: 'ASC' },
      take: CHUNK,
    });
    if (facts.length === 0) break;
    after = facts[facts.length - 1].customerId;
    // Customers without a purchase today had none at `at` either: their orders are not read.
    const buyers = facts.filter((f) => f.orderCount > 0).map((f) => f.customerId);
    const orders = buyers.length === 0 ? [] : await ds.manager
      .createQueryBuilder(OrderEntity, 'o')
      .select(['o.id', 'o.customerId', 'o.paidAt', 'o.createdAt', 'o.amount'])
      .where({ customerId: In(buyers), status: In([...PURCHASE_STATUSES]) })
      .getMany();
    const purchases: Purchase[] = [];
    for (const o of orders) {
      const when = o.paidAt ?? o.createdAt;
      // Created and paid by `at`, as storedFactsAt counts a purchase.
      if (when <= at && o.createdAt <= at) purchases.push({ customerId: o.customerId, at: when, amount: o.amount });
    }
    const asAt = new Map(summariseCustomers(purchases).map((s) => [s.customerId, s]));
    for (const f of facts) {
      const s = asAt.get(f.customerId);
      customers.push({ customerId: f.customerId, orderCount: s?.orderCount ?? 0, totalSpent: s?.totalSpent ?? 0, lastOrderAt: s?.lastOrderAt ?? null, province: f.province });
    }
    if (purchases.length) parts.push(repurchaseIntervals(purchases, shop.timezone));
  }
  return { at, timezone: shop.timezone, intervals: mergeIntervalResults(parts), customers, current: shop.lifecycle, shares };
}
