import type { DataSource } from 'typeorm';
import { MS_PER_DAY } from '../core/clock.js';
import { DEFAULT_PURCHASE_GAP_DAYS } from '../core/channels/organic-purchases.js';
import { queryRows } from './sql-batch.js';
import { settleOwedFacts } from './owed-facts.js';

/**
 * The shop's mean days between a customer's purchases at `at`: the buyers' lifetimes (first
 * order to `at`) over their paid orders, the gap organicRatePerDay adds to each customer's
 * lifetime. One aggregate over the fact rows.
 */
export async function shopPurchaseGapDays(ds: DataSource, at: number): Promise<number> {
  await settleOwedFacts(ds); // an import's owed facts first (owed-facts.ts)
  const [r] = await queryRows<{ x: number | string | null; t: number | string | null }>(
    ds,
    'SELECT SUM(order_count) AS x, SUM(CASE WHEN first_order_at < ? THEN ? - first_order_at ELSE 0 END) AS t FROM customer_facts WHERE order_count > 0 AND first_order_at IS NOT NULL',
    [Math.trunc(at), Math.trunc(at)],
  );
  const orders = Number(r?.x ?? 0);
  const days = Number(r?.t ?? 0) / MS_PER_DAY;
  return orders > 0 && days > 0 ? days / orders : DEFAULT_PURCHASE_GAP_DAYS;
}
