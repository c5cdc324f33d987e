/**
 * An analyst's walk-through (w-analyst): `rekindle report new-product-launch` named the arms a, b and
 * holdout only, while the designer's panel and the CSV's label column say 邮件抢先看, 短信抢先购,
 * 对照组（不发送）: which arm was the e-mail was a trip to the canvas. The text now gives each arm's
 * name as the last column of both tables (enough data or counts only), and only when an arm has one.
 */
import { describe, expect, it } from '@jest/globals';
import { experimentReportText } from '../../server/src/cli/commands/report.js';
import { buildReport, type ArmData } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

const x = ExperimentSchema.parse({ id: 'launch', window: '10d', responses: [{ event: 'order_paid' }] });
const arms: ArmData[] = [
  { arm: 'a', label: '邮件抢先看', weight: 45, holdout: false, assigned: 219, exposed: 41, responders: 9, revenue: 2369.02, messageCost: {}, couponCost: 0 },
  { arm: 'b', label: '短信抢先购', weight: 45, holdout: false, assigned: 223, exposed: 166, responders: 10, revenue: 2147.14, messageCost: { sms: 8.3 }, couponCost: 0 },
  { arm: 'holdout', label: '对照组（不发送）', weight: 10, holdout: true, assigned: 53, exposed: 0, responders: 3, revenue: 872.13, messageCost: {}, couponCost: 0 },
];
const text = (a: ArmData[]) => experimentReportText({ ...buildReport({ experimentId: 'launch', flowId: 'f', nodeId: 'ab' }, x, a, 'holdout'), decision: null });
const table = (t: string) => {
  const lines = t.split('\n');
  const at = lines.findIndex((l) => l.startsWith('arm\t'));
  return lines.slice(at, at + 4).map((l) => l.split('\t'));
};

describe('the CLI experiment report names each arm', () => {
  it('as the last column of the full table', () => {
    const [head, a, b, holdout] = table(text(arms));
    expect(head.at(-1)).toBe('arm name');
    expect(head.at(-2)).toBe('P(best)');
    expect([a[0], a.at(-1)]).toEqual(['a', '邮件抢先看']);
    expect([b[0], b.at(-1)]).toEqual(['b', '短信抢先购']);
    expect([holdout[0], holdout.at(-1)]).toEqual(['holdout (holdout)', '对照组（不发送）']);
    for (const row of [a, b, holdout]) expect(row).toHaveLength(head.length);
  });

  it('as the last column of the counts-only table while there are too few customers', () => {
    const few = arms.map((a) => ({ ...a, assigned: Math.floor(a.assigned / 10), exposed: Math.floor(a.exposed / 10), responders: Math.floor(a.responders / 10) }));
    const [head, a, , holdout] = table(text(few));
    expect(head).toEqual(['arm', 'assigned', 'resp', 'exposed', 'revenue', 'cost', 'arm name']);
    expect(a.at(-1)).toBe('邮件抢先看');
    expect(holdout.at(-1)).toBe('对照组（不发送）');
  });

  it('leaves the column out when no arm has a name, and keeps an unnamed arm\'s cell empty beside named ones', () => {
    expect(table(text(arms.map(({ label: _, ...a }) => a)))[0].at(-1)).toBe('P(best)');
    const [head, a, b] = table(text(arms.map((a) => (a.arm === 'b' ? { ...a, label: undefined } : a))));
    expect(head.at(-1)).toBe('arm name');
    expect(a.at(-1)).toBe('邮件抢先看');
    expect(b.at(-1)).toBe('');
  });
});
