import { describe, expect, it } from '@jest/globals';
import { reportWarningWords, warningText } from '../../designer/src/model/report-warning-words.js';
import { buildReport } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

/**
 * An experiment arm whose message mostly never went out is named in its report. Walkthrough nine:
 * the simulated launch's email arm reached 118 of its 916 customers (the rest had no email
 * consent) and read, in the CLI and the designer alike, as "-21.43% against the holdout" with no
 * word that it mostly measured not sending; the designer did not even show how many were reached.
 */
const arm = (arm: string, assigned: number, exposed: number, responders: number, holdout = false) => ({ arm, weight: holdout ? 10 : 45, holdout, assigned, exposed, responders, revenue: 0, messageCost: {}, couponCost: 0 });
const x = ExperimentSchema.parse({ id: 'launch', window: '10d', responses: [{ event: 'order_paid' }] });
const report = (...arms: ReturnType<typeof arm>[]) => buildReport({ experimentId: 'launch', flowId: 'new-product-launch', nodeId: 'early-adopters' }, x, arms, 'holdout');

describe('low exposure in an experiment report', () => {
  it('names each treated arm that sent its message to fewer than half its customers, with the figures', () => {
    const r = report(arm('a', 916, 118, 39), arm('b', 925, 660, 42), arm('holdout', 203, 0, 11, true));
    const w = r.warnings.find((v) => v.code === 'low-exposure');
    expect(w?.figures).toEqual({ arms: [{ arm: 'a', assigned: 916, exposed: 118 }], share: 0.5 });
    expect(w?.message).toBe(
      "low exposure: arm a sent a message to 118 of its 916 customers; the others were held back (consent, caps), are still queued, were not delivered, or have not reached a send yet, and still count in the arm's rate (intention to treat), so its lift says little about the message itself: see the per-node funnel (--funnel) for why",
    );
    // The designer says it in Chinese from the figures, the arm by its label.
    expect(warningText(reportWarningWords('zh', w!).parts, (a) => (a === 'a' ? '邮件抢先看' : a))).toBe(
      '收到消息的人太少：「邮件抢先看」分配的 916 位顾客中只有 118 位收到了消息。其余顾客被拦下（如没有营销许可、触达上限）、消息还在排队、没送达或还没走到发送步骤，但仍按分组计入响应率，所以这一组的提升说明不了消息本身的效果。请先在「实时数据」里看各发送步骤的拦截原因',
    );
  });

  // In a simulation the panel pointed to 「实时数据」, which is greyed out there: it points to the
  // simulation summary's held-back lines (「N 条未发出：…」) instead.
  it("points a simulation's panel to the summary's held-back lines, not to the greyed-out live numbers", () => {
    const w = report(arm('a', 916, 118, 39), arm('holdout', 203, 0, 11, true)).warnings.find((v) => v.code === 'low-exposure')!;
    const simulated = warningText(reportWarningWords('zh', w, { simulated: true }).parts);
    expect(simulated).toMatch(/请先看「模拟结果」里「… 条未发出」各行：那是各发送步骤的拦截原因$/);
    expect(simulated).not.toMatch(/实时数据/);
    expect(warningText(reportWarningWords('zh', w, { simulated: false }).parts)).toMatch(/请先在「实时数据」里看各发送步骤的拦截原因$/);
  });

  it('says nothing of the holdout, which sends nothing by design, nor of arms reached at half or more', () => {
    const r = report(arm('a', 400, 200, 20), arm('b', 400, 390, 25), arm('holdout', 100, 0, 3, true));
    expect(r.warnings.map((w) => w.code)).not.toContain('low-exposure');
  });
});
