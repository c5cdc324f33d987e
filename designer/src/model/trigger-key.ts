import { defaultEventKey, knownEventKeys } from './journey-key-words.js';

type Declared = readonly { name: string; fields: Record<string, string> | null }[];
type Trigger = Record<string, unknown>;

/**
 * The journey key the engine will actually use for this trigger: its `key` when the trigger event
 * carries that property (or may: an event the designer knows nothing of), else none. A key the
 * event never carries reads '' for every event (core/engine/journey-engine.ts: properties[key] ??
 * ''), so the journey is in effect per customer, and the publish dialog must say that, not
 * 按订单号区分旅程.
 */
export function effectiveKey(trigger: Trigger, events: Declared = []): string | null {
  const key = trigger.type === 'event' && typeof trigger.key === 'string' && trigger.key ? trigger.key : null;
  if (!key) return null;
  const known = knownEventKeys(trigger.event, events);
  return !known || known.includes(key) ? key : null;
}

/**
 * The trigger with another event, its key following: kept when the new event carries it, else the
 * new event's own default (订单号 for the order events, as a new entry step has), else none. A
 * 不区分 the marketer picked over the old event's 订单号 stays none. Before, the key stayed
 * orderId when the event became one without an order number: the file held a key the event never
 * carries, and the publish dialog said 按订单号区分旅程 of a journey in effect per customer.
 */
export function triggerWithEvent(trigger: Trigger, event: string | undefined, events: Declared = []): Trigger {
  const next: Trigger = { ...trigger };
  if (event) next.event = event;
  else delete next.event;
  const old = typeof trigger.key === 'string' && trigger.key ? trigger.key : undefined;
  const known = knownEventKeys(event, events);
  const key = old ? (!known || known.includes(old) ? old : defaultEventKey(event)) : defaultEventKey(trigger.event) ? undefined : defaultEventKey(event);
  if (key) next.key = key;
  else delete next.key;
  return next;
}
