import { describe, expect, it } from '@jest/globals';
import { kindsFollowingTrigger, kindTriggerProblems } from '../../designer/src/model/kind-follows-trigger.js';
import { localProblems } from '../../designer/src/model/local-problems.js';
import { problemWords } from '../../designer/src/model/problem-words.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/** A 下单 journey as drawn: its SMS took 交易通知 from the trigger, its email was set to 营销 by hand. */
const orderJourney: DraftFlow = {
  id: 'j',
  name: 'j',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'sms' },
    { id: 'sms', type: 'send', channel: 'sms', category: 'transactional', template: '您的订单还没付款', next: 'mail' },
    { id: 'mail', type: 'send', channel: 'email', category: 'marketing', subject: 's', template: '新品', next: 'note' },
    { id: 'note', type: 'send', channel: 'wangwang', category: 'transactional', template: 'x', next: 'end' },
    { id: 'end', type: 'exit' },
  ],
};
const withTrigger = (flow: DraftFlow, trigger: Record<string, unknown>): DraftFlow => ({ ...flow, nodes: flow.nodes.map((n) => (n.type === 'entry' ? { ...n, trigger } : n)) });
const kinds = (f: DraftFlow) => Object.fromEntries(f.nodes.filter((n) => n.type === 'send').map((n) => [n.id, n.category]));

describe('send kinds when the trigger changes', () => {
  it('re-derives the kinds the old trigger chose: a 下单 journey turned into a segment one sends 营销, a 付款 one 关怀', () => {
    const segment = kindsFollowingTrigger(orderJourney, withTrigger(orderJourney, { type: 'schedule', segment: 'sleeping', every: 'day' }));
    expect(kinds(segment)).toEqual({ sms: 'marketing', mail: 'marketing', note: 'marketing' });
    const paid = kindsFollowingTrigger(orderJourney, withTrigger(orderJourney, { type: 'event', event: 'order_paid' }));
    expect(kinds(paid)).toEqual({ sms: 'care', mail: 'marketing', note: 'care' });
  });

  it("keeps a kind the marketer chose by hand, and warns when 交易通知 is left where no order starts the journey", () => {
    // 营销 by hand in the 下单 journey: after a 付款 trigger it stays 营销 (not the new default 关怀).
    const hand = { ...orderJourney, nodes: orderJourney.nodes.map((n) => (n.id === 'note' ? { ...n, category: 'care' } : n)) };
    const segment = kindsFollowingTrigger(hand, withTrigger(hand, { type: 'audience', segment: 'vip', startAt: '2026-12-10T09:00:00+08:00' }));
    expect(kinds(segment)).toEqual({ sms: 'marketing', mail: 'marketing', note: 'care' });
    // 交易通知 chosen by hand in a segment journey: kept, and said.
    const byHand = { ...segment, nodes: segment.nodes.map((n) => (n.id === 'sms' ? { ...n, category: 'transactional' } : n)) };
    expect(kindsFollowingTrigger(byHand, withTrigger(byHand, { type: 'schedule', segment: 'vip', every: 'day' })).nodes.find((n) => n.id === 'sms')?.category).toBe('transactional');
    const problems = localProblems(byHand).filter((p) => p.message === 'local.kindNoOrder');
    expect(problems.map((p) => [p.nodeId, p.severity])).toEqual([['sms', 'warning']]);
    expect(problemWords('zh', problems[0])).toMatch(/^这一步是「交易通知」，但这个旅程不是由订单触发的/);
  });

  it('changes nothing when only something else changed, and says nothing of 交易通知 in an order journey', () => {
    const renamed = { ...orderJourney, name: 'k' };
    expect(kindsFollowingTrigger(orderJourney, renamed)).toBe(renamed);
    expect(kindTriggerProblems(orderJourney)).toEqual([]);
    expect(kindTriggerProblems(withTrigger(orderJourney, { type: 'event', event: 'order_shipped' }))).toEqual([]);
  });
});
