import { In, IsNull, Not, type EntityManager } from 'typeorm';
import type { StoredCustomerEvent } from '../core/data/event-listener.js';
import { PURCHASE_STATUSES, type Customer, type CustomerInput, type OrderInput } from '../core/data/model.js';
import { COUPON_REDEEMED, logisticsEvents, orderEvent } from '../core/data/order-events.js';
import type { StagedOrder } from '../core/data/import/staged-order.js';
import { redeemCoupons, type Redemption } from './coupon-ledger.js';
import { toCustomer } from './customer-mapper.js';
import { CustomerEntity } from './entities/customer.entity.js';
import { recordEvents, type NewCustomerEvent } from './event-log.js';
import { OrderEntity } from './entities/order.entity.js';
import { addNewOrdersToFacts, refreshFacts } from './fact-store.js';
import { writeNewOrderChunk, writeStagedFileChunk } from './order-chunk-sqlite.js';
import { settleOwedFactsIn } from './owed-facts.js';
import { copyUnlessConflict } from './pg-copy-insert.js';
import { pgArrayLiteral, pgUnnestInsert, preparedStatement, toPgPlaceholders, type PgTypes } from './sql-batch.js';
import { isSqlite, rawSqlite, type RawSqlite } from './write-transaction.js';

/**
 * Writes and reads of the shop's own data (customers, orders, customer events, recycle bin).
 * Every function works inside the caller's EntityManager, so an import batch or a REST call is
 * one transaction, and the facts of the customers it touches are refreshed in it too.
 */

/** Upper bound on values in one `IN (...)` or one multi-row INSERT (SQLite and pg parameter limits). */
const CHUNK = 500;

export type RowOutcome = 'created' | 'updated' | 'unchanged' | { field: string; message: string };

export interface UpsertResult {
  /** One outcome per input, in input order. */
  outcomes: RowOutcome[];
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface WriteContext {
  now: number;
  /** The shop's time zone (facts use it for seasons and Double 11). */
  timezone: string;
}

function chunks<T>(xs: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

async function findIn<T extends object>(m: EntityManager, entity: new () => T, column: keyof T & string, values: readonly unknown[]): Promise<T[]> {
  const out: T[] = [];
  for (const c of chunks([...new Set(values)])) out.push(...(await m.find(entity, { where: { [column]: In(c) } as never })));
  return out;
}

function tally(outcomes: RowOutcome[]): UpsertResult {
  const r: UpsertResult = { outcomes, created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const o of outcomes) {
    if (typeof o === 'object') r.failed++;
    else r[o]++;
  }
  return r;
}

/** JSON with sorted object keys, so `{a,b}` and `{b,a}` compare equal. */
function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/**
 * Multi-row `INSERT ... ON CONFLICT (key) DO UPDATE` in plain SQL: about 5x faster than TypeORM's
 * entity upsert, which dominated import time. PostgreSQL: ONE `INSERT … SELECT * FROM unnest(…)`
 * per PG_SET_ROWS rows, an array parameter per column (`types`: their element types), instead of
 * multi-row VALUES of 20,000 parameters each (each parameter prepared by node-postgres and parsed
 * by PostgreSQL as a statement's own: bench/README.md, twenty-fourth wave, w-pgops).
 */
async function upsertRows(m: EntityManager, table: string, columns: readonly string[], types: PgTypes, key: string, keep: readonly string[], rows: unknown[][]): Promise<void> {
  const update = columns.filter((c) => c !== key && !keep.includes(c)).map((c) => `${c} = excluded.${c}`).join(', ');
  if (isSqlite(m.connection)) {
    // SQLite: one cached single-row statement on the raw handle (inside the caller's transaction,
    // TypeORM's SQLite driver has one connection), as the plain better-sqlite3 baseline does:
    // no statement text and no 20,000-value parameter array per chunk.
    const st = preparedStatement(rawSqlite(m.connection), `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${key}) DO UPDATE SET ${update}`);
    for (const r of rows) st.run(...r);
    return;
  }
  for (const c of chunks(rows, PG_SET_ROWS)) {
    const [op] = pgUnnestInsert({ table, columns: [...columns], rows: c, suffix: `ON CONFLICT (${key}) DO UPDATE SET ${update}` }, types);
    await m.query(toPgPlaceholders(op.sql), op.params);
  }
}

/**
 * PostgreSQL: rows (or keys) per set-based statement of an import batch. A batch (25,000 rows)
 * in a few statements; bounded so that one statement's array parameters stay a few MB.
 */
const PG_SET_ROWS = 10_000;

const CUSTOMER_COLUMNS = ['external_id', 'name', 'phone', 'email', 'wechat_id', 'province', 'city', 'device', 'tags', 'consent', 'attributes', 'created_at', 'updated_at', 'deleted_at'];
const customerValues = (e: CustomerEntity) => [e.externalId, e.name, e.phone, e.email, e.wechatId, e.province, e.city, e.device, JSON.stringify(e.tags), JSON.stringify(e.consent), JSON.stringify(e.attributes), e.createdAt, e.updatedAt, e.deletedAt];
const CUSTOMER_PG_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint', 'bigint'];
const ORDER_COLUMNS = ['external_id', 'customer_id', 'status', 'amount', 'created_at', 'paid_at', 'promotion', 'items', 'updated_at'];
const ORDER_PG_TYPES = ['text', 'int', 'text', 'float8', 'bigint', 'bigint', 'text', 'text', 'bigint'];
const orderValues = (e: OrderEntity) => [e.externalId, e.customerId, e.status, e.amount, e.createdAt, e.paidAt, e.promotion, JSON.stringify(e.items), e.updatedAt];

// ---------------------------------------------------------------------------------------------
// Customers

const PROFILE = ['name', 'phone', 'email', 'wechatId', 'province', 'city', 'device'] as const;

/**
 * A field missing from the input keeps the stored value (a CSV without a `phone` column does not
 * erase phones); consent and attributes merge key by key; tags, when given, replace the set.
 */
function mergeCustomer(prev: CustomerEntity | undefined, input: CustomerInput, now: number): CustomerEntity {
  const e = new CustomerEntity();
  e.externalId = input.externalId;
  for (const k of PROFILE) {
    const v = input[k];
    (e as unknown as Record<string, unknown>)[k] = v === undefined ? (prev?.[k] ?? null) : v;
  }
  e.tags = input.tags === undefined ? (prev?.tags ?? []) : [...new Set(input.tags)];
  e.consent = { ...(prev?.consent ?? {}), ...(input.consent ?? {}) } as Record<string, boolean>;
  e.attributes = { ...(prev?.attributes ?? {}), ...(input.attributes ?? {}) };
  e.createdAt = prev?.createdAt ?? now;
  e.updatedAt = now;
  e.deletedAt = prev?.deletedAt ?? null;
  return e;
}

function sameCustomer(a: CustomerEntity, b: CustomerEntity): boolean {
  return PROFILE.every((k) => (a[k] ?? null) === (b[k] ?? null)) && stable(a.tags) === stable(b.tags) && stable(a.consent) === stable(b.consent) && stable(a.attributes) === stable(b.attributes);
}

/** Why a row for an erased customer is refused: the person asked to be forgotten under this id. */
function erasedMessage(externalId: string, erasedAt: number): string {
  return `customer "${externalId}" had their personal data erased on ${new Date(erasedAt).toISOString().slice(0, 10)} (PIPL erase request); this id is not imported again — if the person came back, import them under a new id`;
}

/**
 * Idempotent upsert by external id. A customer whose personal data was erased is refused (a
 * failed row naming the id), never updated. Re-sending the same data is `unchanged` and writes nothing.
 * A customer in the recycle bin stays there (its profile is still updated).
 */
export async function upsertCustomers(m: EntityManager, inputs: readonly CustomerInput[], ctx: WriteContext): Promise<UpsertResult> {
  const state = new Map((await findIn(m, CustomerEntity, 'externalId', inputs.map((i) => i.externalId))).map((c) => [c.externalId, c]));
  const dirty = new Map<string, CustomerEntity>();
  const outcomes: RowOutcome[] = inputs.map((input) => {
    const prev = state.get(input.externalId);
    // Erased at the person's request: writing the profile again would quietly bring them back.
    if (prev && prev.erasedAt !== null && prev.erasedAt !== undefined) return { field: 'externalId', message: erasedMessage(input.externalId, prev.erasedAt) };
    const next = mergeCustomer(prev, input, ctx.now);
    if (prev && sameCustomer(prev, next)) return 'unchanged';
    state.set(input.externalId, Object.assign(next, { id: prev?.id }));
    dirty.set(input.externalId, next);
    return prev ? 'updated' : 'created';
  });
  if (dirty.size) {
    // The upsert key is the external id; the generated id is never written, created_at is kept.
    await upsertRows(m, 'customers', CUSTOMER_COLUMNS, CUSTOMER_PG_TYPES, 'external_id', ['created_at'], [...dirty.values()].map(customerValues));
    const ids = (await findIn(m, CustomerEntity, 'externalId', [...dirty.keys()])).map((c) => c.id);
    await refreshFacts(m, ids, ctx.timezone, ctx.now);
  }
  return tally(outcomes);
}

// ---------------------------------------------------------------------------------------------
// Events (stored through the event log, which also queues them in the engine's inbox)

export { recordEvents, type NewCustomerEvent, type RecordResult } from './event-log.js';

// ---------------------------------------------------------------------------------------------
// Orders

/** The row an order input stands for (a plain object of one shape: a bulk import makes a million). */
function orderRow(input: OrderInput, customerId: number, now: number): OrderEntity {
  return {
    id: undefined as unknown as number,
    externalId: input.externalId,
    customerId,
    status: input.status,
    amount: input.amount,
    createdAt: input.createdAt,
    paidAt: input.paidAt ?? null,
    promotion: input.promotion ?? null,
    items: input.items,
    updatedAt: now,
  };
}

function sameOrder(a: OrderEntity, b: OrderEntity): boolean {
  return (
    a.customerId === b.customerId &&
    a.status === b.status &&
    a.amount === b.amount &&
    a.createdAt === b.createdAt &&
    (a.paidAt ?? null) === (b.paidAt ?? null) &&
    (a.promotion ?? null) === (b.promotion ?? null) &&
    stable(a.items) === stable(b.items)
  );
}

export interface OrderUpsertResult extends UpsertResult {
  /** The order events stored for the first time (empty when not asked for: see upsertOrders). */
  events: StoredCustomerEvent[];
  /** How many order events were stored for the first time. */
  eventCount: number;
}

/** A prepared single-row read on the raw SQLite handle. */
interface PointLookup {
  get(...p: unknown[]): unknown;
}

/**
 * Cached point lookups per connection: `pluck` answers the first column's value, `raw` the row as
 * an array (no object per row).
 */
const pointLookups = new WeakMap<object, Map<string, PointLookup>>();
function pointLookup(db: RawSqlite, sql: string, mode: 'pluck' | 'raw'): PointLookup {
  let cache = pointLookups.get(db);
  if (!cache) pointLookups.set(db, (cache = new Map()));
  const key = `${mode}:${sql}`;
  let st = cache.get(key);
  if (!st) cache.set(key, (st = (db.prepare(sql) as unknown as Record<typeof mode, (on: boolean) => PointLookup>)[mode](true)));
  return st;
}

/** Maps external customer ids to ids (customers in the recycle bin included). */
export async function customerIdsByExternalId(m: EntityManager, externalIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (isSqlite(m.connection)) {
    // One cached point lookup per key on the raw handle: an IN list of 500 keys was a statement
    // prepared anew per chunk by TypeORM, and its values sorted into a temporary index first.
    const st = pointLookup(rawSqlite(m.connection), 'SELECT id FROM customers WHERE external_id = ?', 'pluck');
    for (const k of externalIds) {
      if (out.has(k)) continue;
      const id = st.get(k);
      if (id !== undefined) out.set(k, Number(id));
    }
    return out;
  }
  // PostgreSQL: the keys as one array (`= ANY`, read off the unique index), PG_SET_ROWS at a time.
  for (const c of chunks([...new Set(externalIds)], PG_SET_ROWS)) {
    const rows: { id: number | string; external_id: string }[] = await m.query('SELECT id, external_id FROM customers WHERE external_id = ANY($1::text[])', [pgArrayLiteral(c)]);
    for (const r of rows) out.set(r.external_id, Number(r.id));
  }
  return out;
}

/**
 * customerIdsByExternalId for what would store new data under a customer (events): customers whose
 * personal data was erased are left out of `ids` and named in `erased` (external id → when), so the
 * caller refuses their rows (erasedRowMessage) instead of building up new data under an id whose
 * person asked to be forgotten.
 */
export async function liveCustomerIdsByExternalId(m: EntityManager, externalIds: readonly string[]): Promise<{ ids: Map<string, number>; erased: Map<string, number> }> {
  const ids = new Map<string, number>();
  const erased = new Map<string, number>();
  const take = (externalId: string, id: unknown, erasedAt: unknown) => {
    if (erasedAt === null || erasedAt === undefined) ids.set(externalId, Number(id));
    else erased.set(externalId, Number(erasedAt));
  };
  if (isSqlite(m.connection)) {
    // As above, a cached point lookup per key; the erasure rides along (the same index seek).
    const st = pointLookup(rawSqlite(m.connection), 'SELECT id, erased_at FROM customers WHERE external_id = ?', 'raw');
    for (const k of externalIds) {
      if (ids.has(k) || erased.has(k)) continue;
      const row = st.get(k) as [unknown, unknown] | undefined;
      if (row !== undefined) take(k, row[0], row[1]);
    }
    return { ids, erased };
  }
  for (const c of chunks([...new Set(externalIds)], PG_SET_ROWS)) {
    const rows: { id: number | string; external_id: string; erased_at: unknown }[] = await m.query('SELECT id, external_id, erased_at FROM customers WHERE external_id = ANY($1::text[])', [pgArrayLiteral(c)]);
    for (const r of rows) take(r.external_id, r.id, r.erased_at);
  }
  return { ids, erased };
}

/** Why an event (or another row of new data) for an erased customer is refused. */
export function erasedRowMessage(externalId: string, erasedAt: number): string {
  return `customer "${externalId}" had their personal data erased on ${new Date(erasedAt).toISOString().slice(0, 10)} (PIPL erase request); nothing new is stored under this id — if the person came back, import them under a new id`;
}

/** Stored orders by external id (plain SQL: hydrating entities cost more than the upsert). */
async function ordersByExternalId(m: EntityManager, externalIds: readonly string[]): Promise<Map<string, OrderEntity>> {
  const out = new Map<string, OrderEntity>();
  const columns = 'id, external_id, customer_id, status, amount, created_at, paid_at, promotion, items, updated_at';
  const sqlite = isSqlite(m.connection);
  // SQLite: a cached point lookup per key (see customerIdsByExternalId); most keys of a bulk import are new.
  const point = sqlite ? (preparedStatement(rawSqlite(m.connection), `SELECT ${columns} FROM orders WHERE external_id = ?`) as unknown as PointLookup) : null;
  // PostgreSQL: the keys as one array (`= ANY`), PG_SET_ROWS at a time.
  for (const c of chunks([...new Set(externalIds)], point ? CHUNK : PG_SET_ROWS)) {
    let rows: Record<string, unknown>[];
    if (point) {
      rows = [];
      for (const k of c) {
        const r = point.get(k) as Record<string, unknown> | undefined;
        if (r !== undefined) rows.push(r);
      }
    } else rows = await m.query(`SELECT ${columns} FROM orders WHERE external_id = ANY($1::text[])`, [pgArrayLiteral(c)]);
    for (const r of rows) {
      const e = new OrderEntity();
      Object.assign(e, {
        id: Number(r.id),
        externalId: String(r.external_id),
        customerId: Number(r.customer_id),
        status: r.status,
        amount: Number(r.amount),
        createdAt: Number(r.created_at),
        paidAt: r.paid_at === null || r.paid_at === undefined ? null : Number(r.paid_at),
        promotion: (r.promotion as string | null) ?? null,
        items: typeof r.items === 'string' ? JSON.parse(r.items) : r.items,
        updatedAt: Number(r.updated_at),
      });
      out.set(e.externalId, e);
    }
  }
  return out;
}

/**
 * Idempotent upsert by external id. An order whose customer does not exist fails (nothing
 * written for it). A new order or a status change records its order event (order-events.ts),
 * and the facts of every customer whose orders changed are refreshed.
 *
 * SQLite: the chunk's new orders are written set-based (order-chunk-sqlite.ts); the others
 * (changed, repeated, unknown customer, coupon) then row by row. `events: false` leaves the
 * stored events out of the result (a bulk import without listeners only needs their count).
 */
export async function upsertOrders(m: EntityManager, inputs: readonly OrderInput[], ctx: WriteContext, opts: {
    events?: boolean;
    /** Per input, its staged values from the import's parser (then `items` may be absent: see ParsedRow.staged). */
    staged?: readonly (StagedOrder | undefined)[];
    /**
     * SQLite: leave the new orders' facts owed (owed-facts.ts), for the caller to settle once (an
     * import, at its end). Otherwise they are settled before this returns, in the caller's transaction.
     */
    oweFacts?: boolean;
    /**
     * Called inside the transaction before the row-by-row path writes anything (changed, repeated
     * or coupon orders: their fact updates read customers' orders by customer). An import that
     * paused the by-customer indexes builds them again here (import-index-pause.ts).
     */
    beforeRowByRow?: () => void;
    /**
     * SQLite: the schema name under which the batch's staged-orders file is attached (an import
     * whose parser thread staged it: order-chunk-sqlite.ts, writeStagedFileChunk); `staged` is then
     * unused, and so are `inputs` but for their count (such rows cross the thread as their lines only).
     */
    stageSchema?: string;
  } = {}): Promise<OrderUpsertResult> {
  const wantEvents = opts.events ?? true;
  if (!isSqlite(m.connection) || inputs.length === 0) return upsertOrdersRowByRow(m, inputs, ctx);
  const chunk = opts.stageSchema !== undefined ? await writeStagedFileChunk(m, inputs.length, ctx, wantEvents, opts.stageSchema) : { ...(await writeNewOrderChunk(m, inputs, ctx, wantEvents, opts.staged)), restInputs: undefined };
  if (!opts.oweFacts) await settleOwedFactsIn(m);
  const outcomes: RowOutcome[] = new Array<RowOutcome>(inputs.length);
  for (const i of chunk.created) outcomes[i] = 'created';
  let { events, eventCount } = chunk;
  if (chunk.rest.length > 0) {
    // An order staged by the parser thread crossed with its items as text only (import-parse-thread.ts);
    // staged into a file, it did not cross at all (only its line): its input comes back from the file (restInputs).
    const withItems = (i: number): OrderInput => {
      const fromFile = chunk.restInputs?.get(i);
      if (fromFile) return fromFile;
      const text = inputs[i].items !== undefined ? undefined : opts.staged?.[i]?.[0];
      return text === undefined ? inputs[i] : { ...inputs[i], items: JSON.parse(text) };
    };
    const r = await upsertOrdersRowByRow(m, chunk.rest.map(withItems), ctx, opts.beforeRowByRow);
    chunk.rest.forEach((i, j) => (outcomes[i] = r.outcomes[j]));
    eventCount += r.eventCount;
    if (wantEvents) events = events.concat(r.events);
  }
  return { ...tally(outcomes), events, eventCount };
}

async function upsertOrdersRowByRow(m: EntityManager, inputs: readonly OrderInput[], ctx: WriteContext, beforeWrite?: () => void): Promise<OrderUpsertResult> {
  // An erased customer's id takes no new orders (nor the events and facts they would bring); an
  // order of theirs stored before the erase may still change (a refund), or the shop's figures go wrong.
  const { ids: customers, erased } = await liveCustomerIdsByExternalId(m, inputs.map((i) => i.customerExternalId));
  const erasedIds = erased.size ? await customerIdsByExternalId(m, [...erased.keys()]) : new Map<string, number>();
  const state = await ordersByExternalId(m, inputs.map((i) => i.externalId));
  /** External ids stored before this call (the others' rows are new to the database). */
  const stored = new Set(state.keys());
  const dirty = new Map<string, OrderEntity>();
  // Customers with a changed order get their facts recomputed from all their orders; customers
  // who only got new orders get them added to their stored facts (no re-read of their history).
  const touched = new Set<number>();
  const added = new Map<number, OrderEntity[]>();
  const events: NewCustomerEvent[] = [];
  const redemptions: Redemption[] = [];
  const outcomes: RowOutcome[] = inputs.map((input) => {
    const prev = state.get(input.externalId);
    let customerId = customers.get(input.customerExternalId);
    const erasedAt = customerId === undefined ? erased.get(input.customerExternalId) : undefined;
    if (erasedAt !== undefined) {
      const erasedId = erasedIds.get(input.customerExternalId);
      if (!prev || prev.customerId !== erasedId) return { field: 'customerExternalId', message: erasedRowMessage(input.customerExternalId, erasedAt) };
      customerId = erasedId;
    }
    if (customerId === undefined) return { field: 'customerExternalId', message: `unknown customer "${input.customerExternalId}" (import the customer first)` };
    const next = orderRow(input, customerId, ctx.now);
    if (prev && sameOrder(prev, next)) return 'unchanged';
    state.set(input.externalId, next);
    dirty.set(input.externalId, next);
    if (prev) {
      touched.add(customerId);
      touched.add(prev.customerId);
    } else {
      const list = added.get(customerId);
      if (list) list.push(next);
      else added.set(customerId, [next]);
    }
    if (!prev || prev.status !== next.status) {
      events.push({ customerId, ...orderEvent(next, ctx.now) });
      for (const e of logisticsEvents(prev?.status ?? null, next, ctx.now)) events.push({ customerId, ...e });
    }
    if (input.coupon && next.paidAt !== null && PURCHASE_STATUSES.has(next.status)) redemptions.push({ code: input.coupon.toUpperCase(), customerId, orderExternalId: input.externalId, orderAmount: input.amount, at: next.paidAt });
    return prev ? 'updated' : 'created';
  });
  let recorded: StoredCustomerEvent[] = [];
  // An order that used a coupon of the ledger is its redemption: a response event carrying the
  // coupon's face value (the shop's cost in experiment reports), recorded once per order.
  if (dirty.size || redemptions.length) beforeWrite?.();
  for (const r of await redeemCoupons(m, redemptions)) {
    events.push({ customerId: r.customerId, type: COUPON_REDEEMED, occurredAt: r.at, idempotencyKey: `order:${r.orderExternalId}:coupon_redeemed`, properties: { code: r.code, orderId: r.orderExternalId, amount: r.amount, orderAmount: r.orderAmount, template: r.templateId, flowId: r.flowId } });
  }
  if (dirty.size) {
    // PostgreSQL: the orders new to the database by COPY (pg-copy-insert.ts), the changed ones
    // (and all of them, should one of the new keys meet a concurrent writer's) by the upsert.
    const rows = [...dirty.values()];
    const fresh = isSqlite(m.connection) ? [] : rows.filter((o) => !stored.has(o.externalId));
    const copied = fresh.length > 0 && (await copyUnlessConflict(m, { table: 'orders', columns: ORDER_COLUMNS, rows: fresh.map(orderValues) }));
    await upsertRows(m, 'orders', ORDER_COLUMNS, ORDER_PG_TYPES, 'external_id', [], (copied ? rows.filter((o) => stored.has(o.externalId)) : rows).map(orderValues));
    recorded = (await recordEvents(m, events, ctx.now)).inserted;
    for (const id of touched) added.delete(id);
    for (const id of await addNewOrdersToFacts(m, added, ctx.timezone, ctx.now)) touched.add(id);
    await refreshFacts(m, touched, ctx.timezone, ctx.now);
  }
  return { ...tally(outcomes), events: recorded, eventCount: recorded.length };
}

// ---------------------------------------------------------------------------------------------
// Reads and the recycle bin

export interface CustomerRecord extends Customer {
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  /** When the customer's personal data was erased (they stay in the bin for good); null if not. */
  erasedAt: number | null;
}

function toRecord(e: CustomerEntity): CustomerRecord {
  return { ...toCustomer(e), createdAt: e.createdAt, updatedAt: e.updatedAt, deletedAt: e.deletedAt, erasedAt: e.erasedAt ?? null };
}

/** A customer by external id, whether live or in the recycle bin. */
export async function findCustomer(m: EntityManager, externalId: string): Promise<CustomerRecord | null> {
  const e = await m.findOne(CustomerEntity, { where: { externalId } });
  return e ? toRecord(e) : null;
}

export interface Page<T> {
  total: number;
  items: T[];
}

/** Live customers whose external id, name, phone, email or WeChat id contains `search` (any case). */
export async function searchCustomers(m: EntityManager, q: { search?: string; limit: number; offset: number }): Promise<Page<CustomerRecord>> {
  const qb = m.createQueryBuilder(CustomerEntity, 'c').where('c.deleted_at IS NULL');
  const s = q.search?.trim();
  if (s) {
    const like = `%${s.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const cols = ['external_id', 'name', 'phone', 'email', 'wechat_id'].map((c) => `LOWER(c.${c}) LIKE :like ESCAPE '\\'`);
    qb.andWhere(`(${cols.join(' OR ')})`, { like });
  }
  const [rows, total] = await qb.orderBy('c.id', 'ASC').skip(q.offset).take(q.limit).getManyAndCount();
  return { total, items: rows.map(toRecord) };
}

/** Moves a live customer to the recycle bin: orders and events are kept, the facts row goes. */
export async function softDelete(m: EntityManager, externalId: string, ctx: WriteContext): Promise<CustomerRecord | null> {
  const e = await m.findOne(CustomerEntity, { where: { externalId, deletedAt: IsNull() } });
  if (!e) return null;
  await m.update(CustomerEntity, { id: e.id }, { deletedAt: ctx.now, updatedAt: ctx.now });
  await refreshFacts(m, [e.id], ctx.timezone, ctx.now);
  return toRecord({ ...e, deletedAt: ctx.now, updatedAt: ctx.now });
}

/** Brings a customer back from the recycle bin and recomputes their facts; never one whose data was erased. */
export async function restore(m: EntityManager, externalId: string, ctx: WriteContext): Promise<CustomerRecord | null> {
  const e = await m.findOne(CustomerEntity, { where: { externalId, deletedAt: Not(IsNull()), erasedAt: IsNull() } });
  if (!e) return null;
  await m.update(CustomerEntity, { id: e.id }, { deletedAt: null, updatedAt: ctx.now });
  await refreshFacts(m, [e.id], ctx.timezone, ctx.now);
  return toRecord({ ...e, deletedAt: null, updatedAt: ctx.now });
}

export async function listDeleted(m: EntityManager, q: { limit: number; offset: number }): Promise<Page<CustomerRecord>> {
  const [rows, total] = await m.findAndCount(CustomerEntity, { where: { deletedAt: Not(IsNull()) }, order: { deletedAt: 'DESC', id: 'ASC' }, skip: q.offset, take: q.limit });
  return { total, items: rows.map(toRecord) };
}
