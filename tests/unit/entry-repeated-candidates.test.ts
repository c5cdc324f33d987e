import { describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { JourneyEngine, type JourneyEngineDeps } from '../../server/src/core/engine/journey-engine.js';
import type { FlowVersion } from '../../server/src/core/engine/model.js';

const NOW = Date.parse('2026-10-27T09:00:00+08:00');

const version = {
  id: 7,
  flowId: 'f',
  version: 1,
  hash: '',
  flow: { id: 'f', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' }, reentry: { policy: 'always' }, next: 'wait' }], exitOn: [] },
  publishedAt: 0,
  author: 't',
} as unknown as FlowVersion;

/** An engine whose store knows only entry histories: planning an entry reads nothing else. */
function engine(history: Map<number, { journeyKey: string; enteredAt: number; active: boolean }[]>) {
  const store = { entryHistory: async () => history };
  return new JourneyEngine({ clock: new VirtualClock(NOW), store, timezone: 'Asia/Shanghai', rulesFor: () => ({}) } as unknown as JourneyEngineDeps);
}

const candidate = (customerId: number, journeyKey: string, n: number) => ({ customerId, journeyKey, entryKey: `event-${n}` });

describe('an entry run\'s repeated candidates', () => {
  it('lets a (customer, journey key) in once however the candidates are ordered, and the same customer\'s other keys beside it', async () => {
    const candidates = [candidate(2, 'o1', 1), candidate(1, 'o1', 2), candidate(2, 'o2', 3), candidate(1, 'o1', 4), candidate(2, 'o1', 5), candidate(3, '', 6), candidate(1, 'o3', 7), candidate(3, '', 8)];
    const plan = await engine(new Map()).planEnrollment(version, candidates, NOW, 'event:order_created');
    expect(plan.entries.map((e) => [e.customerId, e.journeyKey, e.entryKey])).toEqual([
      [1, 'o1', 'event-2'],
      [1, 'o3', 'event-7'],
      [2, 'o1', 'event-1'],
      [2, 'o2', 'event-3'],
      [3, '', 'event-6'],
    ]);
    expect(plan.report.refused).toEqual({ 'already-in-journey': 3 });
  });

  it('refuses a repeat of a candidate its history refused, and counts each under its own reason', async () => {
    const history = new Map([[1, [{ journeyKey: 'o1', enteredAt: NOW - 1, active: true }]]]);
    const plan = await engine(history).planEnrollment(version, [candidate(1, 'o1', 1), candidate(1, 'o1', 2), candidate(1, 'o2', 3), candidate(1, 'o2', 4)], NOW, 'event:order_created');
    expect(plan.entries.map((e) => e.entryKey)).toEqual(['event-3']);
    expect(plan.report.refused).toEqual({ 'already-in-journey': 3 });
  });
});
