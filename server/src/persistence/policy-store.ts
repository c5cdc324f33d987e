import type { DataSource, EntityManager } from 'typeorm';
import { MS_PER_DAY } from '../core/clock.js';
import type { SendRequest } from '../core/engine/model.js';
import type { BatchTransaction } from '../core/engine/ports.js';
import { storedLinkToken } from '../core/engine/tokens.js';
import { parseDuration } from '../core/flow/duration.js';
import type { BatchReads, GroupLabels, SendPolicy } from '../core/policy/ports.js';
import { reviewSends, type CampaignShare, type CustomerStanding, type PolicyRequest, type Touch, type Verdict } from '../core/policy/review.js';
import type { Cap, ContactPolicy } from '../core/policy/schema.js';
import { BatchUnit, isBatchUnit } from './batch-unit.js';
import { sqliteBatchIds } from './batch-ids.js';
import { couponLedgerOps } from './coupon-ledger.js';
import { heldBackWithoutCoupon } from '../core/engine/held-back-coupon.js';
import { SEND_COLUMNS, SEND_TYPES } from './journey-store.js';
import { insertManyOps, pgUnnestInsert, placeholders, toPgPlaceholders } from './sql-batch.js';
import { packedColumns, unpackRows } from './packed-rows.js';
import { isSqlite, writeTransaction } from './write-transaction.js';
import { settleOwedFacts } from './owed-facts.js';

export interface PolicyStoreOptions {
  timezone: string;
  policy: () => ContactPolicy;
  /** External ids on a block list (rules/lists/<name>.txt). */
  list?: (name: string) => Set<string>;
  /** Customers matching a named rule at an instant (block rules). */
  segment?: (rule: string, at: number) => Promise<number[]>;
}

const LIVE = new Set(['queued', 'sending', 'sent']);

/** The opt-outs of a customer without any (shared by them all: never added to, see standing). */
const NOT_UNSUBSCRIBED: ReadonlySet<string> = new Set<string>();

/**
 * SendPolicy over the database (see core/policy/ports.ts). The engine uses `within`: the policy of
 * ONE stepping batch, inside that batch's transaction (persistence/batch-unit.ts). It reads the
 * batch's customers' touches and standing once, set-based, decides every send of the batch in
 * memory (core/policy/review.ts), and leaves the writes to the batch's commit: the `sends` rows
 * (with their verdicts) come from the stepper, the shared counters from here.
 *
 * Concurrency: on PostgreSQL the batch's transaction has locked its customers' rows first
 * (`SELECT … FOR UPDATE`, in id order, so two workers never deadlock on them); a second worker
 * stepping the same customer waits for the lock and, under READ COMMITTED, then reads the first
 * one's sends. Counter rows (a campaign's multi-touch customers) are locked when first read. On
 * SQLite the engine is one process whose batches never overlap.
 */
export class PolicyStore implements SendPolicy, GroupLabels {
  private segmentCache = new Map<string, Promise<Set<number>>>();
  private baseCache: { at: number; n: number } | null = null;

  constructor(private readonly ds: DataSource, private readonly opts: PolicyStoreOptions) {}

  within(tx: BatchTransaction, customerIds: number[], reads?: BatchReads): SendPolicy {
    if (!isBatchUnit(tx)) throw new Error('PolicyStore.within needs a batch transaction of persistence/batch-unit.ts');
    return new BatchPolicy(this, tx, customerIds, this.opts.timezone, reads);
  }

  /**
   * A review outside any stepping batch: its own transaction, which also writes the `sends` rows of
   * every final verdict (keyed by the idempotency key, so a later insert of the same send is a no-op).
   */
  async review(items: { request: PolicyRequest; send: SendRequest }[], now: number): Promise<Map<string, Verdict>> {
    if (items.length === 0) return new Map();
    const ids = items.map((i) => i.request.customerId);
    return BatchUnit.run(this.ds, { customerIds: ids, enrollmentIds: [] }, async (unit) => {
      const verdicts = await new BatchPolicy(this, unit, ids, this.opts.timezone).review(items, now);
      const rows: unknown[][] = [];
      for (const { request, send } of items) {
        const v = verdicts.get(request.key)!;
        if (v.status === 'deferred') continue;
        const s = heldBackWithoutCoupon(send, v.status === 'queued' ? 'queued' : 'blocked');
        rows.push([s.idempotencyKey, s.enrollmentId, s.customerId, s.flowId, s.versionId, s.nodeId, s.arm, v.channel, s.category, s.priority, s.subject, s.body, storedLinkToken(v.status, s.linkToken), s.linkUrl, s.couponCode, s.couponValue, s.cost, v.status === 'capped' ? 'blocked' : v.status, v.reason, 0, null, now, request.campaign, s.groupLabel ?? null]);
      }
      const op = { table: 'sends', columns: SEND_COLUMNS, rows, suffix: 'ON CONFLICT (idempotency_key) DO NOTHING' };
      unit.write(unit.sqlite ? insertManyOps(op) : pgUnnestInsert(op, SEND_TYPES));
      unit.write(couponLedgerOps(items.filter(({ request }) => verdicts.get(request.key)?.status === 'queued').map(({ send }) => ({ ...send, status: 'queued' as const }))));
      return verdicts;
    });
  }

  policy(): ContactPolicy {
    return this.opts.policy();
  }

  /**
   * What each customer's history says beyond touches: opt-outs, block lists and rules, last answer.
   * External ids and last orders come from the batch's own reads when it has them (`reads`): the
   * same rows of the same transaction, not read a second time (bench/engine: 400 statements and
   * 400,000 rows fewer).
   */
  async standing(unit: BatchUnit, ids: number[], policy: ContactPolicy, now: number, reads?: BatchReads): Promise<Map<number, CustomerStanding>> {
    // Most customers never opted out: they share one empty set (a set of their own is made at the first opt-out),
    // instead of a Set and an [id, standing] pair each, per batch.
    const out = new Map<number, CustomerStanding>();
    for (const id of ids) out.set(id, { unsubscribed: NOT_UNSUBSCRIBED, blockedBy: null, lastAnswerAt: null });
    const unsubType = policy.suppression.unsubscribeEvent;
    const answers = policy.giveUp?.answeredBy ?? [];
    const inIds = unit.inList(ids);
    // One read of the customers' opt-outs and (for give-up) their last answer of each kind.
    const events = await unit.read<{ customer_id: number; type: string; properties: string | null; at: number; unsub: number }>(
      `SELECT customer_id, type, properties, occurred_at AS at, 1 AS unsub FROM customer_events WHERE customer_id ${inIds.sql} AND type = ? AND occurred_at <= ?` +
        (answers.length
          ? ` UNION ALL SELECT customer_id, type, NULL, MAX(occurred_at), 0 FROM customer_events WHERE customer_id ${inIds.sql} AND type IN (${placeholders(answers.length)}) AND occurred_at <= ? GROUP BY customer_id, type`
          : ''),
      [...inIds.params, unsubType, now, ...(answers.length ? [...inIds.params, ...answers, now] : [])],
    );
    for (const r of events) {
      const st = out.get(Number(r.customer_id))!;
      if (Number(r.unsub) === 1) {
        const props = typeof r.properties === 'string' ? safeJson(r.properties) : ((r.properties ?? {}) as Record<string, unknown>);
        if (st.unsubscribed === NOT_UNSUBSCRIBED) st.unsubscribed = new Set<string>();
        (st.unsubscribed as Set<string>).add(typeof props.channel === 'string' && props.channel !== '' ? props.channel : '*');
      } else st.lastAnswerAt = Math.max(st.lastAnswerAt ?? -Infinity, Number(r.at));
    }
    if (policy.suppression.lists.length > 0 && this.opts.list) {
      // The batch's customers leave out deleted ones: those are never reviewed (the send node ends their journey).
      const ext: { id: number; externalId: string }[] = reads
        ? [...(await reads.customers()).values()]
        : (await unit.read<{ id: number; external_id: string }>(`SELECT id, external_id FROM customers WHERE id ${inIds.sql}`, inIds.params)).map((r) => ({ id: Number(r.id), externalId: r.external_id }));
      for (const name of policy.suppression.lists) {
        const list = this.opts.list(name);
        for (const r of ext) if (list.has(r.externalId)) out.get(r.id)!.blockedBy ??= `list:${name}`;
      }
    }
    for (const [rule, members] of await this.blockRuleMembers(policy, now)) for (const id of ids) if (members.has(id)) out.get(id)!.blockedBy ??= `rule:${rule}`;
    if (policy.giveUp) {
      // A purchase is an answer. The batch's facts hold each customer's last order when a node of
      // the batch has read them; otherwise this one narrow read (cheaper than all the facts).
      const known = reads?.factsIfRead();
      if (!known) await settleOwedFacts(unit.ds); // an import's owed facts first (owed-facts.ts)
      const answered = (id: number, at: number | null) => {
        const st = at === null ? undefined : out.get(id);
        if (st) st.lastAnswerAt = Math.max(st.lastAnswerAt ?? -Infinity, at!);
      };
      // Straight from the rows, without an [id, at] pair per customer.
      if (known) for (const [id, f] of await known) answered(id, typeof f.lastOrderAt === 'number' ? f.lastOrderAt : null);
      else for (const f of await unit.read<{ customer_id: number; last_order_at: number | null }>(...lastOrderRead(unit, ids, inIds))) answered(Number(f.customer_id), f.last_order_at === null ? null : Number(f.last_order_at));
    }
    return out;
  }

  /** Block rules are evaluated once per engine instant, not per batch. */
  async blockRuleMembers(policy: ContactPolicy, now: number): Promise<Map<string, Set<number>>> {
    const out = new Map<string, Set<number>>();
    if (policy.suppression.segments.length === 0) return out;
    if (!this.opts.segment) throw new Error('rules/policy.yaml: suppression.segments needs the segment engine (not wired in this runtime)');
    for (const rule of policy.suppression.segments) {
      const key = `${rule}@${now}`;
      let hit = this.segmentCache.get(key);
      if (!hit) {
        if (this.segmentCache.size > 50) this.segmentCache.clear();
        this.segmentCache.set(key, (hit = this.opts.segment(rule, now).then((ids) => new Set(ids))));
      }
      out.set(rule, await hit);
    }
    return out;
  }

  async customerBase(now: number): Promise<number> {
    if (this.baseCache && this.baseCache.at === now) return this.baseCache.n;
    const [r] = await this.ds.query(`SELECT COUNT(*) AS n FROM customers WHERE deleted_at IS NULL`);
    this.baseCache = { at: now, n: Number(r.n) };
    return this.baseCache.n;
  }

  async label(flowId: string, entries: { entryKey: string; label: string }[]): Promise<void> {
    const byLabel = new Map<string, string[]>();
    for (const e of entries) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e.entryKey]);
    await writeTransaction(this.ds, async (m: EntityManager) => {
      for (const [label, keys] of byLabel) {
        for (let i = 0; i < keys.length; i += 500) {
          const chunk = keys.slice(i, i + 500);
          const sql = `UPDATE enrollments SET group_label = ? WHERE flow_id = ? AND entry_key IN (${placeholders(chunk.length)})`;
          await m.query(isSqlite(this.ds) ? sql : toPgPlaceholders(sql), [label, flowId, ...chunk]);
        }
      }
    });
  }

  async factValues(customerIds: number[], fact: string, _at: number): Promise<Map<number, number | null>> {
    const column = fact.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (!/^[a-z_]+$/.test(column)) throw new Error(`entry limit: "${fact}" is not a stored fact`);
    const out = new Map<number, number | null>();
    await settleOwedFacts(this.ds); // an import's owed facts first (owed-facts.ts)
    for (let i = 0; i < customerIds.length; i += 5000) {
      const chunk = customerIds.slice(i, i + 5000);
      const sql = `SELECT customer_id, ${column} AS v FROM customer_facts WHERE customer_id IN (${placeholders(chunk.length)})`;
      let rows: { customer_id: number; v: unknown }[];
      try {
        rows = await this.ds.query(isSqlite(this.ds) ? sql : toPgPlaceholders(sql), chunk);
      } catch {
        throw new Error(`entry limit: "${fact}" is not a stored fact (customer_facts has no column ${column})`);
      }
      for (const r of rows) out.set(Number(r.customer_id), r.v === null ? null : Number(r.v));
    }
    return out;
  }
}

/**
 * The contact policy of one stepping batch. The first review loads the ledger of ALL the batch's
 * customers (touches from `sends`, standing); every review of the batch (each send node, each hop)
 * then decides against it in memory and adds its accepted sends, so two sends to one customer in
 * one batch compete for the same budget. Counter changes are written with the batch.
 */
class BatchPolicy implements SendPolicy {
  /** Its review reads no message text and writes no sends row (the stepper's commit does): see ports.ts. */
  readonly textAfterVerdict = true;
  private ledger: { since: number; campaigns: Set<string>; history: Map<number, Touch[]>; stored: Map<string, Verdict>; standing: Map<number, CustomerStanding> } | null = null;
  /** Sends accepted earlier in this batch (kept when the ledger is re-read for a longer look-back). */
  private readonly accepted: Touch[] = [];
  private readonly shares = new Map<string, CampaignShare>();
  private readonly ids: number[];

  constructor(
    private readonly store: PolicyStore,
    private readonly unit: BatchUnit,
    customerIds: number[],
    private readonly timezone: string,
    /** The stepping batch's own reads of its customers and facts (absent: the policy reads what it needs). */
    private readonly reads?: BatchReads,
  ) {
    this.ids = [...new Set(customerIds)].sort((a, b) => a - b);
  }

  async review(items: { request: PolicyRequest; send: SendRequest }[], now: number): Promise<Map<string, Verdict>> {
    if (items.length === 0) return new Map();
    const policy = this.store.policy();
    const requests = items.map((i) => i.request);
    const ledger = await this.load(policy, requests, now);

    // A send this batch already recorded (a step repeated after its commit) keeps its answer.
    const out = new Map<string, Verdict>();
    const todo: PolicyRequest[] = [];
    for (const r of requests) {
      const v = ledger.stored.get(r.key);
      if (v) out.set(r.key, v);
      else todo.push(r);
    }
    if (todo.length === 0) return out;

    for (const c of new Set(todo.filter((r) => r.multiTouchShare !== null && r.campaign).map((r) => r.campaign!))) await this.share(c, now);
    const before = new Map([...this.shares].map(([c, s]) => [c, s.multiTouch]));
    const verdicts = reviewSends(todo, ledger.history, ledger.standing, policy, this.shares, now, this.timezone);
    for (const r of todo) {
      const v = verdicts.get(r.key)!;
      out.set(r.key, v);
      if (v.status === 'queued') this.accepted.push({ customerId: r.customerId, channel: v.channel, category: r.category, campaign: r.campaign, at: now, deliveredAt: null });
    }
    for (const [c, s] of this.shares) {
      const delta = s.multiTouch - (before.get(c) ?? s.multiTouch);
      if (delta !== 0) this.unit.write([{ sql: 'UPDATE policy_counters SET value = value + ? WHERE key = ?', params: [delta, `multi-touch:${c}`] }]);
    }
    return out;
  }

  /** One read of the batch's customers' touches (and standing), re-read only when a later send needs a longer look-back. */
  private async load(policy: ContactPolicy, requests: PolicyRequest[], now: number) {
    const since = now - lookback(policy, requests);
    const campaigns = requests.map((r) => r.campaign).filter((c): c is string => c !== null);
    const l = this.ledger;
    if (l && l.since <= since && campaigns.every((c) => l.campaigns.has(c))) return l;
    const all = new Set([...(l?.campaigns ?? []), ...campaigns]);
    const from = Math.min(since, l?.since ?? since);
    const columns = TOUCH_COLUMNS.join(', ');
    const touches = `(scheduled_at >= ?${all.size ? ` OR campaign IN (${placeholders(all.size)})` : ''})`;
    const inIds = this.unit.inList(this.ids);
    const read = await this.unit.read(
      this.unit.sqlite
        ? // SQLite: the batch's touches as one packed text (packed-rows.ts: less CPU than value by value).
          `SELECT ${packedColumns(TOUCH_COLUMNS, 'sends')} FROM sends WHERE customer_id ${inIds.sql} AND ${touches}`
        : // PostgreSQL: each customer's sends by ix_sends_customer (LATERAL: a nested loop whatever
          // the statistics say). `sends` fills up during a campaign and has no statistics until
          // analysed: `customer_id = ANY(…)` was then guessed at 2% of the table, and every batch
          // read the WHOLE table sequentially (bench/workers, growing with the sends).
          `SELECT s.* FROM unnest(?::int[]) AS k(id) CROSS JOIN LATERAL (SELECT ${columns} FROM sends WHERE customer_id = k.id AND ${touches} OFFSET 0) s`,
      [...inIds.params, from, ...all],
    );
    const rows = (this.unit.sqlite ? unpackRows(TOUCH_COLUMNS, read) : read) as {
      idempotency_key: string;
      customer_id: number;
      channel: string;
      category: string;
      campaign: string | null;
      scheduled_at: number;
      status: string;
      reason: string | null;
      sent_at: number | null;
    }[];
    const history = new Map<number, Touch[]>();
    const stored = new Map<string, Verdict>();
    for (const r of rows) {
      stored.set(r.idempotency_key, storedVerdict(r));
      if (!LIVE.has(r.status)) continue;
      const id = Number(r.customer_id);
      const t: Touch = { customerId: id, channel: r.channel as Touch['channel'], category: r.category as Touch['category'], campaign: r.campaign, at: Number(r.scheduled_at), deliveredAt: r.status === 'sent' ? Number(r.sent_at ?? r.scheduled_at) : null };
      const list = history.get(id);
      if (list) list.push(t);
      else history.set(id, [t]);
    }
    for (const t of this.accepted) history.set(t.customerId, [...(history.get(t.customerId) ?? []), t]);
    const standing = l?.standing ?? (await this.store.standing(this.unit, this.ids, policy, now, this.reads));
    this.ledger = { since: from, campaigns: all, history, stored, standing };
    return this.ledger;
  }

  /** The campaign's multi-touch counter, locked for the rest of the batch. */
  private async share(campaign: string, now: number): Promise<void> {
    if (this.shares.has(campaign)) return;
    const key = `multi-touch:${campaign}`;
    await this.unit.exec('INSERT INTO policy_counters (key, value) VALUES (?, 0) ON CONFLICT (key) DO NOTHING', [key]);
    const [row] = await this.unit.readForUpdate<{ value: number }>('SELECT value FROM policy_counters WHERE key = ?', [key]);
    this.shares.set(campaign, { multiTouch: Number(row?.value ?? 0), base: await this.store.customerBase(now) });
  }
}

/** The columns of a batch's touches (sends) the policy reads. */
const TOUCH_COLUMNS = ['idempotency_key', 'customer_id', 'channel', 'category', 'campaign', 'scheduled_at', 'status', 'reason', 'sent_at'];

function storedVerdict(r: { status: string; reason: string | null; channel: string }): Verdict {
  const channel = r.channel as Verdict['channel'];
  if (r.status === 'blocked' && r.reason?.startsWith('capped:')) return { status: 'capped', channel, reason: r.reason };
  if (r.status === 'blocked' || r.status === 'skipped') return { status: r.status, channel, reason: r.reason ?? r.status };
  return { status: 'queued', channel, reason: r.reason };
}

/**
 * How far back the touches that any cap or the give-up rule could count reach. The requests of a
 * send node share their flow's caps (one array per flow version): each distinct list is looked at
 * once, not once per request (a batch's 1,000 requests flattened into a 2,000-cap list every review).
 */
function lookback(policy: ContactPolicy, requests: PolicyRequest[]): number {
  let ms = capsLookback(policy.caps, MS_PER_DAY);
  let last: Cap[] | null = null;
  for (const r of requests) {
    if (r.flowCaps === last) continue;
    last = r.flowCaps;
    ms = capsLookback(last, ms);
  }
  if (policy.giveUp) ms = Math.max(ms, parseDuration(policy.giveUp.within));
  return ms;
}

function capsLookback(caps: readonly Cap[], ms: number): number {
  for (const cap of caps) {
    if (cap.window) ms = Math.max(ms, parseDuration(cap.window));
    if (cap.period) ms = Math.max(ms, (cap.period === 'month' ? 32 : cap.period === 'week' ? 8 : 2) * MS_PER_DAY);
  }
  return ms;
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    return typeof v === 'object' && v !== null ? v : {};
  } catch {
    return {};
  }
}

/**
 * The give-up read of the batch's last orders (one fact row per customer). On SQLite exactly the
 * batch's rows, read as the journey store reads the batch's facts (batch-ids.ts): a 1,000-id IN list
 * cost ~0.6 ms a batch to bind and sort, and the id range it replaced read up to three times the
 * batch's rows into JS.
 */
function lastOrderRead(unit: BatchUnit, ids: number[], inIds: { sql: string; params: unknown[] }): [string, unknown[]] {
  const select = 'SELECT customer_id, last_order_at FROM customer_facts WHERE';
  if (unit.sqlite) {
    const where = sqliteBatchIds('customer_id', [...new Set(ids)].sort((a, b) => a - b));
    return [`${select} ${where.sql}`, where.params];
  }
  return [`${select} customer_id ${inIds.sql}`, inIds.params];
}
