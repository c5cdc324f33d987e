import type { DataSource } from 'typeorm';
import type { Customer } from '../core/data/model.js';
import { couponLedgerOps } from './coupon-ledger.js';
import { deriveFacts, type Facts } from '../core/facts/derive.js';
import { isSharedDetail, type Effect, type Enrollment, type FlowVersion, type SendRequest, type StepLog } from '../core/engine/model.js';
import type { WakeTarget } from '../core/engine/event-reactions.js';
import type { BatchTransaction, EnrollmentCursor, EnrollmentRef, EnrollmentUpdate, JourneyEvent, JourneyStore, NewEnrollment } from '../core/engine/ports.js';
import type { ShopConfig } from '../core/shop-config.js';
import type { Flow } from '../core/flow/schema.js';
import { encodeList } from './columns.js';
import { rawRowToCustomer } from './customer-mapper.js';
import { decodeFacts, decodeFactsArray, someFactsRead, STORED_FACT_COLUMNS } from './fact-store.js';
import { deriveNamedFacts, storedFieldsOf } from '../core/facts/named-facts.js';
import { executeBatch, IN_CHUNK, inChunks, insertManyOps, insertWrittenOps, pgArrayLiteral, pgUnnestInsert, pgUnnestUpdate, placeholders, queryRows, type InsertManyOp, type PgTypes, type SqlOp } from './sql-batch.js';
import { isSqlite, rawSqlite } from './write-transaction.js';
import { columnsOf, packedColumns, unpackRows } from './packed-rows.js';
import { BatchUnit } from './batch-unit.js';
import { sqliteBatchIds } from './batch-ids.js';
import { sqliteEnrollmentUpdateOps } from './enrollment-updates.js';
import { storedDetail } from './journey-details.js';
import { DetailTexts } from './detail-texts.js';
import { analyzeAfterWrites, analyzeIfStale, STEPPING_TABLES } from './pg-statistics.js';
import { settleOwedFacts } from './owed-facts.js';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const json = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : ((v as T) ?? fallback));

/** The columns rowToEnrollment reads (the batch reads on SQLite select only these). */
const ENROLLMENT_COLUMNS = ['id', 'flow_id', 'version_id', 'customer_id', 'journey_key', 'node_id', 'status', 'entered_at', 'node_entered_at', 'wake_at', 'step_count', 'arm', 'group_label'] as const;

/** An enrollment's id and customer id from a row that has them (dueRefs). */
function rowToRef(r: Record<string, unknown>): EnrollmentRef {
  return { id: Number(r.id), customerId: Number(r.customer_id) };
}

export function rowToEnrollment(r: Record<string, unknown>): Enrollment {
  return {
    id: Number(r.id),
    flowId: String(r.flow_id),
    versionId: Number(r.version_id),
    customerId: Number(r.customer_id),
    journeyKey: String(r.journey_key),
    nodeId: String(r.node_id),
    status: r.status as Enrollment['status'],
    enteredAt: Number(r.entered_at),
    nodeEnteredAt: Number(r.node_entered_at),
    wakeAt: num(r.wake_at),
    stepCount: Number(r.step_count),
    arm: (r.arm as string | null) ?? null,
    ...(r.group_label ? { groupLabel: String(r.group_label) } : {}),
  };
}

/**
 * The columns of a batch's customer read: what rawRowToCustomer maps, and `deleted_at` to leave
 * deleted customers out. Not `SELECT *`: `created_at` and `updated_at` were read for every customer
 * of every send batch (two of the row's fifteen values) and never used.
 */
const CUSTOMER_COLUMNS = ['id', 'external_id', 'name', 'phone', 'email', 'wechat_id', 'province', 'city', 'device', 'tags', 'consent', 'attributes', 'deleted_at'] as const;

/** A Customer field's column (rawRowToCustomer reads it; a column not read leaves the field empty: null, [] or {}). */
const CUSTOMER_COLUMN: Record<keyof Customer, string> = { id: 'id', externalId: 'external_id', name: 'name', phone: 'phone', email: 'email', wechatId: 'wechat_id', province: 'province', city: 'city', device: 'device', tags: 'tags', consent: 'consent', attributes: 'attributes' };
const customerColumnLists = new Map<string, readonly string[]>();

/**
 * The columns of a batch's customer read for these fields (all: CUSTOMER_COLUMNS), in
 * CUSTOMER_COLUMNS' order, `id` and `deleted_at` always. One list per field set, so the statement
 * text (prepared once) is the same batch after batch.
 */
function customerColumns(fields: readonly (keyof Customer)[] | null): readonly string[] {
  if (fields === null) return CUSTOMER_COLUMNS;
  const key = fields.join(',');
  let cols = customerColumnLists.get(key);
  if (!cols) {
    const wanted = new Set<string>(['id', 'deleted_at', ...fields.map((f) => CUSTOMER_COLUMN[f])]);
    customerColumnLists.set(key, (cols = CUSTOMER_COLUMNS.filter((c) => wanted.has(c))));
  }
  return cols;
}

/**
 * A packed read of ENROLLMENT_COLUMNS (SQLite, packed-rows.ts) straight to enrollments: the
 * same objects as rowToEnrollment of the unpacked rows, without an object per row in between.
 */
function packedEnrollments(rows: Record<string, unknown>[]): Enrollment[] {
  const text = rows[0]?.packed;
  if (typeof text !== 'string') return [];
  const arrays = JSON.parse(text) as unknown[][];
  const out: Enrollment[] = new Array(arrays.length);
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i];
    const e: Enrollment = {
      id: Number(a[0]),
      flowId: String(a[1]),
      versionId: Number(a[2]),
      customerId: Number(a[3]),
      journeyKey: String(a[4]),
      nodeId: String(a[5]),
      status: a[6] as Enrollment['status'],
      enteredAt: Number(a[7]),
      nodeEnteredAt: Number(a[8]),
      wakeAt: num(a[9]),
      stepCount: Number(a[10]),
      arm: (a[11] as string | null) ?? null,
    };
    if (a[12]) e.groupLabel = String(a[12]);
    out[i] = e;
  }
  return out;
}

/** Columns of a `sends` row as the stepper writes it (with the policy's verdict already applied). */
export const SEND_COLUMNS = ['idempotency_key', 'enrollment_id', 'customer_id', 'flow_id', 'version_id', 'node_id', 'arm', 'channel', 'category', 'priority', 'subject', 'body', 'link_token', 'link_url', 'coupon_code', 'coupon_value', 'cost', 'status', 'reason', 'attempts', 'next_attempt_at', 'scheduled_at', 'campaign', 'group_label'];

/** A send's SEND_COLUMNS values, written at `out[k…]` (one statement's parameters, or a row of its own). */
function sendValues(s: SendRequest, out: unknown[], k: number): void {
  out[k] = s.idempotencyKey;
  out[k + 1] = s.enrollmentId;
  out[k + 2] = s.customerId;
  out[k + 3] = s.flowId;
  out[k + 4] = s.versionId;
  out[k + 5] = s.nodeId;
  out[k + 6] = s.arm;
  out[k + 7] = s.channel;
  out[k + 8] = s.category;
  out[k + 9] = s.priority;
  out[k + 10] = s.subject;
  out[k + 11] = s.body;
  out[k + 12] = s.linkToken;
  out[k + 13] = s.linkUrl;
  out[k + 14] = s.couponCode;
  out[k + 15] = s.couponValue;
  out[k + 16] = s.cost;
  out[k + 17] = s.status;
  out[k + 18] = s.reason;
  out[k + 19] = 0;
  out[k + 20] = null;
  out[k + 21] = s.scheduledAt;
  out[k + 22] = s.campaign ?? null;
  out[k + 23] = s.groupLabel ?? null;
}

/** PostgreSQL element types of SEND_COLUMNS (for unnest inserts). */
export const SEND_TYPES = ['text', 'int', 'int', 'text', 'int', 'text', 'text', 'text', 'text', 'int', 'text', 'text', 'text', 'text', 'text', 'float8', 'float8', 'text', 'text', 'int', 'bigint', 'bigint', 'text', 'text'] as const;
const STEP_COLUMNS = ['enrollment_id', 'customer_id', 'flow_id', 'version_id', 'node_id', 'at', 'outcome', 'detail', 'detail_key'];
const STEP_TYPES = ['int', 'int', 'text', 'int', 'text', 'bigint', 'text', 'text', 'text'] as const;
const SPLIT_COLUMNS = ['flow_id', 'node_id', 'customer_id', 'arm', 'enrollment_id', 'assigned_at'];
const SPLIT_TYPES = ['text', 'text', 'int', 'text', 'int', 'bigint'] as const;

/** The journey engine's store on SQLite or PostgreSQL (see core/engine/ports.ts). */
export class TypeOrmJourneyStore implements JourneyStore {
  constructor(
    private readonly ds: DataSource,
    private readonly shop: ShopConfig,
    /** The batch transaction this store is bound to (see inBatch), or none. */
    private readonly unit: BatchUnit | null = null,
    private readonly versions = new Map<number, FlowVersion>(),
  ) {}

  /** Reads inside the bound batch's transaction, if any. */
  private read(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.unit ? this.unit.read(sql, params) : queryRows(this.ds, sql, params);
  }

  async inBatch<T>(lock: { customerIds: number[]; enrollmentIds: number[] }, work: (tx: { store: JourneyStore; transaction: BatchTransaction }) => Promise<T>): Promise<T> {
    if (this.unit) return work({ store: this, transaction: this.unit });
    return BatchUnit.run(this.ds, lock, (unit) => work({ store: new TypeOrmJourneyStore(this.ds, this.shop, unit, this.versions), transaction: unit }));
  }

  async reloadDue(ids: number[], now: number): Promise<Enrollment[]> {
    if (ids.length === 0) return [];
    let rows: Enrollment[];
    if (this.dialect === 'postgres') {
      // ONE statement whatever the batch size, its ids as one array (an IN list of 1,000
      // placeholders was parsed and planned afresh each time, and split 900 + 100). Inside a batch
      // it also takes the enrollments' row locks, in id order, after the customers' (BatchUnit):
      // the separate `SELECT id … FOR UPDATE` of the same rows is not needed (stepStored).
      // Each id is looked up by the primary key from the array (LATERAL: a nested loop, whatever
      // the statistics say). Written as one `WHERE e.id = ANY(…) AND e.flow_id IN (…)`, a table
      // without statistics (just enrolled in bulk) let the planner take `flow_id` for selective
      // and read the flow's WHOLE enrollment list through uq_enrollments_entry for every batch
      // (bench/workers: PostgreSQL's CPU a step grew with the table). Inside a batch the lookup
      // locks each row as it reads it (`FOR UPDATE` in the lateral subquery: array order = id
      // order), then checks status, wake_at and the flow on the locked, latest version.
      // Only the columns rowToEnrollment reads (not entry_key, waiting_for, exit_reason, updated_at).
      const sql = `SELECT ${ENROLLMENT_COLUMNS.map((c) => `e.${c}`).join(', ')} FROM unnest(?::int[]) WITH ORDINALITY AS k(id, n)
            CROSS JOIN LATERAL (SELECT ${ENROLLMENT_COLUMNS.join(', ')} FROM enrollments WHERE id = k.id${this.unit ? ' FOR UPDATE' : ' OFFSET 0'}) e
            WHERE e.status || '' = 'active' AND e.wake_at + 0 <= ? AND e.flow_id IN (SELECT id FROM flows WHERE status = 'active')
            ORDER BY k.n`;
      rows = (await this.read(sql, [pgArrayLiteral(unique(ids).sort((a, b) => a - b)), now])).map(rowToEnrollment);
    } else {
      rows = await inChunks(unique(ids), (chunk) =>
        this.read(
          // `|| ''` and `+ 0`: by id, never through ix_enrollments_wake (SQLite would otherwise walk every due row)
          // nor through uq_enrollments_entry: with `e.flow_id IN (SELECT …)` SQLite's planner read EVERY
          // enrollment of the active flows by that index's flow_id prefix and tested each against the id
          // list (EXPLAIN: `SEARCH e USING INDEX uq_enrollments_entry (flow_id=?)`): 17 ms CPU for 900 ids in a
          // flow of 200,000 enrollments, 59 ms at 1,000,000 (by key: ~3 ms), growing with the campaign.
          `SELECT ${packedColumns(ENROLLMENT_COLUMNS, 'e')} FROM enrollments e WHERE e.id IN (${placeholders(chunk.length)}) AND e.status || '' = 'active' AND e.wake_at + 0 <= ?
            AND e.flow_id || '' IN (SELECT id FROM flows WHERE status = 'active')`,
          [...chunk, now],
        ).then(packedEnrollments),
      );
    }
    return rows.sort((a, b) => a.customerId - b.customerId || a.id - b.id);
  }

  /**
   * Limit-node counters (limit_counters). A counter seen for the first time starts from the journey
   * log rows older versions counted by (up to limit_seed_bound), so upgrading mid-campaign hands out
   * no extra places.
   */
  async limitCount(flowId: string, nodeId: string, windowStart: number): Promise<number> {
    const key = [flowId, nodeId, windowStart];
    const pending = this.limitAdds.get(key.join('\u0000'));
    const select = 'SELECT passed FROM limit_counters WHERE flow_id = ? AND node_id = ? AND window_start = ?';
    let [r] = this.unit ? await this.unit.readForUpdate(select, key) : await queryRows(this.ds, select, key);
    if (!r) {
      // Only log rows written before counters existed can hold places no counter has: those up to
      // the log's last id when migration 1765179031117 ran (none in a shop created since, where
      // the count read every log row of the flow for nothing). No bound recorded: the whole log.
      const [b] = await this.read('SELECT last_log_id FROM limit_seed_bound', []);
      const bound = b === undefined ? null : Number(b.last_log_id);
      const conflict = 'ON CONFLICT (flow_id, node_id, window_start) DO NOTHING';
      const seed =
        bound === 0
          ? `INSERT INTO limit_counters (flow_id, node_id, window_start, passed) VALUES (?, ?, ?, 0) ${conflict}`
          : `INSERT INTO limit_counters (flow_id, node_id, window_start, passed)
                    SELECT ?, ?, ?, COUNT(*) FROM journey_steps WHERE flow_id = ? AND node_id = ? AND outcome LIKE 'group:%' AND at >= ?${bound === null ? '' : ' AND id <= ?'}
                    ${conflict}`;
      const params = bound === 0 ? key : bound === null ? [...key, ...key] : [...key, ...key, bound];
      if (this.unit && !this.unit.sqlite) {
        await this.unit.exec(seed, params);
        [r] = await this.unit.readForUpdate(select, key);
      } else {
        await executeBatch(this.ds, [{ sql: seed, params }]);
        [r] = await queryRows(this.ds, select, key);
      }
    }
    return Number(r?.passed ?? 0) + (pending ?? 0);
  }

  private readonly limitAdds = new Map<string, number>();

  addToLimit(flowId: string, nodeId: string, windowStart: number, n: number): void {
    const op = { sql: 'UPDATE limit_counters SET passed = passed + ? WHERE flow_id = ? AND node_id = ? AND window_start = ?', params: [n, flowId, nodeId, windowStart] };
    if (!this.unit) throw new Error('limit counters move only inside a batch (inBatch)');
    // Later reads in the same batch must see it before the commit.
    const k = [flowId, nodeId, windowStart].join('\u0000');
    this.limitAdds.set(k, (this.limitAdds.get(k) ?? 0) + n);
    this.unit.write([op]);
  }

  /**
   * Due enrollments, batch by batch in (customer id, id) order. The first call of a tick (no
   * cursor) reads the keys of everything due at `now` in ONE query through ix_enrollments_wake
   * (status, wake_at, customer_id): only the due rows are touched, however many enrollments wait
   * (walking every active enrollment in customer order to find the due ones cost a scan of the
   * whole index per tick: most of a simulated hour at a million customers). Each batch then reads
   * its rows by id and checks them again (still active, still due, flow running). When the plan
   * is used up, one more query by cursor picks up what became due meanwhile (an event woke a
   * customer further on), as the walk by cursor did.
   */
  dueEnrollments(now: number, limit: number, after: EnrollmentCursor | null): Promise<Enrollment[]> {
    return this.due(now, limit, after, false);
  }

  /**
   * The same batches as dueEnrollments, ids only (a planner handing batches to workers, which
   * re-read the rows under lock): the dense read selects two columns instead of thirteen.
   */
  dueRefs(now: number, limit: number, after: EnrollmentCursor | null): Promise<EnrollmentRef[]> {
    return this.due(now, limit, after, true);
  }

  private async due(now: number, limit: number, after: EnrollmentCursor | null, refs: true): Promise<EnrollmentRef[]>;
  private async due(now: number, limit: number, after: EnrollmentCursor | null, refs: false): Promise<Enrollment[]>;
  private async due(now: number, limit: number, after: EnrollmentCursor | null, refs: boolean): Promise<(Enrollment | EnrollmentRef)[]> {
    if (after === null) this.plans.set(now, await this.duePlan(now));
    const plan = this.plans.get(now);
    if (plan) {
      const c = after ?? { customerId: -1, id: -1 };
      // First planned key after the cursor (the plan is sorted by customer id, then id).
      let lo = 0;
      let hi = plan.ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (plan.customers[mid] < c.customerId || (plan.customers[mid] === c.customerId && plan.ids[mid] <= c.id)) lo = mid + 1;
        else hi = mid;
      }
      while (lo < plan.ids.length) {
        const end = Math.min(lo + limit, plan.ids.length);
        const ids = Array.from(plan.ids.subarray(lo, end));
        const first = plan.customers[lo];
        const last = plan.customers[end - 1];
        lo = end;
        let rows: (Enrollment | EnrollmentRef)[];
        if (ids.length >= 32 && last - first < ids.length * 3) {
          // Dense (the usual case: a campaign's customers wake together): one range of ix_enrollments_customer,
          // taking what became due since the plan was read too, as the walk by cursor did.
          // `flow_id || ''`: never through uq_enrollments_entry (PostgreSQL without statistics took
          // the flow for selective and intersected the range with ALL the flow's enrollments).
          // SQLite: the batch's rows as one packed text (packed-rows.ts: ~half the CPU of row-by-row values).
          const sqlite = this.dialect === 'sqlite';
          const columns = refs ? 'e.id, e.customer_id' : sqlite ? packedColumns(ENROLLMENT_COLUMNS, 'e') : ENROLLMENT_COLUMNS.map((c) => `e.${c}`).join(', ');
          const read = await this.read(
            `SELECT ${columns} FROM enrollments e WHERE e.customer_id BETWEEN ? AND ? AND e.status || '' = 'active' AND e.wake_at + 0 <= ?
                AND e.flow_id || '' IN (SELECT id FROM flows WHERE status = 'active')`,
            [first, last, now],
          );
          const found: (Enrollment | EnrollmentRef)[] = refs ? read.map(rowToRef) : sqlite ? packedEnrollments(read) : read.map(rowToEnrollment);
          // Sorted here, not by ORDER BY: ix_enrollments_customer is (customer_id, journey_key), so
          // SQL would sort the whole batch's rows in a temporary B-tree for (customer_id, id).
          rows = found
            .filter((e) => e.customerId > c.customerId || (e.customerId === c.customerId && e.id > c.id))
            .sort((a, b) => a.customerId - b.customerId || a.id - b.id);
        } else rows = await this.reloadDue(ids, now);
        if (rows.length > 0) return rows;
      }
      this.plans.delete(now);
    }
    const c = after ?? { customerId: -1, id: -1 };
    const rows = await this.read(
      `SELECT e.* FROM enrollments e${this.dialect === 'sqlite' ? ' INDEXED BY ix_enrollments_wake' : ''}
        WHERE e.status = 'active' AND e.wake_at <= ?
          AND (e.customer_id > ? OR (e.customer_id = ? AND e.id > ?))
          AND e.flow_id IN (SELECT id FROM flows WHERE status = 'active')
        ORDER BY e.customer_id, e.id LIMIT ?`,
      [now, c.customerId, c.customerId, c.id, limit],
    );
    return refs ? rows.map(rowToRef) : rows.map(rowToEnrollment);
  }

  /** Plans of the ticks under way, by instant (a tick at a new instant starts a new one). */
  private readonly plans = new Map<number, { ids: Float64Array; customers: Float64Array }>();

  private async duePlan(now: number): Promise<{ ids: Float64Array; customers: Float64Array }> {
    if (this.plans.size > 4) this.plans.clear();
    // Once a tick, before its batches: statistics that follow what the last ticks wrote (sends,
    // journey log, assignments grow by a campaign at a time; see pg-statistics.ts).
    if (!this.unit) await analyzeIfStale(this.ds, STEPPING_TABLES);
    // Row objects, not the two JSON number arrays w-engine5 tried: those read fewer instructions, but with
    // them V8 promoted ~16 MB a scavenge and ran 5–6 mark-compacts a bench run instead of one (bench/README.md).
    const rows = await this.read(
      `SELECT customer_id, id FROM enrollments${this.dialect === 'sqlite' ? ' INDEXED BY ix_enrollments_wake' : ''}
        WHERE status = 'active' AND wake_at <= ? ORDER BY customer_id, id`,
      [now],
    );
    const ids = new Float64Array(rows.length);
    const customers = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      ids[i] = Number(rows[i].id);
      customers[i] = Number(rows[i].customer_id);
    }
    return { ids, customers };
  }

  async flowVersion(id: number): Promise<FlowVersion> {
    let v = this.versions.get(id);
    if (!v) {
      const [r] = await this.read('SELECT * FROM flow_versions WHERE id = ?', [id]);
      if (!r) throw new Error(`flow version ${id} does not exist`);
      v = { id: Number(r.id), flowId: String(r.flow_id), version: Number(r.version), hash: String(r.hash), flow: JSON.parse(String(r.content)) as Flow, publishedAt: Number(r.published_at), author: String(r.author) };
      this.versions.set(id, v); // versions are immutable, so caching is always right
    }
    return v;
  }

  /**
   * Rows of a batch's customers. SQLite reads exactly the batch's rows (batch-ids.ts). PostgreSQL:
   * batches are walked in customer-id order, so their ids are usually dense: one range scan then
   * beats a long IN list; sparse batches use IN lists.
   */
  private async rowsFor(table: string, idColumn: string, ids: number[], only?: readonly string[]): Promise<Record<string, unknown>[]> {
    const u = unique(ids).sort((a, b) => a - b);
    if (u.length === 0) return [];
    const lo = u[0];
    const hi = u[u.length - 1];
    // `only`: just these columns (every value read costs better-sqlite3 a call into V8).
    const select = only ? only.join(', ') : '*';
    if (this.dialect === 'sqlite') {
      const where = sqliteBatchIds(idColumn, u);
      return this.read(`SELECT ${select} FROM ${table} WHERE ${where.sql}`, where.params);
    }
    if (u.length >= 32 && hi - lo < u.length * 3) {
      const wanted = new Set(u);
      const rows = await this.read(`SELECT ${select} FROM ${table} WHERE ${idColumn} BETWEEN ? AND ?`, [lo, hi]);
      return rows.filter((r) => wanted.has(Number(r[idColumn])));
    }
    return inChunks(u, (chunk) => this.read(`SELECT ${select} FROM ${table} WHERE ${idColumn} IN (${placeholders(chunk.length)})`, chunk));
  }

  /**
   * SQLite: the batch's rows of `columns` (the id column first) as arrays of one packed read
   * (packed-rows.ts), exactly the batch's rows (batch-ids.ts).
   */
  private async packedRowsFor(table: string, idColumn: string, ids: number[], columns: readonly string[]): Promise<unknown[][]> {
    const u = unique(ids).sort((a, b) => a - b);
    if (u.length === 0) return [];
    const where = sqliteBatchIds(idColumn, u);
    const [row] = await this.read(`SELECT ${packedColumns(columns, table)} FROM ${table} WHERE ${where.sql}`, where.params);
    return typeof row?.packed === 'string' ? (JSON.parse(row.packed) as unknown[][]) : [];
  }

  async customers(ids: number[], fields: readonly (keyof Customer)[] | null = null): Promise<Map<number, Customer>> {
    // Deleted customers are left out here rather than in SQL: `deleted_at IS NULL` in the statement
    // let PostgreSQL (without statistics) intersect the id range with ix_customers_deleted_at,
    // i.e. with every live customer of the shop, for every batch.
    const out = new Map<number, Customer>();
    for (const r of await this.rowsFor('customers', 'id', ids, customerColumns(fields))) if (r.deleted_at === null || r.deleted_at === undefined) out.set(Number(r.id), rawRowToCustomer(r));
    return out;
  }

  async facts(ids: number[], at: number, names: readonly string[] | null = null): Promise<Map<number, Facts>> {
    // An import's owed facts first (owed-facts.ts). SQLite batches read outside a transaction
    // (batch-unit.ts), so this settles in its own; inside one it settles there.
    await settleOwedFacts(this.ds);
    // The thresholds once a batch: they follow rules/shop.yaml (live-lifecycle.ts), each read a file check.
    const ctx = { at, timezone: this.shop.timezone, lifecycle: { ...this.shop.lifecycle } };
    const out = new Map<number, Facts>();
    if (this.dialect === 'sqlite' && names !== null) {
      // Only the named facts, from only the columns they are derived from (bench/engine's email
      // names {{facts.aov}}: 4 columns of 22 read, 2 facts of 35 derived). PostgreSQL reads all.
      const read = someFactsRead(storedFieldsOf(names));
      for (const a of await this.packedRowsFor('customer_facts', 'customer_id', ids, read.columns)) out.set(Number(a[0]), deriveNamedFacts(read.decode(a), ctx, names));
      return out;
    }
    if (this.dialect === 'sqlite') {
      // The packed rows decoded straight from their arrays (decodeFactsArray), not shaped into objects first.
      for (const a of await this.packedRowsFor('customer_facts', 'customer_id', ids, STORED_FACT_COLUMNS)) out.set(Number(a[0]), deriveFacts(decodeFactsArray(a), ctx));
      return out;
    }
    for (const r of await this.rowsFor('customer_facts', 'customer_id', ids)) out.set(Number(r.customer_id), deriveFacts(decodeFacts(r), ctx));
    return out;
  }

  async events(customerIds: number[], types: string[], since: number): Promise<JourneyEvent[]> {
    if (types.length === 0 || customerIds.length === 0) return [];
    const rows = await inChunks(unique(customerIds), (chunk) =>
      this.read(
        `SELECT id, customer_id, type, properties, occurred_at FROM customer_events
          WHERE customer_id IN (${placeholders(chunk.length)}) AND type IN (${placeholders(types.length)}) AND occurred_at >= ?`,
        [...chunk, ...types, since],
      ),
    );
    return rows
      .map((r) => ({ id: Number(r.id), customerId: Number(r.customer_id), type: String(r.type), properties: json<Record<string, unknown>>(r.properties, {}), occurredAt: Number(r.occurred_at) }))
      .sort((a, b) => a.occurredAt - b.occurredAt || a.id - b.id);
  }

  async assignments(flowId: string, nodeId: string, customerIds: number[]): Promise<Map<number, string>> {
    const rows =
      this.dialect === 'postgres'
        ? // One array parameter: one statement text (prepared once), not 900-placeholder chunks.
          // By the full key of uq_split_assignments for each customer (LATERAL: without statistics
          // the planner read the node's every assignment and filtered them by customer).
          await this.read(
            `SELECT s.customer_id, s.arm FROM unnest(?::int[]) AS k(id)
              CROSS JOIN LATERAL (SELECT customer_id, arm FROM split_assignments WHERE flow_id = ? AND node_id = ? AND customer_id = k.id OFFSET 0) s`,
            [pgArrayLiteral(unique(customerIds)), flowId, nodeId],
          )
        : await inChunks(unique(customerIds), (chunk) =>
            this.read(`SELECT customer_id, arm FROM split_assignments WHERE flow_id = ? AND node_id = ? AND customer_id IN (${placeholders(chunk.length)})`, [flowId, nodeId, ...chunk]),
          );
    return new Map(rows.map((r) => [Number(r.customer_id), String(r.arm)]));
  }

  async commitStep(updates: EnrollmentUpdate[], effects: Effect[], logs: StepLog[]): Promise<void> {
    const now = logs[0]?.at ?? 0;
    const ops: SqlOp[] = this.updateOps(updates, now);
    ops.push(...(await this.effectOps(effects, now)));
    // A shared detail (a rule's "why", the same for every customer alike in the facts it read) is
    // stored once in journey_details and named by the log row. A batch writes the details its rows
    // name (ON CONFLICT: a no-op when stored) unless an earlier batch of the same tick, in this
    // process, committed them: the batches of a tick name the same details over and over
    // (bench/double11 at 100,000 customers: 58,217 detail rows written before, 23,648 after).
    // Only within one tick: nothing in a tick deletes them, while between ticks another process
    // may have emptied the shop (`rekindle seed --reset`), and then a batch writes them again.
    const committed = committedDetails(this.ds, now);
    const details = new Map<string, string>();
    // Executors hand the same detail object to the rows that share it (a limit node's group, a split's
    // arm): serialised once, not once a row. The last two kept (a split's rows alternate arms).
    const recent = new DetailTexts();
    const write = (out: unknown[], k: number, i: number) => {
      const l = logs[i];
      const shared = l.detail && isSharedDetail(l.detail) ? storedDetail(l.detail) : null;
      if (shared && !committed.has(shared.key)) {
        details.set(shared.key, shared.json);
        for (const part of shared.parts) if (!committed.has(part.key)) details.set(part.key, part.json);
      }
      out[k] = l.enrollmentId;
      out[k + 1] = l.customerId;
      out[k + 2] = l.flowId;
      out[k + 3] = l.versionId;
      out[k + 4] = l.nodeId;
      out[k + 5] = l.at;
      out[k + 6] = l.outcome;
      out[k + 7] = !shared && l.detail ? recent.text(l.detail) : null;
      out[k + 8] = shared?.key ?? null;
    };
    let stepOps: SqlOp[];
    if (isSqlite(this.ds)) stepOps = insertWrittenOps({ table: 'journey_steps', columns: STEP_COLUMNS }, logs.length, write);
    else {
      const rows = logs.map((_, i) => {
        const row: unknown[] = new Array(STEP_COLUMNS.length);
        write(row, 0, i);
        return row;
      });
      stepOps = pgUnnestInsert({ table: 'journey_steps', columns: STEP_COLUMNS, rows }, STEP_TYPES);
    }
    // The details the log rows name go in first (written above, while the rows were).
    // PostgreSQL: in key order, so that two workers' batches naming the same new details take
    // their row locks in the same order (in the Map's order they deadlocked: "deadlock detected",
    // the batch retried). SQLite has one writer at a time: no order needed.
    const detailRows = isSqlite(this.ds) ? [...details] : [...details].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    ops.push(...this.insertOps({ table: 'journey_details', columns: ['key', 'detail'], rows: detailRows, suffix: 'ON CONFLICT (key) DO NOTHING' }, ['text', 'text']));
    ops.push(...stepOps);
    const remember = () => {
      for (const key of details.keys()) committed.add(key);
    };
    if (this.unit) {
      this.unit.write(ops);
      this.unit.onCommit(remember);
    } else {
      await executeBatch(this.ds, ops);
      remember();
    }
  }

  /** Multi-row inserts: 50-row VALUES statements on SQLite, one `unnest` statement on PostgreSQL. */
  private insertOps(op: InsertManyOp, types: PgTypes): SqlOp[] {
    return isSqlite(this.ds) ? insertManyOps(op) : pgUnnestInsert(op, types);
  }

  /** Enrollment updates. On PostgreSQL the whole batch is ONE `UPDATE … FROM unnest(…)`; SQLite groups them by new state. */
  private updateOps(updates: EnrollmentUpdate[], now: number): SqlOp[] {
    const row = (u: EnrollmentUpdate) => [u.id, u.nodeId, u.status, u.nodeEnteredAt, u.wakeAt, u.stepCount, u.arm, u.waitingFor ? encodeList(u.waitingFor) : null, u.exitReason, u.groupLabel ?? null];
    if (!isSqlite(this.ds)) {
      return pgUnnestUpdate(
        'enrollments',
        ['id', 'node_id', 'status', 'node_entered_at', 'wake_at', 'step_count', 'arm', 'waiting_for', 'exit_reason', 'group_label'],
        ['int', 'text', 'text', 'bigint', 'bigint', 'int', 'text', 'text', 'text', 'text'],
        updates.map(row),
        `node_id = v.node_id, status = v.status, node_entered_at = v.node_entered_at, wake_at = v.wake_at, step_count = v.step_count, arm = v.arm,
         waiting_for = v.waiting_for, exit_reason = v.exit_reason, group_label = COALESCE(v.group_label, t.group_label), updated_at = ?`,
        [now],
      );
    }
    // SQLite: one `UPDATE … WHERE id IN (…)` per new state shared by many of the batch, single-row
    // updates for the rest (enrollment-updates.ts).
    return sqliteEnrollmentUpdateOps(updates, now);
  }

  private async effectOps(effects: Effect[], now: number): Promise<SqlOp[]> {
    const ops: SqlOp[] = [];
    const tagChanges = new Map<number, Effect[]>();
    const sends: SendRequest[] = [];
    const assignRows: unknown[][] = [];
    for (const ef of effects) {
      switch (ef.kind) {
        case 'send':
          sends.push(ef.send);
          break;
        case 'assign':
          assignRows.push([ef.flowId, ef.nodeId, ef.customerId, ef.arm, ef.enrollmentId, ef.at]);
          break;
        default: {
          const list = tagChanges.get(ef.customerId) ?? [];
          list.push(ef);
          tagChanges.set(ef.customerId, list);
        }
      }
    }
    // The idempotency key makes a repeated step (after a crash) a no-op instead of a second message.
    const sendOp = { table: 'sends', columns: SEND_COLUMNS, suffix: 'ON CONFLICT (idempotency_key) DO NOTHING' };
    if (isSqlite(this.ds)) ops.push(...insertWrittenOps(sendOp, sends.length, (out, k, i) => sendValues(sends[i], out, k)));
    else
      ops.push(
        ...pgUnnestInsert(
          {
            ...sendOp,
            rows: sends.map((s) => {
              const row: unknown[] = new Array(SEND_COLUMNS.length);
              sendValues(s, row, 0);
              return row;
            }),
          },
          SEND_TYPES,
          { optimistic: true },
        ),
      );
    const splitOp = { table: 'split_assignments', columns: SPLIT_COLUMNS, rows: assignRows, suffix: 'ON CONFLICT (flow_id, node_id, customer_id) DO NOTHING' };
    ops.push(...(isSqlite(this.ds) ? insertManyOps(splitOp) : pgUnnestInsert(splitOp, SPLIT_TYPES, { optimistic: true })));
    // Coupons issued by the queued sends go into the ledger with them (keyed by the send's key).
    ops.push(...couponLedgerOps(effects.flatMap((ef) => (ef.kind === 'send' ? [ef.send] : []))));
    if (tagChanges.size > 0) {
      const customers = await this.customers([...tagChanges.keys()]);
      const customerRows: unknown[][] = [];
      const factRows: unknown[][] = [];
      for (const [id, changes] of tagChanges) {
        const c = customers.get(id);
        if (!c) continue;
        const tags = new Set(c.tags);
        const attributes = { ...c.attributes };
        for (const ch of changes) {
          if (ch.kind === 'addTag') tags.add(ch.tag);
          else if (ch.kind === 'removeTag') tags.delete(ch.tag);
          else if (ch.kind === 'setAttribute') attributes[ch.name] = ch.value;
        }
        const sorted = [...tags].sort();
        customerRows.push([id, JSON.stringify(sorted), JSON.stringify(attributes)]);
        factRows.push([id, encodeList(sorted)]);
      }
      if (isSqlite(this.ds)) {
        for (const [id, tags, attributes] of customerRows) ops.push({ sql: `UPDATE customers SET tags = ?, attributes = ?, updated_at = ? WHERE id = ?`, params: [tags, attributes, now, id] });
        // Tags are also a fact: keep the fact row current in the same transaction.
        for (const [id, tags] of factRows) ops.push({ sql: `UPDATE customer_facts SET tags = ?, updated_at = ? WHERE customer_id = ?`, params: [tags, now, id] });
      } else {
        // PostgreSQL: one statement per table for the whole batch.
        ops.push(...pgUnnestUpdate('customers', ['id', 'tags', 'attributes'], ['int', 'text', 'text'], customerRows, 'tags = v.tags, attributes = v.attributes, updated_at = ?', [now]));
        ops.push(...pgUnnestUpdate('customer_facts', ['customer_id', 'tags'], ['int', 'text'], factRows, 'tags = v.tags, updated_at = ?', [now]));
      }
    }
    return ops;
  }

  async enroll(entries: NewEnrollment[], now: number, logFor: (e: NewEnrollment) => Omit<StepLog, 'enrollmentId'>): Promise<number> {
    if (entries.length === 0) return 0;
    const { inserts, logs } = enrollOps(entries, now, logFor);
    const changes = await executeBatch(this.ds, [...inserts, ...logs]);
    const enrolled = changes.slice(0, inserts.length).reduce((a, b) => a + b, 0);
    // A campaign enrolled in bulk steps at once: its plans need the new rows in the statistics.
    // Paced by the rows written (event intake enrols every inbox batch; see pg-statistics.ts).
    await analyzeAfterWrites(this.ds, ['enrollments', 'journey_steps'], enrolled);
    return enrolled;
  }

  /**
   * Entries of a flow for re-entry policies (see EntryStore.entryHistory): a candidate with a
   * journey key gets that customer's entries with that key, one without ('') all of them.
   */
  async entryHistory(flowId: string, candidates: { customerId: number; journeyKey: string }[]): Promise<Map<number, { journeyKey: string; enteredAt: number; active: boolean }[]>> {
    const whole = new Set<number>();
    for (const c of candidates) if (c.journeyKey === '') whole.add(c.customerId);
    const pairs = new Map<string, [number, string]>();
    for (const c of candidates) if (!whole.has(c.customerId)) pairs.set(`${c.customerId}\u0000${c.journeyKey}`, [c.customerId, c.journeyKey]);
    const rows = await inChunks([...whole], (chunk) =>
      // By customer (ix_enrollments_customer): a customer has a handful of enrollments. A planner
      // without statistics (SQLite always; PostgreSQL before its ANALYZE) may prefer the flow_id
      // prefix of uq_enrollments_entry — every enrollment of the flow — so `|| ''` keeps it off.
      queryRows(this.ds, `SELECT customer_id, journey_key, entered_at, status FROM enrollments WHERE flow_id || '' = ? AND customer_id IN (${placeholders(chunk.length)})`, [flowId, ...chunk]),
    );
    // Keyed candidates: one seek of ix_enrollments_customer (customer_id, journey_key) each, which
    // finds nothing in the usual case (a new order's key), instead of every enrollment the
    // customer ever had read from the table. The pairs go in as one parameter, so the statement
    // text (prepared once) does not depend on the batch; CROSS JOIN / LATERAL keep the pairs outer.
    rows.push(
      ...(await inChunks([...pairs.values()], (chunk) =>
        this.dialect === 'postgres'
          ? queryRows(
              this.ds,
              `SELECT e.customer_id, e.journey_key, e.entered_at, e.status FROM unnest(?::int[], ?::text[]) AS k(customer_id, journey_key)
                CROSS JOIN LATERAL (SELECT customer_id, journey_key, entered_at, status FROM enrollments
                  WHERE customer_id = k.customer_id AND journey_key = k.journey_key AND flow_id || '' = ? OFFSET 0) e`,
              [chunk.map((p) => p[0]), chunk.map((p) => p[1]), flowId],
            )
          : queryRows(
              this.ds,
              `SELECT e.customer_id, e.journey_key, e.entered_at, e.status FROM json_each(?) k
                CROSS JOIN enrollments e ON e.customer_id = k.value ->> 0 AND e.journey_key = k.value ->> 1 WHERE e.flow_id || '' = ?`,
              [JSON.stringify(chunk), flowId],
            ),
      )),
    );
    const m = new Map<number, { journeyKey: string; enteredAt: number; active: boolean }[]>();
    for (const r of rows) {
      const id = Number(r.customer_id);
      const list = m.get(id) ?? [];
      list.push({ journeyKey: String(r.journey_key), enteredAt: Number(r.entered_at), active: r.status === 'active' });
      m.set(id, list);
    }
    return m;
  }

  /** Wakes the sleeping enrollments that can react to arriving events now, so they are acted on at once. */
  async wake(targets: WakeTarget[], now: number): Promise<number> {
    let total = 0;
    for (const op of wakeOps(targets, now, this.dialect)) total += (await executeBatch(this.ds, [op]))[0];
    return total;
  }

  get dialect(): 'sqlite' | 'postgres' {
    return isSqlite(this.ds) ? 'sqlite' : 'postgres';
  }
}

/** Keys of the shared details this process committed to a database during the tick at `at` (see commitStep). */
const detailsOfTick = new WeakMap<DataSource, { at: number; keys: Set<string> }>();

function committedDetails(ds: DataSource, at: number): Set<string> {
  let t = detailsOfTick.get(ds);
  if (!t || t.at !== at) detailsOfTick.set(ds, (t = { at, keys: new Set() }));
  return t.keys;
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)];
}

/**
 * The statements that insert enrollments (skipping any whose entry key exists) and log their
 * entry: the inserts first, then ONE set-based log statement (last). Exported so the event
 * inbox can commit them in the same transaction as the events' consumption.
 */
export function enrollOps(entries: NewEnrollment[], now: number, logFor: (e: NewEnrollment) => Omit<StepLog, 'enrollmentId'>): { inserts: SqlOp[]; logs: SqlOp[] } {
  if (entries.length === 0) return { inserts: [], logs: [] };
  const inserts = insertManyOps({
    table: 'enrollments',
    columns: ['flow_id', 'version_id', 'customer_id', 'journey_key', 'node_id', 'status', 'entered_at', 'node_entered_at', 'wake_at', 'step_count', 'entry_key', 'updated_at'],
    rows: entries.map((e) => [e.flowId, e.versionId, e.customerId, e.journeyKey, e.nodeId, 'active', e.enteredAt, e.enteredAt, e.wakeAt ?? e.enteredAt, 0, e.entryKey, now]),
    suffix: 'ON CONFLICT (flow_id, entry_key) DO NOTHING',
  });
  // Set-based statements log the entry of every enrollment this call created: written now,
  // not stepped yet, and without a log line (a repeated call finds them logged already). They
  // look the enrollments up by (flow_id, entry_key) — the unique index — so their cost is the
  // batch's size, not the flow's. (Before, SQLite's planner took `status = 'active'` to the
  // ix_enrollments_due index (since replaced by ix_enrollments_wake) and read every active enrollment of the shop for every batch: 24 ms
  // a batch at 20k customers, growing with the journeys. `status || ''` keeps that test off the
  // index on both dialects.)
  const first = entries[0];
  const l = logFor(first);
  const keys = [...new Set(entries.map((e) => e.entryKey))];
  const logs: SqlOp[] = [];
  for (let i = 0; i < keys.length; i += IN_CHUNK) {
    const chunk = keys.slice(i, i + IN_CHUNK);
    logs.push({
      sql: `INSERT INTO journey_steps (enrollment_id, customer_id, flow_id, version_id, node_id, at, outcome, detail)
          SELECT e.id, e.customer_id, e.flow_id, e.version_id, ?, e.entered_at, ?, ? FROM enrollments e
           WHERE e.flow_id = ? AND e.entry_key IN (${placeholders(chunk.length)}) AND e.version_id = ? AND e.updated_at = ? AND e.step_count = 0 AND e.status || '' = 'active'
             AND NOT EXISTS (SELECT 1 FROM journey_steps s WHERE s.enrollment_id = e.id)`,
      params: [l.nodeId, l.outcome, l.detail ? JSON.stringify(l.detail) : null, first.flowId, ...chunk, first.versionId, now],
    });
  }
  return { inserts, logs };
}

/**
 * The statements that wake, at `now`, the sleeping enrollments the targets name (one target per
 * event type, see core/engine/event-reactions.ts): of the target's customers, those on a version
 * whose exitOn names the type or whose `waiting_for` holds it. One statement per type and chunk of
 * 900 customers. `waiting_for` is the encoded list `|a|b|` (columns.ts), so `|type|` as a
 * substring is exactly "holds the type" (case-sensitive: instr / strpos, not LIKE).
 */
export function wakeOps(targets: WakeTarget[], now: number, dialect: 'sqlite' | 'postgres'): SqlOp[] {
  const ops: SqlOp[] = [];
  const holds = dialect === 'sqlite' ? 'instr(waiting_for, ?) > 0' : 'strpos(waiting_for, ?) > 0';
  for (const t of targets) {
    const reacts: string[] = [];
    const reactParams: unknown[] = [];
    if (t.exitVersionIds.length > 0) {
      reacts.push(`version_id IN (${placeholders(t.exitVersionIds.length)})`);
      reactParams.push(...t.exitVersionIds);
    }
    if (t.waiting) {
      reacts.push(holds);
      reactParams.push(encodeList([t.eventType]));
    }
    if (reacts.length === 0) continue;
    const ids = unique(t.customerIds);
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
      if (dialect === 'postgres') {
        // Also the journeys due already, locked in id order (as a worker's batch locks them): a
        // journey a worker is stepping is due in this statement's snapshot, and `wake_at > now`
        // skipped it without waiting, so the worker's commit then put it to sleep past this
        // event (its exit check had read the events before this one was stored). Locking waits
        // for the worker's commit and wakes what it put to sleep; a due journey keeps its time.
        ops.push({
          sql: `UPDATE enrollments SET wake_at = LEAST(wake_at, ?) WHERE id IN (SELECT id FROM enrollments WHERE status || '' = 'active' AND customer_id IN (${placeholders(chunk.length)}) AND (${reacts.join(' OR ')}) ORDER BY id FOR UPDATE)`,
          params: [now, ...chunk, ...reactParams],
        });
        continue;
      }
      // By customer (ix_enrollments_customer), never through ix_enrollments_wake: `|| ''` and `+ 0` keep the planner off it.
      ops.push({
        sql: `UPDATE enrollments SET wake_at = ? WHERE status || '' = 'active' AND wake_at + 0 > ? AND customer_id IN (${placeholders(chunk.length)}) AND (${reacts.join(' OR ')})`,
        params: [now, now, ...chunk, ...reactParams],
      });
    }
  }
  return ops;
}
