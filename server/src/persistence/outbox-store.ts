import { In, type DataSource } from 'typeorm';
import type { ClaimedSend, OutboxStore, SendOutcome } from '../core/channels/outbox-store.js';
import type { Channel } from '../core/data/model.js';
import { toCustomer } from './customer-mapper.js';
import { voidCouponOps } from './coupon-ledger.js';
import { CustomerEntity } from './entities/customer.entity.js';
import { num, rows, writeOne } from './outbox-sql.js';
import { pgArrayLiteral, preparedStatement } from './sql-batch.js';
import { isSqlite, sqliteWriteBatch } from './write-transaction.js';

interface SendRow {
  id: number | string;
  idempotency_key: string;
  attempts: number | string;
  channel: Channel;
  category: ClaimedSend['category'];
  subject: string | null;
  body: string;
  link_token: string | null;
  coupon_code: string | null;
  flow_id: string;
  node_id: string;
  customer_id: number | string;
}

/**
 * The outbox on the `sends` table. While a row is `sending`, `next_attempt_at` holds the end of
 * the claim's lease (no extra column): an expired lease means the dispatcher died mid-delivery.
 * Every write is a single atomic statement (see writeOne for why that matters on SQLite).
 */
export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly ds: DataSource) {}

  async recoverExpired(now: number, maxAttempts: number): Promise<{ requeued: number; failed: number }> {
    const lost = `'attempt ' || attempts || ': lease expired while sending (dispatcher stopped); delivery outcome unknown'`;
    const failed = await writeOne(this.ds, `UPDATE sends SET status = 'failed', next_attempt_at = NULL, last_error = ${lost} WHERE status = 'sending' AND next_attempt_at <= ? AND attempts >= ? RETURNING id`, [now, maxAttempts]);
    // Back in the queue at once: the resend carries the same idempotency key, so a provider
    // that did get the first attempt can recognise it.
    const requeued = await writeOne(this.ds, `UPDATE sends SET status = 'queued', next_attempt_at = ?, last_error = ${lost} WHERE status = 'sending' AND next_attempt_at <= ? RETURNING id`, [now, now]);
    return { requeued: requeued.length, failed: failed.length };
  }

  async claim(now: number, leaseUntil: number, limit: number): Promise<ClaimedSend[]> {
    // One statement picks, flips and returns the rows. SQLite has a single writer, so the
    // statement is atomic across connections and processes. PostgreSQL: the pick is a
    // MATERIALIZED CTE so it runs exactly once (an `id IN (SELECT … LIMIT n FOR UPDATE SKIP
    // LOCKED)` subquery can be rescanned by the planner and then claims more than n rows, and
    // all of them at once); SKIP LOCKED lets a second dispatcher take the next rows instead of
    // waiting, and the `status = 'queued'` re-check keeps a row claimed once.
    const { sql, params } = claimStatement(isSqlite(this.ds), now, leaseUntil, limit);
    const sends = await writeOne<SendRow>(this.ds, sql, params);
    if (sends.length === 0) return [];
    // Read after the claim committed: the address is the customer's current one.
    const customers = await this.ds.manager.find(CustomerEntity, { where: { id: In([...new Set(sends.map((s) => num(s.customer_id)))]) } });
    const live = new Map(customers.filter((c) => c.deletedAt === null).map((c) => [c.id, toCustomer(c)]));
    return sends
      .map((s) => ({
        id: num(s.id),
        idempotencyKey: s.idempotency_key,
        attempts: num(s.attempts),
        channel: s.channel,
        category: s.category,
        subject: s.subject,
        body: s.body,
        linkToken: s.link_token,
        couponCode: s.coupon_code,
        flowId: s.flow_id,
        nodeId: s.node_id,
        customer: live.get(num(s.customer_id)) ?? null,
      }))
      .sort((a, b) => a.id - b.id);
  }

  /**
   * The batch's outcomes at once. PostgreSQL: ONE `UPDATE … FROM unnest(…)` for the whole batch,
   * so one commit (and one WAL flush) instead of one per message: an UPDATE per message held the
   * outbox to ~300 (one server) – ~550 (two) messages/s. SQLite: the batch's single-row updates in
   * ONE write transaction. Each is conditional on the claim still being ours (status + attempt
   * count as fencing token). Coupons of the failed and blocked sends are voided after (see voidCoupons).
   */
  async markAll(outcomes: readonly SendOutcome[]): Promise<boolean[]> {
    if (outcomes.length === 0) return [];
    const rows = outcomes.map(markRow);
    if (isSqlite(this.ds)) {
      return sqliteWriteBatch(this.ds, (db) => {
        const done = rows.map((r) => preparedStatement(db, SQLITE_MARK[r.status]).run(...sqliteMarkParams(r)).changes === 1);
        // Voided in the same transaction on SQLite (one writer: nothing to gain from a second one).
        for (const why of ['failed', 'blocked'] as const) for (const op of voidCouponOps(rows.filter((r, i) => r.status === why && done[i]).map((r) => r.id), why)) preparedStatement(db, op.sql).run(...op.params);
        return done;
      });
    }
    const col = <K extends keyof MarkRow>(k: K) => pgArrayLiteral(rows.map((r) => r[k]));
    const ids = col('id');
    const r = await writeOne<{ id: number | string; attempt: number | string }>(this.ds, PG_MARK_ALL, [ids, col('attempt'), col('status'), col('at'), col('note'), ids]);
    const marked = new Set(r.map((x) => `${num(x.id)}:${num(x.attempt)}`));
    const done = rows.map((x) => marked.has(`${x.id}:${x.attempt}`));
    for (const why of ['failed', 'blocked'] as const) await this.voidCoupons(rows.filter((x, i) => x.status === why && done[i]).map((x) => x.id), why);
    return done;
  }

  markSent(id: number, attempt: number, at: number, providerMessageId: string): Promise<boolean> {
    return this.markOne({ kind: 'sent', id, attempt, at, providerMessageId });
  }

  markRetry(id: number, attempt: number, nextAttemptAt: number, error: string): Promise<boolean> {
    return this.markOne({ kind: 'retry', id, attempt, nextAttemptAt, error });
  }

  markFailed(id: number, attempt: number, error: string): Promise<boolean> {
    return this.markOne({ kind: 'failed', id, attempt, error });
  }

  markBlocked(id: number, attempt: number, reason: string): Promise<boolean> {
    return this.markOne({ kind: 'blocked', id, attempt, reason });
  }

  private async markOne(o: SendOutcome): Promise<boolean> {
    return (await this.markAll([o]))[0];
  }

  /**
   * The messages will never reach the customers: their coupons are voided (coupon-ledger.ts). On
   * PostgreSQL a statement of its own after the mark (idempotent, and a crash in between leaves a
   * coupon that held() already leaves out, as it reads the send's status too).
   */
  private async voidCoupons(ids: number[], why: 'failed' | 'blocked'): Promise<void> {
    if (ids.length) for (const op of voidCouponOps(ids, why)) await writeOne(this.ds, `${op.sql} RETURNING code`, op.params);
  }
}

/** An outcome as the row it writes: the new status, the instant (sent_at or the retry's time) and the text (message id, error or reason). */
interface MarkRow {
  id: number;
  attempt: number;
  status: 'sent' | 'queued' | 'failed' | 'blocked';
  at: number | null;
  note: string;
}

function markRow(o: SendOutcome): MarkRow {
  switch (o.kind) {
    case 'sent':
      return { id: o.id, attempt: o.attempt, status: 'sent', at: o.at, note: o.providerMessageId.slice(0, 200) };
    case 'retry':
      return { id: o.id, attempt: o.attempt, status: 'queued', at: o.nextAttemptAt, note: o.error };
    case 'failed':
      return { id: o.id, attempt: o.attempt, status: 'failed', at: null, note: o.error };
    case 'blocked':
      return { id: o.id, attempt: o.attempt, status: 'blocked', at: null, note: o.reason.slice(0, 128) };
  }
}

const FENCE = `WHERE id = ? AND status = 'sending' AND attempts = ?`;
/** One single-row update per status (SQLite: each prepared once, run per send inside one transaction). */
const SQLITE_MARK: Record<MarkRow['status'], string> = {
  sent: `UPDATE sends SET status = 'sent', sent_at = ?, provider_message_id = ?, next_attempt_at = NULL ${FENCE}`,
  queued: `UPDATE sends SET status = 'queued', next_attempt_at = ?, last_error = ? ${FENCE}`,
  failed: `UPDATE sends SET status = 'failed', next_attempt_at = NULL, last_error = ? ${FENCE}`,
  blocked: `UPDATE sends SET status = 'blocked', next_attempt_at = NULL, reason = ? ${FENCE}`,
};
const sqliteMarkParams = (r: MarkRow): unknown[] => (r.at === null ? [r.note, r.id, r.attempt] : [r.at, r.note, r.id, r.attempt]);

/**
 * Every outcome of a batch in one statement: each column is set as that status's single-row
 * update sets it (the others keep their value). `s.id = ANY(…)` besides the join, so PostgreSQL
 * reads the batch's rows by primary key whatever it guesses of the unnest (see pgUnnestUpdate).
 */
const PG_MARK_ALL = `UPDATE sends AS s SET
    status = v.status,
    sent_at = CASE WHEN v.status = 'sent' THEN v.at ELSE s.sent_at END,
    provider_message_id = CASE WHEN v.status = 'sent' THEN v.note ELSE s.provider_message_id END,
    next_attempt_at = CASE WHEN v.status = 'queued' THEN v.at END,
    last_error = CASE WHEN v.status IN ('queued', 'failed') THEN v.note ELSE s.last_error END,
    reason = CASE WHEN v.status = 'blocked' THEN v.note ELSE s.reason END
  FROM unnest(?::int[], ?::int[], ?::text[], ?::bigint[], ?::text[]) AS v(id, attempt, status, at, note)
  WHERE s.id = v.id AND s.id = ANY(?::int[]) AND s.status = 'sending' AND s.attempts = v.attempt
  RETURNING s.id, v.attempt`;

export interface OutboxCounts {
  byStatus: Record<string, number>;
  /** Earliest next_attempt_at of a queued send (null: nothing waiting for a retry). */
  nextRetryAt: number | null;
}

/** The outbox at a glance (for `GET /api/outbox`). */
export async function outboxCounts(ds: DataSource): Promise<OutboxCounts> {
  const r = await rows<{ status: string; n: number | string; next: number | string | null }>(
    ds,
    ds.manager,
    `SELECT status, COUNT(*) AS n, MIN(CASE WHEN status = 'queued' THEN next_attempt_at END) AS next FROM sends GROUP BY status`,
    [],
  );
  const byStatus: Record<string, number> = {};
  let nextRetryAt: number | null = null;
  for (const x of r) {
    byStatus[x.status] = num(x.n);
    if (x.next !== null && x.next !== undefined) nextRetryAt = num(x.next);
  }
  return { byStatus, nextRetryAt };
}

/**
 * The claim as one statement with its parameters. Due: never tried (or retry time reached), and
 * not scheduled for later by the stepper.
 */
export function claimStatement(sqlite: boolean, now: number, leaseUntil: number, limit: number): { sql: string; params: unknown[] } {
  const cols = ['id', 'idempotency_key', 'attempts', 'channel', 'category', 'subject', 'body', 'link_token', 'coupon_code', 'flow_id', 'node_id', 'customer_id'];
  // In the order they fell due, read off ix_sends_due: `COALESCE(…) <= ?` follows from the two
  // exact conditions and lets the planner stop after `limit` rows instead of sorting the outbox.
  const due = `SELECT id FROM sends WHERE status = 'queued' AND COALESCE(next_attempt_at, scheduled_at) <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND scheduled_at <= ? ORDER BY COALESCE(next_attempt_at, scheduled_at) LIMIT ?`;
  if (sqlite) {
    // `+status`: without it SQLite walks every queued row of the index and tests it against the
    // picked ids, instead of looking the picked ids up by primary key.
    return {
      sql: `UPDATE sends SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE +status = 'queued' AND id IN (${due}) RETURNING ${cols.join(', ')}`,
      params: [leaseUntil, now, now, now, limit],
    };
  }
  return {
    sql: `WITH picked AS MATERIALIZED (${due} FOR UPDATE SKIP LOCKED)
         UPDATE sends AS s SET status = 'sending', attempts = s.attempts + 1, next_attempt_at = ? FROM picked WHERE s.id = picked.id AND s.status = 'queued' RETURNING ${cols.map((c) => `s.${c}`).join(', ')}`,
    params: [now, now, now, limit, leaseUntil],
  };
}
