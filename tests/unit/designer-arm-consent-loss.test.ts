import { describe, expect, it } from '@jest/globals';
import { armConsentLossLines } from '../../designer/src/model/arm-consent-loss.js';
import type { FunnelNode } from '../../designer/src/model/counts.js';
import { simulationWords } from '../../designer/src/model/sim-summary.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/**
 * Walkthrough nine: a win-back A/B test (SMS coupon against email) simulated with 1,727 of the
 * email arm's 1,967 customers blocked for want of email consent, and the summary said nothing of
 * the arm (the 备用渠道 hint leaves arms out on purpose). The arm would then test "no message".
 */
const row = (nodeId: string, entered: number, blocked: Record<string, number>): FunnelNode => ({ nodeId, entered, waiting: 0, sent: entered - Object.values(blocked).reduce((a, b) => a + b, 0), blocked, responded: 0, converted: 0, exited: 0 }) as FunnelNode;
const flow: DraftFlow = {
  id: 'winback-ab',
  name: '沉睡客户唤醒 AB 测试',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'sleeping-reactivation-candidates' }, next: 'split-1' },
    {
      id: 'split-1',
      type: 'split',
      arms: [
        { id: 'a', label: '方案 A', weight: 45, next: 'send-1' },
        { id: 'b', label: '方案 B', weight: 45, next: 'send-2' },
        { id: 'holdout', label: '对照组', weight: 10, holdout: true, next: 'exit-1' },
      ],
      experiment: { id: 'winback-coupon-vs-email' },
    },
    { id: 'send-1', type: 'send', channel: 'sms', next: 'exit-1' },
    { id: 'send-2', type: 'send', channel: 'email', next: 'exit-1' },
    { id: 'exit-1', type: 'exit' },
  ],
};
const funnel = [row('send-1', 1980, { 'blocked:no-consent:sms': 439 }), row('send-2', 1967, { 'blocked:no-consent:email': 1727 })];

describe("a simulated A/B arm whose first message most customers cannot get", () => {
  it('is said with its figures and what to do, the arm by its label', () => {
    expect(armConsentLossLines('zh', funnel, flow)).toEqual([
      '注意：A/B 分流「方案 B」组的第一步「发送邮件」，到达的 1,967 位顾客中有 1,727 位（88%）没有邮件营销许可、收不到消息：这一组的实验结果主要反映「没收到消息」，看不出这条消息的效果。可在分流前加「条件判断」只让允许邮件营销的顾客进入实验，或给这一组换一个多数顾客允许的渠道',
    ]);
    expect(armConsentLossLines('en', funnel, flow)[0]).toMatch(/^Note: A\/B arm "方案 B" starts with "Send Email", and 1,727 of the 1,967 customers who reached it \(88%\) have no Email marketing consent/);
  });

  it('says nothing of an arm that loses less than half, nor of the holdout, nor without a funnel', () => {
    expect(armConsentLossLines('zh', [row('send-1', 1980, { 'blocked:no-consent:sms': 439 })], flow)).toEqual([]);
    expect(armConsentLossLines('zh', null, flow)).toEqual([]);
  });

  it('stands in the simulation summary under the losses', () => {
    const r = { days: 8, summary: {}, report: { enrollments: { active: 0, completed: 0, exited: 4356 }, nodes: [], sends: [{ channel: 'email', status: 'blocked', reason: 'no-consent:email', count: 1727 }] }, funnel };
    const lines = simulationWords('zh', r, flow);
    const loss = lines.indexOf('1,727 条未发出：没有邮件营销许可');
    expect(loss).toBeGreaterThan(0);
    expect(lines.slice(loss).find((l) => l.startsWith('注意：A/B 分流「方案 B」'))).toBeDefined();
  });
});
