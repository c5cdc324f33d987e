/**
 * Whether the shop's repurchase intervals are too few for the lifecycle thresholds suggested from
 * them (the 30/60/90% cuts of the interval distribution, `--shares`) to mean anything. A new shop,
 * or one whose export covers a month, has a handful of repeat buyers: the cuts then move by weeks
 * with each added customer, and `--write-thresholds` wrote them into rules/shop.yaml all the same
 * (walkthrough: 23 intervals from 11 customers gave sleepers after 19 days).
 *
 * Enough: as many intervals as put each cut's share within ±5 points at 95% confidence — the
 * sample quantile's rank has a standard deviation of √(n·s·(1−s)), so n ≥ 1.96²·s(1−s)/0.05², for
 * the share whose s(1−s) is largest (0.6 by default: 369 intervals) — and at least 100 repeat
 * customers, because intervals of a few frequent buyers say how those few buy, not the shop.
 */
export const ENOUGH_REPEAT_CUSTOMERS = 100;
const Z95 = 1.96;
const MARGIN = 0.05;

export interface ThinSample {
  intervals: number;
  repeatCustomers: number;
  neededIntervals: number;
  neededRepeatCustomers: number;
}

/** Intervals needed for `shares` (the cuts' cumulative shares). */
export function neededIntervals(shares: readonly number[]): number {
  const widest = Math.max(...shares.map((s) => s * (1 - s)));
  return Math.ceil((Z95 * Z95 * widest) / (MARGIN * MARGIN));
}

/** The counts and what would be enough when either is short; null when the sample is enough. */
export function thinSample(intervals: number, repeatCustomers: number, shares: readonly number[]): ThinSample | null {
  const needed = neededIntervals(shares);
  if (intervals >= needed && repeatCustomers >= ENOUGH_REPEAT_CUSTOMERS) return null;
  return { intervals, repeatCustomers, neededIntervals: needed, neededRepeatCustomers: ENOUGH_REPEAT_CUSTOMERS };
}

export function thinSampleWords(t: ThinSample): string {
  return `thin sample: ${t.intervals} interval(s) from ${t.repeatCustomers} repeat customer(s); the suggested thresholds are noise below ${t.neededIntervals} intervals from ${t.neededRepeatCustomers} repeat customers (each cut within ±5 points at 95%). Keep the current thresholds, or import more order history`;
}
