import type { Flow, NodeOfType } from '../flow/schema.js';
import { eventMatches } from './event-match.js';
import { waitUntil } from './executors/wait.executor.js';
import type { JourneyEvent } from './ports.js';

/**
 * A journey whose entry leads straight to a timed wait (a payment reminder: order created, wait
 * 2 hours) is inserted asleep until that wait ends, instead of due at once for a first step that
 * only ever puts it to sleep.
 *
 * Why: under an order feed every new enrollment cost a second transaction a few hundred
 * milliseconds later — the stepper's due walk, the row read back, the exit-on read, an UPDATE of
 * its wake time and that batch's commit (bench/events: about as much CPU as the enrollment itself).
 *
 * The first step is decided here exactly as the stepper would decide it (stepper.ts): exit-on
 * first, then the wait executor's `waitUntil` from the moment of entry. An enrollment is put to
 * sleep only when that step could not do anything else:
 *   - the wait ends after `now` (otherwise the step moves on: left due, as before);
 *   - no stored event of the version's exitOn types matches the journey with `occurredAt` at or
 *     after its entry — whether or not it is already past (a payment stamped a little ahead still
 *     leaves the journey due, and the stepper decides as before).
 * An exit event stored after the check (later in the inbox) wakes the enrollment when it is
 * consumed (event-reactions.ts: every exitOn type wakes its versions' journeys), so it is acted on
 * at the next tick, as it would have been. What the stepper would have written for such a step —
 * the wake time, nothing else: a sleep is not a step, changes no node and logs no line — is what
 * the enrollment is inserted with.
 */

/** The wait node an entry leads to, or null (another kind of node: its first step is left to the stepper). */
export function firstWaitNode(flow: Flow): NodeOfType<'wait'> | null {
  const entry = flow.nodes.find((n) => n.type === 'entry') as NodeOfType<'entry'> | undefined;
  if (!entry) return null;
  const next = flow.nodes.find((n) => n.id === entry.next);
  return next?.type === 'wait' ? (next as NodeOfType<'wait'>) : null;
}

/** The event types whose stored events must be read for firstWake (the flow's exitOn types). */
export function exitTypes(flow: Flow): string[] {
  return [...new Set(flow.exitOn.map((x) => x.event))];
}

/**
 * When an enrollment entering `wait` at `enteredAt` (with `journeyKey`) would be asleep until after
 * its first step, or null when that step must run (the wait is over by `now`, or an exit event of
 * the customer may end the journey). `customerEvents`: the customer's stored events of exitTypes(flow)
 * from `enteredAt` on (more is fine: each is checked here).
 */
export function firstWake(flow: Flow, wait: NodeOfType<'wait'>, enteredAt: number, journeyKey: string, customerEvents: readonly JourneyEvent[] | undefined, now: number, timezone: string): number | null {
  const until = waitUntil(wait, enteredAt, timezone);
  if (!(until > now)) return null;
  if (customerEvents)
    for (const rule of flow.exitOn)
      for (const ev of customerEvents) if (ev.type === rule.event && ev.occurredAt >= enteredAt && eventMatches(ev, rule.match, journeyKey)) return null;
  return until;
}
