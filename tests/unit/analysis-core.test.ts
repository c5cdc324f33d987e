import { describe, expect, it } from '@jest/globals';
import { countByAov, countByOrderCount, countByProvince, countByStage } from '../../server/src/core/analysis/breakdown.js';
import { summariseDistribution } from '../../server/src/core/analysis/distribution.js';
import { repurchaseIntervals } from '../../server/src/core/analysis/intervals.js';
import { median, nearestRank } from '../../server/src/core/analysis/percentile.js';
import type { CustomerSummary } from '../../server/src/core/analysis/purchases.js';
import { quintileScores, rfmSegment, scoreRfm } from '../../server/src/core/analysis/rfm.js';
import { withLifecycleThresholds } from '../../server/src/core/analysis/shop-yaml.js';
import { parseShares, suggestThresholds } from '../../server/src/core/analysis/thresholds.js';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('repurchaseIntervals', () => {
  it('measures calendar days between consecutive purchases of each customer, in any input order', () => {
    const r = repurchaseIntervals([
      { customerId: 'a', at: day('2024-01-11'), amount: 10 },
      { customerId: 'a', at: day('2024-01-01'), amount: 10 },
      { customerId: 'a', at: day('2024-03-01'), amount: 10 },
      { customerId: 'b', at: day('2024-01-05'), amount: 10 },
    ]);
    expect(r.days).toEqual([10, 50]); // 2024 is a leap year: Jan 11 → Mar 1 = 20 + 29 + 1
    expect(r).toMatchObject({ customers: 2, repeatCustomers: 1, sameDayMerged: 0 });
  });

  it('folds orders on the same calendar day into one visit instead of a 0-day interval', () => {
    const r = repurchaseIntervals([
      { customerId: 1, at: Date.parse('2024-01-01T09:00:00Z'), amount: 1 },
      { customerId: 1, at: Date.parse('2024-01-01T21:00:00Z'), amount: 1 },
      { customerId: 1, at: Date.parse('2024-01-03T08:00:00Z'), amount: 1 },
      { customerId: 2, at: Date.parse('2024-01-01T09:00:00Z'), amount: 1 },
      { customerId: 2, at: Date.parse('2024-01-01T10:00:00Z'), amount: 1 },
    ]);
    expect(r.days).toEqual([2]);
    expect(r).toMatchObject({ customers: 2, repeatCustomers: 1, sameDayMerged: 2 });
  });

  it("counts days in the shop's time zone (23:30 and 00:30 Shanghai time are two days apart by calendar)", () => {
    const r = repurchaseIntervals(
      [
        { customerId: 1, at: Date.parse('2024-01-01T23:30:00+08:00'), amount: 1 },
        { customerId: 1, at: Date.parse('2024-01-02T00:30:00+08:00'), amount: 1 },
      ],
      'Asia/Shanghai',
    );
    expect(r.days).toEqual([1]);
    // The same two instants are one UTC day (15:30 and 16:30 on Jan 1).
    expect(repurchaseIntervals([{ customerId: 1, at: Date.parse('2024-01-01T15:30:00Z'), amount: 1 }, { customerId: 1, at: Date.parse('2024-01-01T16:30:00Z'), amount: 1 }]).days).toEqual([]);
  });
});

describe('percentiles and distribution', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it('uses nearest rank: the value at rank ceil(p·n), exactly at whole ranks', () => {
    expect(nearestRank(ten, 0.3)).toBe(3); // 0.3 × 10 is 3.0000000000000004 in floating point
    expect(nearestRank(ten, 0.31)).toBe(4);
    expect(nearestRank(ten, 0.1)).toBe(1);
    expect(nearestRank(ten, 0.99)).toBe(10);
    expect(nearestRank([7], 0.5)).toBe(7);
    expect(median(ten)).toBe(5.5);
    expect(median([1, 3, 8])).toBe(3);
  });

  it('summarises count, mean, median, percentiles and a histogram with cumulative shares', () => {
    const s = summariseDistribution([40, 3, 10, 100, 800, 20, 5, 60]);
    expect(s).toMatchObject({ count: 8, mean: 129.75, median: 30, min: 3, max: 800 });
    expect(s.percentiles).toMatchObject({ p10: 3, p25: 5, p50: 20, p75: 60, p90: 800, p99: 800 });
    expect(s.histogram.map((b) => [b.label, b.count])).toEqual([
      ['0-7', 2], ['8-14', 1], ['15-30', 1], ['31-60', 2], ['61-90', 0], ['91-180', 1], ['181-365', 0], ['366-730', 0], ['731+', 1],
    ]);
    expect(s.histogram[3]).toMatchObject({ from: 31, to: 60, share: 0.25, cumulativeShare: 0.75 });
  });

  it('reports an empty distribution without percentiles', () => {
    expect(summariseDistribution([])).toMatchObject({ count: 0, mean: null, median: null, percentiles: {} });
  });
});

describe('suggestThresholds', () => {
  it("cuts at the 30th/60th/90th percentiles by default, like seed 002's 27/138/426", () => {
    const intervals = [5, 10, 27, 40, 80, 138, 200, 300, 426, 500];
    const s = suggestThresholds(intervals)!;
    expect(s.thresholds).toEqual({ activeDays: 27, silentDays: 138, sleepingDays: 426 });
    expect(s.realisedShares).toEqual({ active: 0.3, silent: 0.3, sleeping: 0.3, lost: 0.1 });
    expect(s.adjusted).toEqual([]);
  });

  it('takes the cut shares as parameters and reports the shares ties make it realise', () => {
    const s = suggestThresholds([1, 2, 2, 2, 3, 4, 5, 6], [0.25, 0.5, 0.75])!;
    // p25 = rank 2 = 2, but all three 2s fall at or under it: 4 of 8 are "active".
    // p50 = rank 4 = 2 too, so the silent cut moves up to 3; p75 = rank 6 = 4.
    expect(s.thresholds).toEqual({ activeDays: 2, silentDays: 3, sleepingDays: 4 });
    expect(s.adjusted).toEqual(['silentDays']);
    expect(s.realisedShares).toEqual({ active: 0.5, silent: 0.125, sleeping: 0.125, lost: 0.25 });
    expect(s.realisedCumulative).toEqual([0.5, 0.625, 0.75]);
  });

  it('moves coinciding cuts up a day so the thresholds stay strictly increasing', () => {
    const s = suggestThresholds([30, 30, 30, 30])!;
    expect(s.thresholds).toEqual({ activeDays: 30, silentDays: 31, sleepingDays: 32 });
    expect(s.adjusted).toEqual(['silentDays', 'sleepingDays']);
  });

  it('returns null when no customer bought twice, and rejects shares that do not increase within (0, 1)', () => {
    expect(suggestThresholds([])).toBeNull();
    expect(() => suggestThresholds([1, 2], [0.5, 0.4, 0.9])).toThrow(/increasing/);
    expect(parseShares('0.2, 0.5,0.8')).toEqual([0.2, 0.5, 0.8]);
    expect(() => parseShares('0.3,0.6')).toThrow(/three numbers/);
    expect(() => parseShares('0.3,0.6,1')).toThrow(/between 0 and 1/);
  });
});

describe('RFM quintile scores', () => {
  it('scores ten distinct values two per quintile, lower being better for recency', () => {
    const v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(quintileScores(v, 'higher')).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileScores(v, 'lower')).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('gives a tie group the score of its worst position, whatever the input order', () => {
    // Order counts: six of ten customers bought once (ranks 1-6 → score 1); the 2s start at
    // rank 7 → floor(5·6/10)+1 = 4; the single 9 is rank 10 → 5. Scores 2 and 3 are unused.
    const counts = [1, 2, 1, 1, 9, 1, 2, 1, 1, 2];
    expect(quintileScores(counts, 'higher')).toEqual([1, 4, 1, 1, 5, 1, 4, 1, 1, 4]);
    const reversed = [...counts].reverse();
    expect(quintileScores(reversed, 'higher')).toEqual([1, 4, 1, 1, 5, 1, 4, 1, 1, 4].reverse());
    // All equal: everyone gets 1.
    expect(quintileScores([3, 3, 3], 'lower')).toEqual([1, 1, 1]);
  });

  it('scores buyers only, with recency computed as the recencyDays fact (whole days, truncated)', () => {
    const at = day('2024-06-01');
    const customers: CustomerSummary[] = [
      { customerId: 'p', orderCount: 0, totalSpent: 0, lastOrderAt: null, province: null },
      { customerId: 'a', orderCount: 5, totalSpent: 500, lastOrderAt: at - 1.5 * 86_400_000, province: null },
      { customerId: 'b', orderCount: 1, totalSpent: 20, lastOrderAt: day('2023-06-01'), province: null },
    ];
    const scores = scoreRfm(customers, at);
    expect(scores.map((s) => [s.customerId, s.recencyDays, s.cell, s.segment])).toEqual([
      // Of two buyers the better one is at rank 2 → floor(5·1/2)+1 = 3 on every dimension.
      ['a', 1, '333', 'loyal'],
      ['b', 366, '111', 'hibernating'],
    ]);
    expect(rfmSegment(1, 5)).toBe('at risk');
    expect(rfmSegment(3, 1)).toBe('needs attention');
  });
});

describe('breakdowns', () => {
  const at = day('2024-06-01');
  const c = (id: number, orderCount: number, totalSpent: number, daysAgo: number | null, province: string | null = null): CustomerSummary => ({
    customerId: id, orderCount, totalSpent, lastOrderAt: daysAgo === null ? null : at - daysAgo * 86_400_000, province,
  });
  const customers = [c(1, 0, 0, null, '浙江'), c(2, 1, 50, 27, '浙江'), c(3, 2, 300, 28, '广东'), c(4, 4, 400, 426), c(5, 7, 70, 427, '广东'), c(6, 3, 30, 0, '上海')];

  it('counts lifecycle stages with the thresholds given (boundaries inclusive, as the fact)', () => {
    expect(countByStage(customers, at, { activeDays: 27, silentDays: 138, sleepingDays: 426 }).map((x) => [x.key, x.count])).toEqual([
      ['prospect', 1], ['active', 2], ['silent', 1], ['sleeping', 1], ['lost', 1],
    ]);
  });

  it('counts order-count bands 0, 1, 2, 3-5, 6+ and provinces largest first', () => {
    expect(countByOrderCount(customers).map((x) => [x.key, x.count])).toEqual([['0', 1], ['1', 1], ['2', 1], ['3-5', 2], ['6+', 1]]);
    expect(countByProvince(customers).map((x) => [x.key, x.count])).toEqual([['广东', 2], ['浙江', 2], ['(unknown)', 1], ['上海', 1]].sort((a, b) => (b[1] as number) - (a[1] as number) || String(a[0]).localeCompare(String(b[0]))));
  });

  it('bands AOV at the buyers’ own quintiles', () => {
    // Buyer AOVs: 50, 150, 100, 10, 10 → sorted 10, 10, 50, 100, 150; cuts p20..p80 = 10, 10, 50, 100.
    const bands = countByAov(customers);
    expect(bands.map((b) => [b.key, b.count])).toEqual([['<= 10', 2], ['10 < aov <= 10', 0], ['10 < aov <= 50', 1], ['50 < aov <= 100', 1], ['> 100', 1]]);
  });
});

describe('writing thresholds into shop.yaml', () => {
  it("replaces the lifecycle values and keeps the file's comments and other keys", () => {
    const text = ['# Shop settings', 'name: Demo', 'lifecycle:', '  activeDays: 27     # active', '  silentDays: 138    # silent', '  sleepingDays: 426  # sleeping', ''].join('\n');
    const out = withLifecycleThresholds(text, { activeDays: 15, silentDays: 49, sleepingDays: 196 });
    expect(out).toContain('# Shop settings');
    expect(out).toContain('name: Demo');
    expect(out).toMatch(/activeDays: 15 +# active/);
    expect(out).toMatch(/silentDays: 49 +# silent/);
    expect(out).toMatch(/sleepingDays: 196 +# sleeping/);
  });

  it('adds a lifecycle block when the file has none, and refuses thresholds that do not increase', () => {
    expect(withLifecycleThresholds('name: Demo\n', { activeDays: 1, silentDays: 2, sleepingDays: 3 })).toBe('name: Demo\nlifecycle:\n  activeDays: 1\n  silentDays: 2\n  sleepingDays: 3\n');
    expect(() => withLifecycleThresholds('name: Demo\n', { activeDays: 5, silentDays: 2, sleepingDays: 3 })).toThrow();
  });
});
