import type { DataSource } from 'typeorm';
import { stratumOf } from '../core/experiment/strata.js';
import type { StratifyFact } from '../core/experiment/schema.js';
import { wilson, type Interval } from '../core/experiment/statistics.js';
import { deriveFacts, type Facts } from '../core/facts/derive.js';
import { storedFactsAt } from '../core/facts/stored-facts.js';
import type { LifecycleThresholds } from '../core/shop-config.js';
import { decodeFacts, ORDER_COLUMNS, ordersByCustomer } from './fact-store.js';
import { settleOwedFacts } from './owed-facts.js';
import { placeholders, queryRows } from './sql-batch.js';
import { money } from '../core/experiment/money.js';

export interface GroupRate {
  group: string;
  sent: number;
  responders: number;
  responseRate: number;
  responseRateCi: Interval;
  revenue: number;
}

/**
 * Response rate of one send node's recipients by customer group (lifecycle stage, order tier,
 * AOV band, region, device): a recipient responded when one of `events` came within `windowMs`
 * after the message went out (first event only, with its amount). Each recipient is grouped by
 * their facts when the message went out (the order facts recomputed from the orders up to then,
 * core/facts/stored-facts.ts storedFactsAt; region, device and tags as stored today, the shop keeps
 * no history of those): grouped by today's facts, the response itself moved a responder into
 * "active" (their order made them recent), and a launch's SMS read "active 47%, silent 0%,
 * sleeping 0%" where every responder had been silent or asleep when it was sent.
 */
export async function responseByGroup(
  ds: DataSource,
  q: { flowId: string; nodeId: string; by: StratifyFact; events: string[]; windowMs: number; now: number },
  shop: { timezone: string; lifecycle: LifecycleThresholds },
): Promise<GroupRate[]> {
  const sends = await queryRows(ds, "SELECT customer_id, MIN(COALESCE(sent_at, scheduled_at)) AS at FROM sends WHERE flow_id = ? AND node_id = ? AND status IN ('queued', 'sending', 'sent') GROUP BY customer_id ORDER BY customer_id", [q.flowId, q.nodeId]);
  await settleOwedFacts(ds); // an import's owed facts first (owed-facts.ts), as the engine reads them
  const factsOf = async (chunk: Record<string, unknown>[]): Promise<Map<number, Facts>> => {
    const ids = chunk.map((s) => Number(s.customer_id));
    const stored = new Map((await queryRows(ds, `SELECT * FROM customer_facts WHERE customer_id IN (${placeholders(ids.length)})`, ids)).map((r) => [Number(r.customer_id), decodeFacts(r)]));
    const orders = ordersByCustomer(await queryRows(ds, `SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id IN (${placeholders(ids.length)})`, ids));
    const out = new Map<number, Facts>();
    for (const s of chunk) {
      const id = Number(s.customer_id);
      const at = Number(s.at);
      const f = stored.get(id);
      if (f) out.set(id, deriveFacts(storedFactsAt(f, orders.get(id) ?? [], at, shop.timezone), { at, timezone: shop.timezone, lifecycle: shop.lifecycle }));
    }
    return out;
  };
  const groups = new Map<string, { sent: number; responders: number; revenue: number }>();
  for (let i = 0; i < sends.length; i += 500) {
    const chunk = sends.slice(i, i + 500);
    const ids = chunk.map((s) => Number(s.customer_id));
    const facts = await factsOf(chunk);
    const events = await queryRows(ds, `SELECT customer_id, properties, occurred_at FROM customer_events WHERE customer_id IN (${placeholders(ids.length)}) AND type IN (${placeholders(q.events.length)}) AND occurred_at <= ? ORDER BY occurred_at, id`, [...ids, ...q.events, q.now]);
    for (const s of chunk) {
      const id = Number(s.customer_id);
      const at = Number(s.at);
      const g = stratumOf(facts.get(id), q.by);
      const row = groups.get(g) ?? groups.set(g, { sent: 0, responders: 0, revenue: 0 }).get(g)!;
      row.sent++;
      const hit = events.find((e) => Number(e.customer_id) === id && Number(e.occurred_at) >= at && Number(e.occurred_at) <= at + q.windowMs);
      if (hit) {
        row.responders++;
        const p = typeof hit.properties === 'string' ? JSON.parse(hit.properties) : hit.properties;
        if (Number.isFinite(Number(p?.amount))) row.revenue = money(row.revenue + Number(p.amount));
      }
    }
  }
  return [...groups.entries()]
    .map(([group, g]) => ({ group, ...g, responseRate: g.sent ? g.responders / g.sent : 0, responseRateCi: wilson(g.responders, g.sent) }))
    .sort((a, b) => b.responseRate - a.responseRate || a.group.localeCompare(b.group));
}
