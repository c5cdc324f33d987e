import type { DataSource } from 'typeorm';
import type { Channel } from '../core/data/model.js';
import { COUPON_REDEEMED } from '../core/data/order-events.js';
import { simulatedFate, type SimulatedRates } from '../core/channels/simulated-delivery.js';
import { executeBatch, insertManyOps, queryRows, type SqlOp } from './sql-batch.js';

/** Whose messages a report counts: one flow version (the one being simulated). */
export interface SimulatedFlow {
  flowId: string;
  versionId: number;
}

export interface SimulatedDeliveryReport {
  delivered: number;
  undelivered: number;
  responses: number;
  redeemed: number;
}

/**
 * Delivers the outbox through the simulated channel (core/channels/simulated-delivery.ts): every
 * due queued message becomes `sent` (sent_at = now, provider "simulated") or `failed`; a share
 * of the delivered ones is answered by a `click` event some minutes to hours later, and a share
 * of the answered coupon messages by a `coupon_redeemed` event (the ledger row is marked used).
 * The answers are stored events, replayed by the simulation when their time comes, so
 * waitForEvent branches, give-up and experiment reports see them like real ones.
 *
 * Every due message is delivered (the other live flows run in the simulation too, and their
 * answers are events like any other), but with `only` the report counts only that flow version's
 * messages: a simulation's figures are the simulated flow's, not those of every journey in the
 * copy of the shop (nor of messages queued before the simulation began).
 */
export async function deliverSimulated(ds: DataSource, rates: SimulatedRates, now: number, only?: SimulatedFlow): Promise<SimulatedDeliveryReport> {
  const due = await queryRows<{ id: number; idempotency_key: string; channel: Channel; customer_id: number; link_token: string | null; coupon_code: string | null; coupon_value: number | null; flow_id: string; node_id: string; version_id: number | null }>(
    ds,
    `SELECT id, idempotency_key, channel, customer_id, link_token, coupon_code, coupon_value, flow_id, node_id, version_id FROM sends WHERE status = 'queued' AND scheduled_at <= ? ORDER BY id`,
    [now],
  );
  const report: SimulatedDeliveryReport = { delivered: 0, undelivered: 0, responses: 0, redeemed: 0 };
  if (due.length === 0) return report;
  const ops: SqlOp[] = [];
  const sent: number[] = [];
  const failed: number[] = [];
  const events: unknown[][] = [];
  for (const s of due) {
    const counted = !only || (s.flow_id === only.flowId && Number(s.version_id) === only.versionId);
    const fate = simulatedFate(rates, s.idempotency_key, s.channel, !!s.coupon_code);
    (fate.delivered ? sent : failed).push(Number(s.id));
    if (counted) report[fate.delivered ? 'delivered' : 'undelivered']++;
    if (fate.respondsAfter === null) continue;
    const at = now + fate.respondsAfter;
    if (counted) report.responses++;
    events.push([s.customer_id, 'click', JSON.stringify({ sendId: Number(s.id), token: s.link_token, flowId: s.flow_id, nodeId: s.node_id, simulated: true }), at, `sim:click:${s.idempotency_key}`, now]);
    if (fate.redeems) {
      if (counted) report.redeemed++;
      events.push([s.customer_id, COUPON_REDEEMED, JSON.stringify({ code: s.coupon_code, amount: Number(s.coupon_value ?? 0), flowId: s.flow_id, simulated: true }), at, `sim:coupon:${s.coupon_code}`, now]);
      ops.push({ sql: `UPDATE coupons SET redeemed_at = ?, redeemed_order = ? WHERE code = ? AND redeemed_at IS NULL`, params: [at, 'simulated', s.coupon_code] });
    }
  }
  for (let i = 0; i < sent.length; i += 500) {
    const chunk = sent.slice(i, i + 500);
    ops.push({ sql: `UPDATE sends SET status = 'sent', sent_at = ?, attempts = attempts + 1, provider_message_id = 'simulated' WHERE id IN (${chunk.map(() => '?').join(', ')})`, params: [now, ...chunk] });
  }
  for (let i = 0; i < failed.length; i += 500) {
    const chunk = failed.slice(i, i + 500);
    ops.push({ sql: `UPDATE sends SET status = 'failed', attempts = attempts + 1, last_error = 'simulated: not delivered' WHERE id IN (${chunk.map(() => '?').join(', ')})`, params: chunk });
  }
  ops.push(...insertManyOps({ table: 'customer_events', columns: ['customer_id', 'type', 'properties', 'occurred_at', 'idempotency_key', 'received_at'], rows: events, suffix: 'ON CONFLICT (client_id, idempotency_key) DO NOTHING' }));
  await executeBatch(ds, ops);
  return report;
}

/**
 * The simulated channel as a simulation's `afterTick` (`rekindle simulate`, the designer's
 * Simulate): delivers what is due after each tick and adds up in `report` what it did with the
 * messages of `only` (the simulated flow version; every flow's when not given).
 */
export function simulatedDeliveryEachTick(ds: DataSource, rates: SimulatedRates, only?: SimulatedFlow): { afterTick: (now: number) => Promise<void>; report: SimulatedDeliveryReport } {
  const report: SimulatedDeliveryReport = { delivered: 0, undelivered: 0, responses: 0, redeemed: 0 };
  return {
    report,
    afterTick: async (now) => {
      const r = await deliverSimulated(ds, rates, now, only);
      report.delivered += r.delivered;
      report.undelivered += r.undelivered;
      report.responses += r.responses;
      report.redeemed += r.redeemed;
    },
  };
}
