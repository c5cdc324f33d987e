import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { CouponFileError, parseCouponText } from '../core/coupons/coupon-text.js';
import { readRulesFile } from '../core/text/rules-file-text.js';
import type { CouponBook } from '../core/coupons/ports.js';
import type { CouponTemplate, HeldCoupon } from '../core/coupons/schema.js';
import type { SendRequest } from '../core/engine/model.js';
import { insertManyOps, placeholders, queryRows, toPgPlaceholders, type SqlOp } from './sql-batch.js';

export const couponFile = (rulesDir: string) => join(rulesDir, 'coupons.yaml');

const COLUMNS = ['code', 'template_id', 'customer_id', 'flow_id', 'enrollment_id', 'journey_key', 'send_key', 'amount', 'min_spend', 'issued_at', 'expires_at'];

/**
 * Ledger rows for the coupons these sends issue. Only a message that is going out (queued) issues
 * its coupon; a blocked or skipped one issues nothing. Keyed by the send's idempotency key: a
 * retried step (which drew a new random code) finds the first row and changes nothing, exactly
 * like the `sends` row it belongs to.
 * Only that key is passed over (`ON CONFLICT (send_key)`): a new code equal to another send's
 * code fails the statement and so the batch, which BatchUnit.run steps again with new codes.
 * Passing over every conflict (`ON CONFLICT DO NOTHING`, as before) silently left this customer's
 * message naming a code the ledger gives to someone else.
 */
export function couponLedgerOps(sends: readonly SendRequest[]): SqlOp[] {
  const rows = sends
    .filter((s) => s.status === 'queued' && s.coupon)
    .map((s) => [s.coupon!.code, s.coupon!.templateId, s.customerId, s.flowId, s.enrollmentId, s.coupon!.journeyKey, s.idempotencyKey, s.coupon!.amount, s.coupon!.minSpend, s.coupon!.issuedAt, s.coupon!.expiresAt]);
  return insertManyOps({ table: 'coupons', columns: COLUMNS, rows, suffix: 'ON CONFLICT (send_key) DO NOTHING' });
}

/**
 * Voids the unused coupons of messages that will never reach the customer (`failed`: the
 * channel did not deliver it, out of retries or refused; `blocked`: held back at dispatch). A
 * serious ledger does not count a code nobody received as issued or held, and nobody can
 * legitimately use it: held() leaves it out, redeemCoupons refuses it. A message whose delivery
 * outcome is unknown (a lease that expired mid-send) keeps its coupon: it may have arrived.
 */
export function voidCouponOps(sendIds: readonly number[], why: 'failed' | 'blocked'): SqlOp[] {
  const ops: SqlOp[] = [];
  for (let i = 0; i < sendIds.length; i += 500) {
    const chunk = sendIds.slice(i, i + 500);
    ops.push({ sql: `UPDATE coupons SET voided = ? WHERE redeemed_at IS NULL AND voided IS NULL AND send_key IN (SELECT idempotency_key FROM sends WHERE id IN (${placeholders(chunk.length)}))`, params: [why, ...chunk] });
  }
  return ops;
}

/** The coupon templates (rules/coupons.yaml, re-read when it changes) and the ledger. */
export class CouponLedger implements CouponBook {
  private cached: { mtime: number; templates: Map<string, CouponTemplate> } | null = null;

  constructor(
    private readonly ds: DataSource,
    readonly rulesDir: string,
  ) {}

  templates(): Map<string, CouponTemplate> {
    const file = couponFile(this.rulesDir);
    if (!existsSync(file)) return new Map();
    const mtime = statSync(file).mtimeMs;
    if (this.cached?.mtime !== mtime) this.cached = { mtime, templates: parseCouponText(readRulesFile(file, file, (e) => new CouponFileError([e.message])), file) };
    return this.cached.templates;
  }

  template(id: string): CouponTemplate | undefined {
    return this.templates().get(id);
  }

  async held(customerIds: number[], now: number): Promise<Map<number, HeldCoupon[]>> {
    const out = new Map<number, HeldCoupon[]>();
    const ids = [...new Set(customerIds)];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      // `status || ''`: with a long IN list SQLite's planner otherwise drives the join from every
      // live send (ix_sends_outbox), a scan of the outbox per call: 17 ms instead of 0.6 ms for 500
      // customers on a 30,000-customer shop, and 40% of a 300,000-customer Double-11 simulation.
      const rows = await queryRows(
        this.ds,
        `SELECT c.code, c.template_id, c.customer_id, c.flow_id, c.enrollment_id, c.amount, c.min_spend, c.issued_at, c.expires_at
           FROM coupons c JOIN sends s ON s.idempotency_key = c.send_key
          WHERE c.customer_id IN (${placeholders(chunk.length)}) AND c.redeemed_at IS NULL AND c.voided IS NULL AND c.expires_at > ? AND c.issued_at <= ?
            AND s.status || '' IN ('queued', 'sending', 'sent')
          ORDER BY c.issued_at DESC, c.code`,
        [...chunk, now, now],
      );
      for (const r of rows) {
        const id = Number(r.customer_id);
        const list = out.get(id) ?? [];
        list.push({
          code: String(r.code),
          templateId: String(r.template_id),
          customerId: id,
          flowId: r.flow_id === null ? null : String(r.flow_id),
          enrollmentId: r.enrollment_id === null ? null : Number(r.enrollment_id),
          amount: Number(r.amount),
          minSpend: Number(r.min_spend),
          issuedAt: Number(r.issued_at),
          expiresAt: Number(r.expires_at),
        });
        out.set(id, list);
      }
    }
    return out;
  }

  async redeemedIn(journeys: { id: number; customerId: number }[], templateId: string): Promise<Set<number>> {
    const out = new Set<number>();
    const wanted = new Set(journeys.map((j) => j.id));
    const ids = [...new Set(journeys.map((j) => j.customerId))];
    // By customer (indexed), then narrowed to the batch's journeys.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await queryRows<{ enrollment_id: number | null }>(
        this.ds,
        `SELECT enrollment_id FROM coupons WHERE customer_id IN (${placeholders(chunk.length)}) AND template_id = ? AND redeemed_at IS NOT NULL`,
        [...chunk, templateId],
      );
      for (const r of rows) if (r.enrollment_id !== null && wanted.has(Number(r.enrollment_id))) out.add(Number(r.enrollment_id));
    }
    return out;
  }
}

/** An order that used a coupon: which coupon, and whether it counts. */
export interface Redemption {
  code: string;
  customerId: number;
  orderExternalId: string;
  orderAmount: number;
  at: number;
}

/**
 * Marks coupons used by paid orders (an imported order's `coupon` field). A code counts once, for
 * the customer it was issued to (and whose message carrying it was not voided), before it expired
 * and when the order reaches the threshold;
 * returns the redemptions that counted with the coupon's face value (the shop's cost).
 */
export async function redeemCoupons(m: EntityManager, list: readonly Redemption[]): Promise<(Redemption & { amount: number; templateId: string; flowId: string | null })[]> {
  if (list.length === 0) return [];
  const pg = m.connection.options.type === 'postgres';
  const q = (sql: string, p: unknown[]) => m.query(pg ? toPgPlaceholders(sql) : sql, p) as Promise<Record<string, unknown>[]>;
  const codes = [...new Set(list.map((r) => r.code))];
  const rows = await q(`SELECT code, customer_id, template_id, flow_id, amount, min_spend, issued_at, expires_at, redeemed_at, voided FROM coupons WHERE code IN (${placeholders(codes.length)})`, codes);
  const byCode = new Map(rows.map((r) => [String(r.code), r]));
  const out: (Redemption & { amount: number; templateId: string; flowId: string | null })[] = [];
  for (const r of list) {
    const c = byCode.get(r.code);
    // A voided coupon's message never reached the customer: the code was not theirs to use.
    if (!c || c.redeemed_at !== null || c.voided !== null || Number(c.customer_id) !== r.customerId) continue;
    if (r.at < Number(c.issued_at) || r.at >= Number(c.expires_at) || r.orderAmount < Number(c.min_spend)) continue;
    await q(`UPDATE coupons SET redeemed_at = ?, redeemed_order = ? WHERE code = ? AND redeemed_at IS NULL`, [r.at, r.orderExternalId, r.code]);
    c.redeemed_at = r.at;
    out.push({ ...r, amount: Number(c.amount), templateId: String(c.template_id), flowId: c.flow_id === null ? null : String(c.flow_id) });
  }
  return out;
}
