import type { EntityManager } from 'typeorm';
import type { StoredCustomerEvent } from '../core/data/event-listener.js';
import { PURCHASE_STATUSES, type OrderInput } from '../core/data/model.js';
import { stageOrder, type StagedOrder } from '../core/data/import/staged-order.js';
import { orderEventType } from '../core/data/order-events.js';
import { STAGE_TABLE } from '../core/data/import/stage-file.js';
import { OWED, unionSetText, WRITE_CONTEXT } from './owed-facts-sql.js';
import { failWithinBatch, preparedStatement } from './sql-batch.js';
import { rawSqlite, type RawSqlite } from './write-transaction.js';

/**
 * Set-based write of a chunk of NEW orders on SQLite (the bulk-import path of `upsertOrders`).
 *
 * Why: per order the row-at-a-time path ran six prepared statements from JS (customer lookup,
 * order lookup, order insert, event insert, inbox insert, fact read + update) and built a handful
 * of objects; at a million orders the crossings and the garbage were most of the importing
 * thread's time. Here each order costs ONE prepared insert into a TEMP staging table (primitive
 * values only; its customer id and "already stored" looked up by the same statement); everything
 * else is a few statements over the whole chunk, run inside SQLite:
 * orders / order events / inbox rows by INSERT … SELECT, and the orders' fact contributions
 * appended to `customer_facts_owed` (owed-facts.ts: added to the fact rows once, set-based, at
 * the import's end or by the first reader of facts, instead of every fact row ~5 times an import).
 *
 * Only rows whose outcome needs no comparison take this path: a known customer, an external id
 * not stored yet and not repeated in the chunk, no coupon to redeem on any row of that order. The
 * rest (changed or repeated orders, unknown customers, coupons) are returned to the caller, which
 * writes them row by row AFTER this chunk (its fact recompute / merge then sees these orders
 * already counted). So within a chunk the events of the set-based orders get lower ids (reach the
 * inbox first) than those of the row-by-row ones, whatever their lines: events of one order keep
 * their order (all its rows take the same path); across orders the engine may see a later line's
 * event first (the inbox is read in id order), while an event's age (trigger.maxAge) is still
 * judged by its own `occurredAt`.
 *
 * Facts equal `addOrdersToFacts` (hence the full recompute): the per-order contributions
 * (purchase or unpaid, the instant that counts, season key, Double-11 year, categories) are
 * computed in JS with the same helpers (`stageOrder`: `dayFacts`, PURCHASE_STATUSES), usually by
 * the import's parser thread; only the sums, min/max and
 * set unions run in SQL when the owed rows are settled, the unions and the cent rounding through two JS functions registered on
 * the connection so that the stored text is byte-for-byte what `mergeSet` / `orderFacts` write.
 * Customers without a fact row (new, recycle bin) are recomputed in full when settled, as on the other path.
 */

const STAGE = 'temp.rekindle_import_orders';
// kind: 2 = purchase (counts as an order), 1 = unpaid ('created'), 0 = neither (cancelled, refunded).
const STAGE_DDL = `CREATE TEMP TABLE IF NOT EXISTS rekindle_import_orders (
  idx INTEGER PRIMARY KEY, external_id TEXT NOT NULL, status TEXT NOT NULL,
  amount REAL NOT NULL, created_at INTEGER NOT NULL, paid_at INTEGER, promotion TEXT, items TEXT NOT NULL,
  event_type TEXT NOT NULL, event_at INTEGER NOT NULL, event_properties TEXT NOT NULL,
  kind INTEGER NOT NULL, fact_at INTEGER, categories TEXT, category_seasons TEXT, double11_year TEXT,
  customer_id INTEGER, slow INTEGER NOT NULL DEFAULT 0)`;
// The customer id and "already stored" are looked up as the row is staged (unknown customer or
// stored order: the caller's row-by-row path). A separate UPDATE pass over the staged chunk cost
// twice that: it read and rewrote every staged row (~200 bytes each) after the two lookups.
// Neither the customer's external id nor the event's key is staged: every string bound costs two
// copies and a UTF-8 pass in better-sqlite3 and SQLite (the two: −2,080 instructions an order, callgrind), the
// id is only needed by the lookup, and the key is built from staged columns by INSERT_EVENTS.
const STAGE_INSERT = `INSERT INTO ${STAGE} (idx, external_id, status, amount, created_at, paid_at, promotion, items, event_type, event_at, event_properties, kind, fact_at, categories, category_seasons, double11_year, customer_id, slow)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT c.id FROM customers c WHERE c.external_id = ?), EXISTS (SELECT 1 FROM orders o WHERE o.external_id = ?))`;
// Repeated in the chunk: the row-by-row path too (run only when the staging loop saw a repeat).
const STAGE_REPEATS = `UPDATE ${STAGE} SET slow = 1 WHERE external_id IN (SELECT external_id FROM ${STAGE} GROUP BY external_id HAVING count(*) > 1)`;
// A customer whose personal data was erased is refused by the row-by-row path, by name. Asked once
// per chunk from the erased customers' own index (ix_customers_erased, usually empty): reading
// `erased_at` beside each row's external-id seek would read every buyer's customer row.
const ERASED = 'SELECT id FROM customers WHERE erased_at IS NOT NULL';
const STAGE_SLOW = `SELECT idx FROM ${STAGE} WHERE slow OR customer_id IS NULL OR customer_id IN (${ERASED})`;
const STAGE_DROP_SLOW = `DELETE FROM ${STAGE} WHERE slow OR customer_id IS NULL OR customer_id IN (${ERASED})`;
const STAGE_CLEAR = `DELETE FROM ${STAGE}`;
const INSERT_ORDERS = failWithinBatch(`INSERT INTO orders (external_id, customer_id, status, amount, created_at, paid_at, promotion, items, updated_at)
  SELECT external_id, customer_id, status, amount, created_at, paid_at, promotion, items, ? FROM ${STAGE} WHERE true ORDER BY idx`);
const MAX_EVENT_ID = 'SELECT coalesce(max(id), 0) AS id FROM customer_events';
// System keys: a key stored already is a duplicate (recordEvents' rule), which DO NOTHING skips.
// The key is orderEventKey's text, `order:<externalId>:<type>` (both staged as TEXT).
// `WHERE true`: SQLite's documented way to parse INSERT … SELECT … ON CONFLICT without ambiguity.
const INSERT_EVENTS = failWithinBatch(`INSERT INTO customer_events (customer_id, type, properties, occurred_at, idempotency_key, client_id, received_at)
  SELECT customer_id, event_type, event_properties, event_at, 'order:' || external_id || ':' || event_type, '', ? FROM ${STAGE} WHERE true ORDER BY idx
  ON CONFLICT (client_id, idempotency_key) DO NOTHING`);
// Rowids of the events inserted above are all above the previous maximum (this transaction holds
// SQLite's write lock, so no one else inserts meanwhile).
const INSERT_INBOX = failWithinBatch('INSERT INTO event_inbox (event_id, received_at) SELECT id, ? FROM customer_events WHERE id > ? ORDER BY id');
const NEW_EVENTS = 'SELECT id, customer_id, type, properties, occurred_at, idempotency_key FROM customer_events WHERE id > ? ORDER BY id';
/**
 * The chunk's fact contributions, owed (owed-facts.ts): appended, in staging order, to
 * `customer_facts_owed` in the chunk's own transaction, and added to the fact rows once, by
 * `settleOwedFactsIn` (at the import's end, or by the first reader or writer of facts).
 */
const OWE_FACTS = failWithinBatch(`INSERT INTO ${OWED} (customer_id, kind, amount, fact_at, categories, category_seasons, double11_year)
  SELECT customer_id, kind, amount, fact_at, categories, category_seasons, double11_year FROM ${STAGE} WHERE true ORDER BY idx`);

export { unionSetText };

function prepareConnection(db: RawSqlite): void {
  db.prepare(STAGE_DDL).run();
}

export interface ChunkResult {
  /** Input indexes written here (outcome 'created'). */
  created: number[];
  /** Input indexes left for the row-by-row path, in input order. */
  rest: number[];
  eventCount: number;
  /** The stored events (only when asked for: they cost an object each). */
  events: StoredCustomerEvent[];
}

/**
 * `staged[i]`, when given, is `stageOrder(inputs[i], ctx.timezone)` computed ahead (an import's
 * parser thread does it while this thread writes); a row without it is staged here by the same
 * function.
 */
export async function writeNewOrderChunk(m: EntityManager, inputs: readonly OrderInput[], ctx: { now: number; timezone: string }, wantEvents: boolean, staged?: readonly (StagedOrder | undefined)[]): Promise<ChunkResult> {
  const db = rawSqlite(m.connection);
  prepareConnection(db);
  const { now, timezone } = ctx;
  const stage = preparedStatement(db, STAGE_INSERT);
  preparedStatement(db, STAGE_CLEAR).run();
  const rest: number[] = [];
  // A row with a coupon to redeem is never staged, so STAGE_REPEATS cannot see it: every row of
  // an order that has one goes the row-by-row way, where the rows apply in input order (a paid
  // line then a refunded line of the same order must leave it refunded).
  const redeeming = new Set<string>();
  for (const o of inputs) if (redeemsCoupon(o)) redeeming.add(o.externalId);
  // Order ids staged: only a chunk with a repeated one needs STAGE_REPEATS' GROUP BY.
  const stagedOrders = new Set<string>();
  let repeats = false;
  for (let i = 0; i < inputs.length; i++) {
    const o = inputs[i];
    if (redeeming.size > 0 && redeeming.has(o.externalId)) {
      rest.push(i); // its redemption is recorded by the row-by-row path
      continue;
    }
    const s = staged?.[i] ?? stageOrder(o, timezone);
    if (stagedOrders.has(o.externalId)) repeats = true;
    else stagedOrders.add(o.externalId);
    // s: [items, eventAt, eventProperties, kind, factAt, categories, categorySeasons, double11Year];
    // the event's type is one switch: cheaper here than cloned (its key is built in INSERT_EVENTS).
    stage.run(i, o.externalId, o.status, o.amount, o.createdAt, o.paidAt ?? null, o.promotion ?? null, s[0], orderEventType(o.status), s[1] ?? now, s[2], s[3], s[4], s[5], s[6], s[7], o.customerExternalId, o.externalId);
  }
  if (repeats) preparedStatement(db, STAGE_REPEATS).run();
  for (const r of preparedStatement(db, STAGE_SLOW).all() as { idx: number }[]) rest.push(r.idx);
  preparedStatement(db, STAGE_DROP_SLOW).run();
  rest.sort((a, b) => a - b);

  const created = createdBesides(rest, inputs.length);
  let eventCount = 0;
  const events: StoredCustomerEvent[] = [];
  if (created.length > 0) {
    preparedStatement(db, INSERT_ORDERS).run(now);
    const before = Number((preparedStatement(db, MAX_EVENT_ID).get() as { id: number }).id);
    eventCount = preparedStatement(db, INSERT_EVENTS).run(now).changes;
    preparedStatement(db, INSERT_INBOX).run(now, before);
    if (wantEvents) {
      for (const r of preparedStatement(db, NEW_EVENTS).all(before) as Record<string, unknown>[]) {
        events.push({ id: Number(r.id), customerId: Number(r.customer_id), type: String(r.type), properties: JSON.parse(String(r.properties)), occurredAt: Number(r.occurred_at), idempotencyKey: String(r.idempotency_key), receivedAt: now });
      }
    }
    preparedStatement(db, OWE_FACTS).run();
    preparedStatement(db, WRITE_CONTEXT).run(timezone, now);
  }
  preparedStatement(db, STAGE_CLEAR).run();
  return { created, rest, eventCount, events };
}

/** An order whose coupon is redeemed by this row (the row-by-row path records the redemption). */
function redeemsCoupon(o: OrderInput): boolean {
  return !!o.coupon && (o.paidAt ?? null) !== null && PURCHASE_STATUSES.has(o.status);
}

/**
 * The same chunk write for a batch whose staged values the import's parser thread wrote into a
 * file of their own (core/data/import/stage-file.ts, runtime/import-stage-writer.ts): no staged
 * row is bound on this thread. The file is attached for the transaction (`schema`, from
 * `attachStageFile`); the customer ids and "already stored" are looked up in one `INSERT … SELECT`
 * into a TEMP table of (idx, customer id) for the rows that take this path, and orders, events and
 * owed facts are read from the file joined to it by idx. Rows, order and values written are those
 * of writeNewOrderChunk (the same columns, the same rules for what goes row by row: repeated in the
 * batch or redeeming a coupon — marked `slow` by the writer —, unknown customer, already stored).
 * Only the batch's row count is passed: its rows' inputs did not cross the thread (only their
 * lines did); `restInputs` gives, read back from the file, the inputs of the rows left for the row-by-row path.
 */
export async function writeStagedFileChunk(m: EntityManager, rows: number, ctx: { now: number; timezone: string }, wantEvents: boolean, schema: string): Promise<ChunkResult & { restInputs: Map<number, OrderInput> }> {
  const db = rawSqlite(m.connection);
  const { now, timezone } = ctx;
  const S = `${schema}.${STAGE_TABLE}`;
  db.prepare(FAST_DDL).run();
  preparedStatement(db, FAST_CLEAR).run();
  // idx runs 0 … n − 1: its maximum counts the rows without reading every page.
  const staged = Number((preparedStatement(db, `SELECT coalesce(max(idx) + 1, 0) AS n FROM ${S}`).get() as { n: number }).n);
  // The file is the importer's batch (the writer cuts files at the importer's batch size).
  if (staged !== rows) throw new Error(`the staged-orders file holds ${staged} rows for a batch of ${rows}`);
  const fast = preparedStatement(db, `INSERT INTO ${FAST} (idx, customer_id) SELECT s.idx, c.id FROM ${S} AS s JOIN customers AS c ON c.external_id = s.customer_external_id
    WHERE s.slow = 0 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.external_id = s.external_id) AND c.id NOT IN (${ERASED}) ORDER BY s.idx`).run().changes;
  const rest: number[] = [];
  const restInputs = new Map<number, OrderInput>();
  if (fast < staged) {
    for (const r of preparedStatement(db, `SELECT idx, external_id, customer_external_id, status, amount, created_at, paid_at, promotion, coupon, items FROM ${S} WHERE idx NOT IN (SELECT idx FROM ${FAST}) ORDER BY idx`).all() as StagedInputRow[]) {
      rest.push(r.idx);
      restInputs.set(r.idx, inputFromFile(r));
    }
  }
  const created = createdBesides(rest, staged);
  let eventCount = 0;
  const events: StoredCustomerEvent[] = [];
  if (created.length > 0) {
    const from = `FROM ${FAST} AS f JOIN ${S} AS s ON s.idx = f.idx WHERE true ORDER BY f.idx`;
    preparedStatement(db, failWithinBatch(`INSERT INTO orders (external_id, customer_id, status, amount, created_at, paid_at, promotion, items, updated_at)
      SELECT s.external_id, f.customer_id, s.status, s.amount, s.created_at, s.paid_at, s.promotion, s.items, @now ${from}`)).run({ now });
    const before = Number((preparedStatement(db, MAX_EVENT_ID).get() as { id: number }).id);
    eventCount = preparedStatement(db, failWithinBatch(`INSERT INTO customer_events (customer_id, type, properties, occurred_at, idempotency_key, client_id, received_at)
      SELECT f.customer_id, s.event_type, s.event_properties, coalesce(s.event_at, @now), 'order:' || s.external_id || ':' || s.event_type, '', @now ${from}
      ON CONFLICT (client_id, idempotency_key) DO NOTHING`)).run({ now }).changes;
    preparedStatement(db, INSERT_INBOX).run(now, before);
    if (wantEvents) {
      for (const r of preparedStatement(db, NEW_EVENTS).all(before) as Record<string, unknown>[]) {
        events.push({ id: Number(r.id), customerId: Number(r.customer_id), type: String(r.type), properties: JSON.parse(String(r.properties)), occurredAt: Number(r.occurred_at), idempotencyKey: String(r.idempotency_key), receivedAt: now });
      }
    }
    preparedStatement(db, failWithinBatch(`INSERT INTO ${OWED} (customer_id, kind, amount, fact_at, categories, category_seasons, double11_year)
      SELECT f.customer_id, s.kind, s.amount, s.fact_at, s.categories, s.category_seasons, s.double11_year ${from}`)).run();
    preparedStatement(db, WRITE_CONTEXT).run(timezone, now);
  }
  preparedStatement(db, FAST_CLEAR).run();
  return { created, rest, eventCount, events, restInputs };
}

/** A row of the staged-orders file read back as the order's input (what the parser validated). */
interface StagedInputRow {
  idx: number;
  external_id: string;
  customer_external_id: string;
  status: OrderInput['status'];
  amount: number;
  created_at: number;
  paid_at: number | null;
  promotion: string | null;
  coupon: string | null;
  items: string;
}

function inputFromFile(r: StagedInputRow): OrderInput {
  return { externalId: r.external_id, customerExternalId: r.customer_external_id, status: r.status, amount: r.amount, createdAt: r.created_at, paidAt: r.paid_at ?? undefined, promotion: r.promotion ?? undefined, coupon: r.coupon ?? undefined, items: JSON.parse(r.items) as OrderInput['items'] };
}

/** The chunk's indexes 0 … n − 1 written set-based: all but `rest` (sorted), in order. */
function createdBesides(rest: readonly number[], n: number): number[] {
  const created: number[] = [];
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (j < rest.length && rest[j] === i) j++;
    else created.push(i);
  }
  return created;
}

const FAST = 'temp.rekindle_import_fast';
const FAST_DDL = 'CREATE TEMP TABLE IF NOT EXISTS rekindle_import_fast (idx INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL)';
const FAST_CLEAR = `DELETE FROM ${FAST}`;

const STAGE_MMAP_BYTES = 256 << 20;

/** Schema slots in use per connection (imports may overlap on a server's connection). */
const stageSlots = new WeakMap<object, Set<number>>();

/**
 * Attaches a staged-orders file to the importing connection under a free schema name (inside or
 * outside a transaction; SQLite allows both) and returns the name. Detach with detachStageFile
 * once the transaction that read it has ended (SQLite refuses to detach inside one).
 */
export function attachStageFile(db: RawSqlite, file: string): string {
  let slots = stageSlots.get(db);
  if (!slots) stageSlots.set(db, (slots = new Set()));
  let slot = 0;
  while (slots.has(slot)) slot++;
  const schema = `rekindle_stage_${slot}`;
  db.prepare('ATTACH ? AS ' + schema).run(file);
  slots.add(slot);
  // Read through a memory map: the chunk reads the file's rows four times (lookups, orders, events,
  // owed facts), and through the default 2 MB page cache each pass would read it again, page by page.
  db.prepare(`PRAGMA ${schema}.mmap_size = ${STAGE_MMAP_BYTES}`).run();
  return schema;
}

/**
 * Detaches a staged-orders file: at once when the connection is outside a transaction (an
 * import's own, after its commit), else as soon as it is (another request's transaction on a
 * server's shared connection).
 */
export async function detachStageFile(db: RawSqlite, schema: string): Promise<void> {
  while ((db as unknown as { inTransaction: boolean }).inTransaction) await new Promise((resolve) => setTimeout(resolve, 5));
  db.prepare('DETACH ' + schema).run();
  stageSlots.get(db)?.delete(Number(schema.slice('rekindle_stage_'.length)));
}
