/**
 * The worked example flows of rules/flows/, each simulated over a generated demo shop in virtual
 * time, with what it should do asserted from the send log and the journey log (never from the
 * engine's own counters).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { simulate } from '../../server/src/core/engine/simulation.js';
import { deriveFacts } from '../../server/src/core/facts/derive.js';
import { EngineEvaluator } from '../../server/src/core/rules/engine-evaluator.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { decodeFacts } from '../../server/src/persistence/fact-store.js';
import { StoredEventReplay } from '../../server/src/persistence/event-replay.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime, type EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { DEFAULT_SIMULATED_RATES } from '../../server/src/core/channels/simulated-delivery.js';
import { deliverSimulated } from '../../server/src/persistence/simulated-delivery.js';
import { experimentReport, findExperiment } from '../../server/src/persistence/experiment-store.js';

const workspace = openWorkspace('rules');
const TZ = workspace.shop.timezone;
const opened: TestDatabase[] = [];
// Each test's databases are closed when it ends, before tests/support/temp-dirs.ts removes their folders.
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

interface Run {
  ds: DataSource;
  rt: EngineRuntime;
  versionId: number;
}

/** A fresh demo shop whose "today" is `now`, the flow published, then `days` of virtual time. */
async function simulateExample(flowId: string, o: { now: number; from: number; days: number; customers?: number; step?: number; shop?: typeof workspace.shop; deliver?: boolean }): Promise<Run> {
  const db = await openTestDatabase('sqlite');
  opened.push(db);
  const ds = db.dataSource;
  await bulkWriteShop(ds, generateDemoShop({ customers: o.customers ?? 3000, seed: 11, now: o.now, timezone: TZ }), { timezone: TZ, now: o.now });
  const clock = new VirtualClock(o.from);
  const rt = createEngineRuntime(ds, o.shop ? { ...workspace, shop: o.shop } : workspace, clock);
  const { flow } = loadValidFlow(workspace.rulesDir, flowId, rt.rules);
  const { version } = await rt.flows.publish(flow, 'test', o.from);
  await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: o.from, to: o.from + o.days * MS_PER_DAY, step: o.step ?? MS_PER_HOUR, afterTick: o.deliver ? async (t) => void (await deliverSimulated(ds, DEFAULT_SIMULATED_RATES, t)) : undefined });
  return { ds, rt, versionId: version.id };
}

const rows = (ds: DataSource, sql: string, p: unknown[] = []) => queryRows(ds, sql, p);

describe('worked example flows, simulated on the demo shop', () => {
  it('payment-reminder: one journey per unpaid order, first touch after 2 h, none after payment, second touch for the still unpaid', async () => {
    const now = Date.parse('2026-11-20T04:00:00Z');
    const { ds } = await simulateExample('payment-reminder', { now, from: now - 3 * MS_PER_DAY, days: 3, step: 15 * 60_000 });
    const journeys = await rows(ds, `SELECT journey_key, COUNT(*) AS n FROM enrollments WHERE flow_id = 'payment-reminder' GROUP BY journey_key`);
    expect(journeys.length).toBeGreaterThan(20);
    expect(journeys.every((j) => Number(j.n) === 1)).toBe(true);

    const sends = await rows(
      ds,
      `SELECT s.node_id, s.scheduled_at, e.journey_key, o.created_at, o.paid_at, o.status
         FROM sends s JOIN enrollments e ON e.id = s.enrollment_id JOIN orders o ON o.external_id = e.journey_key
        WHERE s.flow_id = 'payment-reminder'`,
    );
    expect(sends.length).toBeGreaterThan(0);
    for (const s of sends) {
      expect(Number(s.scheduled_at) - Number(s.created_at)).toBeGreaterThanOrEqual(2 * MS_PER_HOUR);
      if (s.paid_at !== null) expect(Number(s.scheduled_at)).toBeLessThan(Number(s.paid_at));
    }
    // Orders never paid within the simulation and created early enough got the 24 h touch.
    const second = new Set(sends.filter((s) => s.node_id === 'remind-2').map((s) => s.journey_key));
    const due = await rows(ds, `SELECT external_id FROM orders WHERE status = 'created' AND created_at <= ?`, [now - 25 * MS_PER_HOUR]);
    expect(due.length).toBeGreaterThan(0);
    for (const d of due) expect(second.has(d.external_id)).toBe(true);
    const paidJourneys = await rows(ds, `SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'payment-reminder' AND status = 'completed'`);
    expect(Number(paidJourneys[0].n)).toBeGreaterThan(0);
  });

  it('post-purchase-care: shipping notice on order_shipped, "received?" only when not signed for by then, quality care ~day 10, nothing after a refund', async () => {
    const now = Date.parse('2026-11-20T04:00:00Z');
    const from = now - 14 * MS_PER_DAY;
    const { ds } = await simulateExample('post-purchase-care', { now, from, days: 14 });
    const sends = await rows(ds, `SELECT s.node_id, s.scheduled_at, s.category, s.status, e.journey_key, e.entered_at FROM sends s JOIN enrollments e ON e.id = s.enrollment_id WHERE s.flow_id = 'post-purchase-care'`);
    expect(sends.length).toBeGreaterThan(0);
    const events = await rows(ds, `SELECT type, properties, occurred_at FROM customer_events WHERE type IN ('order_shipped', 'order_signed', 'order_refunded')`);
    const at = new Map<string, number>();
    for (const e of events) at.set(`${e.type}:${JSON.parse(String(e.properties)).orderId}`, Number(e.occurred_at));
    expect([...at.keys()].some((k) => k.startsWith('order_refunded:'))).toBe(true);
    const byNode = (n: string) => sends.filter((s) => s.node_id === n);
    expect(byNode('shipping-notice').length).toBeGreaterThan(0);
    expect(byNode('quality-care').length).toBeGreaterThan(0);
    for (const s of sends) {
      expect(s.category).not.toBe('marketing');
      const key = String(s.journey_key);
      const t = Number(s.scheduled_at);
      // Never a care message for an order after it was refunded.
      const refunded = at.get(`order_refunded:${key}`);
      if (refunded !== undefined) expect(t).toBeLessThan(refunded);
      const shipped = at.get(`order_shipped:${key}`);
      const signed = at.get(`order_signed:${key}`);
      if (s.node_id === 'shipping-notice') {
        // Sent once the order shipped (quiet hours may hold it until 09:00).
        expect(shipped).toBeDefined();
        expect(t).toBeGreaterThanOrEqual(shipped!);
        expect(t - shipped!).toBeLessThanOrEqual(13 * MS_PER_HOUR);
      }
      if (s.node_id === 'preparing') expect(shipped === undefined || shipped > Number(s.entered_at) + MS_PER_DAY).toBe(true);
      // "Received?" only if it was not signed for by the time the check went out.
      if (s.node_id === 'received-check') expect(signed === undefined || signed > t - 13 * MS_PER_HOUR).toBe(true);
      if (s.node_id === 'quality-care') {
        const day = (t - Number(s.entered_at)) / MS_PER_DAY;
        expect(day).toBeGreaterThanOrEqual(8);
        expect(day).toBeLessThanOrEqual(14);
      }
    }
  });

  it.each([
    ['the shop.yaml threshold (silentDays 138)', workspace.shop.lifecycle.silentDays],
    ["the article's 90-day definition (silentDays 89)", 89],
  ])('pre-sleep: customers enter 10 days before falling asleep by %s, never by a fixed day', async (_label, silentDays) => {
    const now = Date.parse('2026-11-20T04:00:00Z');
    const shop = { ...workspace.shop, lifecycle: { ...workspace.shop.lifecycle, silentDays } };
    const { ds } = await simulateExample('pre-sleep', { now, from: now - 4 * MS_PER_DAY, days: 4, shop });
    const entered = await rows(ds, `SELECT e.customer_id, e.entered_at, f.last_order_at FROM enrollments e JOIN customer_facts f ON f.customer_id = e.customer_id WHERE e.flow_id = 'pre-sleep'`);
    expect(entered.length).toBeGreaterThan(0);
    for (const e of entered) expect(Math.trunc((Number(e.entered_at) - Number(e.last_order_at)) / MS_PER_DAY)).toBe(silentDays + 1 - 10);
    const sends = await rows(ds, `SELECT node_id, body, coupon_code FROM sends WHERE flow_id = 'pre-sleep' AND status IN ('queued', 'sending', 'sent')`);
    expect(sends.length).toBeGreaterThan(0);
    for (const s of sends.filter((x) => x.node_id === 'reminder')) expect(String(s.body)).toContain('15元关怀券');
  });

  it('sleeping-reactivation: only sleepers enter, each layer gets its treatment, unanswered customers are given up after two touches', async () => {
    const now = Date.parse('2026-10-01T00:00:00Z');
    const { ds, rt } = await simulateExample('sleeping-reactivation', { now, from: now, days: 24, step: 2 * MS_PER_HOUR });
    const entered = await rows(ds, `SELECT e.customer_id, e.entered_at, COUNT(*) OVER (PARTITION BY e.customer_id) AS times FROM enrollments e WHERE e.flow_id = 'sleeping-reactivation'`);
    expect(entered.length).toBeGreaterThan(100);
    expect(entered.every((e) => Number(e.times) === 1)).toBe(true); // re-entry only after 180 days

    // Everyone who entered was asleep at that moment (the shop's own thresholds).
    const facts = new Map((await rows(ds, 'SELECT * FROM customer_facts')).map((r) => [Number(r.customer_id), decodeFacts(r)]));
    for (const e of entered) {
      const f = deriveFacts(facts.get(Number(e.customer_id))!, { at: Number(e.entered_at), timezone: TZ, lifecycle: workspace.shop.lifecycle });
      expect(f.lifecycleStage).toBe('sleeping');
    }

    // Layering: high-value sleepers get the coupon, and only they do.
    const evaluator = new EngineEvaluator(rt.rules, { timezone: TZ });
    const first = await rows(ds, `SELECT s.customer_id, s.node_id, e.entered_at FROM sends s JOIN enrollments e ON e.id = s.enrollment_id WHERE s.flow_id = 'sleeping-reactivation' AND s.node_id IN ('coupon-1','emotional-1','spend-get-1','reminder-1')`);
    expect(new Set(first.map((s) => s.node_id)).size).toBeGreaterThanOrEqual(3);
    for (const s of first) {
      const f = deriveFacts(facts.get(Number(s.customer_id))!, { at: Number(s.entered_at), timezone: TZ, lifecycle: workspace.shop.lifecycle });
      expect(await evaluator.matches('sleeping-high-value', f, Number(s.entered_at))).toBe(s.node_id === 'coupon-1');
    }

    // Nobody answered in the demo shop: after 7 + 14 days every early entrant is tagged given-up,
    // got exactly two touches, and (by the entry rule) never enters again.
    const early = entered.filter((e) => Number(e.entered_at) <= now + 2 * MS_PER_DAY).map((e) => Number(e.customer_id));
    expect(early.length).toBeGreaterThan(0);
    const tagged = new Set((await rows(ds, `SELECT id FROM customers WHERE tags LIKE '%"given-up"%'`)).map((r) => Number(r.id)));
    const touches = new Map((await rows(ds, `SELECT customer_id, COUNT(*) AS n FROM sends WHERE flow_id = 'sleeping-reactivation' GROUP BY customer_id`)).map((r) => [Number(r.customer_id), Number(r.n)]));
    for (const id of early) {
      expect(tagged.has(id)).toBe(true);
      expect(touches.get(id)).toBe(2);
    }
  });

  it('double11-campaign: each group gets its waves, email 2–3 days before the matching SMS, at most 3 touches and 2 SMS in November', async () => {
    const now = Date.parse('2027-10-26T00:00:00Z');
    const { ds } = await simulateExample('double11-campaign', { now, from: now, days: 17, step: 2 * MS_PER_HOUR });
    const sends = await rows(ds, `SELECT customer_id, node_id, channel, scheduled_at FROM sends WHERE flow_id = 'double11-campaign'`);
    expect(sends.length).toBeGreaterThan(100);
    const perCustomer = new Map<number, { channel: string; at: number; node: string }[]>();
    for (const s of sends) {
      const list = perCustomer.get(Number(s.customer_id)) ?? [];
      list.push({ channel: String(s.channel), at: Number(s.scheduled_at), node: String(s.node_id) });
      perCustomer.set(Number(s.customer_id), list);
    }
    const novemberStart = Date.parse('2027-11-01T00:00:00+08:00');
    for (const list of perCustomer.values()) {
      expect(list.length).toBeLessThanOrEqual(3);
      expect(list.filter((s) => s.channel === 'sms' && s.at >= novemberStart).length).toBeLessThanOrEqual(2);
    }
    // Email waves precede their SMS waves by 2–3 days (per wave, from the send log).
    const waveTime = (node: string) => {
      const times = sends.filter((s) => s.node_id === node).map((s) => Number(s.scheduled_at));
      return times.length ? Math.min(...times) : null;
    };
    for (const [email, sms] of [['wave1-email', 'wave1-sms'], ['winback-email', 'winback-sms'], ['unpaid-email', 'unpaid-sms']]) {
      const e = waveTime(email);
      const s = waveTime(sms);
      if (e === null || s === null) continue;
      const gap = (s - e) / MS_PER_DAY;
      expect(gap).toBeGreaterThanOrEqual(2);
      expect(gap).toBeLessThanOrEqual(3.01);
    }
    expect(waveTime('wave1-email')).not.toBeNull();
    expect(waveTime('wave1-sms')).not.toBeNull();
  });

  it('double11-campaign: a payment during the campaign ends the journey as a conversion, and nothing goes out after it', async () => {
    // The shop's history runs past the campaign, so its stored payments replay during the simulation.
    const { ds } = await simulateExample('double11-campaign', { now: Date.parse('2027-11-30T00:00:00Z'), from: Date.parse('2027-10-27T00:00:00+08:00'), days: 16, step: 2 * MS_PER_HOUR });
    const sends = await rows(ds, `SELECT customer_id, node_id, scheduled_at FROM sends WHERE flow_id = 'double11-campaign'`);
    const paid = await rows(
      ds,
      `SELECT e.customer_id, MIN(ev.occurred_at) AS paid_at FROM enrollments e JOIN customer_events ev ON ev.customer_id = e.customer_id AND ev.type = 'order_paid' AND ev.occurred_at >= e.entered_at
        WHERE e.flow_id = 'double11-campaign' AND ev.occurred_at < ? GROUP BY e.customer_id`,
      [Date.parse('2027-11-12T00:00:00+08:00')],
    );
    expect(paid.length).toBeGreaterThan(0);
    // e.g. no win-back SMS with a coupon on 8 Nov to a customer who paid on 6 Nov.
    const paidAt = new Map(paid.map((p) => [Number(p.customer_id), Number(p.paid_at)]));
    const afterPaying = sends.filter((s) => paidAt.has(Number(s.customer_id)) && Number(s.scheduled_at) > paidAt.get(Number(s.customer_id))!);
    expect(afterPaying).toEqual([]);
    const completed = await rows(ds, `SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'double11-campaign' AND status = 'completed' AND exit_reason = 'order_paid'`);
    // Conversions are counted (a payment after a journey already ended at `done` is not one of them).
    expect(Number(completed[0].n)).toBeGreaterThan(0);
    expect(Number(completed[0].n)).toBeLessThanOrEqual(paid.length);
  });

  it('new-product-launch: last summer\'s buyers (the launch\'s season, in April) and related groups enter; the holdout gets nothing; the report shows exposure and cost', async () => {
    const now = Date.parse('2027-04-19T00:00:00Z');
    const { ds, rt } = await simulateExample('new-product-launch', { now, from: now, days: 30, step: 4 * MS_PER_HOUR, deliver: true });
    const entered = await rows(ds, `SELECT e.customer_id, e.arm, e.entered_at FROM enrollments e WHERE e.flow_id = 'new-product-launch'`);
    expect(entered.length).toBeGreaterThan(20);
    const facts = new Map((await rows(ds, 'SELECT * FROM customer_facts')).map((r) => [Number(r.customer_id), decodeFacts(r)]));
    const evaluator = new EngineEvaluator(rt.rules, { timezone: TZ });
    for (const e of entered) {
      const f = deriveFacts(facts.get(Number(e.customer_id))!, { at: Number(e.entered_at), timezone: TZ, lifecycle: workspace.shop.lifecycle });
      expect(await evaluator.matches('new-product-launch-audience', f, Number(e.entered_at))).toBe(true);
    }
    const holdout = await rows(ds, `SELECT COUNT(*) AS n FROM sends s JOIN enrollments e ON e.id = s.enrollment_id WHERE e.flow_id = 'new-product-launch' AND e.arm = 'holdout'`);
    expect(Number(holdout[0].n)).toBe(0);
    const arms = await rows(ds, `SELECT arm, COUNT(*) AS n FROM split_assignments WHERE flow_id = 'new-product-launch' GROUP BY arm`);
    expect(arms.map((a) => a.arm).sort()).toEqual(['a', 'b', 'holdout']);
    // Same season = the launch's (summer 2026), though the rule runs in spring: every same-category entrant bought a dress or skirt then.
    const sameSeason = entered.filter((e) => facts.get(Number(e.customer_id))!.categorySeasons.some((c) => /^(dress|skirt)@2026-summer$/.test(c)));
    expect(sameSeason.length).toBeGreaterThan(0);
    // Complementary categories exist in the catalogue: the group is not empty.
    const comp = await rows(ds, `SELECT COUNT(*) AS n FROM journey_steps WHERE flow_id = 'new-product-launch' AND node_id = 'who' AND outcome = 'case:买过搭配单品'`);
    expect(Number(comp[0].n)).toBeGreaterThan(0);
    // README: rekindle report new-product-launch — exposure and cost after a simulation.
    const { flow, node } = await findExperiment(ds, 'new-product-launch');
    const report = await experimentReport(ds, flow.id, node, now + 30 * MS_PER_DAY);
    const b = report.arms.find((a) => a.arm === 'b')!;
    expect(b.exposed).toBeGreaterThan(0);
    expect(b.cost).toBeGreaterThan(0);
  });
});
