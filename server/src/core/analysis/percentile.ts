/**
 * Nearest-rank percentiles: the p-th percentile of n sorted values is the value at rank
 * ceil(p·n) (1-based). Every percentile is an observed value (whole days for intervals), and it
 * reads directly as "at least p of the values are ≤ this", which is how seed 002 states its
 * thresholds ("30% of repeat purchases happen within 27 days").
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of an empty list');
  if (!(p > 0 && p <= 1)) throw new Error(`percentile share must be in (0, 1], got ${p}`);
  // The epsilon keeps 0.3 × 10 (= 3.0000000000000004 in floating point) at rank 3, not 4.
  const rank = Math.max(1, Math.ceil(p * sorted.length - 1e-9));
  return sorted[rank - 1];
}

/** Conventional median: the middle value, or the mean of the two middle values. */
export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) throw new Error('median of an empty list');
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Number of values ≤ x in an ascending list (binary search). */
export function countAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const ascending = (a: number, b: number) => a - b;

/** Rounds a share or mean for reports (4 decimals: 0.3012). */
export const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
