import { MS_PER_DAY } from '../clock.js';
import { Rng, seedFromText } from '../seed/prng.js';
import { nextOrganicPurchase, organicRatePerDay, type PurchaseHistory } from './organic-purchases.js';
import type { SimulatedRates } from './simulated-delivery.js';

/**
 * The time between the end of a shop's data and a simulation that starts later (the Double-11
 * campaign of next autumn simulated on today's shop). Without it every customer reaches the
 * start having bought nothing for months: today's active and silent customers are all asleep by
 * then, and the groups for them (C 近期优质客户, D1 浅度沉睡, A3 …) are empty. So the shop lives
 * until the start as a simulation's organic purchases do (organic-purchases.ts): each customer
 * buys at their own rate from their order history, seeded, and — as the platform does — an order
 * left unpaid for two days is closed, while some customers leave a fresh one unpaid in the last
 * two days (the shares the demo shop's generator uses: 6% of recent buyers, 1.5% of the others).
 */

/** A gap shorter than this is no gap: the shop's data reaches the start. */
export const GAP_MIN_MS = MS_PER_DAY;
/** The platform closes an order left unpaid this long. */
export const UNPAID_CLOSED_AFTER_MS = 2 * MS_PER_DAY;
/** A customer whose last purchase is this recent is a recent buyer (the shop's active window in the demo). */
const RECENT_BUYER_DAYS = 27;

export interface GapCustomer extends PurchaseHistory {
  customerId: number;
  lastOrderAt: number | null;
}

export interface GapPurchases {
  /** Paid purchases in (start, end), oldest first. */
  paid: number[];
  /** An order placed in the two days before `end` and not paid yet, or null. */
  unpaidAt: number | null;
}

/** One customer's purchases between the shop's last data (`start`) and the simulation's start (`end`). */
export function gapPurchases(rates: Pick<SimulatedRates, 'seed' | 'baseline'>, c: GapCustomer, start: number, end: number, shopGapDays: number): GapPurchases {
  const ratePerDay = organicRatePerDay(rates, c, start, shopGapDays);
  const paid: number[] = [];
  for (let n = 0, at = nextOrganicPurchase(rates, c.customerId, 0, start, ratePerDay, 'gap'); at !== null && at < end; at = nextOrganicPurchase(rates, c.customerId, ++n, at, ratePerDay, 'gap')) paid.push(at);
  const last = paid.length ? paid[paid.length - 1] : c.lastOrderAt;
  const recent = last !== null && end - last <= RECENT_BUYER_DAYS * MS_PER_DAY;
  const rng = new Rng(rates.seed, seedFromText(`gap-unpaid:${c.customerId}`));
  const unpaidAt = c.orderCount + paid.length > 0 && rng.next() < (recent ? 0.06 : 0.015) ? Math.max(start + 1, end - Math.round(rng.next() * UNPAID_CLOSED_AFTER_MS)) : null;
  return { paid, unpaidAt: unpaidAt !== null && unpaidAt < end ? unpaidAt : null };
}
