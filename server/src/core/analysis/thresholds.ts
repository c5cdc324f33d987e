import type { LifecycleThresholds } from '../shop-config.js';
import { ascending, countAtMost, nearestRank, round4 } from './percentile.js';

/**
 * Seed 002's method for lifecycle thresholds: cut the shop's own repurchase-interval
 * distribution at cumulative shares. The article's shop found 30% of repeat purchases within
 * 27 days (active), the next 30% up to 138 days (silent), the next 30% up to 426 days
 * (sleeping) and the last 10% beyond (lost) — cuts at the 30th, 60th and 90th percentiles.
 * A customer whose recency is past a cut has waited longer than that share of the shop's
 * repurchases ever took, so the stage says how unusual the silence is for this shop.
 */
export const DEFAULT_CUT_SHARES: readonly [number, number, number] = [0.3, 0.6, 0.9];

export interface StageShares {
  active: number;
  silent: number;
  sleeping: number;
  lost: number;
}

export interface ThresholdSuggestion {
  thresholds: LifecycleThresholds;
  /** The cumulative shares asked for (active, silent, sleeping cuts). */
  requestedShares: [number, number, number];
  /**
   * Share of intervals falling in each stage's range under the suggested thresholds. Ties make
   * them differ from the request: every interval of 27 days lands on the same side of a cut.
   */
  realisedShares: StageShares;
  /** Cumulative realised shares at each cut (≥ the requested share unless a cut was moved). */
  realisedCumulative: [number, number, number];
  /** Cuts moved up by a day to keep the thresholds strictly increasing (few, tied intervals). */
  adjusted: ('activeDays' | 'silentDays' | 'sleepingDays')[];
  intervalCount: number;
}

/** Parses "0.3,0.6,0.9" (CLI and query strings); throws a message naming the problem. */
export function parseShares(text: string): [number, number, number] {
  const parts = text.split(',').map((s) => s.trim());
  const shares = parts.map(Number);
  if (shares.length !== 3 || shares.some((s) => !Number.isFinite(s))) throw new Error(`shares: "${text}" must be three numbers, e.g. 0.3,0.6,0.9`);
  validateShares(shares as [number, number, number]);
  return shares as [number, number, number];
}

export function validateShares(s: readonly number[]): void {
  if (s.length !== 3 || !(s[0] > 0 && s[0] < s[1] && s[1] < s[2] && s[2] < 1)) {
    throw new Error(`shares must be three increasing numbers strictly between 0 and 1 (got ${s.join(',')})`);
  }
}

/**
 * Suggests thresholds from repurchase intervals (days, any order). Returns null when there is
 * no interval at all (no customer bought twice): then there is nothing to learn from.
 */
export function suggestThresholds(intervals: readonly number[], shares: readonly [number, number, number] = DEFAULT_CUT_SHARES): ThresholdSuggestion | null {
  validateShares(shares);
  if (intervals.length === 0) return null;
  const sorted = [...intervals].sort(ascending);
  const n = sorted.length;
  const names = ['activeDays', 'silentDays', 'sleepingDays'] as const;
  const adjusted: ThresholdSuggestion['adjusted'] = [];
  const cuts: number[] = [];
  for (let i = 0; i < 3; i++) {
    let cut = nearestRank(sorted, shares[i]);
    // Thresholds are positive and strictly increasing (LifecycleThresholdsSchema); with few or
    // heavily tied intervals two percentiles can coincide, so the later cut moves up a day.
    const floor = i === 0 ? 1 : cuts[i - 1] + 1;
    if (cut < floor) {
      cut = floor;
      adjusted.push(names[i]);
    }
    cuts.push(cut);
  }
  const [a, s, z] = cuts.map((c) => countAtMost(sorted, c));
  return {
    thresholds: { activeDays: cuts[0], silentDays: cuts[1], sleepingDays: cuts[2] },
    requestedShares: [shares[0], shares[1], shares[2]],
    realisedShares: { active: round4(a / n), silent: round4((s - a) / n), sleeping: round4((z - s) / n), lost: round4((n - z) / n) },
    realisedCumulative: [round4(a / n), round4(s / n), round4(z / n)],
    adjusted,
    intervalCount: n,
  };
}
