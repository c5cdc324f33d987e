import type { FlowVersion } from './model.js';

/**
 * Which sleeping journeys an event type can act on. A journey that sleeps reacts to an event in
 * exactly two places: the stepper's exit check (its version's `exitOn` events, wherever it
 * stands) and a `waitForEvent` node (the event types it waits for, stored with the sleeping
 * enrollment as `waiting_for`). Every other sleeping node (wait, a send deferred by the contact
 * policy, a limit spreading its entries, a split awaiting its decision) is a timer that ignores
 * events: woken early it only goes back to sleep. So an event needs to wake only the journeys of
 * its customer on a version whose exitOn names its type, or waiting for its type.
 */
export interface EventReactions {
  /** Per event type: the flow versions whose exitOn names it (enrollments sit on older versions too). */
  exitVersions: Map<string, number[]>;
  /** Event types some waitForEvent node of some version waits for. */
  waitedFor: Set<string>;
}

/** The reactions of these versions (all versions of every flow: journeys finish on the version they entered). */
export function eventReactions(versions: readonly FlowVersion[]): EventReactions {
  const exitVersions = new Map<string, number[]>();
  const waitedFor = new Set<string>();
  for (const v of versions) {
    for (const type of new Set(v.flow.exitOn.map((x) => x.event))) {
      const ids = exitVersions.get(type);
      if (ids) ids.push(v.id);
      else exitVersions.set(type, [v.id]);
    }
    for (const n of v.flow.nodes) if (n.type === 'waitForEvent') for (const t of n.events) waitedFor.add(t);
  }
  for (const ids of exitVersions.values()) ids.sort((a, b) => a - b);
  return { exitVersions, waitedFor };
}

/**
 * One wake-up of a batch of events: the active sleeping enrollments of `customerIds` that are on
 * one of `exitVersionIds`, or (when `waiting`) whose `waiting_for` holds `eventType`.
 */
export interface WakeTarget {
  eventType: string;
  customerIds: number[];
  /** Versions whose exitOn names the type (may be empty). */
  exitVersionIds: number[];
  /** True when some waitForEvent node waits for this type. */
  waiting: boolean;
}

/**
 * What a batch of events wakes, one target per event type that some journey can react to, its
 * customers in ascending order. Types nobody reacts to wake nothing.
 */
export function wakeTargets(events: readonly { customerId: number; type: string }[], reactions: EventReactions): WakeTarget[] {
  const byType = new Map<string, Set<number>>();
  for (const e of events) {
    const set = byType.get(e.type);
    if (set) set.add(e.customerId);
    else byType.set(e.type, new Set([e.customerId]));
  }
  const out: WakeTarget[] = [];
  for (const [eventType, customers] of [...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const exitVersionIds = reactions.exitVersions.get(eventType) ?? [];
    const waiting = reactions.waitedFor.has(eventType);
    if (exitVersionIds.length === 0 && !waiting) continue;
    out.push({ eventType, customerIds: [...customers].sort((a, b) => a - b), exitVersionIds, waiting });
  }
  return out;
}
