import { ORDER_CREATED, ORDER_PAID } from '../data/order-event-names.js';
import { graphOf } from './graph-of.js';
import type { PathProblem } from './problems.js';
import { asObject, type Raw } from './raw-object.js';

/**
 * A payment reminder (a journey that starts at `order_created`) that does not stop when the order is
 * paid: without an `exitOn` of `order_paid` (for this order, or any), a customer who paid after the
 * journey began still gets every reminder that follows (walkthrough: entry → 等 2 小时 → 短信 → 等
 * 22 小时 → 短信 → 结束 showed 没有问题 and published). A warning on each send step that nothing
 * guards: a send is guarded when every way to it, since the last wait on it, starts at a wait for
 * this order's payment (`waitForEvent` of `order_paid` matched on `orderId: $key`) left by its
 * `timedOut` branch — the order was unpaid a moment before it goes out — or at the entry itself (no
 * wait at all: it goes out as the order is placed, an order confirmation). Works on the raw value, like the
 * graph checks, so it also runs when the schema fails.
 */
export function checkReminderStops(flow: unknown): PathProblem[] {
  const raw = asObject(flow);
  const nodes = raw && Array.isArray(raw.nodes) ? raw.nodes : null;
  if (!raw || !nodes) return [];
  const graph = graphOf(nodes);
  const entry = graph.find((g) => g.type === 'entry');
  const trigger = asObject(asObject(entry ? nodes[entry.index] : null)?.trigger);
  if (!entry || trigger?.type !== 'event' || trigger.event !== ORDER_CREATED) return [];
  const stops = (Array.isArray(raw.exitOn) ? raw.exitOn : []).map(asObject).some((x) => x?.event === ORDER_PAID && stopsThisOrder(asObject(x.match)));
  if (stops) return [];
  // Who leads to each step, and by which handle.
  const into = new Map<string, { from: (typeof graph)[number]; handle: string }[]>();
  for (const g of graph) for (const e of g.edges) if (e.target) into.set(e.target, [...(into.get(e.target) ?? []), { from: g, handle: e.handle }]);
  const paymentWait = (g: (typeof graph)[number]) => {
    const n = asObject(nodes[g.index]);
    return g.type === 'waitForEvent' && !!n && Array.isArray(n.events) && n.events.includes(ORDER_PAID) && asObject(n.match)?.orderId === '$key';
  };
  /** Every way into `id` comes, through steps that do not wait, from a payment wait's timedOut branch. */
  const guarded = (id: string, seen: Set<string>): boolean => {
    if (seen.has(id)) return false;
    seen.add(id);
    const ways = into.get(id) ?? [];
    return (
      ways.length > 0 &&
      ways.every(({ from, handle }) => {
        if (paymentWait(from)) return handle === 'timedOut';
        // Straight from the entry, with no wait on the way, it goes out as the order is placed (an
        // order confirmation): there is no payment yet to stop it.
        if (from.type === 'entry') return true;
        if (from.type === 'wait' || from.type === 'waitForEvent' || from.id === null) return false;
        return guarded(from.id, seen);
      })
    );
  };
  const out: PathProblem[] = [];
  for (const g of graph) {
    if (g.type !== 'send' || g.id === null || guarded(g.id, new Set())) continue;
    out.push({
      path: ['nodes', g.index],
      nodeId: g.id,
      severity: 'warning',
      message: `this payment reminder is sent even when the order was paid meanwhile: the journey starts at order_created but does not end at order_paid; add to the flow exitOn: - event: order_paid with match: orderId: $key (designer: 提前结束条件 付款), or put a wait for this order's payment before this step and send on its timedOut branch`,
    });
  }
  return out;
}

/** An exitOn rule's match ends this order's journey: none (any payment ends it) or `orderId: $key`. */
function stopsThisOrder(match: Raw | null): boolean {
  if (!match) return true;
  const keys = Object.keys(match);
  return keys.length === 0 || (keys.length === 1 && match.orderId === '$key');
}
