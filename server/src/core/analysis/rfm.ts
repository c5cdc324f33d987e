import { MS_PER_DAY } from '../clock.js';
import { elapsed } from '../facts/derive.js';
import { round4 } from './percentile.js';
import type { CustomerSummary } from './purchases.js';

/**
 * RFM quintile scoring over the customers who bought at least once (prospects have no R, F or
 * M and are counted apart). Each dimension scores 1 (worst fifth) to 5 (best fifth):
 *   R — recencyDays at `at` (fewer days is better), computed as the recencyDays fact is;
 *   F — orderCount (paid orders);
 *   M — totalSpent.
 *
 * Ties: customers are ranked from worst to best; a group of equal values is never split and
 * every member gets the score of the group's FIRST (worst) position:
 *   score = floor(5 × (rank − 1) / n) + 1, rank = 1-based rank of the first member of the group.
 * So the result does not depend on input order, equal customers always score the same, and a
 * large tie group takes the lowest score it touches: with half of all customers on one order,
 * they all get F = 1 and the scores it spans (F = 2) are simply unused. Scores are therefore
 * not always five equal fifths; the report shows each score's count and value range.
 */
export interface RfmScore {
  customerId: string | number;
  recencyDays: number;
  orderCount: number;
  totalSpent: number;
  r: number;
  f: number;
  m: number;
  /** "RFM" digits, e.g. "555". */
  cell: string;
  segment: RfmSegment;
}

export const RFM_SEGMENTS = ['champions', 'loyal', 'recent', 'needs attention', 'at risk', 'hibernating'] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * A coarse label from R and F (M follows F closely in most shops): recent frequent buyers are
 * champions; frequent buyers gone quiet are "at risk" (the ones worth a personal win-back,
 * seed 000/003); quiet one-off buyers are hibernating.
 */
export function rfmSegment(r: number, f: number): RfmSegment {
  if (r >= 4) return f >= 4 ? 'champions' : f === 3 ? 'loyal' : 'recent';
  if (r === 3) return f >= 3 ? 'loyal' : 'needs attention';
  return f >= 3 ? 'at risk' : 'hibernating';
}

/**
 * Quintile scores of `values` (same order as the input). `betterIs` says which direction is
 * good: 'higher' for F and M, 'lower' for recency.
 */
export function quintileScores(values: readonly number[], betterIs: 'higher' | 'lower'): number[] {
  const n = values.length;
  const order = values.map((_, i) => i);
  // Worst first; equal values keep input order, which does not matter since ties share a score.
  order.sort((i, j) => (betterIs === 'higher' ? values[i] - values[j] : values[j] - values[i]));
  const scores = new Array<number>(n);
  let groupStart = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && values[order[k]] !== values[order[k - 1]]) groupStart = k;
    scores[order[k]] = Math.floor((5 * groupStart) / n) + 1;
  }
  return scores;
}

export function scoreRfm(customers: readonly CustomerSummary[], at: number): RfmScore[] {
  const buyers = customers.filter((c) => c.orderCount > 0 && c.lastOrderAt !== null);
  const recency = buyers.map((c) => elapsed(at, c.lastOrderAt, MS_PER_DAY)!);
  const r = quintileScores(recency, 'lower');
  const f = quintileScores(buyers.map((c) => c.orderCount), 'higher');
  const m = quintileScores(buyers.map((c) => c.totalSpent), 'higher');
  return buyers.map((c, i) => ({
    customerId: c.customerId,
    recencyDays: recency[i],
    orderCount: c.orderCount,
    totalSpent: c.totalSpent,
    r: r[i],
    f: f[i],
    m: m[i],
    cell: `${r[i]}${f[i]}${m[i]}`,
    segment: rfmSegment(r[i], f[i]),
  }));
}

export interface ScoreBand {
  score: number;
  count: number;
  /** Range of the dimension's values among customers with this score (null when unused). */
  min: number | null;
  max: number | null;
}

export interface RfmSummary {
  customers: number;
  /** Per dimension, scores 1..5 with their count and value range. */
  bands: { r: ScoreBand[]; f: ScoreBand[]; m: ScoreBand[] };
  /** Most populated cells first (ties: higher cell first). */
  topCells: { cell: string; segment: RfmSegment; count: number; share: number }[];
  segments: { segment: RfmSegment; count: number; share: number }[];
}

function bands(scores: readonly RfmScore[], score: (s: RfmScore) => number, value: (s: RfmScore) => number): ScoreBand[] {
  return [1, 2, 3, 4, 5].map((k) => {
    const vs = scores.filter((s) => score(s) === k).map(value);
    return { score: k, count: vs.length, min: vs.length ? Math.min(...vs) : null, max: vs.length ? Math.max(...vs) : null };
  });
}

export function summariseRfm(scores: readonly RfmScore[], topCells = 10): RfmSummary {
  const n = scores.length;
  const cells = new Map<string, number>();
  const segs = new Map<RfmSegment, number>();
  for (const s of scores) {
    cells.set(s.cell, (cells.get(s.cell) ?? 0) + 1);
    segs.set(s.segment, (segs.get(s.segment) ?? 0) + 1);
  }
  return {
    customers: n,
    bands: {
      r: bands(scores, (s) => s.r, (s) => s.recencyDays),
      f: bands(scores, (s) => s.f, (s) => s.orderCount),
      m: bands(scores, (s) => s.m, (s) => s.totalSpent),
    },
    topCells: [...cells.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))
      .slice(0, topCells)
      .map(([cell, count]) => ({ cell, segment: rfmSegment(Number(cell[0]), Number(cell[1])), count, share: round4(count / n) })),
    segments: RFM_SEGMENTS.map((segment) => ({ segment, count: segs.get(segment) ?? 0, share: n ? round4((segs.get(segment) ?? 0) / n) : 0 })),
  };
}
