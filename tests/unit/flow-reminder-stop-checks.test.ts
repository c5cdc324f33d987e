import { describe, expect, it } from '@jest/globals';
import { checkReminderStops } from '../../server/src/core/flow/reminder-stop-checks.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';

/**
 * The walkthrough's reminder: 下单 → 等 2 小时 → 短信 → 等 22 小时 → 短信 → 结束, drawn without
 * 提前结束条件. The designer said 没有问题 and published it; a customer who paid within the hour still
 * got both reminders.
 */
const reminder = (exitOn: unknown[] = [], nodes?: unknown[]) => ({
  id: 'unpaid-reminder',
  name: '催付',
  exitOn,
  nodes: nodes ?? [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'wait-2h' },
    { id: 'wait-2h', type: 'wait', duration: '2h', next: 'sms-1' },
    { id: 'sms-1', type: 'send', channel: 'sms', category: 'transactional', template: '您的订单还没有付款', next: 'wait-22h' },
    { id: 'wait-22h', type: 'wait', duration: '22h', next: 'sms-2' },
    { id: 'sms-2', type: 'send', channel: 'sms', category: 'transactional', template: '订单即将关闭', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

describe('a payment reminder that does not stop when the order is paid', () => {
  it('is a warning on each reminder, saying what to add', () => {
    const problems = checkReminderStops(reminder());
    expect(problems.map((p) => [p.nodeId, p.severity, p.path])).toEqual([
      ['sms-1', 'warning', ['nodes', 2]],
      ['sms-2', 'warning', ['nodes', 4]],
    ]);
    expect(problems[0].message).toMatch(/^this payment reminder is sent even when the order was paid meanwhile: .*exitOn: - event: order_paid with match: orderId: \$key/);
    // What `rekindle validate` and the designer's problems list say, in Chinese in the designer.
    const text = JSON.stringify(reminder());
    const validated = validateFlowText(text, 'rules/flows/unpaid-reminder.flow.yaml', ruleCatalogFromNames([]));
    const found = validated.problems.filter((p) => /paid meanwhile/.test(p.message));
    expect(found.map((p) => p.nodeId)).toEqual(['sms-1', 'sms-2']);
    expect(serverProblemWords(found[0])).toMatch(/^顾客付款后这条催付仍会发出：.*「付款」/);
  });

  it('is not reported when the journey ends at this order\'s payment (or any payment)', () => {
    expect(checkReminderStops(reminder([{ event: 'order_paid', match: { orderId: '$key' }, goal: true }]))).toEqual([]);
    expect(checkReminderStops(reminder([{ event: 'order_paid' }]))).toEqual([]);
    // Another customer's or another order's payment does not stop this one.
    expect(checkReminderStops(reminder([{ event: 'order_paid', match: { orderId: 'o-1' } }]))).toHaveLength(2);
    expect(checkReminderStops(reminder([{ event: 'order_cancelled', match: { orderId: '$key' } }]))).toHaveLength(2);
  });

  it('takes a send straight after a wait for this order\'s payment timed out as guarded, not one after a plain wait that follows', () => {
    const nodes = [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'wait-paid' },
      { id: 'wait-paid', type: 'waitForEvent', events: ['order_paid'], match: { orderId: '$key' }, within: '2h', responded: 'paid', timedOut: 'has-phone' },
      { id: 'has-phone', type: 'condition', rule: 'has-phone', yes: 'sms-1', no: 'done' },
      { id: 'sms-1', type: 'send', channel: 'sms', category: 'transactional', template: '您的订单还没有付款', next: 'wait-22h' },
      { id: 'wait-22h', type: 'wait', duration: '22h', next: 'sms-2' },
      { id: 'sms-2', type: 'send', channel: 'sms', category: 'transactional', template: '订单即将关闭', next: 'done' },
      { id: 'paid', type: 'exit', goal: true },
      { id: 'done', type: 'exit' },
    ];
    expect(checkReminderStops(reminder([], nodes)).map((p) => p.nodeId)).toEqual(['sms-2']);
  });

  it('leaves a send straight after the entry alone: it goes out as the order is placed', () => {
    const nodes = [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'confirm' },
      { id: 'confirm', type: 'send', channel: 'sms', category: 'transactional', template: '订单已收到', next: 'wait-2h' },
      { id: 'wait-2h', type: 'wait', duration: '2h', next: 'remind' },
      { id: 'remind', type: 'send', channel: 'sms', category: 'transactional', template: '您的订单还没有付款', next: 'done' },
      { id: 'done', type: 'exit' },
    ];
    expect(checkReminderStops(reminder([], nodes)).map((p) => p.nodeId)).toEqual(['remind']);
  });

  it('leaves journeys that do not start at order_created alone', () => {
    const nodes = reminder().nodes.map((n) => ((n as { id: string }).id === 'start' ? { ...(n as object), trigger: { type: 'event', event: 'order_paid', key: 'orderId' } } : n));
    expect(checkReminderStops(reminder([], nodes))).toEqual([]);
    expect(checkReminderStops({ nodes: 'x' })).toEqual([]);
    expect(checkReminderStops(null)).toEqual([]);
  });
});
