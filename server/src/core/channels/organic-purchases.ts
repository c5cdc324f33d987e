import { MS_PER_DAY } from '../clock.js';
import { Rng, seedFromText } from '../seed/prng.js';
import type { SimulatedRates } from './simulated-delivery.js';

/**
 * Organic purchases of a simulation: customers buy whether they were messaged or not. Without them
 * only a clicked message led to an order, so a holdout (or a customer whose message was held back)
 * could never respond: every experiment ended in "no baseline" and all revenue counted as
 * incremental. Each customer of the simulated flow buys as a Poisson process at their own rate,
 * messages adding to it (the simulated channel's purchases).
 */

/**
 * The shop's mean time between a customer's purchases when it is not known (a shop without
 * buyers, or a caller that did not read it): about a month.
 */
export const DEFAULT_PURCHASE_GAP_DAYS = 30;

export interface PurchaseHistory {
  orderCount: number;
  /** The first paid order, else when the customer was created (null: unknown). */
  since: number | null;
}

/**
 * Orders per day: `rates.baseline` when set, else the customer's own — paid orders over their
 * lifetime (first order to `at`) plus the shop's mean time between purchases
 * (`shopGapDays`, persistence/organic-rate.ts). The added gap keeps a first order last week from
 * reading as a purchase a week: over the lifetime alone (floored at 30 days, as it was) the demo
 * shop's customers bought 2.6 times as often in the 330 days after its data as in the 330 days
 * before (47,300 orders against 18,400); with the gap added 18,500. A customer without orders
 * has no rate of their own: 0.
 */
export function organicRatePerDay(rates: Pick<SimulatedRates, 'baseline'>, history: PurchaseHistory, at: number, shopGapDays = DEFAULT_PURCHASE_GAP_DAYS): number {
  if (rates.baseline !== null) return rates.baseline;
  if (history.orderCount <= 0) return 0;
  const lifetime = history.since === null ? 0 : Math.max(0, (at - history.since) / MS_PER_DAY);
  return history.orderCount / (lifetime + Math.max(1, shopGapDays));
}

/**
 * The customer's n-th organic purchase after `after`: an exponential wait at `ratePerDay`, drawn
 * from (seed, customer, n) so the same run gives the same purchases; null at rate 0. `stream` keeps
 * the draws of the time before a simulation (simulated-gap.ts: "gap") apart from those of the run.
 */
export function nextOrganicPurchase(rates: Pick<SimulatedRates, 'seed'>, customerId: number, n: number, after: number, ratePerDay: number, stream = 'organic'): number | null {
  if (!(ratePerDay > 0)) return null;
  const u = new Rng(rates.seed, seedFromText(`${stream}:${customerId}:${n}`)).next();
  return Math.round(after + (-Math.log(1 - u) / ratePerDay) * MS_PER_DAY);
}

/**
 * The share of organic orders never paid: placed, then closed by the platform when left unpaid
 * (gap-purchases.ts UNPAID_CLOSED_AFTER_MS) — about the demo shop's share of cancelled orders
 * (core/seed/order-history.ts: one customer in eight with purchases has one, over ~2–3 purchases).
 */
export const ORGANIC_NEVER_PAID_SHARE = 0.05;

/**
 * How long after placing it a customer pays their organic order (ms), or null when they never do
 * (the order is closed). Real shops' orders are placed unpaid and paid minutes later: as the demo
 * shop's orders are (core/seed/order-history.ts), 9 in 10 within 20 s–20 min, the rest within
 * 20 min–12 h. Drawn from (seed, customer, n) on a stream of its own, so adding it changed none
 * of the purchases' times. Before, an organic order was paid the moment it was placed, so a
 * payment reminder simulated after the shop's data had no organic entrants at all.
 */
export function organicPaymentDelay(rates: Pick<SimulatedRates, 'seed'>, customerId: number, n: number, stream = 'organic'): number | null {
  const rng = new Rng(rates.seed, seedFromText(`${stream}-pays:${customerId}:${n}`));
  if (rng.next() < ORGANIC_NEVER_PAID_SHARE) return null;
  const soon = rng.next() < 0.9;
  const u = rng.next();
  return Math.round((soon ? 20 + u * (1200 - 20) : 1200 + u * (12 * 3600 - 1200)) * 1000);
}
