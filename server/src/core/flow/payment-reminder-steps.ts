import { ORDER_CREATED, ORDER_PAID } from '../data/order-event-names.js';
import { graphOf } from './graph-of.js';
import { asObject } from './raw-object.js';

/**
 * The steps of a flow that are reminders of an unpaid order (催付): every step of a journey that
 * starts at `order_created` (one unpaid order: what it sends is about that order), and every step
 * reached through the `timedOut` branch of a wait for this order's payment (`order_paid` matched
 * on `orderId: $key`). send-kind-checks.ts warns when one is marked marketing; email-before-sms.ts
 * (core/channels) leaves them out of the campaign waves. Pure, on raw nodes; the designer imports
 * it through email-before-sms.ts, so nothing here brings the server's model along.
 */
export function paymentReminderSteps(nodes: readonly unknown[]): Set<string> {
  const graph = graphOf(nodes);
  const byId = new Map(graph.filter((g) => g.id !== null).map((g) => [g.id!, g]));
  const entry = graph.find((g) => g.type === 'entry');
  const trigger = asObject(asObject(entry ? nodes[entry.index] : null)?.trigger);
  const out = new Set<string>();
  const walk = (from: string | null) => {
    const queue = from ? [from] : [];
    while (queue.length) {
      const id = queue.pop()!;
      if (out.has(id)) continue;
      const g = byId.get(id);
      if (!g) continue;
      out.add(id);
      for (const e of g.edges) if (e.target) queue.push(e.target);
    }
  };
  if (trigger?.type === 'event' && trigger.event === ORDER_CREATED && entry) for (const e of entry.edges) walk(e.target);
  for (const g of graph) {
    const n = asObject(nodes[g.index]);
    if (g.type !== 'waitForEvent' || !n || !Array.isArray(n.events) || !n.events.includes(ORDER_PAID)) continue;
    if (asObject(n.match)?.orderId !== '$key') continue;
    walk(g.edges.find((e) => e.handle === 'timedOut')?.target ?? null);
  }
  return out;
}

