import { In, type DataSource } from 'typeorm';
import type { ClaimedSend, OutboxStore } from '../core/channels/outbox-store.js';
import type { Channel } from '../core/data/model.js';
import { toCustomer } from './customer-mapper.js';
import { voidCouponOps } from './coupon-ledger.js';
import { CustomerEntity } from './entities/customer.entity.js';
import { num, rows, writeOne } from './outbox-sql.js';
import { isSqlite } from './write-transaction.js';

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

  markSent(id: number, attempt: number, at: number, providerMessageId: string): Promise<boolean> {
    return this.mark(`status = 'sent', sent_at = ?, provider_message_id = ?, next_attempt_at = NULL`, [at, providerMessageId.slice(0, 200)], id, attempt);
  }

  markRetry(id: number, attempt: number, nextAttemptAt: number, error: string): Promise<boolean> {
    return this.mark(`status = 'queued', next_attempt_at = ?, last_error = ?`, [nextAttemptAt, error], id, attempt);
  }

  async markFailed(id: number, attempt: number, error: string): Promise<boolean> {
    const ok = await this.mark(`status = 'failed', next_attempt_at = NULL, last_error = ?`, [error], id, attempt);
    if (ok) await this.voidCoupon(id, 'failed');
    return ok;
  }

  async markBlocked(id: number, attempt: number, reason: string): Promise<boolean> {
    const ok = await this.mark(`status = 'blocked', next_attempt_at = NULL, reason = ?`, [reason.slice(0, 128)], id, attempt);
    if (ok) await this.voidCoupon(id, 'blocked');
    return ok;
  }

  /**
   * The message will never reach the customer: its coupon is voided (coupon-ledger.ts). A
   * statement of its own after the mark (idempotent, and a crash in between leaves a coupon that
   * held() already leaves out, as it reads the send's status too).
   */
  private async voidCoupon(id: number, why: 'failed' | 'blocked'): Promise<void> {
    for (const op of voidCouponOps([id], why)) await writeOne(this.ds, `${op.sql} RETURNING code`, op.params);
  }

  /** Conditional on the claim still being ours (status + attempt count as fencing token). */
  private async mark(set: string, params: unknown[], id: number, attempt: number): Promise<boolean> {
    const r = await writeOne(this.ds, `UPDATE sends SET ${set} WHERE id = ? AND status = 'sending' AND attempts = ? RETURNING id`, [...params, id, attempt]);
    return r.length === 1;
  }
}

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
