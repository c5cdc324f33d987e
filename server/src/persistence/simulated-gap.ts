import type { DataSource } from 'typeorm';
import type { OrderInput } from '../core/data/model.js';
import { GAP_MIN_MS, gapPurchases, UNPAID_CLOSED_AFTER_MS } from '../core/channels/gap-purchases.js';
import { simulatedOrderAmount, type SimulatedRates } from '../core/channels/simulated-delivery.js';
import { refreshFacts } from './fact-store.js';
import { ordersAfter } from './orders-after.js';
import { shopPurchaseGapDays } from './organic-rate.js';
import { upsertOrders } from './shop-repository.js';
import { queryRows } from './sql-batch.js';
import { writeTransaction } from './write-transaction.js';
import { settleOwedFacts } from './owed-facts.js';

/** What bringing the shop forward to a simulation's start did (null: its data reaches the start). */
export interface ShopBroughtForward {
  /** The shop's newest order: where its data ended. */
  dataEnd: number;
  /** The simulation's start. */
  start: number;
  /** Customers who bought in between, the paid orders and their value. */
  buyers: number;
  orders: number;
  revenue: number;
  /** Unpaid orders closed by the platform (left unpaid two days), and fresh ones left unpaid in the last two days. */
  unpaidClosed: number;
  unpaidPlaced: number;
}

const CHUNK = 2000;

/**
 * Lets the shop in `ds` live from the end of its data to `start` (core/channels/gap-purchases.ts):
 * paid orders at each customer's own rate (or `rates.baseline`), unpaid orders older than two days
 * closed, a few fresh unpaid ones. Written through the order intake (orders, events dated before
 * the start, facts), so the simulation begins with customers as they would plausibly stand then.
 * Only for a database the simulation may change (a copy): these are made-up orders. `shopNow`
 * (the real clock): a start before it is not after the shop's data.
 */
export async function bringShopForward(ds: DataSource, rates: SimulatedRates, start: number, timezone: string, shopNow?: number): Promise<ShopBroughtForward | null> {
  if (rates.baseline === 0) return null;
  // A start before the shop's own now (the real clock) lies in time the shop has data for: no
  // purchase happened then that its orders lack (a quiet test shop's last order may be days old).
  if (shopNow !== undefined && start <= shopNow) return null;
  const { newestAt } = await ordersAfter(ds, start);
  if (newestAt === null || start - newestAt < GAP_MIN_MS) return null;
  const result: ShopBroughtForward = { dataEnd: newestAt, start, buyers: 0, orders: 0, revenue: 0, unpaidClosed: 0, unpaidPlaced: 0 };
  const ctx = { now: start, timezone };

  // The platform closes an order left unpaid for two days: at the start, every older one is closed.
  const closedBefore = start - UNPAID_CLOSED_AFTER_MS;
  const stale = await queryRows<{ customer_id: number; n: number }>(ds, `SELECT customer_id, COUNT(*) AS n FROM orders WHERE status = 'created' AND created_at <= ? GROUP BY customer_id`, [closedBefore]);
  if (stale.length) {
    await writeTransaction(ds, async (m) => {
      await m.query(ds.options.type === 'postgres' ? `UPDATE orders SET status = 'cancelled' WHERE status = 'created' AND created_at <= $1` : `UPDATE orders SET status = 'cancelled' WHERE status = 'created' AND created_at <= ?`, [closedBefore]);
      await refreshFacts(m, stale.map((r) => Number(r.customer_id)), timezone, start);
    });
    result.unpaidClosed = stale.reduce((n, r) => n + Number(r.n), 0);
  }

  const shopGapDays = await shopPurchaseGapDays(ds, newestAt);
  let after = 0;
  let pending: OrderInput[] = [];
  const flush = async () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    await writeTransaction(ds, (m) => upsertOrders(m, batch, ctx, { events: false }));
  };
  for (;;) {
    await settleOwedFacts(ds); // an import's owed facts first (owed-facts.ts)
    const rows = await queryRows<{ id: number; external_id: string; order_count: number; total_spent: number; first_order_at: number | null; last_order_at: number | null; created_at: number | null }>(
      ds,
      `SELECT c.id, c.external_id, f.order_count, f.total_spent, f.first_order_at, f.last_order_at, c.created_at FROM customers c JOIN customer_facts f ON f.customer_id = c.id WHERE c.id > ? ORDER BY c.id LIMIT ${CHUNK}`,
      [after],
    );
    if (!rows.length) break;
    after = Number(rows[rows.length - 1].id);
    for (const r of rows) {
      const customerId = Number(r.id);
      const orderCount = Number(r.order_count ?? 0);
      const since = r.first_order_at ?? r.created_at;
      const g = gapPurchases(rates, { customerId, orderCount, since: since === null ? null : Number(since), lastOrderAt: r.last_order_at === null ? null : Number(r.last_order_at) }, newestAt, start, shopGapDays);
      const aov = orderCount > 0 ? Number(r.total_spent) / orderCount : null;
      const order = (key: string, at: number, paid: boolean): OrderInput => ({
        externalId: `sim-${key}`,
        customerExternalId: String(r.external_id),
        status: paid ? 'paid' : 'created',
        amount: simulatedOrderAmount(rates, key, aov, 0),
        createdAt: at,
        paidAt: paid ? at : null,
        promotion: null,
        coupon: null,
        items: [],
      }) as OrderInput;
      g.paid.forEach((at, n) => {
        const o = order(`gap-${customerId}-${n}`, at, true);
        pending.push(o);
        result.orders++;
        result.revenue += o.amount;
      });
      if (g.paid.length) result.buyers++;
      if (g.unpaidAt !== null) {
        pending.push(order(`gap-${customerId}-unpaid`, g.unpaidAt, false));
        result.unpaidPlaced++;
      }
    }
    if (pending.length >= CHUNK) await flush();
  }
  await flush();
  result.revenue = Math.round(result.revenue * 100) / 100;
  return result;
}
