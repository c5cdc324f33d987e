import { describe, expect, it } from '@jest/globals';
import { consentLossHints } from '../../designer/src/model/consent-hint.js';
import { simulationWords } from '../../designer/src/model/sim-summary.js';
import type { FunnelNode } from '../../designer/src/model/counts.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

const funnelRow = (nodeId: string, blocked: Record<string, number>, sent = 10): FunnelNode => ({ nodeId, entered: sent + Object.values(blocked).reduce((a, b) => a + b, 0), waiting: 0, sent, blocked, responded: 0, converted: 0, exited: 0 }) as FunnelNode;

/** A win-back journey shaped like the shipped sleeping-reactivation: two email steps, one SMS step with a fallback. */
const flow: DraftFlow = {
  id: 'winback',
  name: '唤醒',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_paid' }, next: 'reminder-1' },
    { id: 'reminder-1', type: 'send', label: '普通提醒', channel: 'email', next: 'second-touch' },
    { id: 'second-touch', type: 'send', label: '第二次触达', channel: 'email', next: 'coupon' },
    { id: 'coupon', type: 'send', label: '专属券', channel: 'sms', fallback: 'email', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
};

describe('a simulation says what to do about messages lost to missing consent', () => {
  it('names the send steps without a fallback channel that lost messages, per channel, and points to 备用渠道', () => {
    const funnel = [funnelRow('reminder-1', { 'skipped:no-consent:email': 290 }), funnelRow('second-touch', { 'skipped:no-consent:email': 897, 'skipped:cap': 4 }), funnelRow('coupon', { 'skipped:no-consent:sms': 41 })];
    expect(consentLossHints('zh', funnel, flow)).toEqual(['建议：「普通提醒」「第二次触达」因没有邮件营销许可少发 1,187 条，可在这些步骤的「备用渠道」选一个顾客允许的其他渠道，这些顾客就改用它收到消息']);
    expect(consentLossHints('en', funnel, flow)[0]).toMatch(/^Tip: "普通提醒", "第二次触达" lost 1,187 messages to missing email consent; set a fallback channel/i);
  });

  it('says nothing when no message was lost to consent, or every losing step already has a fallback', () => {
    expect(consentLossHints('zh', [funnelRow('reminder-1', { 'skipped:cap': 3 })], flow)).toEqual([]);
    expect(consentLossHints('zh', [funnelRow('coupon', { 'skipped:no-consent:sms': 41 })], flow)).toEqual([]);
    expect(consentLossHints('zh', null, flow)).toEqual([]);
  });

  it('leaves out the first steps of an A/B test arm: a fallback there would blur the comparison', () => {
    const ab: DraftFlow = {
      ...flow,
      nodes: [...flow.nodes, { id: 'ab', type: 'split', arms: [{ id: 'a', next: 'reminder-1' }, { id: 'b', next: 'second-touch' }], experiment: { id: 'x' } }],
    };
    const funnel = [funnelRow('reminder-1', { 'skipped:no-consent:email': 290 }), funnelRow('second-touch', { 'skipped:no-consent:email': 897 })];
    expect(consentLossHints('zh', funnel, ab)).toEqual([]);
  });

  it('puts the hint in the simulation summary right under the loss it explains', () => {
    const r = {
      days: 22,
      summary: {},
      report: { enrollments: { active: 1, completed: 1, exited: 1 }, nodes: [], sends: [{ channel: 'email', status: 'queued', reason: null, count: 5 }, { channel: 'email', status: 'skipped', reason: 'no-consent:email', count: 290 }] },
      funnel: [funnelRow('reminder-1', { 'skipped:no-consent:email': 290 }, 5)],
    };
    const lines = simulationWords('zh', r, flow);
    const loss = lines.indexOf('290 条未发出：没有邮件营销许可');
    expect(loss).toBeGreaterThan(0);
    expect(lines[loss + 1]).toBe('建议：「普通提醒」因没有邮件营销许可少发 290 条，可在这一步的「备用渠道」选一个顾客允许的其他渠道，这些顾客就改用它收到消息');
  });
});
