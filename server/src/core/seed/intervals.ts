import type { Rng } from './prng.js';

/**
 * The repurchase-interval shape of seed 002 (DOMAIN.md §7): of all repeat purchases, about 30%
 * come within 27 days, 30% within 28–138, 30% within 139–426 and 10% after 427 days. The demo
 * shop draws every gap between two purchases from this shape, so `rekindle analyse` on the demo
 * finds the thresholds in rules/shop.yaml (27 / 138 / 426) again.
 */
export interface IntervalBand {
  minDays: number;
  maxDays: number;
  share: number;
}

export const INTERVAL_BANDS: readonly IntervalBand[] = [
  { minDays: 1, maxDays: 27, share: 0.3 },
  { minDays: 28, maxDays: 138, share: 0.3 },
  { minDays: 139, maxDays: 426, share: 0.3 },
  { minDays: 427, maxDays: 900, share: 0.1 },
];

/**
 * The shares the sampler draws with. They differ from INTERVAL_BANDS because a history is cut off
 * at the shop's opening: a long gap is more likely to reach past it and be lost, so the lost band
 * is over-drawn to come out near 10% in the generated shop (measured: tests/unit/seed-shop.test.ts).
 */
const SAMPLING_SHARES = [0.29, 0.27, 0.29, 0.15];

/** Index of the band a gap (in whole days) falls into. */
export function bandOf(days: number): number {
  for (let i = 0; i < INTERVAL_BANDS.length - 1; i++) if (days <= INTERVAL_BANDS[i].maxDays) return i;
  return INTERVAL_BANDS.length - 1;
}

/**
 * Days to the next purchase. Within a band the draw is log-uniform: short gaps are denser than
 * long ones inside each band, as in real shops (a second buy a week later is common, a month
 * later less so).
 */
export function sampleIntervalDays(rng: Rng): number {
  let x = rng.next();
  let band = INTERVAL_BANDS[INTERVAL_BANDS.length - 1];
  for (let i = 0; i < INTERVAL_BANDS.length; i++) {
    if (x < SAMPLING_SHARES[i]) {
      band = INTERVAL_BANDS[i];
      break;
    }
    x -= SAMPLING_SHARES[i];
  }
  const lo = Math.log(band.minDays);
  const hi = Math.log(band.maxDays + 1);
  return Math.min(band.maxDays, Math.floor(Math.exp(rng.uniform(lo, hi))));
}
