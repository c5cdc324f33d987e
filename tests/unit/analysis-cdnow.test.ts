import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { cdnowAnalysisInput } from '../../server/src/core/analysis/cdnow-input.js';
import { lifecycleReport, rfmReport } from '../../server/src/core/analysis/report.js';
import { formatRfm } from '../../server/src/core/analysis/text-report.js';
import { CDNOW_NOW, CdnowFormatError, parseCdnow } from '../../server/src/core/data/cdnow.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';

/**
 * The figures below were computed independently of this code, by a plain Python script over the
 * same file (calendar days between distinct purchase dates per customer; nearest-rank
 * percentiles; RFM ranks worst→best with ties on their minimum rank). They are the reference,
 * not a snapshot of this implementation's output. docs/analysis.md reads them as a worked example.
 */
const CDNOW_FILE = new URL('../../data/cdnow/cdnow_sample.txt', import.meta.url);

describe('CDNOW reader', () => {
  it('reads every row of the sample (CRLF, tabs, leading zeros)', () => {
    const orders = parseCdnow(readFileSync(CDNOW_FILE, 'utf8'));
    expect(orders).toHaveLength(6919);
    expect(new Set(orders.map((o) => o.customerId)).size).toBe(2357);
    expect(orders[0]).toEqual({ customerId: '00004', cohortId: '0001', at: Date.UTC(1997, 0, 1), cds: 2, amount: 29.33, line: 1 });
    expect(Math.min(...orders.map((o) => o.at))).toBe(Date.UTC(1997, 0, 1));
    expect(Math.max(...orders.map((o) => o.at))).toBe(Date.UTC(1998, 5, 30));
  });

  it('reads the 4-column CDNOW master file (customer_id date num_cds dollar_value) too', () => {
    expect(parseCdnow('00001 19970101 1 11.77\r\n00002 19970112 1 12.00\n')).toEqual([
      { customerId: '00001', cohortId: '0', at: Date.UTC(1997, 0, 1), cds: 1, amount: 11.77, line: 1 },
      { customerId: '00002', cohortId: '0', at: Date.UTC(1997, 0, 12), cds: 1, amount: 12, line: 2 },
    ]);
  });

  it('names the line and the field of a bad row', () => {
    const good = ' 00004 0001 19970101  2   29.33\r\n';
    expect(() => parseCdnow(good + ' 00004 0001 19970231  2   29.33\r\n')).toThrow('line 2, field date: "19970231" is not a calendar date written YYYYMMDD');
    expect(() => parseCdnow(good + '\r\n00005 0001 19970102 x 1.00')).toThrow('line 3, field num_cds');
    expect(() => parseCdnow('00005 0001 19970102 1 -1.00')).toThrow('line 1, field dollar_value');
    expect(() => parseCdnow('00005 0001 19970102')).toThrow('line 1, field num_cds: expected 5 fields');
    // Four columns are the CDNOW master file (no cohort): a date where the cohort was is refused by name.
    expect(() => parseCdnow('00005 0001 19970102 1')).toThrow('line 1, field date: "0001" is not a calendar date');
    expect(() => parseCdnow('A5 0001 19970102 1 1')).toThrow(CdnowFormatError);
  });
});

describe('lifecycle and RFM of the CDNOW sample at 1998-07-01', () => {
  const orders = parseCdnow(readFileSync(CDNOW_FILE, 'utf8'));
  const input = cdnowAnalysisInput(orders, CDNOW_NOW, defaultShopConfig.lifecycle);
  const life = lifecycleReport(input);
  const rfm = rfmReport(input);

  it('finds 4,339 repurchase intervals from 1,139 repeat customers, 223 same-day rows merged', () => {
    expect(life.intervals).toMatchObject({ customers: 2357, repeatCustomers: 1139, sameDayMerged: 223 });
    const d = life.intervals.distribution;
    expect(d).toMatchObject({ count: 4339, mean: 70.8606, median: 34, min: 1, max: 532 });
    expect(d.percentiles).toEqual({ p10: 4, p20: 9, p25: 12, p30: 15, p40: 23, p50: 34, p60: 49, p70: 73, p75: 91, p80: 117, p90: 196, p95: 279, p99: 407 });
    expect(d.histogram.map((b) => b.count)).toEqual([741, 524, 799, 806, 384, 597, 401, 87, 0]);
  });

  it('suggests 15 / 49 / 196 days, realising 30.7% / 29.5% / 29.8% / 10.0%', () => {
    expect(life.suggestion!.thresholds).toEqual({ activeDays: 15, silentDays: 49, sleepingDays: 196 });
    expect(life.suggestion!.realisedShares).toEqual({ active: 0.3074, silent: 0.2952, sleeping: 0.2975, lost: 0.0998 });
  });

  it('counts stages under the default (seed 002) thresholds and under the suggested ones', () => {
    const counts = (rows: { key: string; count: number }[]) => Object.fromEntries(rows.map((r) => [r.key, r.count]));
    expect(counts(life.stages.current)).toEqual({ prospect: 0, active: 127, silent: 316, sleeping: 475, lost: 1439 });
    expect(counts(life.stages.suggested!)).toEqual({ prospect: 0, active: 62, silent: 128, sleeping: 345, lost: 1822 });
  });

  it('scores RFM quintiles: F collapses onto 1 for the 1,205 one-order customers', () => {
    expect(rfm).toMatchObject({ customers: 2357, prospects: 0 });
    const counts = (bands: { count: number }[]) => bands.map((b) => b.count);
    expect(counts(rfm.rfm.bands.r)).toEqual([482, 471, 463, 470, 471]);
    expect(counts(rfm.rfm.bands.f)).toEqual([1205, 0, 406, 358, 388]);
    expect(counts(rfm.rfm.bands.m)).toEqual([481, 462, 472, 471, 471]);
    expect(rfm.rfm.topCells.map((c) => [c.cell, c.count])).toEqual([
      ['555', 234], ['111', 177], ['211', 155], ['311', 147], ['112', 142], ['212', 127], ['312', 106], ['113', 88], ['444', 87], ['213', 86],
    ]);
  });

  it('counts customers by order-count band and AOV quintile band', () => {
    expect(rfm.byOrderCount.map((b) => [b.key, b.count])).toEqual([['0', 0], ['1', 1205], ['2', 406], ['3-5', 456], ['6+', 290]]);
    expect(rfm.byAov.map((b) => [b.upTo, b.count])).toEqual([[14.37, 487], [20.35, 456], [29.33, 472], [43.09, 472], [null, 470]]);
    expect(rfm.byProvince).toEqual([{ key: '(unknown)', count: 2357, share: 1 }]);
  });

  it('says the file records no province instead of a table of 100% "(unknown)"', () => {
    const text = formatRfm(rfm);
    expect(text).toMatch(/\nCustomers by province: none recorded in the data$/);
    expect(text).not.toContain('(unknown)');
  });
});
