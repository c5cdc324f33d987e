import { ascending, countAtMost, median, nearestRank, round4 } from './percentile.js';

/** Percentiles reported for every distribution (nearest-rank, see percentile.ts). */
export const REPORTED_PERCENTILES = [10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 95, 99] as const;

/**
 * Histogram bins in days, shaped for repurchase cycles: weeks at first, then months, quarters,
 * half-years and years. The upper bounds are inclusive; the last bin is open.
 */
export const INTERVAL_BINS: readonly { label: string; upTo: number | null }[] = [
  { label: '0-7', upTo: 7 },
  { label: '8-14', upTo: 14 },
  { label: '15-30', upTo: 30 },
  { label: '31-60', upTo: 60 },
  { label: '61-90', upTo: 90 },
  { label: '91-180', upTo: 180 },
  { label: '181-365', upTo: 365 },
  { label: '366-730', upTo: 730 },
  { label: '731+', upTo: null },
];

export interface HistogramBin {
  label: string;
  from: number;
  /** Inclusive upper bound; null for the open last bin. */
  to: number | null;
  count: number;
  share: number;
  /** Share of values ≤ this bin's upper bound. */
  cumulativeShare: number;
}

export interface DistributionSummary {
  count: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  /** "p10" … "p99"; empty when there are no values. */
  percentiles: Record<string, number>;
  histogram: HistogramBin[];
}

export function summariseDistribution(values: readonly number[], bins = INTERVAL_BINS): DistributionSummary {
  const sorted = [...values].sort(ascending);
  const n = sorted.length;
  const percentiles: Record<string, number> = {};
  if (n > 0) for (const p of REPORTED_PERCENTILES) percentiles[`p${p}`] = nearestRank(sorted, p / 100);
  const histogram: HistogramBin[] = [];
  let from = 0;
  let below = 0;
  for (const bin of bins) {
    const upTo = bin.upTo === null ? Infinity : bin.upTo;
    const atMost = countAtMost(sorted, upTo);
    histogram.push({
      label: bin.label,
      from,
      to: bin.upTo,
      count: atMost - below,
      share: n ? round4((atMost - below) / n) : 0,
      cumulativeShare: n ? round4(atMost / n) : 0,
    });
    below = atMost;
    from = upTo + 1;
  }
  return {
    count: n,
    mean: n ? round4(sorted.reduce((s, x) => s + x, 0) / n) : null,
    median: n ? median(sorted) : null,
    min: n ? sorted[0] : null,
    max: n ? sorted[n - 1] : null,
    percentiles,
    histogram,
  };
}
