import type { DataSource, QueryRunner } from 'typeorm';
import { ORDER_CANCELLED, ORDER_CREATED, ORDER_PAID, ORDER_REFUNDED, ORDER_SHIPPED, ORDER_SIGNED, orderEventKey, orderEventProperties, type OrderEventType } from '../core/data/order-events.js';
import { computeStoredFacts } from '../core/facts/stored-facts.js';
import type { SeedCustomer } from '../core/seed/generate-shop.js';
import { encodeFacts } from './fact-store.js';
import { analyzeIfStale } from './pg-statistics.js';

/**
 * Writes a generated shop (customers, their orders and their `customer_facts` rows) as fast as
 * each database allows, bypassing the entity layer: a benchmark shop has a million customers.
 * SQLite: prepared statements on the raw better-sqlite3 connection, one transaction per batch.
 * PostgreSQL: multi-row INSERTs (under the 65,535-parameter limit), one transaction per batch.
 * Ids are given explicitly (the generator's, offset past existing rows), so customer ids ascend
 * with external ids and id-range chunking follows them.
 */
export interface BulkWriteOptions {
  timezone: string;
  /** Stamped as `updated_at` of the fact rows. */
  now: number;
  /** Customers per transaction. */
  batchSize?: number;
  onProgress?: (customersWritten: number) => void;
}

export interface BulkWriteResult {
  customers: number;
  orders: number;
  facts: number;
}

/**
 * The tables a shop's data lives in: `customers` and every table with a `customer_id` column
 * (orders, facts, events, and journey state such as enrollments and sends). A reset must empty
 * them all: seeded ids restart at 1, so a leftover enrollment would point at a different person.
 */
export async function shopTables(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    ds.options.type === 'postgres'
      ? await ds.query(`SELECT DISTINCT table_name AS name FROM information_schema.columns WHERE column_name = 'customer_id' AND table_schema = current_schema()`)
      : await ds.query(`SELECT DISTINCT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'customer_id'`);
  return [...rows.map((r) => r.name).sort(), 'customers'];
}

const CUSTOMER_COLUMNS = ['id', 'external_id', 'name', 'phone', 'email', 'wechat_id', 'province', 'city', 'device', 'tags', 'consent', 'attributes', 'created_at', 'updated_at'];
const ORDER_COLUMNS = ['id', 'external_id', 'customer_id', 'status', 'amount', 'created_at', 'paid_at', 'promotion', 'items', 'updated_at'];
const FACT_COLUMNS = ['customer_id', 'order_count', 'total_spent', 'first_order_at', 'last_order_at', 'unpaid_order_count', 'last_unpaid_at', 'categories', 'category_seasons', 'double11_years', 'double11_order_count', 'province', 'city', 'device', 'tags', 'consent_sms', 'consent_email', 'consent_wechat', 'consent_wangwang', 'consent_push', 'updated_at'];

const EVENT_COLUMNS = ['customer_id', 'type', 'properties', 'occurred_at', 'idempotency_key', 'received_at'];
/**
 * Recent orders also get the customer events that order ingestion records (order_created,
 * order_paid, order_cancelled), so journeys and `simulate` can react to the demo shop's recent
 * activity. Older history needs none: no journey waits on a year-old order.
 */
export const ORDER_EVENT_HORIZON_MS = 60 * 86_400_000;

type Row = unknown[];
type Bool = (v: boolean | null) => unknown;

interface Rows {
  customers: Row[];
  orders: Row[];
  facts: Row[];
  events: Row[];
}

function orderEvents(o: { externalId: string; customerId: number; status: string; amount: number; createdAt: number; paidAt: number | null; promotion: string | null }, now: number): Row[] {
  if (o.createdAt < now - ORDER_EVENT_HORIZON_MS) return [];
  const props = (status: string) => JSON.stringify(orderEventProperties({ ...o, status }));
  const ev = (type: string, at: number, status: string): Row => [o.customerId, type, props(status), at, orderEventKey(o.externalId, type as OrderEventType), at];
  const out: Row[] = [ev(ORDER_CREATED, o.createdAt, 'created')];
  if (o.paidAt !== null) out.push(ev(ORDER_PAID, o.paidAt, o.status));
  // Taobao closes an unpaid order after a day or so; the demo's cancellation time is that.
  if (o.status === 'cancelled') out.push(ev(ORDER_CANCELLED, Math.min(o.createdAt + 86_400_000, now), 'cancelled'));
  if (o.paidAt === null) return out;
  // Logistics (post-purchase care reacts to them): shipped 4–28 h after payment, signed for 2–4
  // days later; a refunded order is refunded 1–5 days after payment. Delays are fixed per order
  // (a hash of its id), and nothing is recorded after "now".
  const h = orderHash(o.externalId);
  const shippedAt = o.paidAt + (4 + (h % 25)) * 3_600_000;
  const signedAt = shippedAt + (2 + ((h >>> 8) % 3)) * 86_400_000 + ((h >>> 12) % 10) * 3_600_000;
  if (o.status === 'refunded') {
    const refundedAt = o.paidAt + (1 + ((h >>> 16) % 5)) * 86_400_000;
    if (refundedAt <= now) out.push(ev(ORDER_REFUNDED, refundedAt, 'refunded'));
    return out;
  }
  if ((o.status === 'shipped' || o.status === 'completed') && shippedAt <= now) out.push(ev(ORDER_SHIPPED, shippedAt, 'shipped'));
  if ((o.status === 'shipped' || o.status === 'completed') && signedAt <= now) out.push(ev(ORDER_SIGNED, signedAt, o.status));
  return out;
}

function orderHash(id: string): number {
  let x = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) x = Math.imul(x ^ id.charCodeAt(i), 0x01000193);
  return x >>> 0;
}

/** Turns one generated customer into table rows; `bool` adapts booleans to the driver. */
function toRows(s: SeedCustomer, offsets: { customer: number; order: number }, opts: BulkWriteOptions, bool: Bool, into: Rows): void {
  const c = { ...s.customer, id: s.customer.id + offsets.customer };
  const orders = s.orders.map((o) => ({ ...o, id: o.id! + offsets.order, customerId: c.id }));
  into.customers.push([c.id, c.externalId, c.name, c.phone, c.email, c.wechatId, c.province, c.city, c.device, JSON.stringify(c.tags), JSON.stringify(c.consent), JSON.stringify(c.attributes), s.createdAt, s.createdAt]);
  for (const o of orders) {
    const updatedAt = o.paidAt ?? o.createdAt;
    into.orders.push([o.id, o.externalId, o.customerId, o.status, o.amount, o.createdAt, o.paidAt, o.promotion, JSON.stringify(o.items), updatedAt]);
    into.events.push(...orderEvents(o, opts.now));
  }
  const f = encodeFacts(computeStoredFacts(c, orders, opts.timezone), opts.now);
  into.facts.push([f.customerId, f.orderCount, f.totalSpent, f.firstOrderAt, f.lastOrderAt, f.unpaidOrderCount, f.lastUnpaidAt, f.categories, f.categorySeasons, f.double11Years, f.double11OrderCount ?? 0, f.province, f.city, f.device, f.tags, bool(f.consentSms), bool(f.consentEmail), bool(f.consentWechat), bool(f.consentWangwang), bool(f.consentPush), f.updatedAt]);
}

async function maxId(ds: DataSource, table: string): Promise<number> {
  const [row] = await ds.query(`SELECT COALESCE(MAX(id), 0) AS m FROM ${table}`);
  return Number(row.m);
}

export async function bulkWriteShop(ds: DataSource, shop: Iterable<SeedCustomer>, opts: BulkWriteOptions): Promise<BulkWriteResult> {
  const offsets = { customer: await maxId(ds, 'customers'), order: await maxId(ds, 'orders') };
  const batchSize = opts.batchSize ?? 5000;
  return ds.options.type === 'postgres' ? writePostgres(ds, shop, offsets, opts, batchSize) : writeSqlite(ds, shop, offsets, opts, batchSize);
}

/** Yields batches of rows, so a million customers never sit in memory at once. */
function* batches(shop: Iterable<SeedCustomer>, offsets: { customer: number; order: number }, opts: BulkWriteOptions, bool: Bool, size: number): Generator<Rows> {
  let rows: Rows = { customers: [], orders: [], facts: [], events: [] };
  for (const s of shop) {
    toRows(s, offsets, opts, bool, rows);
    if (rows.customers.length >= size) {
      yield rows;
      rows = { customers: [], orders: [], facts: [], events: [] };
    }
  }
  if (rows.customers.length) yield rows;
}

/** Lets the event loop breathe between batches (progress bar, signals). */
const tick = () => new Promise<void>((r) => setImmediate(r));

interface SqliteStatement {
  run(...params: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  transaction(fn: () => void): () => void;
  pragma(s: string): unknown;
}

/** Rows per INSERT statement on SQLite: fewer calls into the native driver. */
const SQLITE_ROWS_PER_STATEMENT = 50;

async function writeSqlite(ds: DataSource, shop: Iterable<SeedCustomer>, offsets: { customer: number; order: number }, opts: BulkWriteOptions, batchSize: number): Promise<BulkWriteResult> {
  const db = (ds.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  const inserter = (table: string, columns: string[]) => {
    const one = `(${columns.map(() => '?').join(',')})`;
    const sql = (n: number) => `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array.from({ length: n }, () => one).join(',')}`;
    const many = db.prepare(sql(SQLITE_ROWS_PER_STATEMENT));
    const single = db.prepare(sql(1));
    return (rows: Row[]) => {
      let i = 0;
      for (; i + SQLITE_ROWS_PER_STATEMENT <= rows.length; i += SQLITE_ROWS_PER_STATEMENT) many.run(...rows.slice(i, i + SQLITE_ROWS_PER_STATEMENT).flat());
      for (; i < rows.length; i++) single.run(...rows[i]);
    };
  };
  const insertCustomers = inserter('customers', CUSTOMER_COLUMNS);
  const insertOrders = inserter('orders', ORDER_COLUMNS);
  const insertFacts = inserter('customer_facts', FACT_COLUMNS);
  const insertEvents = inserter('customer_events', EVENT_COLUMNS);
  const result: BulkWriteResult = { customers: 0, orders: 0, facts: 0 };
  const bool: Bool = (v) => (v === null ? null : v ? 1 : 0);

  for (const rows of batches(shop, offsets, opts, bool, batchSize)) {
    db.transaction(() => {
      insertCustomers(rows.customers);
      insertOrders(rows.orders);
      insertFacts(rows.facts);
      insertEvents(rows.events);
    })();
    result.customers += rows.customers.length;
    result.orders += rows.orders.length;
    result.facts += rows.facts.length;
    opts.onProgress?.(result.customers);
    await tick();
  }
  return result;
}

const PG_MAX_PARAMETERS = 60_000;

async function writePostgres(ds: DataSource, shop: Iterable<SeedCustomer>, offsets: { customer: number; order: number }, opts: BulkWriteOptions, batchSize: number): Promise<BulkWriteResult> {
  const insert = async (q: QueryRunner, table: string, columns: string[], rows: Row[]) => {
    const perStatement = Math.floor(PG_MAX_PARAMETERS / columns.length);
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      let p = 0;
      const values = chunk.map((r) => `(${r.map(() => `$${++p}`).join(',')})`).join(',');
      await q.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${values}`, chunk.flat());
    }
  };
  const result: BulkWriteResult = { customers: 0, orders: 0, facts: 0 };
  const q = ds.createQueryRunner();
  try {
    for (const rows of batches(shop, offsets, opts, (v) => v, batchSize)) {
      await q.startTransaction();
      try {
        await insert(q, 'customers', CUSTOMER_COLUMNS, rows.customers);
        await insert(q, 'orders', ORDER_COLUMNS, rows.orders);
        await insert(q, 'customer_facts', FACT_COLUMNS, rows.facts);
        await insert(q, 'customer_events', EVENT_COLUMNS, rows.events);
        await q.commitTransaction();
      } catch (e) {
        await q.rollbackTransaction();
        throw e;
      }
      result.customers += rows.customers.length;
      result.orders += rows.orders.length;
      result.facts += rows.facts.length;
      opts.onProgress?.(result.customers);
    }
    // Explicit ids bypass the SERIAL sequences; move them past the rows written.
    for (const table of ['customers', 'orders']) {
      await q.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${table}), 1))`);
    }
  } finally {
    await q.release();
  }
  // Fresh planner statistics for what was just written (see pg-statistics.ts).
  await analyzeIfStale(ds, ['customers', 'orders', 'customer_facts', 'customer_events']);
  return result;
}

/** Empties the shop's tables (`rekindle seed --reset`) and restarts their id sequences. */
export async function resetShop(ds: DataSource): Promise<string[]> {
  const tables = await shopTables(ds);
  if (ds.options.type === 'postgres') {
    await ds.query(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY`);
    return tables;
  }
  await ds.transaction(async (m) => {
    for (const t of tables) await m.query(`DELETE FROM "${t}"`);
    const seq = await m.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`);
    if (seq.length) await m.query(`DELETE FROM sqlite_sequence WHERE name IN (${tables.map((t) => `'${t}'`).join(',')})`);
  });
  return tables;
}

export async function countCustomers(ds: DataSource): Promise<number> {
  const [row] = await ds.query('SELECT COUNT(*) AS n FROM customers');
  return Number(row.n);
}
