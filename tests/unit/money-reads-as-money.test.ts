/**
 * Money reads as money in every text report (a walkthrough: `rekindle report` printed revenue
 * 1234567.80 beside counts; the designer's simulation said ¥31844.90): ¥ and thousands
 * separators; coupon codes stay codes; the JSON and CSV keep plain numbers.
 */
import { describe, expect, it } from '@jest/globals';
import { moneyBand, yuan, yuanOrDash } from '../../server/src/core/text/money.js';
import { experimentReportText } from '../../server/src/cli/commands/report.js';
import { formatRfm } from '../../server/src/core/analysis/text-report.js';
import { simulationWords } from '../../designer/src/model/sim-summary.js';
import { answerWords, stepEventWords } from '../../designer/src/model/journey-path.js';

describe('money in the CLI and designer text', () => {
  it('writes amounts with ¥, thousands separators and cents', () => {
    expect(yuan(1234567.8)).toBe('¥1,234,567.80');
    expect(yuan(-38.2)).toBe('-¥38.20');
    expect(yuan(-0.001)).toBe('¥0.00');
    expect(yuanOrDash(null)).toBe('–');
    expect(moneyBand('100 < aov <= 200')).toBe('¥100.00 < aov <= ¥200.00');
    expect(moneyBand('> 1500')).toBe('> ¥1,500.00');
  });

  it("prints every money column of `rekindle report` as money, rates and counts as they were", () => {
    const arm = (name: string, holdout: boolean) => ({
      arm: name, holdout, assigned: 1948, responders: 120, exposed: 240, responseRate: 0.0616, responseRateCi: { low: 0.05, high: 0.07 },
      revenue: 1234567.8, revenuePerCustomer: 633.76, cost: holdout ? null : 4120, incrementalRevenue: holdout ? null : 20911.5, roi: holdout ? null : 4.0756,
      probabilityBest: 0.5, vsControl: holdout ? null : { absolute: 0.01, absoluteCi: { low: -0.01, high: 0.03 }, relative: 0.2, pValue: 0.3 },
    });
    const text = experimentReportText({
      experimentId: 'winback-ab', flowId: 'sleeping-reactivation', nodeId: 'split', responses: ['order_paid'], window: '14d', control: 'holdout', alpha: 0.05,
      enoughData: { enough: true }, arms: [arm('holdout', true), arm('b', false)], overall: { test: 'z', pValue: 0.3, significant: false }, warnings: [], decision: null,
    } as never);
    const row = text.split('\n').find((l) => l.startsWith('b\t'))!.split('\t');
    expect(row.slice(5, 9)).toEqual(['¥1,234,567.80', '¥633.76', '¥4,120.00', '¥20,911.50']);
    expect(text.split('\n').find((l) => l.startsWith('holdout'))!.split('\t').slice(5, 9)).toEqual(['¥1,234,567.80', '¥633.76', '–', '–']);
    expect(row[2]).toBe('120');
  });

  it("says the M (total spent) bands and the AOV bands of `rekindle analyse` in money, R and F as they are", () => {
    const band = (score: number, min: number, max: number) => ({ score, count: 10, min, max });
    const text = formatRfm({
      at: '2026-12-02', prospects: 0, byOrderCount: [], byProvince: [], byAov: [{ key: '100 < aov <= 200', count: 3, share: 0.3 }],
      rfm: { customers: 10, bands: { r: [band(5, 0, 30)], f: [band(1, 1, 2)], m: [band(5, 1500, 12000.5)] }, topCells: [], segments: [] },
    } as never);
    expect(text).toContain('M total spent    5: 10 [¥1,500.00..¥12,000.50]');
    expect(text).toContain('R recency days   5: 10 [0..30]');
    expect(text).toContain('¥100.00 < aov <= ¥200.00');
  });

  it("says the designer's simulated purchases and a journey's coupon and order in money; the coupon code stays a code", () => {
    const lines = simulationWords('zh', { days: 16, report: { enrollments: { active: 0, completed: 0, exited: 0 }, sends: [], nodes: [] }, delivery: { delivered: 10, undelivered: 0, responses: 2, redeemed: 1, orders: 31, revenue: 8461.02, organicOrders: 127, organicRevenue: 31844.9 } } as never);
    expect(lines).toContain('模拟下单：31 笔付款订单，金额 ¥8,461.02');
    expect(lines).toContain('自然下单（不论是否收到消息）：127 笔付款订单，金额 ¥31,844.90');
    expect(answerWords('zh', { kind: 'coupon-used', code: 'D11-1000', amount: 1000, order: null } as never)).toBe('使用了优惠券 D11-1000（减 ¥1,000.00）');
    expect(stepEventWords('en', { type: 'order_paid', orderId: 'o-1', amount: 12999 } as never)).toContain('¥12,999.00');
  });
});
