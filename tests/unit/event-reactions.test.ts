import { describe, expect, it } from '@jest/globals';
import { eventReactions, wakeTargets } from '../../server/src/core/engine/event-reactions.js';
import type { FlowVersion } from '../../server/src/core/engine/model.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';

const version = (id: number, flow: Record<string, unknown>): FlowVersion => ({ id, flowId: String(flow.id), version: id, hash: `h${id}`, flow: FlowSchema.parse(flow), publishedAt: 0, author: 't' });

const entry = { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'always' }, next: 'wait' };
// An older and a newer version of one flow whose exits differ, and a flow that waits for a reply.
const v1 = version(1, { id: 'reminder', name: 'R', exitOn: [{ event: 'order_cancelled', match: { orderId: '$key' } }], nodes: [entry, { id: 'wait', type: 'wait', duration: '2h', next: 'done' }, { id: 'done', type: 'exit' }] });
const v2 = version(2, {
  id: 'reminder',
  name: 'R',
  exitOn: [{ event: 'order_paid', match: { orderId: '$key' } }, { event: 'order_paid' }, { event: 'order_cancelled', goal: false }],
  nodes: [entry, { id: 'wait', type: 'wait', duration: '2h', next: 'done' }, { id: 'done', type: 'exit' }],
});
const survey = version(3, {
  id: 'survey',
  name: 'S',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'asked' }, next: 'ask' },
    { id: 'ask', type: 'waitForEvent', events: ['reply', 'order_paid'], within: '3d', responded: 'done', timedOut: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

describe('which sleeping journeys an event type can act on', () => {
  it('names, per type, every version whose exitOn has it (older versions included), and the types waitForEvent nodes wait for', () => {
    const r = eventReactions([v1, v2, survey]);
    expect(Object.fromEntries(r.exitVersions)).toEqual({ order_cancelled: [1, 2], order_paid: [2] });
    expect([...r.waitedFor].sort()).toEqual(['order_paid', 'reply']);
  });

  it('an event type no journey reacts to wakes nothing (order_created only starts journeys)', () => {
    expect(wakeTargets([{ customerId: 1, type: 'order_created' }, { customerId: 2, type: 'visit' }], eventReactions([v1, v2, survey]))).toEqual([]);
  });

  it('wakes per type: its customers once each, in order, with the versions that exit on it and whether anything waits for it', () => {
    const events = [
      { customerId: 9, type: 'order_paid' },
      { customerId: 3, type: 'order_paid' },
      { customerId: 9, type: 'order_paid' },
      { customerId: 5, type: 'order_cancelled' },
      { customerId: 5, type: 'reply' },
      { customerId: 7, type: 'order_created' },
    ];
    expect(wakeTargets(events, eventReactions([v1, v2, survey]))).toEqual([
      { eventType: 'order_cancelled', customerIds: [5], exitVersionIds: [1, 2], waiting: false },
      { eventType: 'order_paid', customerIds: [3, 9], exitVersionIds: [2], waiting: true },
      { eventType: 'reply', customerIds: [5], exitVersionIds: [], waiting: true },
    ]);
  });

  it('without versions nothing reacts', () => {
    expect(wakeTargets([{ customerId: 1, type: 'order_paid' }], eventReactions([]))).toEqual([]);
  });
});
