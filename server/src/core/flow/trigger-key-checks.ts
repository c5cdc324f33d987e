import { COUPON_REDEEMED, ORDER_EVENT_PROPERTIES, ORDER_EVENT_TYPES } from '../data/order-events.js';
import { LINK_CLICK } from '../data/system-events.js';
import { closestName } from '../text/closest-name.js';
import type { PathProblem } from './problems.js';

/**
 * What the system's own events carry (core/data/order-events.ts for the orders, persistence/
 * shop-repository.ts for a redeemed coupon, api/channels/link-clicks.service.ts for a click): their
 * payload is the system's, so a key outside it is almost surely a slip. An opt-out is left out: the shop
 * may send its own with any properties.
 */
export const SYSTEM_EVENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(ORDER_EVENT_TYPES.map((e) => [e, ORDER_EVENT_PROPERTIES])),
  [COUPON_REDEEMED]: ['code', 'orderId', 'amount', 'orderAmount', 'template', 'flowId'],
  [LINK_CLICK]: ['sendId', 'flowId', 'nodeId', 'url'],
};

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/**
 * An event-triggered entry's `key` (the journey key: one journey per order, not per customer)
 * checked against what the trigger event carries. The engine reads `properties[key] ?? ''`
 * (engine/journey-engine.ts), so a key the event never carries is '' for every event: the journey
 * is in effect one per customer, re-entry counts per customer, and a `match: {orderId: $key}`
 * further on matches nothing. The designer makes the key follow the trigger event
 * (designer/src/model/trigger-key.ts); a file edited by hand was not checked. A system event's
 * payload is what the system writes; a declared event's `fields` document it (rules/shop.yaml,
 * for the designer); either is a warning (see below); an event with no known fields is not checked.
 */
export function checkTriggerKeys(nodes: readonly unknown[], declaredFields: (event: string) => readonly string[] | null = () => null): PathProblem[] {
  const out: PathProblem[] = [];
  nodes.forEach((n, i) => {
    const node = asObject(n);
    const trigger = asObject(node?.trigger);
    if (node?.type !== 'entry' || trigger?.type !== 'event' || typeof trigger.event !== 'string' || typeof trigger.key !== 'string' || trigger.key === '') return;
    const system = SYSTEM_EVENT_FIELDS[trigger.event];
    const fields = system ?? declaredFields(trigger.event);
    if (!fields || fields.includes(trigger.key)) return;
    const near = closestName(trigger.key, fields);
    const carries = fields.length ? `it carries ${fields.join(', ')}` : 'it carries no fields';
    const fix = near ? `did you mean "${near}"?` : fields.length ? `key the journey by one of those, or leave key out (one journey per customer)` : 'leave key out (one journey per customer) or declare the field under its fields: in rules/shop.yaml';
    out.push({
      path: ['nodes', i, 'trigger', 'key'],
      nodeId: typeof node.id === 'string' ? node.id : null,
      // A warning, not an error, for the system's events too: a shop may post its own order_created
      // through POST /api/events with more properties than the imports write.
      severity: 'warning',
      message: `key "${trigger.key}" is not a field of event "${trigger.event}" (${carries}${system ? '' : ' as rules/shop.yaml declares it'}): every journey would get the same empty key, so it is in effect one journey per customer and a match on $key finds nothing; ${fix}`,
    });
  });
  return out;
}
