import { In, MoreThan, type DataSource } from 'typeorm';
import { mergeIntervalResults, repurchaseIntervals, type IntervalResult } from '../core/analysis/intervals.js';
import type { CustomerSummary, Purchase } from '../core/analysis/purchases.js';
import type { AnalysisInput } from '../core/analysis/report.js';
import { PURCHASE_STATUSES } from '../core/data/model.js';
import type { ShopConfig } from '../core/shop-config.js';
import { CustomerFactsEntity } from './entities/customer-facts.entity.js';
import { OrderEntity } from './entities/order.entity.js';

const CHUNK = 2000;

/**
 * Reads what the lifecycle and RFM analyses need from the shop database, a chunk of customers
 * at a time (keyset on customer_id), so memory holds one chunk's orders plus one small summary
 * per customer and the interval list — never the orders table.
 *
 * Customers are those with a `customer_facts` row (live customers; the recycle bin is left out,
 * as segments do). RFM and the breakdowns use the stored facts evaluated at `at`, exactly as a
 * segment would see them. Intervals come from the customers' purchase orders (paid, shipped,
 * completed; time = paidAt, else createdAt, as in the facts) up to `at`, in the shop's time zone.
 */
export async function loadAnalysisInput(ds: DataSource, shop: ShopConfig, at: number, shares?: readonly [number, number, number]): Promise<AnalysisInput> {
  const customers: CustomerSummary[] = [];
  const parts: IntervalResult[] = [];
  let after = 0;
  for (;;) {
    const facts = await ds.manager.find(CustomerFactsEntity, {
      select: { customerId: true, orderCount: true, totalSpent: true, lastOrderAt: true, province: true },
      where: { customerId: MoreThan(after) },
      order: { customerId: 'ASC' },
      take: CHUNK,
    });
    if (facts.length === 0) break;
    after = facts[facts.length - 1].customerId;
    for (const f of facts) {
      customers.push({ customerId: f.customerId, orderCount: f.orderCount, totalSpent: f.totalSpent, lastOrderAt: f.lastOrderAt, province: f.province });
    }
    const buyers = facts.filter((f) => f.orderCount > 0).map((f) => f.customerId);
    if (buyers.length === 0) continue;
    const orders = await ds.manager
      .createQueryBuilder(OrderEntity, 'o')
      .select(['o.id', 'o.customerId', 'o.paidAt', 'o.createdAt', 'o.amount'])
      .where({ customerId: In(buyers), status: In([...PURCHASE_STATUSES]) })
      .getMany();
    const purchases: Purchase[] = [];
    for (const o of orders) {
      const when = o.paidAt ?? o.createdAt;
      if (when <= at) purchases.push({ customerId: o.customerId, at: when, amount: o.amount });
    }
    parts.push(repurchaseIntervals(purchases, shop.timezone));
  }
  return { at, timezone: shop.timezone, intervals: mergeIntervalResults(parts), customers, current: shop.lifecycle, shares };
}
