import type { DataSource } from 'typeorm';
import { productClicks, type PaidOrder, type ProductClicks, type StepRecipient } from '../core/experiment/product-clicks.js';
import { ORDER_COLUMNS, rawOrder } from './fact-store.js';
import { newestPublishedNodes } from './flow-report.js';
import { placeholders, queryRows } from './sql-batch.js';

/**
 * Reads one send step's delivered messages and their recipients' paid orders and counts clicks
 * against sales per product (core/experiment/product-clicks.ts). A click is the send's first
 * (sends.clicked_at): the tracked link `/r/:token` and the simulated channel both set it, so the
 * report reads the same on a simulation's copy. Refunded and cancelled orders are no sale.
 */
export async function stepProductClicks(ds: DataSource, q: { flowId: string; nodeId: string; windowMs: number; now: number; link: string | null }): Promise<ProductClicks> {
  const sends = await queryRows(
    ds,
    "SELECT customer_id, MIN(sent_at) AS sent_at, MIN(clicked_at) AS clicked_at FROM sends WHERE flow_id = ? AND node_id = ? AND status = 'sent' AND sent_at IS NOT NULL AND sent_at <= ? GROUP BY customer_id ORDER BY customer_id",
    [q.flowId, q.nodeId, q.now],
  );
  const recipients: StepRecipient[] = sends.map((s) => ({
    customerId: Number(s.customer_id),
    sentAt: Number(s.sent_at),
    // A click after the report's instant had not happened yet as of it.
    clickedAt: s.clicked_at === null || s.clicked_at === undefined || Number(s.clicked_at) > q.now ? null : Number(s.clicked_at),
  }));
  const orders: PaidOrder[] = [];
  for (let i = 0; i < recipients.length; i += 500) {
    const ids = recipients.slice(i, i + 500).map((r) => r.customerId);
    const rows = await queryRows(ds, `SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id IN (${placeholders(ids.length)}) AND paid_at IS NOT NULL AND status IN ('paid', 'shipped', 'completed') AND paid_at <= ?`, [...ids, q.now]);
    for (const r of rows) {
      const o = rawOrder(r);
      orders.push({ customerId: o.customerId, paidAt: o.paidAt!, amount: o.amount, items: Array.isArray(o.items) ? o.items : [] });
    }
  }
  return productClicks(recipients, orders, q.windowMs, q.now, q.link);
}

/** The newest published version's send step `nodeId` of flow `flowId` (the stored id: `<id>~simulated` on a copy), or why there is none. */
export async function publishedSendStep(ds: DataSource, flowId: string, nodeId: string): Promise<{ link: string | null; label: string | null } | 'never-published' | 'no-send-step'> {
  const newest = await newestPublishedNodes(ds, flowId);
  if (!newest) return 'never-published';
  const node = newest.nodes.find((n) => n.id === nodeId);
  if (!node || node.type !== 'send') return 'no-send-step';
  return { link: node.link ?? null, label: node.label ?? null };
}

/** One send step's figures in a flow's by-step view: its ids and link beside its clicks and sales. */
export type StepClicks = { nodeId: string; label: string | null; link: string | null } & ProductClicks;

/**
 * Every send step of the newest published version of `flowId` (the stored id), in the flow's
 * order, each counted as stepProductClicks counts one: the launch's messages side by side, so the
 * link clicked most and bought from least stands out. Null when the flow was never published.
 */
export async function flowStepClicks(ds: DataSource, q: { flowId: string; windowMs: number; now: number }): Promise<StepClicks[] | null> {
  const newest = await newestPublishedNodes(ds, q.flowId);
  if (!newest) return null;
  const out: StepClicks[] = [];
  for (const n of newest.nodes.filter((x) => x.type === 'send')) {
    const link = n.link ?? null;
    out.push({ nodeId: n.id, label: n.label ?? null, link, ...(await stepProductClicks(ds, { flowId: q.flowId, nodeId: n.id, windowMs: q.windowMs, now: q.now, link })) });
  }
  return out;
}
