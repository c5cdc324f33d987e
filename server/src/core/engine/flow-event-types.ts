import type { Flow } from '../flow/schema.js';

/**
 * The event types a flow has to act on, in the three places a stored event reaches it: its entry's
 * event trigger (a journey starts), its `exitOn` events (the customer's journeys end: an order's
 * payment ends its payment reminder) and the events its `waitForEvent` nodes wait for (an answer
 * moves a waiting journey on). Until the engine has consumed such an event from the inbox, it is
 * work this flow still has to do — the intake view counts it as pending for the flow, and its lag
 * (stored → acted on) counts in the flow's lag figures.
 */
export interface FlowEventTypes {
  trigger: string | null;
  exit: string[];
  awaited: string[];
}

export function flowEventTypes(flow: Flow): FlowEventTypes {
  const entry = flow.nodes.find((n) => n.type === 'entry');
  const trigger = entry && entry.type === 'entry' && entry.trigger.type === 'event' ? entry.trigger.event : null;
  const awaited = new Set<string>();
  for (const n of flow.nodes) if (n.type === 'waitForEvent') for (const t of n.events) awaited.add(t);
  return { trigger, exit: [...new Set(flow.exitOn.map((x) => x.event))], awaited: [...awaited] };
}

/** Every type of `flowEventTypes`, once each. */
export function actedOnTypes(t: FlowEventTypes): Set<string> {
  return new Set([...(t.trigger === null ? [] : [t.trigger]), ...t.exit, ...t.awaited]);
}
