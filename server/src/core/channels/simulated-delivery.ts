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
  /** Of the delivered messages: the customer clicks the link (a `click` event). */
  response: Record<Channel, number>;
  /** Of the responders whose message carried a coupon: the coupon is used (`coupon_redeemed`). */
  redeem: number;
}

export const DEFAULT_SIMULATED_RATES: SimulatedRates = {
  seed: 1,
  delivery: { sms: 0.97, email: 0.9, wechat: 0.95, wangwang: 0.95, push: 0.85 },
  response: { sms: 0.04, email: 0.02, wechat: 0.06, wangwang: 0.08, push: 0.03 },
  redeem: 0.5,
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

/** The fate of one message: delivered or not, answered after how long, coupon used or not. */
export function simulatedFate(rates: SimulatedRates, idempotencyKey: string, channel: Channel, hasCoupon: boolean): { delivered: boolean; respondsAfter: number | null; redeems: boolean } {
  const rng = new Rng(rates.seed, seedFromText(idempotencyKey));
  const delivered = rng.next() < rates.delivery[channel];
  if (!delivered) return { delivered, respondsAfter: null, redeems: false };
  const responds = rng.next() < rates.response[channel];
  // Most answers come within hours; a few the next day.
  const respondsAfter = responds ? Math.round(60_000 * (5 + rng.next() * 36 * 60)) : null;
  return { delivered, respondsAfter, redeems: responds && hasCoupon && rng.next() < rates.redeem };
}
