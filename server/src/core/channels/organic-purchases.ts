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

/** Below this a lifetime says little: a customer whose only order was last week is not buying daily. */
const MIN_LIFETIME_DAYS = 30;

export interface PurchaseHistory {
  orderCount: number;
  /** The first paid order, else when the customer was created (null: unknown). */
  since: number | null;
}

/**
 * Orders per day: `rates.baseline` when set, else the customer's own — paid orders over their
 * lifetime (first order to `at`, at least 30 days). A customer without orders has no rate of their own: 0.
 */
export function organicRatePerDay(rates: Pick<SimulatedRates, 'baseline'>, history: PurchaseHistory, at: number): number {
  if (rates.baseline !== null) return rates.baseline;
  if (history.orderCount <= 0) return 0;
  const days = history.since === null ? MIN_LIFETIME_DAYS : Math.max(MIN_LIFETIME_DAYS, (at - history.since) / MS_PER_DAY);
  return history.orderCount / days;
}

/**
 * The customer's n-th organic purchase after `after`: an exponential wait at `ratePerDay`, drawn
 * from (seed, customer, n) so the same run gives the same purchases; null at rate 0.
 */
export function nextOrganicPurchase(rates: Pick<SimulatedRates, 'seed'>, customerId: number, n: number, after: number, ratePerDay: number): number | null {
  if (!(ratePerDay > 0)) return null;
  const u = new Rng(rates.seed, seedFromText(`organic:${customerId}:${n}`)).next();
  return Math.round(after + (-Math.log(1 - u) / ratePerDay) * MS_PER_DAY);
}
