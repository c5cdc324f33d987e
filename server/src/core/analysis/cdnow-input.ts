import { CDNOW_TIMEZONE, type CdnowOrder } from '../data/cdnow.js';
import { repurchaseIntervals } from './intervals.js';
import { summariseCustomers, type Purchase } from './purchases.js';
import type { AnalysisInput } from './report.js';
import type { LifecycleThresholds } from '../shop-config.js';

/**
 * Analysis input from CDNOW orders. Every CDNOW row is a purchase (the file holds no unpaid or
 * refunded orders; $0.00 rows are kept as purchases). Orders after `at` are left out, so `--at`
 * shows the shop as it was then.
 */
export function cdnowAnalysisInput(orders: readonly CdnowOrder[], at: number, current: LifecycleThresholds, shares?: readonly [number, number, number]): AnalysisInput {
  const purchases: Purchase[] = orders.filter((o) => o.at <= at).map((o) => ({ customerId: o.customerId, at: o.at, amount: o.amount }));
  return { at, timezone: CDNOW_TIMEZONE, intervals: repurchaseIntervals(purchases, CDNOW_TIMEZONE), customers: summariseCustomers(purchases), current, shares };
}
