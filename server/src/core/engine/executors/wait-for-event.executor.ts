import { parseDuration } from '../../flow/duration.js';
import { byCustomer, eventMatches } from '../event-match.js';
import type { NodeExecutor } from '../executor.js';
import type { StepResult } from '../model.js';

/**
 * Branches on whether the customer responds within the window. The answer is read from the
 * stored events (not from in-memory signals), so it survives restarts and late wake-ups: an
 * event that occurred inside the window counts even if the stepper looks after the deadline.
 */
export const waitForEventExecutor: NodeExecutor<'waitForEvent'> = {
  type: 'waitForEvent',
  async execute(node, batch, ctx) {
    const window = parseDuration(node.within);
    const since = Math.min(...batch.map((e) => e.nodeEnteredAt));
    const events = byCustomer(await ctx.events(node.events, since));
    return batch.map((e): StepResult => {
      const deadline = e.nodeEnteredAt + window;
      const hit = (events.get(e.customerId) ?? []).find(
        (ev) => ev.occurredAt >= e.nodeEnteredAt && ev.occurredAt <= deadline && ev.occurredAt <= ctx.now && eventMatches(ev, node.match, e.journeyKey),
      );
      if (hit) return { kind: 'goto', edge: 'responded', next: node.responded, outcome: 'responded', detail: { event: hit.type, eventId: hit.id, after: hit.occurredAt - e.nodeEnteredAt } };
      if (ctx.now >= deadline) return { kind: 'goto', edge: 'timedOut', next: node.timedOut, outcome: 'timed-out' };
      // An answer already stored but stamped after this tick's instant: wake at its time, not at
      // the deadline (its intake wake-up may have found this journey due and left it alone).
      const early = (events.get(e.customerId) ?? []).find((ev) => ev.occurredAt > ctx.now && ev.occurredAt <= deadline && ev.occurredAt >= e.nodeEnteredAt && eventMatches(ev, node.match, e.journeyKey));
      return { kind: 'sleep', until: early ? early.occurredAt : deadline, waitingFor: node.events };
    });
  },
};
