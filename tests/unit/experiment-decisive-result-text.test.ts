/**
 * A decisive result in the CLI's words: the power warning becomes a planning note (not
 * "underpowered" beside a significant result) and a p-value below 0.0001 reads "< 0.0001", never
 * "0.0000"; the CSV and JSON keep the numbers.
 */
import { describe, expect, it } from '@jest/globals';
import { experimentReportText } from '../../server/src/cli/commands/report.js';
import { buildReport } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';
import { reportCsv } from '../../server/src/persistence/experiment-store.js';

const arm = (arm: string, assigned: number, responders: number, holdout = false) => ({ arm, weight: holdout ? 10 : 45, holdout, assigned, exposed: assigned, responders, revenue: 0, messageCost: {}, couponCost: 0 });
const x = ExperimentSchema.parse({ id: 'launch', window: '7d', responses: [{ event: 'order_paid' }], detectLift: 0.5 });
const report = (...arms: ReturnType<typeof arm>[]) => ({ ...buildReport({ experimentId: 'launch', flowId: 'f', nodeId: 'ab' }, x, arms, arms[arms.length - 1].arm), decision: null });

describe('the experiment report text of a decisive result', () => {
  it('words the power figures as a planning note once the result is significant', () => {
    const r = report(arm('a', 450, 130), arm('b', 450, 120), arm('holdout', 100, 5, true));
    const w = r.warnings.find((x) => x.code === 'underpowered')!;
    expect(w.figures).toMatchObject({ significant: true, perArm: 1471 });
    const text = experimentReportText(r);
    expect(text).not.toMatch(/underpowered/);
    expect(text).toMatch(/\nwarning: planning note: the result is significant all the same; a test to detect a 50% relative lift on 5\.00% would plan for 1471 customers per arm/);
  });

  it('still says underpowered while the result is not significant', () => {
    const r = report(arm('a', 450, 28), arm('b', 450, 25), arm('holdout', 100, 5, true));
    expect(r.overall.significant).toBe(false);
    expect(experimentReportText(r)).toMatch(/\nwarning: underpowered: to detect a 50% relative lift/);
  });

  it('prints p < 0.0001, not p = 0.0000, in the text, and the number in the CSV', () => {
    const r = report(arm('a', 450, 130), arm('b', 450, 120), arm('holdout', 100, 5, true));
    const text = experimentReportText(r);
    expect(text).not.toMatch(/0\.0000/);
    expect(text).toMatch(/chi-square across 3 arms: p < 0\.0001 \(significant at 0\.05\)/);
    expect(text.split('\n').find((l) => l.startsWith('a\t'))!.split('\t')[11]).toBe('< 0.0001');
    const csv = reportCsv(r, { timezone: 'Asia/Shanghai' }).split('\n');
    const p = Number(csv[1].split(',')[csv[0].split(',').indexOf('p_value')]);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.0001);
  });
});

describe('the experiment report text of ROI', () => {
  it('prints ROI as a percentage with its definition, and keeps the ratio in the CSV', () => {
    const withCost = (a: ReturnType<typeof arm>, revenue: number, cost: number) => ({ ...a, revenue, messageCost: { sms: cost } });
    const r = report(withCost(arm('a', 400, 40), 1000, 100), withCost(arm('b', 400, 30), 100, 100), arm('holdout', 100, 5, true));
    const roi = r.arms.find((a) => a.arm === 'b')!.roi!;
    const text = experimentReportText(r);
    // 30 of 400 against the holdout's 5 of 100 is within chance: the ROI is marked (report-negative-figures pins why).
    expect(r.arms.find((a) => a.arm === 'b')!.vsControl!.significant).toBe(false);
    expect(text.split('\n').find((l) => l.startsWith('b\t'))!.split('\t')[9]).toBe(`${(roi * 100).toFixed(2)}% *`);
    expect(text).toContain('ROI = (incr.rev - cost) / cost, in %');
    const csv = reportCsv(r, { timezone: 'Asia/Shanghai' }).split('\n');
    expect(Number(csv[2].split(',')[csv[0].split(',').indexOf('roi')])).toBeCloseTo(roi, 9);
  });
});

describe('the Excel experiment report of an arm nobody was assigned to', () => {
  it('leaves its rate, interval and revenue per customer empty, not 0 with an interval of 0–100', () => {
    const r = { ...report(arm('a', 0, 0), arm('holdout', 40, 2, true)), asOf: Date.parse('2026-11-05T12:30:00+08:00') };
    const [head, a, holdout] = reportCsv(r, { timezone: 'Asia/Shanghai', excel: true }).slice(1).trim().split('\n').map((l) => l.split(','));
    const cell = (row: string[], h: string) => row[head.indexOf(h)];
    for (const h of ['响应率(%)', '响应率95%区间下限(%)', '响应率95%区间上限(%)', '人均收入(元)']) expect(cell(a, h)).toBe('');
    expect(cell(a, '分配人数')).toBe('0');
    // An arm with customers keeps its figures, two decimals.
    expect(cell(holdout, '响应率(%)')).toBe('5.00');
    expect(cell(holdout, '响应率95%区间上限(%)')).not.toBe('');
  });
});
