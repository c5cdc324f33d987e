/**
 * A simulation that starts after the shop's data ends (next autumn's Double 11 on today's shop):
 * the copy lives until the start (persistence/simulated-gap.ts) and, during the run, every
 * customer buys beyond the data, in the flow or not (simulated-delivery.ts drawShopBeyondData).
 * Where the run replays the shop's own orders, only the flow's customers buy (those orders are
 * already there).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { simulate } from '../../server/src/core/engine/simulation.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { StoredEventReplay } from '../../server/src/persistence/event-replay.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DEFAULT_SIMULATED_RATES } from '../../server/src/core/channels/simulated-delivery.js';
import { simulatedDeliveryEachTick } from '../../server/src/persistence/simulated-delivery.js';
import { bringShopForward, type ShopBroughtForward } from '../../server/src/persistence/simulated-gap.js';
import { gapPurchases, UNPAID_CLOSED_AFTER_MS } from '../../server/src/core/channels/gap-purchases.js';
import { ORGANIC_NEVER_PAID_SHARE, organicPaymentDelay } from '../../server/src/core/channels/organic-purchases.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { addEvent } from '../support/shop-fixtures.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const workspace = openWorkspace('rules');
const TZ = workspace.shop.timezone;
const DATA_END = Date.parse('2026-11-20T12:00:00+08:00');
const START = Date.parse('2027-03-01T00:00:00+08:00');
const rows = (ds: DataSource, sql: string, p: unknown[] = []) => queryRows(ds, sql, p);
const n = async (ds: DataSource, sql: string, p: unknown[] = []) => Number((await rows(ds, sql, p))[0].n ?? 0);

/** Entered on every paid order: its customers come from the shop's purchases. */
const onPurchase = FlowSchema.parse({
  id: 'thank-you',
  name: 'thank you',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_paid' }, reentry: { policy: 'never' }, next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});
const onGo = FlowSchema.parse({ id: 'go-flow', name: 'go', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'go' }, next: 'wait' }, { id: 'wait', type: 'wait', duration: '30d', next: 'done' }, { id: 'done', type: 'exit' }] });

async function shop(dialect: (typeof DIALECTS)[number], customers = 400): Promise<TestDatabase> {
  const db = await openTestDatabase(dialect);
  await bulkWriteShop(db.dataSource, generateDemoShop({ customers, seed: 21, now: DATA_END, timezone: TZ }), { timezone: TZ, now: DATA_END });
  return db;
}

describe('a customer\'s purchases between the shop\'s data and a later start', () => {
  it('are seeded, inside the gap, and none at rate 0; an unpaid order only in the last two days', () => {
    const c = { customerId: 7, orderCount: 6, since: DATA_END - 400 * MS_PER_DAY, lastOrderAt: DATA_END - 5 * MS_PER_DAY };
    const g = gapPurchases(DEFAULT_SIMULATED_RATES, c, DATA_END, START, 100);
    expect(g).toEqual(gapPurchases(DEFAULT_SIMULATED_RATES, c, DATA_END, START, 100));
    expect(g.paid.length).toBeGreaterThan(0);
    for (const at of g.paid) expect(at > DATA_END && at < START).toBe(true);
    expect(gapPurchases({ ...DEFAULT_SIMULATED_RATES, baseline: 0 }, c, DATA_END, START, 100).paid).toEqual([]);
    for (let id = 1; id <= 300; id++) {
      const u = gapPurchases(DEFAULT_SIMULATED_RATES, { ...c, customerId: id }, DATA_END, START, 100).unpaidAt;
      if (u !== null) expect(u >= START - 2 * MS_PER_DAY && u < START).toBe(true);
    }
  });
});

describe.each(DIALECTS)('the shop beyond its data on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let gap: ShopBroughtForward | null;
  let before: { orders: number; counted: number };
  beforeAll(async () => {
    db = await shop(dialect);
    ds = db.dataSource;
    before = { orders: await n(ds, 'SELECT COUNT(*) AS n FROM orders'), counted: await n(ds, 'SELECT SUM(order_count) AS n FROM customer_facts') };
    gap = await bringShopForward(ds, DEFAULT_SIMULATED_RATES, START, TZ);
  }, 120_000);
  afterAll(async () => db?.close());

  it('lives from its newest order to the start: paid orders in between, through the order intake (facts count them)', async () => {
    expect(gap).not.toBeNull();
    expect(gap!.dataEnd).toBeLessThanOrEqual(DATA_END);
    expect(gap!.dataEnd).toBeGreaterThan(DATA_END - MS_PER_DAY);
    expect(gap!.orders).toBeGreaterThan(20);
    const paid = await rows(ds, `SELECT created_at FROM orders WHERE external_id LIKE 'sim-gap-%' AND status = 'paid'`);
    expect(paid.length).toBe(gap!.orders);
    for (const o of paid) expect(Number(o.created_at) > gap!.dataEnd && Number(o.created_at) < START).toBe(true);
    expect(await n(ds, 'SELECT SUM(order_count) AS n FROM customer_facts')).toBe(before.counted + gap!.orders);
    // Their events are dated before the start: a replay from the start never sees them.
    expect(await n(ds, `SELECT COUNT(*) AS n FROM customer_events WHERE type = 'order_paid' AND occurred_at >= ?`, [START])).toBe(0);
  });

  it('closes orders left unpaid over two days, as the platform does, and leaves a few fresh ones unpaid', async () => {
    expect(gap!.unpaidClosed).toBeGreaterThan(0);
    expect(await n(ds, `SELECT COUNT(*) AS n FROM orders WHERE status = 'created' AND created_at <= ?`, [START - 2 * MS_PER_DAY])).toBe(0);
    const unpaid = await n(ds, `SELECT COUNT(*) AS n FROM orders WHERE status = 'created'`);
    expect(unpaid).toBe(gap!.unpaidPlaced);
    expect(await n(ds, 'SELECT SUM(unpaid_order_count) AS n FROM customer_facts')).toBe(unpaid);
  });

  it('during the run every customer buys beyond the data: a flow entered on order_paid gets its customers from them', async () => {
    const clock = new VirtualClock(START);
    const rt = createEngineRuntime(ds, workspace, clock);
    const { version } = await rt.flows.publish(onPurchase, 'test', START);
    const channel = simulatedDeliveryEachTick(ds, DEFAULT_SIMULATED_RATES, { flowId: onPurchase.id, versionId: version.id }, TZ, 6 * MS_PER_HOUR);
    await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: START, to: START + 20 * MS_PER_DAY, step: 6 * MS_PER_HOUR, afterTick: channel.afterTick });
    // (An order due within a step of the end is written at the last tick, its order_paid after the run.)
    const buyers = await n(ds, `SELECT COUNT(DISTINCT customer_id) AS n FROM orders WHERE external_id LIKE 'sim-organic-%' AND paid_at <= ?`, [START + 20 * MS_PER_DAY]);
    expect(buyers).toBeGreaterThan(5);
    expect(await n(ds, `SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = ?`, [onPurchase.id])).toBe(buyers);
    // The report counts a customer's purchases once they are in the flow, not the one that brought them in.
    const all = await n(ds, `SELECT COUNT(*) AS n FROM orders WHERE external_id LIKE 'sim-organic-%'`);
    expect(channel.report.organicOrders).toBeLessThan(all);
  }, 120_000);

  it('says nothing is missing when the data reaches the start, and does nothing at --baseline-rate 0', async () => {
    expect(await bringShopForward(ds, DEFAULT_SIMULATED_RATES, DATA_END - 10 * MS_PER_DAY, TZ)).toBeNull();
    expect(await bringShopForward(ds, { ...DEFAULT_SIMULATED_RATES, baseline: 0 }, START + 100 * MS_PER_DAY, TZ)).toBeNull();
    // A start before the shop's own now (the real clock) is in time the shop has data for, however old its last order.
    expect(await bringShopForward(ds, DEFAULT_SIMULATED_RATES, START + 100 * MS_PER_DAY, TZ, START + 101 * MS_PER_DAY)).toBeNull();
  });
});

describe('a run over the shop\'s own orders on sqlite', () => {
  it.each([
    ['within its orders', -10 * MS_PER_DAY, undefined],
    ["after its last order but before the shop's own now (a quiet shop)", 2 * MS_PER_DAY, 30 * MS_PER_DAY],
  ])('adds no purchases for customers outside the flow %s (the shop\'s data is there)', async (_what, fromOffset, nowOffset) => {
    const db = await shop('sqlite', 300);
    try {
      const ds = db.dataSource;
      const from = DATA_END + (fromOffset as number);
      const clock = new VirtualClock(from);
      const rt = createEngineRuntime(ds, workspace, clock);
      const { version } = await rt.flows.publish(onGo, 'test', from);
      const inFlow = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
      for (const id of inFlow) await addEvent(ds, id, 'go', {}, from + MS_PER_HOUR);
      const channel = simulatedDeliveryEachTick(ds, DEFAULT_SIMULATED_RATES, { flowId: onGo.id, versionId: version.id }, TZ, 6 * MS_PER_HOUR, nowOffset === undefined ? undefined : DATA_END + (nowOffset as number));
      await simulate(rt.engine, clock, new StoredEventReplay(ds), { from, to: from + 8 * MS_PER_DAY, step: 6 * MS_PER_HOUR, afterTick: channel.afterTick });
      const buyers = (await rows(ds, `SELECT DISTINCT customer_id FROM orders WHERE external_id LIKE 'sim-organic-%'`)).map((r) => Number(r.customer_id));
      for (const id of buyers) expect(inFlow).toContain(id);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe('a run that begins inside the shop\'s data and goes beyond it, on sqlite', () => {
  it("lets the flow's customers buy from their entry, before the data ends too (their own chain replaces the shop-wide one)", async () => {
    const db = await shop('sqlite', 400);
    try {
      const ds = db.dataSource;
      const from = DATA_END - 8 * MS_PER_DAY;
      const clock = new VirtualClock(from);
      const rt = createEngineRuntime(ds, workspace, clock);
      const { version } = await rt.flows.publish(onGo, 'test', from);
      for (let id = 1; id <= 400; id++) await addEvent(ds, id, 'go', {}, from + MS_PER_HOUR);
      const channel = simulatedDeliveryEachTick(ds, DEFAULT_SIMULATED_RATES, { flowId: onGo.id, versionId: version.id }, TZ, 6 * MS_PER_HOUR);
      await simulate(rt.engine, clock, new StoredEventReplay(ds), { from, to: from + 16 * MS_PER_DAY, step: 6 * MS_PER_HOUR, afterTick: channel.afterTick });
      const organic = await rows(ds, `SELECT customer_id, paid_at FROM orders WHERE external_id LIKE 'sim-organic-%' AND status = 'paid'`);
      // Before the data's end only the flow's own chains buy; every one of them paid counted in the report.
      expect(organic.filter((o) => Number(o.paid_at) < DATA_END).length).toBeGreaterThan(0);
      expect(channel.report.organicOrders).toBe(organic.length);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe('organic orders are paid some minutes after they are placed, or never', () => {
  it('draws the wait from the seeded generator: 9 in 10 paid within 20 minutes, the rest within 12 hours, 1 in 20 never (closed)', () => {
    const waits = Array.from({ length: 4000 }, (_, i) => organicPaymentDelay(DEFAULT_SIMULATED_RATES, i, i % 3));
    expect(waits).toEqual(Array.from({ length: 4000 }, (_, i) => organicPaymentDelay(DEFAULT_SIMULATED_RATES, i, i % 3)));
    const never = waits.filter((w) => w === null).length / waits.length;
    expect(Math.abs(never - ORGANIC_NEVER_PAID_SHARE)).toBeLessThan(0.015);
    const paid = waits.filter((w): w is number => w !== null);
    for (const w of paid) expect(w >= 20_000 && w <= 12 * MS_PER_HOUR).toBe(true);
    expect(paid.filter((w) => w <= 20 * 60_000).length / paid.length).toBeGreaterThan(0.85);
    expect(paid.filter((w) => w > MS_PER_HOUR).length).toBeGreaterThan(0); // some pay hours later: after a 2-hour reminder
  });

  it('so a payment reminder simulated beyond the shop\'s data has organic entrants: most pay before any reminder, some are reminded, the unpaid ones close after two days', async () => {
    const db = await shop('sqlite', 600);
    try {
      const ds = db.dataSource;
      const from = START; // after the shop's own now too: every customer buys, in the flow or not
      const to = from + 12 * MS_PER_DAY;
      const clock = new VirtualClock(from);
      const rt = createEngineRuntime(ds, workspace, clock);
      const { flow } = loadValidFlow(workspace.rulesDir, 'payment-reminder', rt.rules);
      const { version } = await rt.flows.publish(flow, 'test', from);
      // One order per customer in 100 days (--baseline-rate 0.01): enough orders in 12 days to count shares.
      const channel = simulatedDeliveryEachTick(ds, { ...DEFAULT_SIMULATED_RATES, baseline: 0.01 }, { flowId: flow.id, versionId: version.id }, TZ, MS_PER_HOUR);
      await simulate(rt.engine, clock, new StoredEventReplay(ds), { from, to, step: MS_PER_HOUR, afterTick: channel.afterTick });
      const organic = await rows(ds, `SELECT external_id, status, created_at, paid_at FROM orders WHERE external_id LIKE 'sim-organic-%' AND created_at < ?`, [to - UNPAID_CLOSED_AFTER_MS - MS_PER_HOUR]);
      expect(organic.length).toBeGreaterThan(20);
      // Placed unpaid, paid later (never at the instant placed): most within 20 minutes.
      const paid = organic.filter((o) => o.status === 'paid');
      for (const o of paid) expect(Number(o.paid_at)).toBeGreaterThan(Number(o.created_at));
      expect(paid.filter((o) => Number(o.paid_at) - Number(o.created_at) <= 20 * 60_000).length).toBeGreaterThan(paid.length * 0.6);
      // Every one old enough is settled: paid, or closed by the platform.
      expect(organic.filter((o) => o.status !== 'paid' && o.status !== 'cancelled')).toEqual([]);
      // The payment reminder's entrants include them, keyed by the organic order.
      const entrants = await rows(ds, `SELECT status, exit_reason FROM enrollments WHERE flow_id = 'payment-reminder' AND journey_key LIKE 'sim-organic-%'`);
      expect(entrants.length).toBeGreaterThan(20);
      expect(entrants.filter((e) => e.status === 'completed').length).toBeGreaterThan(entrants.length / 2);
      // Those who pay hours later are reminded first.
      expect(await n(ds, `SELECT COUNT(*) AS n FROM sends s JOIN enrollments e ON e.id = s.enrollment_id WHERE e.journey_key LIKE 'sim-organic-%'`)).toBeGreaterThan(0);
      // The flow's report counts the organic orders its entrants paid (they entered with the order, paid minutes later).
      expect(channel.report.organicOrders).toBeGreaterThan(entrants.filter((e) => e.status === 'completed').length / 2);
    } finally {
      await db.close();
    }
  }, 180_000);
});
