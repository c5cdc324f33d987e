/**
 * The simulated launch's experiment report printed `−¥424.05` (U+2212) beside `-8101.02%`: two
 * minus signs in one row, and an ROI of -8101% that is the arm's revenue gap to the holdout over
 * ¥5.30 of SMS, no return of the message. Negative figures now share one minus (the hyphen, as the
 * designer writes them), and an ROI below -100% reads "< -100%" with why; the JSON keeps the ratio.
 */
import { describe, expect, it } from '@jest/globals';
import { experimentReportText } from '../../server/src/cli/commands/report.js';
import { yuan } from '../../server/src/core/text/money.js';
import { percent, points } from '../../server/src/core/text/signed-number.js';
import { formatAmount, formatMoney, formatPercent } from '../../designer/src/model/format.js';

const arm = (name: string, holdout: boolean, incr: number | null, cost: number | null, roi: number | null) => ({
  arm: name, holdout, assigned: 911, responders: 36, exposed: 130, responseRate: 0.0395, responseRateCi: { low: 0.0287, high: 0.0542 },
  revenue: 10291.83, revenuePerCustomer: 11.3, cost, incrementalRevenue: incr, roi, probabilityBest: 0.1179,
  vsControl: holdout ? null : { absolute: -0.0097, absoluteCi: { low: -0.0502, high: 0.017 }, relative: -0.1978, pValue: 0.528 },
});

const report = (arms: unknown[]) =>
  experimentReportText({
    experimentId: 'new-product-launch', flowId: 'new-product-launch', nodeId: 'early-adopters', responses: ['order_paid'], window: '10d', control: 'holdout', alpha: 0.05,
    enoughData: { enough: true }, arms, overall: { test: 'chi-square', pValue: 0.8, significant: false }, warnings: [], decision: null,
  } as never);

describe('negative figures in the experiment report', () => {
  it('writes every negative figure with the same minus, money and percentages alike, and no "-0.00%"', () => {
    expect(yuan(-424.05)).toBe('-¥424.05');
    expect(percent(-0.1978)).toBe('-19.78%');
    expect(percent(-0.00001)).toBe('0.00%');
    const row = report([arm('b', false, -424.05, 5.3, 0.25), arm('holdout', true, null, null, null)]).split('\n').find((l) => l.startsWith('b\t'))!;
    expect(row).toContain('\t-¥424.05\t');
    // The absolute lift in percentage points (a difference of two rates), the relative one in %.
    expect(row).toContain('-0.97 pp [-5.02 pp, 1.70 pp], rel -19.78%');
    expect(row).not.toContain('−');
  });

  it('says the absolute lift in percentage points, not %, and what lift abs is (the Excel CSV says 百分点)', () => {
    expect(points(-0.0001)).toBe('-0.01 pp');
    expect(points(-0.00001)).toBe('0.00 pp');
    const text = report([arm('b', false, -424.05, 5.3, 0.25), arm('holdout', true, null, null, null)]);
    expect(text).not.toMatch(/-0\.97%/);
    expect(text).toContain("\nlift abs = the arm's rate minus the control's in percentage points (pp)");
  });

  it('says an ROI below -100% (a negative incr.rev over a small cost) as "< -100%" with why, not -8101.02%', () => {
    const text = report([arm('b', false, -424.05, 5.3, (-424.05 - 5.3) / 5.3), arm('c', false, 100, 40, 1.5), arm('holdout', true, null, null, null)]);
    const cells = (a: string) => text.split('\n').find((l) => l.startsWith(`${a}\t`))!.split('\t');
    expect(cells('b')[9]).toBe('< -100% *');
    expect(cells('c')[9]).toBe('150.00% *');
    expect(text).not.toContain('8101');
    expect(text).toContain('ROI < -100% (b): incr.rev is negative');
  });

  it('marks the ROI of an arm whose lift is within chance, and says why: 8 SMS for ¥0.40 read 7532181.65% beside p = 0.58', () => {
    const within = { ...arm('b', false, 30129.13, 0.4, (30129.13 - 0.4) / 0.4), vsControl: { absolute: -0.0151, absoluteCi: { low: -0.0594, high: 0.0445 }, relative: -0.0167, pValue: 0.579 } };
    const decisive = { ...arm('c', false, 4000, 40, 99), vsControl: { absolute: 0.06, absoluteCi: { low: 0.03, high: 0.09 }, relative: 0.5, pValue: 0.0004 } };
    const text = report([within, decisive, arm('holdout', true, null, null, null)]);
    const cells = (a: string) => text.split('\n').find((l) => l.startsWith(`${a}\t`))!.split('\t');
    expect(cells('b')[9]).toBe('7532182.50% *');
    expect(cells('c')[9]).toBe('9900.00%');
    expect(text).toContain("\n* ROI where the arm's lift is within chance (b: p ≥ 0.05): its incr.rev may be noise");
  });

  it("writes the designer's negative money and percentages with the minus in front of ¥ (not ¥-424.05)", () => {
    expect(formatAmount('en', -424.05)).toBe('-¥424.05');
    expect(formatMoney('zh', -20)).toBe('-¥20');
    expect(formatPercent(-0.1978)).toBe('-19.8%');
    expect(formatPercent(0.1978, { plus: true })).toBe('+19.8%');
    expect(formatPercent(-0.0001, { plus: true })).toBe('0.0%');
  });
});
