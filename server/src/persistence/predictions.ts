import type { DataSource } from 'typeorm';
import type { BgnbdFit } from '../core/analysis/bgnbd.js';
import { PURCHASE_STATUSES } from '../core/data/model.js';
import { executeBatch, insertManyOps, placeholders, queryRows, type SqlOp } from './sql-batch.js';
import { settleOwedFacts } from './owed-facts.js';

/** Every paid purchase of live customers up to `until` (time = paidAt, else createdAt, as the facts). */
export async function loadPurchases(ds: DataSource, until: number): Promise<{ customerId: string; at: number }[]> {
  const out: { customerId: string; at: number }[] = [];
  const statuses = [...PURCHASE_STATUSES];
  let after = 0;
  for (;;) {
    await settleOwedFacts(ds); // an import's owed facts first (owed-facts.ts): its orders count once settled
    const rows = await queryRows<{ id: number; customer_id: number; at: number }>(
      ds,
      `SELECT o.id, o.customer_id, COALESCE(o.paid_at, o.created_at) AS at FROM orders o JOIN customer_facts f ON f.customer_id = o.customer_id
        WHERE o.id > ? AND o.status IN (${placeholders(statuses.length)}) ORDER BY o.id LIMIT 20000`,
      [after, ...statuses],
    );
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1].id);
    for (const r of rows) if (Number(r.at) <= until) out.push({ customerId: String(r.customer_id), at: Number(r.at) });
  }
  return out;
}

/**
 * Writes P(alive) and expected purchases into customer_facts (customers without a purchase in the
 * calibration period get NULL: the model says nothing about them) and records the fit.
 */
export async function storePredictions(ds: DataSource, fit: BgnbdFit, rows: { customerId: number; pAlive: number; expected: number }[], o: { fittedAt: number; until: number; horizonDays: number }): Promise<number> {
  const ops: SqlOp[] = [{ sql: 'UPDATE customer_facts SET p_alive = NULL, expected_purchases = NULL', params: [] }];
  for (const r of rows) ops.push({ sql: 'UPDATE customer_facts SET p_alive = ?, expected_purchases = ? WHERE customer_id = ?', params: [r.pAlive, r.expected, r.customerId] });
  ops.push(...insertManyOps({ table: 'model_fits', columns: ['model', 'fitted_at', 'until_at', 'horizon_days', 'customers', 'params', 'log_likelihood'], rows: [['bgnbd', o.fittedAt, o.until, o.horizonDays, fit.customers, JSON.stringify(fit.params), fit.logLikelihood]] }));
  const changes = await executeBatch(ds, ops);
  return changes.slice(1, 1 + rows.length).reduce((n, c) => n + c, 0);
}
