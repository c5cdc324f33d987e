import { MS_PER_DAY } from '../clock.js';
import { LIFECYCLE_STAGES, type LifecycleStage } from '../facts/catalogue.js';
import { elapsed, lifecycleStage } from '../facts/derive.js';
import type { LifecycleThresholds } from '../shop-config.js';
import { ascending, nearestRank, round4 } from './percentile.js';
import type { CustomerSummary } from './purchases.js';

/** Customer counts by the layers seed 004 asks for: stage, region, order count, AOV. */
export interface Count {
  key: string;
  count: number;
  share: number;
}

const withShares = (entries: [string, number][], total: number): Count[] =>
  entries.map(([key, count]) => ({ key, count, share: total ? round4(count / total) : 0 }));

/** Counts by lifecycle stage at `at`, with the same rule the lifecycleStage fact uses. */
export function countByStage(customers: readonly CustomerSummary[], at: number, thresholds: LifecycleThresholds): Count[] {
  const counts = new Map<LifecycleStage, number>(LIFECYCLE_STAGES.map((s) => [s, 0]));
  for (const c of customers) {
    const stage = lifecycleStage(elapsed(at, c.lastOrderAt, MS_PER_DAY), thresholds);
    counts.set(stage, counts.get(stage)! + 1);
  }
  return withShares([...counts.entries()], customers.length);
}

export const UNKNOWN_PROVINCE = '(unknown)';

/** Counts by province, largest first (ties by name); customers without one under "(unknown)". */
export function countByProvince(customers: readonly CustomerSummary[]): Count[] {
  const counts = new Map<string, number>();
  for (const c of customers) {
    const key = c.province ?? UNKNOWN_PROVINCE;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return withShares(
    [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    customers.length,
  );
}

/** Order-count bands of seed 000/003's sleeper layers: never bought, 1, 2, 3–5, 6+. */
export const ORDER_COUNT_BANDS = ['0', '1', '2', '3-5', '6+'] as const;

export function orderCountBand(orderCount: number): (typeof ORDER_COUNT_BANDS)[number] {
  if (orderCount <= 0) return '0';
  if (orderCount === 1) return '1';
  if (orderCount === 2) return '2';
  return orderCount <= 5 ? '3-5' : '6+';
}

export function countByOrderCount(customers: readonly CustomerSummary[]): Count[] {
  const counts = new Map<string, number>(ORDER_COUNT_BANDS.map((b) => [b, 0]));
  for (const c of customers) {
    const b = orderCountBand(c.orderCount);
    counts.set(b, counts.get(b)! + 1);
  }
  return withShares([...counts.entries()], customers.length);
}

export interface AovBand extends Count {
  /** Inclusive AOV range of the band (from the previous band's upper bound, exclusive). */
  above: number | null;
  upTo: number | null;
}

/**
 * AOV bands at the buyers' own AOV quintiles (nearest-rank p20…p80), so the bands fit any
 * currency and price level: "≤ p20", "(p20, p40]", …, "> p80". Ties at a cut stay in the lower
 * band, so bands may hold more or less than a fifth. Prospects (no AOV) are left out.
 */
export function countByAov(customers: readonly CustomerSummary[]): AovBand[] {
  const aov = customers.filter((c) => c.orderCount > 0).map((c) => Math.round((c.totalSpent / c.orderCount) * 100) / 100);
  const sorted = [...aov].sort(ascending);
  if (sorted.length === 0) return [];
  const cuts = [0.2, 0.4, 0.6, 0.8].map((p) => nearestRank(sorted, p));
  const bounds: [number | null, number | null][] = [[null, cuts[0]], [cuts[0], cuts[1]], [cuts[1], cuts[2]], [cuts[2], cuts[3]], [cuts[3], null]];
  return bounds.map(([above, upTo]) => {
    const count = sorted.filter((x) => (above === null || x > above) && (upTo === null || x <= upTo)).length;
    const key = above === null ? `<= ${upTo}` : upTo === null ? `> ${above}` : `${above} < aov <= ${upTo}`;
    return { key, count, share: round4(count / sorted.length), above, upTo };
  });
}
