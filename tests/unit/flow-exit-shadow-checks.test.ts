import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { checkShadowedWaits } from '../../server/src/core/flow/exit-shadow-checks.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';

/** A payment reminder whose wait for the payment is answered first by exitOn (the shipped flow's old shape). */
const flow = (exitOn: unknown[], wait: Record<string, unknown> = {}) => ({
  id: 'pay',
  exitOn,
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'wait-paid' },
    { id: 'wait-paid', type: 'waitForEvent', events: ['order_paid'], match: { orderId: '$key' }, within: '22h', responded: 'paid', timedOut: 'give-up', ...wait },
    { id: 'paid', type: 'exit', goal: true },
    { id: 'give-up', type: 'exit' },
  ],
});
const PAID = { event: 'order_paid', match: { orderId: '$key' }, goal: true };

describe('a waitForEvent that exitOn always answers first', () => {
  it('is a warning on its events, naming why its responded branch stays at 0 and what to do', () => {
    expect(checkShadowedWaits(flow([PAID]))).toEqual([
      {
        path: ['nodes', 1, 'events'],
        nodeId: 'wait-paid',
        severity: 'warning',
        message: expect.stringMatching(/^waitForEvent can never take its "responded" branch: every event it waits for \(order_paid\) is also in the flow's exitOn, which ends the journey first and counts it as a conversion \(goal\).*remove order_paid from exitOn so this step answers it.*or make this step a plain wait$/),
      },
    ]);
    // exitOn without a match ends the journey on any payment: it shadows the wait as well.
    expect(checkShadowedWaits(flow([{ event: 'order_paid' }]))).toHaveLength(1);
  });

  it('is not reported when some event of the wait can still answer it', () => {
    expect(checkShadowedWaits(flow([]))).toEqual([]);
    expect(checkShadowedWaits(flow([{ event: 'order_cancelled', match: { orderId: '$key' } }]))).toEqual([]);
    // Waits for a click too: a click answers it.
    expect(checkShadowedWaits(flow([PAID], { events: ['order_paid', 'click'] }))).toEqual([]);
    // Any order's payment answers the wait; exitOn ends only on this order's.
    expect(checkShadowedWaits(flow([PAID], { match: undefined }))).toEqual([]);
  });

  it('is reported by validate on the line of the events, in the shape the shipped payment reminder had (waitForEvent order_paid behind exitOn order_paid)', () => {
    const old = OLD_SHAPE;
    const r = validateFlowText(old, 'rules/flows/payment-reminder.flow.yaml', ruleCatalogFromNames([]));
    const shadowed = r.problems.filter((p) => p.message.startsWith('waitForEvent can never take'));
    expect(shadowed.map((p) => p.nodeId)).toEqual(['wait-paid', 'wait-last']);
    const lines = old.split('\n');
    for (const p of shadowed) expect(lines[p.line - 1]).toBe('    events:');
  });

  it('the shipped flows have no such wait (payment ends the journey as a conversion through exitOn)', () => {
    for (const id of ['payment-reminder', 'new-product-launch', 'pre-sleep', 'sleeping-reactivation', 'post-purchase-care', 'double11-campaign']) {
      const text = readFileSync(`rules/flows/${id}.flow.yaml`, 'utf8');
      const r = validateFlowText(text, `rules/flows/${id}.flow.yaml`, ruleCatalogFromNames([]));
      expect([id, r.problems.filter((p) => p.message.startsWith('waitForEvent can never take'))]).toEqual([id, []]);
    }
  });

  it('is said in Chinese in the designer\'s Problems panel: why, and the two ways out', () => {
    const [p] = checkShadowedWaits(flow([PAID]));
    const words = serverProblemWords({ line: 1, nodeId: p.nodeId, path: 'nodes.1.events', message: p.message, severity: 'warning' });
    expect(words).toBe('「已响应」分支永远走不到：这一步等的事件（order_paid）也在旅程设置的「提前结束条件」里，事件一发生旅程就先结束了（勾了「算作转化」的记为达成目标），所以「已响应」和它后面的步骤一直是 0。请二选一：把 order_paid 从「提前结束条件」里删掉，让这一步来等它（「已响应」连到一个达成目标的结束步骤）；或把这一步换成普通的「等待」');
  });
});

const OLD_SHAPE = `id: payment-reminder
name: 催付提醒
exitOn:
  - event: order_paid
    match:
      orderId: $key
    goal: true
nodes:
  - id: start
    type: entry
    trigger:
      type: event
      event: order_created
      key: orderId
    next: wait-paid
  - id: wait-paid
    type: waitForEvent
    events:
      - order_paid
    match:
      orderId: $key
    within: 22h
    responded: paid
    timedOut: wait-last
  - id: wait-last
    type: waitForEvent
    events:
      - order_paid
    match:
      orderId: $key
    within: 1d
    responded: paid
    timedOut: give-up
  - id: paid
    type: exit
    goal: true
  - id: give-up
    type: exit
`;
