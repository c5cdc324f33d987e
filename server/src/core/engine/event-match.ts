import type { JourneyEvent } from './ports.js';

/**
 * Does an event belong to this journey? Every `match` property must equal the event's;
 * the value "$key" stands for the journey key (a payment reminder's order id).
 */
export function eventMatches(event: JourneyEvent, match: Record<string, unknown> | undefined, journeyKey: string): boolean {
  if (!match) return true;
  for (const [prop, expected] of Object.entries(match)) {
    const want = expected === '$key' ? journeyKey : expected;
    const got = event.properties[prop];
    if (got === undefined || got === null || String(got) !== String(want)) return false;
  }
  return true;
}

/** Groups events by customer, keeping their order. */
export function byCustomer(events: JourneyEvent[]): Map<number, JourneyEvent[]> {
  const m = new Map<number, JourneyEvent[]>();
  for (const e of events) {
    const list = m.get(e.customerId);
    if (list) list.push(e);
    else m.set(e.customerId, [e]);
  }
  return m;
}
