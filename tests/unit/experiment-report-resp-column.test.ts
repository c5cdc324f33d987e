/**
 * The CLI report's resp column is what the API, the CSV and the designer count: responders among
 * every assigned customer (intention to treat, docs/experiments.md), and the rate is resp / assigned.
 * Beside exposed it read as "responders of the exposed" (resp > exposed looked like more than
 * 100%): it stands next to assigned, its rate, and a note says what it counts.
 */
import { describe, expect, it } from '@jest/globals';
import { experimentReportText } from '../../server/src/cli/commands/report.js';
import { buildReport } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

const x = ExperimentSchema.parse({ id: 'launch', window: '7d', responses: [{ event: 'order_paid' }] });
// Arm a: 400 assigned, only 150 sent a message (caps held the rest back), 180 responded.
const arms = [
  { arm: 'a', weight: 45, holdout: false, assigned: 400, exposed: 150, responders: 180, revenue: 0, messageCost: {}, couponCost: 0 },
  { arm: 'b', weight: 45, holdout: false, assigned: 400, exposed: 390, responders: 60, revenue: 0, messageCost: {}, couponCost: 0 },
  { arm: 'holdout', weight: 10, holdout: true, assigned: 100, exposed: 0, responders: 12, revenue: 0, messageCost: {}, couponCost: 0 },
];
const report = (a: typeof arms) => ({ ...buildReport({ experimentId: 'launch', flowId: 'f', nodeId: 'ab' }, x, a, 'holdout'), decision: null });
const row = (text: string, arm: string) => text.split('\n').find((l) => l.startsWith(`${arm}\t`) || l.startsWith(`${arm} (holdout)\t`))!.split('\t');

describe('the CLI experiment report: resp counts responders among the assigned', () => {
  it('puts resp and its rate beside assigned, exposed after them, and says so, when assigned > exposed < resp', () => {
    const r = report(arms);
    expect(r.enoughData.enough).toBe(true);
    const text = experimentReportText(r);
    const head = text.split('\n').find((l) => l.startsWith('arm\t'))!.split('\t');
    expect(head.slice(0, 5)).toEqual(['arm', 'assigned', 'resp', 'rate [95% CI]', 'exposed']);
    expect(row(text, 'a').slice(1, 5)).toEqual(['400', '180', expect.stringMatching(/^45\.00% \[/), '150']);
    expect(row(text, 'holdout').slice(1, 5)).toEqual(['100', '12', expect.stringMatching(/^12\.00% \[/), '0']);
    // Every rate is resp / assigned (as the API's responseRate), never resp / exposed (120% for a).
    for (const a of r.arms) expect(a.responseRate).toBeCloseTo(a.responders / a.assigned, 12);
    expect(text).not.toMatch(/1[0-9]{2}\.\d\d% \[/);
    expect(text).toContain('resp = responders among all assigned (intention to treat');
  });

  it('says the same in the counts-only table of too few customers', () => {
    const few = arms.map((a) => ({ ...a, assigned: a.assigned / 20, exposed: Math.floor(a.exposed / 20), responders: Math.floor(a.responders / 20) }));
    const r = report(few);
    expect(r.enoughData.enough).toBe(false);
    const text = experimentReportText(r);
    expect(text.split('\n').find((l) => l.startsWith('arm\t'))).toBe('arm\tassigned\tresp\texposed\trevenue\tcost');
    expect(row(text, 'a').slice(0, 4)).toEqual(['a', '20', '9', '7']);
    expect(text).toContain('resp = responders among all assigned');
  });

  it('gives the revenue and cost the CSV and the API give even while there are too few customers to compare (money counted, not estimated)', () => {
    // Walked on 3 Dec 2026: a simulated launch's CSV said arm b cost 3.95 and brought 1253.76; the text said neither.
    const few = arms.map((a) => ({ ...a, assigned: a.assigned / 20, exposed: Math.floor(a.exposed / 20), responders: Math.floor(a.responders / 20) }));
    few[1] = { ...few[1], revenue: 1253.76, messageCost: { sms: 3.95 } };
    const r = report(few);
    expect(r.enoughData.enough).toBe(false);
    const text = experimentReportText(r);
    expect(row(text, 'b').slice(4)).toEqual(['¥1,253.76', '¥3.95']);
    expect(row(text, 'holdout').slice(4)).toEqual(['¥0.00', '¥0.00']);
    // Rates, lift and ROI stay out until there are enough customers.
    expect(text).not.toMatch(/%|ROI/);
  });
});
