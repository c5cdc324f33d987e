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

/**
 * Which database this is physically, on PostgreSQL: the cluster's system identifier and the
 * database's oid. A copy of the database (a backup restored elsewhere, CREATE DATABASE … TEMPLATE)
 * keeps the shop id but not this; a standby promoted after a failover keeps both. SQLite: undefined
 * (workers run on PostgreSQL only).
 */
export async function databaseIdentityOf(ds: DataSource): Promise<string | undefined> {
  if (ds.options.type !== 'postgres') return undefined;
  const [row] = await queryRows<{ id: string }>(ds, `SELECT (SELECT system_identifier FROM pg_control_system())::text || ':' || (SELECT oid FROM pg_database WHERE datname = current_database())::text AS id`);
  return row.id;
}

/**
 * Which shop a process works for, as it stamps (planner) or compares (worker) every stepping job
 * (workers/shop-check.ts): the shop id, the database as logs show it (no password), and on
 * PostgreSQL which database it is physically (`dbid`), which a copy does not share.
 */
export interface ShopStamp {
  shop: string;
  db: string;
  dbid?: string;
}

export async function shopStampOf(ds: DataSource, shownDb: string): Promise<ShopStamp> {
  const [shop, dbid] = await Promise.all([shopIdOf(ds), databaseIdentityOf(ds)]);
  return { shop, db: shownDb, ...(dbid !== undefined ? { dbid } : {}) };
}
