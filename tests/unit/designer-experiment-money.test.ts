import { describe, expect, it } from '@jest/globals';
import { asOfWords, experimentMoney, roiWords } from '../../designer/src/model/experiment-money.js';
import { buildReport, type ArmData } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

const x = ExperimentSchema.parse({ id: 'launch', window: '10d', responses: [{ event: 'order_paid' }] });
// Walkthrough twenty-three's arms: a cheap email arm, a costlier SMS arm, a holdout sent nothing.
const arms: ArmData[] = [
  { arm: 'a', label: '邮件抢先看', weight: 45, holdout: false, assigned: 228, exposed: 42, responders: 10, revenue: 2537.16, messageCost: {}, couponCost: 0 },
  { arm: 'b', label: '短信抢先购', weight: 45, holdout: false, assigned: 229, exposed: 165, responders: 8, revenue: 1881.57, messageCost: { sms: 8.25 }, couponCost: 0 },
  { arm: 'holdout', label: '对照组', weight: 10, holdout: true, assigned: 50, exposed: 0, responders: 4, revenue: 1133.52, messageCost: {}, couponCost: 0 },
];
const report = buildReport({ experimentId: 'launch', flowId: 'f', nodeId: 'ab' }, x, arms, 'holdout');

describe("the designer's experiment view shows each arm's money as the CLI report does", () => {
  it('says revenue, revenue per customer, cost, incremental revenue against the holdout and ROI per arm', () => {
    const rows = experimentMoney('zh', report.arms)!;
    expect(rows.map((r) => [r.name, r.revenue, r.perCustomer, r.cost, r.incremental, r.roi])).toEqual([
      ['邮件抢先看', '¥2,537.16', '¥11.13', '¥0.00', '-¥2,631.69', '—'],
      ['短信抢先购', '¥1,881.57', '¥8.22', '¥8.25', '-¥3,309.95', '< -100% *'],
      ['对照组', '¥1,133.52', '¥22.67', '¥0.00', '—', '—'],
    ]);
    expect(rows.map((r) => r.belowCost)).toEqual([false, true, false]);
  });

  it('marks the ROI of an arm whose lift is within chance with *, as the CLI does, and not that of a decisive arm', () => {
    const cheap: ArmData[] = [
      { arm: 'a', weight: 45, holdout: false, assigned: 700, exposed: 690, responders: 140, revenue: 42000, messageCost: { sms: 34.5 }, couponCost: 0 },
      { arm: 'b', weight: 45, holdout: false, assigned: 718, exposed: 8, responders: 66, revenue: 30400, messageCost: { sms: 0.4 }, couponCost: 0 },
      { arm: 'holdout', weight: 10, holdout: true, assigned: 160, exposed: 0, responders: 15, revenue: 60, messageCost: {}, couponCost: 0 },
    ];
    const r = buildReport({ experimentId: 'delay', flowId: 'f', nodeId: 'ab' }, x, cheap, 'holdout');
    const [a, b] = r.arms;
    expect(a.vsControl!.pValue).toBeLessThan(0.05);
    expect(b.vsControl!.pValue).toBeGreaterThanOrEqual(0.05);
    const rows = experimentMoney('zh', r.arms, r.alpha)!;
    expect(rows.map((m) => m.withinChance)).toEqual([false, true, false]);
    expect(rows[0].roi).not.toContain('*');
    expect(rows[1].roi).toMatch(/%\s\*$/);
  });

  it('says a positive ROI as a percentage and none without a holdout or a cost', () => {
    expect(roiWords(0.254)).toBe('25.4%');
    expect(roiWords(-0.5)).toBe('-50.0%');
    expect(roiWords(-1.5)).toBe('< -100%');
    expect(roiWords(null)).toBe('—');
    const noHoldout = buildReport({ experimentId: 'launch', flowId: 'f', nodeId: 'ab' }, x, arms.slice(0, 2), 'a');
    expect(experimentMoney('en', noHoldout.arms)!.map((r) => [r.incremental, r.roi])).toEqual([['—', '—'], ['—', '—']]);
  });

  it('shows no money for a report without it (an older server) rather than ¥0.00', () => {
    expect(experimentMoney('zh', [{ arm: 'a', holdout: false, assigned: 10 }])).toBeNull();
  });

  it('says the instant the figures are counted up to in shop time', () => {
    const at = Date.parse('2027-05-14T10:00:00+08:00');
    expect(asOfWords('zh', at, 'Asia/Shanghai')).toBe('数据截至 2027/05/14 10:00（店铺时间）');
    expect(asOfWords('en', at, 'Asia/Shanghai')).toBe('figures as of 14/05/2027, 10:00 (shop time)');
    expect(asOfWords('zh', undefined)).toBeNull();
  });
});
