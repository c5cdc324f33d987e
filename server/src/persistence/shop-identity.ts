import type { DataSource } from 'typeorm';
import { queryRows } from './sql-batch.js';

/**
 * This database's shop id (migration ShopIdentity: one random UUID a database). Processes that
 * share work through the queue compare it, so a worker on another database than its planner's is
 * caught instead of stepping nothing (workers/shop-check.ts).
 */
export async function shopIdOf(ds: DataSource): Promise<string> {
  const [row] = await queryRows<{ id: string }>(ds, 'SELECT id FROM shop_identity ORDER BY created_at LIMIT 1');
  if (!row) throw new Error('the database has no shop id (its shop_identity table is empty)');
  return row.id;
}
