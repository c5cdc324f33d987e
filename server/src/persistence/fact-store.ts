import type { DataSource, EntityManager } from 'typeorm';
import { addOrdersToFacts, computeStoredFacts, type StoredFacts } from '../core/facts/stored-facts.js';
import { decodeList, encodeList, sanitizeListValue } from './columns.js';
import { rawRowToCustomer } from './customer-mapper.js';
import type { Order } from '../core/data/model.js';
import { pgArrayLiteral, pgUnnestInsert, pgUnnestUpdate, preparedStatement, toPgPlaceholders } from './sql-batch.js';
import { isSqlite, rawSqlite } from './write-transaction.js';
import { CustomerFactsEntity } from './entities/customer-facts.entity.js';
import { settleOwedFacts, settleOwedFactsIn } from './owed-facts.js';

/**
 * A set fact as stored: sanitized, then de-duplicated and sorted, so the row is the same whether
 * it was recomputed from raw values or merged into an already stored (sanitized) list.
 */
function encodeSet(values: readonly string[]): string {
  return encodeList([...new Set(values.map(sanitizeListValue))].sort());
}

/** A stored set (encodeSet's text) plus values: the same text as encodeSet of the union. */
function mergeSet(stored: unknown, values: readonly string[]): string {
  const text = typeof stored === 'string' ? stored : '';
  let extra: string[] | undefined;
  for (const v of values) {
    const x = sanitizeListValue(v);
    if (!text.includes(`|${x}|`) && !extra?.includes(x)) (extra ??= []).push(x);
  }
  return extra ? encodeSet([...decodeList(text), ...extra]) : text;
}

export function encodeFacts(f: StoredFacts, now: number): CustomerFactsEntity {
  const e = new CustomerFactsEntity();
  Object.assign(e, {
    ...f,
    categories: encodeSet(f.categories),
    categorySeasons: encodeSet(f.categorySeasons),
    double11Years: encodeSet(f.double11Years),
    tags: encodeSet(f.tags),
    updatedAt: now,
  });
  return e;
}

const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't');
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Decodes a row of `customer_facts`, read either through TypeORM or as a raw SQL row (snake_case). */
export function decodeFacts(r: Record<string, unknown>): StoredFacts {
  const g = (camel: string, snake: string) => (camel in r ? r[camel] : r[snake]);
  return {
    customerId: Number(g('customerId', 'customer_id')),
    orderCount: Number(g('orderCount', 'order_count')),
    totalSpent: Number(g('totalSpent', 'total_spent')),
    firstOrderAt: num(g('firstOrderAt', 'first_order_at')),
    lastOrderAt: num(g('lastOrderAt', 'last_order_at')),
    unpaidOrderCount: Number(g('unpaidOrderCount', 'unpaid_order_count')),
    lastUnpaidAt: num(g('lastUnpaidAt', 'last_unpaid_at')),
    categories: decodeList(g('categories', 'categories') as string),
    categorySeasons: decodeList(g('categorySeasons', 'category_seasons') as string),
    double11Years: decodeList(g('double11Years', 'double11_years') as string),
    double11OrderCount: Number(g('double11OrderCount', 'double11_order_count') ?? 0),
    province: (g('province', 'province') as string | null) ?? null,
    city: (g('city', 'city') as string | null) ?? null,
    device: (g('device', 'device') as 'mobile' | 'pc' | null) ?? null,
    tags: decodeList(g('tags', 'tags') as string),
    consentSms: bool(g('consentSms', 'consent_sms')),
    consentEmail: bool(g('consentEmail', 'consent_email')),
    consentWechat: bool(g('consentWechat', 'consent_wechat')),
    consentWangwang: bool(g('consentWangwang', 'consent_wangwang')),
    consentPush: bool(g('consentPush', 'consent_push')),
    pAlive: num(g('pAlive', 'p_alive')),
    expectedPurchases: num(g('expectedPurchases', 'expected_purchases')),
  };
}

/**
 * How each stored field is read from its `customer_facts` column, in the order decodeFactsArray
 * takes them: the one definition of the packed reads' conversions (decodeFacts' own, for rows
 * read as objects, are the same; a test compares them). `as`: the source of the conversion, with
 * `v` the column's value (helpers: num, bool, decodeList).
 */
const FIELD_READS = [
  { field: 'customerId', column: 'customer_id', as: 'Number(v)' },
  { field: 'orderCount', column: 'order_count', as: 'Number(v)' },
  { field: 'totalSpent', column: 'total_spent', as: 'Number(v)' },
  { field: 'firstOrderAt', column: 'first_order_at', as: 'num(v)' },
  { field: 'lastOrderAt', column: 'last_order_at', as: 'num(v)' },
  { field: 'unpaidOrderCount', column: 'unpaid_order_count', as: 'Number(v)' },
  { field: 'lastUnpaidAt', column: 'last_unpaid_at', as: 'num(v)' },
  { field: 'categories', column: 'categories', as: 'decodeList(v)' },
  { field: 'categorySeasons', column: 'category_seasons', as: 'decodeList(v)' },
  { field: 'double11Years', column: 'double11_years', as: 'decodeList(v)' },
  { field: 'double11OrderCount', column: 'double11_order_count', as: 'Number(v ?? 0)' },
  { field: 'province', column: 'province', as: 'v ?? null' },
  { field: 'city', column: 'city', as: 'v ?? null' },
  { field: 'device', column: 'device', as: 'v ?? null' },
  { field: 'tags', column: 'tags', as: 'decodeList(v)' },
  { field: 'consentSms', column: 'consent_sms', as: 'bool(v)' },
  { field: 'consentEmail', column: 'consent_email', as: 'bool(v)' },
  { field: 'consentWechat', column: 'consent_wechat', as: 'bool(v)' },
  { field: 'consentWangwang', column: 'consent_wangwang', as: 'bool(v)' },
  { field: 'consentPush', column: 'consent_push', as: 'bool(v)' },
  { field: 'pAlive', column: 'p_alive', as: 'num(v)' },
  { field: 'expectedPurchases', column: 'expected_purchases', as: 'num(v)' },
] as const satisfies readonly { field: keyof StoredFacts; column: string; as: string }[];

/** The `customer_facts` columns decodeFacts reads, in the order decodeFactsArray takes them. */
export const STORED_FACT_COLUMNS = FIELD_READS.map((f) => f.column);

/**
 * A decoder of rows read as arrays of these fields' columns, in this order: an object literal of
 * fixed keys built by generated code (as packed-rows.ts shapes its rows), so a decoder of every
 * field is what the hand-written literal was (one hidden class, each conversion inline), and a
 * decoder of some fields is the same literal for fewer keys, without a loop or keys added one by one.
 */
function decoderOf(reads: readonly (typeof FIELD_READS)[number][]): (a: readonly unknown[]) => StoredFacts {
  const body = reads.map((r, i) => `${r.field}: ${r.as.replace(/\bv\b/g, `a[${i}]`)}`).join(', ');
  return new Function('num', 'bool', 'decodeList', `return function decode(a) { return { ${body} }; };`)(num, bool, decodeList);
}

/**
 * decodeFacts of a row read as an array of STORED_FACT_COLUMNS (a packed read, packed-rows.ts):
 * the same StoredFacts, without an object keyed by column names in between and without the
 * camelCase-or-snake_case test per column (a stepping batch decodes 1,000 rows; w-engine4).
 */
export const decodeFactsArray: (a: readonly unknown[]) => StoredFacts = decoderOf(FIELD_READS);

export interface SomeFactsRead {
  /** `customer_id` first, then the columns of the fields. */
  columns: readonly string[];
  /** A row read as an array of `columns` → StoredFacts holding those fields (and no others). */
  decode(a: readonly unknown[]): StoredFacts;
}

const someFactsReads = new Map<string, SomeFactsRead>();

/**
 * The columns of some stored fields and their decoder: a stepping batch that derives only the
 * facts its flow names (core/facts/named-facts.ts) reads only their columns. Each field is
 * decoded as decodeFactsArray decodes it (the same FIELD_READS entry).
 */
export function someFactsRead(fields: Iterable<keyof StoredFacts>): SomeFactsRead {
  const wanted = [...new Set(fields)].filter((f) => f !== 'customerId').sort();
  const key = wanted.join(',');
  let r = someFactsReads.get(key);
  if (!r) {
    const reads = ['customerId', ...wanted].map((f) => FIELD_READS.find((x) => x.field === f)!);
    r = { columns: reads.map((x) => x.column), decode: decoderOf(reads) };
    someFactsReads.set(key, r);
  }
  return r;
}

const REFRESH_CHUNK = 500;
/** PostgreSQL: customers per set-based read and write of fact rows (ids as one array). */
const PG_FACT_ROWS = 10_000;

// p_alive and expected_purchases belong to `rekindle analyse` and are kept by the upsert.
const FACT_COLUMNS = ['customer_id', 'order_count', 'total_spent', 'first_order_at', 'last_order_at', 'unpaid_order_count', 'last_unpaid_at', 'categories', 'category_seasons', 'double11_years', 'double11_order_count', 'province', 'city', 'device', 'tags', 'consent_sms', 'consent_email', 'consent_wechat', 'consent_wangwang', 'consent_push', 'updated_at'];
const FACT_PG_TYPES = ['int', 'int', 'float8', 'bigint', 'bigint', 'int', 'bigint', 'text', 'text', 'text', 'int', 'text', 'text', 'text', 'text', 'bool', 'bool', 'bool', 'bool', 'bool', 'bigint'];
const FACT_UPSERT_SET = FACT_COLUMNS.filter((c) => c !== 'customer_id').map((c) => `${c} = excluded.${c}`).join(', ');

export function rawOrder(r: Record<string, unknown>): Order {
  return {
    id: Number(r.id),
    externalId: String(r.external_id),
    customerId: Number(r.customer_id),
    status: r.status as Order['status'],
    amount: Number(r.amount),
    createdAt: Number(r.created_at),
    paidAt: r.paid_at === null || r.paid_at === undefined ? null : Number(r.paid_at),
    promotion: (r.promotion as string | null) ?? null,
    items: typeof r.items === 'string' ? JSON.parse(r.items) : ((r.items as Order['items']) ?? []),
  };
}

/** Order rows (the ORDER_COLUMNS of one read) grouped by customer: what a facts recompute takes. */
export function ordersByCustomer(rows: readonly Record<string, unknown>[]): Map<number, Order[]> {
  const byCustomer = new Map<number, Order[]>();
  for (const r of rows) {
    const o = rawOrder(r);
    const list = byCustomer.get(o.customerId);
    if (list) list.push(o);
    else byCustomer.set(o.customerId, [o]);
  }
  return byCustomer;
}

/** The columns rawOrder reads. */
export const ORDER_COLUMNS = 'id, external_id, customer_id, status, amount, created_at, paid_at, promotion, items';

/**
 * Recomputes the stored facts of the given customers from their orders, inside the caller's
 * transaction. This is the incremental path: an order or customer change refreshes only the
 * customers it touches. Set-based per chunk of 500 customers: one read of the customers, one of
 * all their orders, one multi-row upsert of their fact rows (plain SQL: the entity layer cost
 * more than the facts themselves). Customers in the recycle bin lose their fact row.
 * Owed facts (an import's, owed-facts.ts) are settled first: a recompute counts every stored
 * order, so a contribution still owed for one of these customers would otherwise be added twice.
 */
export async function refreshFacts(m: EntityManager, customerIds: Iterable<number>, timezone: string, now: number): Promise<void> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return;
  await settleOwedFactsIn(m);
  const pg = m.connection.options.type === 'postgres';
  const sql = (text: string) => (pg ? toPgPlaceholders(text) : text);
  const step = pg ? PG_FACT_ROWS : REFRESH_CHUNK;
  for (let i = 0; i < ids.length; i += step) {
    const chunk = ids.slice(i, i + step);
    const marks = chunk.map(() => '?').join(', ');
    // PostgreSQL: the ids as one array (`= ANY`).
    const ofChunk = pg ? '= ANY($1::int[])' : `IN (${marks})`;
    const params = pg ? [pgArrayLiteral(chunk)] : chunk;
    const customers: Record<string, unknown>[] = await m.query(`SELECT * FROM customers WHERE id ${ofChunk}`, params);
    const orders: Record<string, unknown>[] = await m.query(`SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id ${ofChunk}`, params);
    const byCustomer = ordersByCustomer(orders);
    const live = customers.filter((c) => c.deleted_at === null || c.deleted_at === undefined);
    const liveIds = new Set(live.map((c) => Number(c.id)));
    const gone = chunk.filter((id) => !liveIds.has(id));
    if (gone.length) await m.query(sql(`DELETE FROM customer_facts WHERE customer_id IN (${gone.map(() => '?').join(', ')})`), gone);
    if (live.length === 0) continue;
    await writeFacts(m, live.map((c) => computeStoredFacts(rawRowToCustomer(c), byCustomer.get(Number(c.id)) ?? [], timezone)), now);
  }
}

/** Upsert of fact rows: multi-row statements of 500 (SQLite), one unnest statement for them all (PostgreSQL). */
async function writeFacts(m: EntityManager, facts: readonly StoredFacts[], now: number): Promise<void> {
  const pg = m.connection.options.type === 'postgres';
  const bool = (v: boolean | null) => (v === null ? null : pg ? v : v ? 1 : 0);
  const row = (s: StoredFacts): unknown[] => {
    const f = encodeFacts(s, now);
    return [f.customerId, f.orderCount, f.totalSpent, f.firstOrderAt, f.lastOrderAt, f.unpaidOrderCount, f.lastUnpaidAt, f.categories, f.categorySeasons, f.double11Years, f.double11OrderCount ?? 0, f.province, f.city, f.device, f.tags, bool(f.consentSms), bool(f.consentEmail), bool(f.consentWechat), bool(f.consentWangwang), bool(f.consentPush), f.updatedAt];
  };
  if (pg) {
    const [op] = pgUnnestInsert({ table: 'customer_facts', columns: FACT_COLUMNS, rows: facts.map(row), suffix: `ON CONFLICT (customer_id) DO UPDATE SET ${FACT_UPSERT_SET}` }, FACT_PG_TYPES);
    if (op) await m.query(toPgPlaceholders(op.sql), op.params);
    return;
  }
  const tuple = `(${FACT_COLUMNS.map(() => '?').join(', ')})`;
  for (let i = 0; i < facts.length; i += REFRESH_CHUNK) {
    const chunk = facts.slice(i, i + REFRESH_CHUNK);
    const params: unknown[] = [];
    for (const s of chunk) params.push(...row(s));
    await m.query(`INSERT INTO customer_facts (${FACT_COLUMNS.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')} ON CONFLICT (customer_id) DO UPDATE SET ${FACT_UPSERT_SET}`, params);
  }
}

/** The order-derived columns of `customer_facts` (what adding orders changes), then `updated_at`. */
const ORDER_FACT_COLUMNS = ['customer_id', 'order_count', 'total_spent', 'first_order_at', 'last_order_at', 'unpaid_order_count', 'last_unpaid_at', 'categories', 'category_seasons', 'double11_years', 'double11_order_count', 'updated_at'];
const ORDER_FACT_PG_TYPES = ['int', 'int', 'float8', 'bigint', 'bigint', 'int', 'bigint', 'text', 'text', 'text', 'int', 'bigint'];
const ORDER_FACT_SELECT = `SELECT ${ORDER_FACT_COLUMNS.slice(0, -1).join(', ')} FROM customer_facts WHERE customer_id`;
const ORDER_FACT_UPDATE = `UPDATE customer_facts SET ${ORDER_FACT_COLUMNS.slice(1).map((c) => `${c} = ?`).join(', ')} WHERE customer_id = ?`;

/**
 * Adds NEW orders to the stored facts of their customers (the bulk-import path): one read of
 * the customers' fact rows (order columns only) and an update of those columns, instead of
 * re-reading every order of every touched customer (`refreshFacts`), which made an import
 * slower the more history the shop had. Orders must not have been counted before (a changed
 * order goes through `refreshFacts`). Relies on the fact-row invariant: a live customer has a
 * row, a customer in the recycle bin has none. Returns the customers without a fact row: the
 * caller refreshes those in full (which also leaves recycled customers without one).
 */
export async function addNewOrdersToFacts(m: EntityManager, added: ReadonlyMap<number, readonly Order[]>, timezone: string, now: number): Promise<number[]> {
  // Ascending ids: the fact rows are read and updated in rowid order, page after page.
  const ids = [...added.keys()].sort((a, b) => a - b);
  const sqlite = isSqlite(m.connection);
  const missing: number[] = [];
  // PostgreSQL: PG_FACT_ROWS customers a read (`= ANY` of their ids) and an unnest update.
  const step = sqlite ? REFRESH_CHUNK : PG_FACT_ROWS;
  for (let i = 0; i < ids.length; i += step) {
    const chunk = ids.slice(i, i + step);
    // Plain columns only: `SELECT *` of the 23-column row cost 3x more on SQLite. SQLite: one
    // cached point read per customer (a rowid lookup), not an IN list of 500, which SQLite sorts
    // into a temporary index first and TypeORM-free still cost ~12 µs a customer.
    let rows: Record<string, unknown>[];
    if (sqlite) {
      const point = preparedStatement(rawSqlite(m.connection), `${ORDER_FACT_SELECT} = ?`);
      rows = [];
      for (const id of chunk) {
        const r = point.get(id) as Record<string, unknown> | undefined;
        if (r !== undefined) rows.push(r);
      }
    } else rows = await m.query(`${ORDER_FACT_SELECT} = ANY($1::int[])`, [pgArrayLiteral(chunk)]);
    const found = new Set<number>();
    const values: unknown[][] = [];
    for (const r of rows) {
      const customerId = Number(r.customer_id);
      found.add(customerId);
      // Scalars are merged by addOrdersToFacts; the sets are merged here on their stored text
      // (prev's sets passed empty, so f's sets are the new orders' values only): a repeat
      // customer's new order rarely adds a category, and then the stored text is kept as is.
      const f = addOrdersToFacts(decodeOrderFacts(r), added.get(customerId)!, timezone);
      values.push([customerId, f.orderCount, f.totalSpent, f.firstOrderAt, f.lastOrderAt, f.unpaidOrderCount, f.lastUnpaidAt, mergeSet(r.categories, f.categories), mergeSet(r.category_seasons, f.categorySeasons), mergeSet(r.double11_years, f.double11Years), f.double11OrderCount ?? 0, now]);
    }
    for (const id of chunk) if (!found.has(id)) missing.push(id);
    if (values.length === 0) continue;
    if (sqlite) {
      // One prepared single-row UPDATE per customer on the raw handle (inside the caller's
      // transaction: TypeORM's SQLite driver has one connection): no statement text or
      // parameter array per chunk, and only the changed columns are written.
      const st = preparedStatement(rawSqlite(m.connection), ORDER_FACT_UPDATE);
      for (const v of values) st.run(...v.slice(1), v[0]);
    } else {
      const set = ORDER_FACT_COLUMNS.slice(1).map((c) => `${c} = v.${c}`).join(', ');
      const [op] = pgUnnestUpdate('customer_facts', ORDER_FACT_COLUMNS, ORDER_FACT_PG_TYPES, values, set);
      await m.query(toPgPlaceholders(op.sql), op.params);
    }
  }
  return missing;
}

/** The order-derived scalars of a fact row (sets and profile fields empty: see addNewOrdersToFacts). */
function decodeOrderFacts(r: Record<string, unknown>): StoredFacts {
  return {
    customerId: Number(r.customer_id),
    orderCount: Number(r.order_count),
    totalSpent: Number(r.total_spent),
    firstOrderAt: num(r.first_order_at),
    lastOrderAt: num(r.last_order_at),
    unpaidOrderCount: Number(r.unpaid_order_count),
    lastUnpaidAt: num(r.last_unpaid_at),
    categories: [],
    categorySeasons: [],
    double11Years: [],
    double11OrderCount: Number(r.double11_order_count ?? 0),
    province: null,
    city: null,
    device: null,
    tags: [],
    consentSms: null,
    consentEmail: null,
    consentWechat: null,
    consentWangwang: null,
    consentPush: null,
  };
}

export async function loadStoredFacts(ds: DataSource | EntityManager, customerId: number): Promise<StoredFacts | null> {
  const m = 'manager' in ds ? ds.manager : ds;
  await settleOwedFacts(m.connection);
  const row = await m.findOne(CustomerFactsEntity, { where: { customerId } });
  return row ? decodeFacts(row as unknown as Record<string, unknown>) : null;
}
