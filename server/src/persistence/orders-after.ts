import type { DataSource } from 'typeorm';
import { queryRows } from './sql-batch.js';

export interface OrdersAfter {
  /** Orders created or paid after the instant (they are left out of facts as of then). */
  count: number;
  /** The newest order time in the shop (created or paid), null for a shop without orders. */
  newestAt: number | null;
}

/**
 * What a reading command leaves out when it reads the shop as of `at`: the orders after it, and
 * how far the shop's orders reach. A database a simulation ran in holds orders after today's
 * clock (the simulated purchases), so "now" is not the end of its data.
 */
export async function ordersAfter(ds: DataSource, at: number): Promise<OrdersAfter> {
  const [r] = await queryRows<{ n: number | string | null; c: number | string | null; p: number | string | null }>(
    ds,
    'SELECT SUM(CASE WHEN created_at > ? OR paid_at > ? THEN 1 ELSE 0 END) AS n, MAX(created_at) AS c, MAX(paid_at) AS p FROM orders',
    [Math.trunc(at), Math.trunc(at)],
  );
  const newest = [r?.c, r?.p].filter((v) => v !== null && v !== undefined).map(Number);
  return { count: Number(r?.n ?? 0), newestAt: newest.length ? Math.max(...newest) : null };
}
