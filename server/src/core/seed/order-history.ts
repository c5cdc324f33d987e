import { MS_PER_DAY, MS_PER_HOUR } from '../clock.js';
import type { Order, OrderStatus } from '../data/model.js';
import { seasonOfMonth } from '../facts/season.js';
import type { Profile } from './customer-profile.js';
import { sampleIntervalDays } from './intervals.js';
import type { LocalTime } from './local-time.js';
import { basket } from './products.js';
import { Weighted, type Rng } from './prng.js';

/**
 * One customer's order history, built backwards from `now`: first how long ago they last bought
 * (which decides whether they are active, silent, sleeping or lost today), then the gaps between
 * earlier purchases drawn from the shop's interval shape (intervals.ts). Double 11 pulls purchases
 * onto 11 November; cancelled, refunded and still-unpaid orders are added around the purchases.
 */
export interface HistoryContext {
  rng: Rng;
  now: number;
  local: LocalTime;
  /** Local midnight of `now`'s day, in local ms (see LocalTime). */
  todayLocal: number;
  historyDays: number;
  /** Days before today of each 11 November in the history, newest first. */
  double11Days: readonly { year: number; daysAgo: number }[];
}

/** Purchases per buying customer: most buy once, a few dozens of times. */
const PURCHASES = new Weighted<[number, number]>([
  [[1, 1], 42], [[2, 2], 20], [[3, 3], 12], [[4, 4], 8], [[5, 5], 5], [[6, 10], 9], [[11, 25], 4],
]);

/** Days since the last purchase: the lifecycle mix the shop sees today. Loyal buyers are fresher. */
const RECENCY_ONE_OFF = new Weighted<[number, number]>([[[0, 27], 10], [[28, 138], 20], [[139, 426], 28], [[427, 99999], 42]]);
const RECENCY_LOYAL = new Weighted<[number, number]>([[[0, 27], 30], [[28, 138], 34], [[139, 426], 21], [[427, 99999], 15]]);

/** Order hour of day, local time: lunch break and the evening peak (20–23h) dominate. */
const HOURS = new Weighted(
  [3, 1.5, 0.7, 0.3, 0.2, 0.3, 0.8, 1.8, 3, 4.5, 5.5, 5, 5, 5, 5, 5, 4.8, 4.5, 5, 6, 8, 9, 8, 5].map((w, h) => [h, w] as const),
);

type D11Habit = 'none' | 'once' | 'yearly';
const D11_HABIT = new Weighted<D11Habit>([['none', 58], ['once', 28], ['yearly', 14]]);

interface Purchase {
  daysAgo: number;
  double11: boolean;
}

export interface History {
  orders: Order[];
  /** When the customer joined the shop (before the first order). */
  registeredAt: number;
}

export function generateHistory(ctx: HistoryContext, profile: Profile, customerId: number, externalId: string): History {
  const { rng } = ctx;
  const purchases = rng.chance(0.1) ? [] : purchaseDays(ctx);
  if (purchases.length) applyDouble11(ctx, purchases);

  const orders: Omit<Order, 'externalId'>[] = [];
  const add = (o: Omit<Order, 'externalId' | 'customerId'>) => orders.push({ ...o, customerId });

  for (const p of purchases) {
    const createdAt = instantOn(ctx, p.daysAgo, p.double11 && rng.chance(0.4) ? rng.int(0, 1) : HOURS.pick(rng));
    const promotion = p.double11 ? 'double11' : rng.chance(0.06) ? 'juhuasuan' : null;
    add(purchaseOrder(ctx, profile, createdAt, promotion));
    // A returned purchase: the refunded order sits next to a kept one.
    if (rng.chance(0.04)) add({ ...purchaseOrder(ctx, profile, createdAt - rng.int(1, 2 * MS_PER_DAY), promotion), status: 'refunded' });
  }

  // Orders placed and never paid: the platform cancels them after a day or two.
  const cancelled = purchases.length === 0 ? (rng.chance(0.25) ? 1 : 0) : rng.chance(0.12) ? 1 : 0;
  for (let i = 0; i < cancelled; i++) {
    const daysAgo = purchases.length ? rng.pick(purchases).daysAgo + rng.int(0, 5) : rng.int(3, ctx.historyDays);
    const o = purchaseOrder(ctx, profile, instantOn(ctx, Math.min(ctx.historyDays, Math.max(3, daysAgo)), HOURS.pick(rng)), null);
    add({ ...o, status: 'cancelled', paidAt: null });
  }

  // Ordered within the last 48 hours and not paid yet: the payment-reminder journey's audience.
  const recent = purchases.length > 0 && purchases[purchases.length - 1].daysAgo <= 27;
  if (rng.chance(recent ? 0.06 : 0.015)) {
    const o = purchaseOrder(ctx, profile, ctx.now - rng.int(1, 48 * 60) * 60_000, null);
    add({ ...o, status: 'created', paidAt: null });
  }

  orders.sort((a, b) => a.createdAt - b.createdAt);
  const first = orders.length ? orders[0].createdAt : instantOn(ctx, rng.int(0, ctx.historyDays), HOURS.pick(rng));
  const registeredAt = Math.max(first - rng.int(0, 30) * MS_PER_DAY - rng.int(0, 3_600_000), ctx.now - (ctx.historyDays + 30) * MS_PER_DAY);
  return {
    orders: orders.map((o, i) => ({ ...o, externalId: `o${externalId.slice(1)}-${String(i + 1).padStart(2, '0')}` })),
    registeredAt: Math.min(registeredAt, first),
  };
}

/** Purchase days (days before today), oldest first, drawn backwards from the last purchase. */
function purchaseDays(ctx: HistoryContext): Purchase[] {
  const { rng } = ctx;
  const [lo, hi] = PURCHASES.pick(rng);
  const count = rng.int(lo, hi);
  const [rLo, rHi] = (count >= 4 ? RECENCY_LOYAL : RECENCY_ONE_OFF).pick(rng);
  let day = rng.int(rLo, Math.min(rHi, ctx.historyDays));
  const days: Purchase[] = [];
  for (let i = 0; i < count && day <= ctx.historyDays; i++) {
    days.push({ daysAgo: day, double11: false });
    day += sampleIntervalDays(rng);
  }
  return days.reverse();
}

/**
 * Double 11 (seed 001): some customers buy on 11 November every year, some once, most never;
 * and purchases that fell in the run-up weeks move onto the day. A nearby purchase is moved
 * rather than a new one added, so the interval shape stays close to the shop's.
 */
function applyDouble11(ctx: HistoryContext, purchases: Purchase[]): void {
  const { rng } = ctx;
  const habit = D11_HABIT.pick(rng);
  const oldest = purchases[0].daysAgo;
  const newest = purchases[purchases.length - 1].daysAgo;
  const snapNearest = (d11: number, window: number): boolean => {
    let best: Purchase | null = null;
    for (const p of purchases) if (!p.double11 && Math.abs(p.daysAgo - d11) <= window && (!best || Math.abs(p.daysAgo - d11) < Math.abs(best.daysAgo - d11))) best = p;
    if (best) {
      best.daysAgo = d11;
      best.double11 = true;
    }
    return best !== null;
  };

  for (const { daysAgo: d11 } of ctx.double11Days) {
    if (habit === 'yearly' && d11 <= oldest + 30 && d11 >= Math.max(0, newest - 400) && rng.chance(0.85)) {
      if (!snapNearest(d11, 60)) purchases.push({ daysAgo: d11, double11: true });
    } else if (habit !== 'none' || rng.chance(0.5)) {
      // The run-up: a purchase in the three weeks before waits for the day.
      snapNearest(d11, habit === 'once' ? 0 : 21);
    }
  }
  if (habit === 'once' && !purchases.some((p) => p.double11)) {
    const candidates = ctx.double11Days.filter((d) => d.daysAgo <= oldest + 30 && d.daysAgo >= newest - 30);
    if (candidates.length) snapNearest(rng.pick(candidates).daysAgo, 90);
  }
  purchases.sort((a, b) => b.daysAgo - a.daysAgo);
}

/** An instant on the local day `daysAgo` days before today, at the given local hour. */
function instantOn(ctx: HistoryContext, daysAgo: number, hour: number): number {
  const { rng } = ctx;
  const at = ctx.local.fromLocal(ctx.todayLocal - daysAgo * MS_PER_DAY + hour * MS_PER_HOUR + rng.int(0, MS_PER_HOUR - 1));
  // Today's purchases happened before now.
  return at <= ctx.now ? at : ctx.now - rng.int(1, Math.max(2, Math.min(MS_PER_HOUR, ctx.now - ctx.local.fromLocal(ctx.todayLocal))));
}

function purchaseOrder(ctx: HistoryContext, profile: Profile, createdAt: number, promotion: string | null): Omit<Order, 'externalId' | 'customerId'> {
  const { rng } = ctx;
  const { year, month } = ctx.local.monthOf(createdAt);
  // The south stays in summer clothes into autumn (seed 004: launches roll south to north).
  const season = seasonOfMonth(profile.south && (month === 10 || month === 4) ? (month === 10 ? 8 : 6) : month);
  const discount = promotion === 'double11' ? 0.8 : promotion === 'juhuasuan' ? 0.7 : 1;
  const b = basket(rng, season, year, profile.priceLevel, discount, profile.wholesale);
  const paidAt = Math.min(ctx.now, createdAt + (rng.chance(0.9) ? rng.int(20, 1200) : rng.int(1200, 12 * 3600)) * 1000);
  const age = ctx.now - paidAt;
  const status: OrderStatus = age < 2 * MS_PER_DAY ? (rng.chance(0.5) ? 'paid' : 'shipped') : age < 15 * MS_PER_DAY ? 'shipped' : 'completed';
  return { status, amount: Math.round(b.amount * 100) / 100, createdAt, paidAt, promotion, items: b.items };
}
