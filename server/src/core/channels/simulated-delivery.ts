import { CHANNELS, type Channel } from '../data/model.js';
import { Rng, seedFromText } from '../seed/prng.js';

/**
 * The simulated channel of `rekindle simulate`: what share of messages reach the customer and
 * what share of those the customer answers, per channel. Every draw is seeded by (seed, message),
 * so a simulation is reproducible and a message's fate does not depend on what else was sent.
 */
export interface SimulatedRates {
  seed: number;
  delivery: Record<Channel, number>;
  /** Of the delivered messages with a link: the customer clicks it (a `click` event). A message without one is never answered. */
  response: Record<Channel, number>;
  /** Of the responders whose message carried a coupon: the coupon is used in a paid order. */
  redeem: number;
  /**
   * Of the other responders (no coupon, or a coupon they did not use): they buy anyway, a paid
   * order without a coupon. Modest on purpose: a click is interest, most clicks buy nothing.
   */
  purchase: number;
  /**
   * Organic purchases (organic-purchases.ts): orders per customer per day that the simulated
   * flow's customers place whether messaged or not. `null`: each customer's own rate from their
   * order history; 0: none (only messages lead to orders, as before).
   */
  baseline: number | null;
}

export const DEFAULT_SIMULATED_RATES: SimulatedRates = {
  seed: 1,
  delivery: { sms: 0.97, email: 0.9, wechat: 0.95, wangwang: 0.95, push: 0.85 },
  response: { sms: 0.04, email: 0.02, wechat: 0.06, wangwang: 0.08, push: 0.03 },
  redeem: 0.5,
  purchase: 0.2,
  baseline: null,
};

/** "0.9" (every channel) or "sms=0.97,email=0.9" (others keep their default). */
export function parseRates(text: string, base: Record<Channel, number>, option: string): Record<Channel, number> {
  const out = { ...base };
  const rate = (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${option}: "${v}" is not a rate between 0 and 1`);
    return n;
  };
  if (!text.includes('=')) {
    const r = rate(text);
    for (const c of CHANNELS) out[c] = r;
    return out;
  }
  for (const part of text.split(',')) {
    const [c, v] = part.split('=').map((s) => s.trim());
    if (!(CHANNELS as readonly string[]).includes(c)) throw new Error(`${option}: unknown channel "${c}" (channels: ${CHANNELS.join(', ')})`);
    out[c as Channel] = rate(v ?? '');
  }
  return out;
}

export interface SimulatedFate {
  delivered: boolean;
  /** The click, this long after delivery (null: no answer). */
  respondsAfter: number | null;
  /** The message's coupon is used: the customer pays an order with it. */
  redeems: boolean;
  /** The customer pays an order (with the coupon when `redeems`), this long after the click. */
  buysAfter: number | null;
}

/**
 * The fate of one message: delivered or not, answered after how long, coupon used or not, an
 * order paid or not. A redeemed coupon is always a paid order (a coupon is only used at checkout);
 * another responder buys at the `purchase` rate. Draws are appended in a fixed order, so adding
 * one never changes the earlier ones (a seed gives the same deliveries and clicks as before).
 *
 * The answer is a click on the message's tracked link, and the purchases follow the click: a
 * message without a link (`hasLink` false) cannot be clicked (docs/flows.md), so it is delivered
 * or not and nothing more — it used to draw a click as well, a `click` event with no token that
 * gave a flow without links clicks, responders and paid orders. Its customer still buys on their
 * own (organic-purchases.ts), as every customer of the flow does. The draws of a message with a
 * link are unchanged.
 */
export function simulatedFate(rates: SimulatedRates, idempotencyKey: string, channel: Channel, hasCoupon: boolean, hasLink: boolean): SimulatedFate {
  const rng = new Rng(rates.seed, seedFromText(idempotencyKey));
  const delivered = rng.next() < rates.delivery[channel];
  if (!delivered || !hasLink) return { delivered, respondsAfter: null, redeems: false, buysAfter: null };
  const responds = rng.next() < rates.response[channel];
  // Most answers come within hours; a few the next day.
  const respondsAfter = responds ? Math.round(60_000 * (5 + rng.next() * 36 * 60)) : null;
  const redeems = responds && hasCoupon && rng.next() < rates.redeem;
  const buys = redeems || (responds && rng.next() < rates.purchase);
  // The order is paid 2 to 60 minutes after the click (browse, add to cart, pay).
  const buysAfter = buys ? Math.round(60_000 * (2 + rng.next() * 58)) : null;
  return { delivered, respondsAfter, redeems, buysAfter };
}

/** Order value when the customer has no paid order yet (no average of their own to go by). */
export const SIMULATED_DEFAULT_ORDER = 100;

/**
 * The amount of a simulated order: the customer's own average order value (客单价; 100 for a
 * customer without orders) times 0.7–1.3, drawn from (seed, message), never below the coupon's
 * threshold (a 满200减20 coupon is only used on an order of 200 or more), in fen.
 */
export function simulatedOrderAmount(rates: SimulatedRates, idempotencyKey: string, aov: number | null, minSpend: number): number {
  const rng = new Rng(rates.seed, seedFromText(`order:${idempotencyKey}`));
  const base = aov !== null && aov > 0 ? aov : SIMULATED_DEFAULT_ORDER;
  const amount = Math.round(base * (0.7 + 0.6 * rng.next()) * 100) / 100;
  return Math.max(amount, minSpend);
}
