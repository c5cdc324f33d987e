import type { DataSource, EntityManager } from 'typeorm';
import { MS_PER_DAY } from '../core/clock.js';
import type { SendRequest } from '../core/engine/model.js';
import { parseDuration } from '../core/flow/duration.js';
import type { GroupLabels, SendPolicy } from '../core/policy/ports.js';
import { reviewSends, type CampaignShare, type CustomerStanding, type PolicyRequest, type Touch, type Verdict } from '../core/policy/review.js';
import type { ContactPolicy } from '../core/policy/schema.js';
import { insertManyOps, placeholders, toPgPlaceholders } from './sql-batch.js';
import { isSqlite, writeTransaction } from './write-transaction.js';

export interface PolicyStoreOptions {
  timezone: string;
  policy: () => ContactPolicy;
  /** External ids on a block list (rules/lists/<name>.txt). */
  list?: (name: string) => Set<string>;
  /** Customers matching a named rule at an instant (block rules). */
  segment?: (rule: string, at: number) => Promise<number[]>;
}

const LIVE = `('queued', 'sending', 'sent')`;
const SEND_COLUMNS = ['idempotency_key', 'enrollment_id', 'customer_id', 'flow_id', 'version_id', 'node_id', 'arm', 'channel', 'category', 'priority', 'subject', 'body', 'link_token', 'link_url', 'coupon_code', 'coupon_value', 'cost', 'status', 'reason', 'attempts', 'next_attempt_at', 'scheduled_at', 'campaign', 'group_label'];

/**
 * SendPolicy over the database: reserves cap slots atomically (see core/policy/ports.ts).
 *
 * Concurrency: on PostgreSQL the transaction first locks the batch's customer rows
 * (`SELECT … FOR UPDATE`, in id order so two workers never deadlock), then reads the touches and
 * writes the sends rows before committing; a second worker reviewing the same customer waits for
 * the lock and, under READ COMMITTED, its history query then sees the first worker's rows. On
 * SQLite every write transaction is serialised by the process's write queue.
 */
export class PolicyStore implements SendPolicy, GroupLabels {
  private segmentCache = new Map<string, Promise<Set<number>>>();
  private baseCache: { at: number; n: number } | null = null;

  constructor(private readonly ds: DataSource, private readonly opts: PolicyStoreOptions) {}

  async review(items: { request: PolicyRequest; send: SendRequest }[], now: number): Promise<Map<string, Verdict>> {
    if (items.length === 0) return new Map();
    const policy = this.opts.policy();
    const ids = [...new Set(items.map((i) => i.request.customerId))].sort((a, b) => a - b);
    const blockRules = await this.blockRuleMembers(policy, now);
    const campaigns = [...new Set(items.map((i) => i.request.campaign).filter((c): c is string => c !== null))];
    const shareCampaigns = [...new Set(items.filter((i) => i.request.multiTouchShare !== null && i.request.campaign).map((i) => i.request.campaign!))].sort();
    const base = shareCampaigns.length > 0 ? await this.customerBase(now) : 0;

    return writeTransaction(this.ds, async (m) => {
      const q = <T = Record<string, unknown>>(sql: string, params: unknown[]) => m.query(isSqlite(this.ds) ? sql : toPgPlaceholders(sql), params) as Promise<T[]>;
      if (!isSqlite(this.ds)) await q(`SELECT id FROM customers WHERE id IN (${placeholders(ids.length)}) ORDER BY id FOR UPDATE`, ids);

      // A retried step finds its own reservation and gets the same answer.
      const keys = items.map((i) => i.send.idempotencyKey);
      const existing = new Map<string, Verdict>();
      for (const r of await q<{ idempotency_key: string; status: string; reason: string | null; channel: string }>(`SELECT idempotency_key, status, reason, channel FROM sends WHERE idempotency_key IN (${placeholders(keys.length)})`, keys)) {
        existing.set(r.idempotency_key, storedVerdict(r));
      }
      const todo = items.filter((i) => !existing.has(i.send.idempotencyKey));
      if (todo.length === 0) return existing;

      const since = now - lookback(policy, todo.map((i) => i.request));
      const history = new Map<number, Touch[]>();
      const touchRows = await q<{ customer_id: number; channel: string; category: string; campaign: string | null; scheduled_at: number; status: string; sent_at: number | null }>(
        `SELECT customer_id, channel, category, campaign, scheduled_at, status, sent_at FROM sends
          WHERE customer_id IN (${placeholders(ids.length)}) AND status IN ${LIVE}
            AND (scheduled_at >= ?${campaigns.length ? ` OR campaign IN (${placeholders(campaigns.length)})` : ''})`,
        [...ids, since, ...campaigns],
      );
      for (const r of touchRows) {
        const id = Number(r.customer_id);
        const list = history.get(id) ?? [];
        list.push({ customerId: id, channel: r.channel as Touch['channel'], category: r.category as Touch['category'], campaign: r.campaign, at: Number(r.scheduled_at), deliveredAt: r.status === 'sent' ? Number(r.sent_at ?? r.scheduled_at) : null });
        history.set(id, list);
      }
      const standing = await this.standing(q, ids, policy, now, blockRules);

      const shares = new Map<string, CampaignShare>();
      for (const c of shareCampaigns) {
        const key = `multi-touch:${c}`;
        await q(`INSERT INTO policy_counters (key, value) VALUES (?, 0) ON CONFLICT (key) DO NOTHING`, [key]);
        const [row] = await q<{ value: number }>(`SELECT value FROM policy_counters WHERE key = ?${isSqlite(this.ds) ? '' : ' FOR UPDATE'}`, [key]);
        shares.set(c, { multiTouch: Number(row.value), base });
      }
      const before = new Map([...shares].map(([c, s]) => [c, s.multiTouch]));

      const verdicts = reviewSends(todo.map((i) => i.request), history, standing, policy, shares, now, this.opts.timezone);

      const groups = await this.enrollmentGroups(q, todo.map((i) => i.send.enrollmentId));
      const rows: unknown[][] = [];
      for (const { request, send } of todo) {
        const v = verdicts.get(request.key)!;
        if (v.status === 'deferred') continue;
        const status = v.status === 'capped' ? 'blocked' : v.status;
        const s = send;
        rows.push([s.idempotencyKey, s.enrollmentId, s.customerId, s.flowId, s.versionId, s.nodeId, s.arm, v.channel, s.category, s.priority, s.subject, s.body, s.linkToken, s.linkUrl, s.couponCode, s.couponValue, s.cost, status, v.reason, 0, null, now, request.campaign, s.groupLabel ?? groups.get(s.enrollmentId) ?? null]);
      }
      for (const op of insertManyOps({ table: 'sends', columns: SEND_COLUMNS, rows, suffix: 'ON CONFLICT (idempotency_key) DO NOTHING' })) await q(op.sql, op.params);
      for (const [c, s] of shares) if (s.multiTouch !== before.get(c)) await q(`UPDATE policy_counters SET value = ? WHERE key = ?`, [s.multiTouch, `multi-touch:${c}`]);
      return new Map([...existing, ...verdicts]);
    });
  }

  private async standing(q: <T>(sql: string, p: unknown[]) => Promise<T[]>, ids: number[], policy: ContactPolicy, now: number, blockRules: Map<string, Set<number>>): Promise<Map<number, CustomerStanding>> {
    const out = new Map<number, CustomerStanding>(ids.map((id) => [id, { unsubscribed: new Set<string>(), blockedBy: null, lastAnswerAt: null }]));
    const unsub = await q<{ customer_id: number; properties: string }>(
      `SELECT customer_id, properties FROM customer_events WHERE customer_id IN (${placeholders(ids.length)}) AND type = ? AND occurred_at <= ?`,
      [...ids, policy.suppression.unsubscribeEvent, now],
    );
    for (const r of unsub) {
      const props = safeJson(r.properties);
      out.get(Number(r.customer_id))!.unsubscribed.add(typeof props.channel === 'string' && props.channel !== '' ? props.channel : '*');
    }
    if (policy.suppression.lists.length > 0 && this.opts.list) {
      const ext = await q<{ id: number; external_id: string }>(`SELECT id, external_id FROM customers WHERE id IN (${placeholders(ids.length)})`, ids);
      for (const name of policy.suppression.lists) {
        const list = this.opts.list(name);
        for (const r of ext) if (list.has(r.external_id)) out.get(Number(r.id))!.blockedBy ??= `list:${name}`;
      }
    }
    for (const [rule, members] of blockRules) for (const id of ids) if (members.has(id)) out.get(id)!.blockedBy ??= `rule:${rule}`;
    if (policy.giveUp) {
      const facts = await q<{ customer_id: number; last_order_at: number | null }>(`SELECT customer_id, last_order_at FROM customer_facts WHERE customer_id IN (${placeholders(ids.length)})`, ids);
      for (const f of facts) if (f.last_order_at !== null) out.get(Number(f.customer_id))!.lastAnswerAt = Number(f.last_order_at);
      const types = policy.giveUp.answeredBy;
      const answers = await q<{ customer_id: number; at: number }>(
        `SELECT customer_id, MAX(occurred_at) AS at FROM customer_events WHERE customer_id IN (${placeholders(ids.length)}) AND type IN (${placeholders(types.length)}) AND occurred_at <= ? GROUP BY customer_id`,
        [...ids, ...types, now],
      );
      for (const a of answers) {
        const s = out.get(Number(a.customer_id))!;
        s.lastAnswerAt = Math.max(s.lastAnswerAt ?? -Infinity, Number(a.at));
      }
    }
    return out;
  }

  /** Block rules are evaluated once per engine instant, not per batch. */
  private async blockRuleMembers(policy: ContactPolicy, now: number): Promise<Map<string, Set<number>>> {
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

  private async customerBase(now: number): Promise<number> {
    if (this.baseCache && this.baseCache.at === now) return this.baseCache.n;
    const [r] = await this.ds.query(`SELECT COUNT(*) AS n FROM customers WHERE deleted_at IS NULL`);
    this.baseCache = { at: now, n: Number(r.n) };
    return this.baseCache.n;
  }

  private async enrollmentGroups(q: <T>(sql: string, p: unknown[]) => Promise<T[]>, enrollmentIds: number[]): Promise<Map<number, string | null>> {
    const ids = [...new Set(enrollmentIds)];
    const rows = await q<{ id: number; group_label: string | null }>(`SELECT id, group_label FROM enrollments WHERE id IN (${placeholders(ids.length)})`, ids);
    return new Map(rows.map((r) => [Number(r.id), r.group_label]));
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

function storedVerdict(r: { status: string; reason: string | null; channel: string }): Verdict {
  const channel = r.channel as Verdict['channel'];
  if (r.status === 'blocked' && r.reason?.startsWith('capped:')) return { status: 'capped', channel, reason: r.reason };
  if (r.status === 'blocked' || r.status === 'skipped') return { status: r.status, channel, reason: r.reason ?? r.status };
  return { status: 'queued', channel, reason: r.reason };
}

/** How far back the touches that any cap or the give-up rule could count reach. */
function lookback(policy: ContactPolicy, requests: PolicyRequest[]): number {
  let ms = MS_PER_DAY;
  for (const cap of [...policy.caps, ...requests.flatMap((r) => r.flowCaps)]) {
    if (cap.window) ms = Math.max(ms, parseDuration(cap.window));
    if (cap.period) ms = Math.max(ms, (cap.period === 'month' ? 32 : cap.period === 'week' ? 8 : 2) * MS_PER_DAY);
  }
  if (policy.giveUp) ms = Math.max(ms, parseDuration(policy.giveUp.within));
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
