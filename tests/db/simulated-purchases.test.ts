/**
 * The simulated channel's purchases: a used coupon is a paid order, and so is a share of the
 * other clicks, written through the order intake when their time comes, so goals, waitForEvent
 * order_paid, experiment responses and revenue, the coupon ledger and facts all see them.
 * The funnel says per send step how many clicked and used its coupon.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { CHANNELS } from '../../server/src/core/data/model.js';
import { simulate } from '../../server/src/core/engine/simulation.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { StoredEventReplay } from '../../server/src/persistence/event-replay.js';
import { flowFunnel, funnelCsv, newestPublishedNodes } from '../../server/src/persistence/flow-report.js';
import { sendLogRows } from '../../server/src/persistence/send-log.js';
import { customerJourney } from '../../server/src/persistence/journey-report.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { DEFAULT_SIMULATED_RATES, simulatedOrderAmount, type SimulatedRates } from '../../server/src/core/channels/simulated-delivery.js';
import { simulatedDeliveryEachTick, type SimulatedDeliveryReport } from '../../server/src/persistence/simulated-delivery.js';
import { nextOrganicPurchase, organicRatePerDay } from '../../server/src/core/channels/organic-purchases.js';
import { experimentNode, experimentReport, findExperiment } from '../../server/src/persistence/experiment-store.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { addEvent } from '../support/shop-fixtures.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const workspace = openWorkspace('rules');
const TZ = workspace.shop.timezone;
const NOW = Date.parse('2027-04-19T12:00:00+08:00');
const FROM = Date.parse('2027-04-20T00:00:00+08:00');
const DAYS = 4;
const all = (r: number) => Object.fromEntries(CHANNELS.map((c) => [c, r])) as SimulatedRates['delivery'];
// Everyone delivered answers; every answered coupon is used; every other answer buys too.
const RATES: SimulatedRates = { ...DEFAULT_SIMULATED_RATES, delivery: all(1), response: all(1), redeem: 1, purchase: 1 };
const rows = (ds: DataSource, sql: string, p: unknown[] = []) => queryRows(ds, sql, p);

describe.each(DIALECTS)('simulated purchases on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let report: SimulatedDeliveryReport;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ds = db.dataSource;
    await bulkWriteShop(ds, generateDemoShop({ customers: 2000, seed: 5, now: NOW, timezone: TZ }), { timezone: TZ, now: NOW });
    const clock = new VirtualClock(FROM);
    const rt = createEngineRuntime(ds, workspace, clock);
    const { flow } = loadValidFlow(workspace.rulesDir, 'new-product-launch', rt.rules);
    const { version } = await rt.flows.publish(flow, 'test', FROM);
    const channel = simulatedDeliveryEachTick(ds, RATES, { flowId: flow.id, versionId: version.id }, TZ, MS_PER_HOUR, undefined, FROM + DAYS * MS_PER_DAY);
    report = channel.report;
    await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: FROM, to: FROM + DAYS * MS_PER_DAY, step: MS_PER_HOUR, afterTick: channel.afterTick });
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });

  it('a used coupon is a paid order of at least its threshold, recorded as order_paid and coupon_redeemed (with the order value), in the ledger and the facts', async () => {
    const used = await rows(ds, `SELECT c.code, c.customer_id, c.min_spend, c.redeemed_at, c.redeemed_order, o.amount, o.status, o.paid_at FROM coupons c JOIN orders o ON o.external_id = c.redeemed_order WHERE c.redeemed_at IS NOT NULL`);
    expect(used.length).toBeGreaterThan(0);
    for (const u of used) {
      expect(String(u.redeemed_order)).toMatch(/^sim-/);
      expect(u.status).toBe('paid');
      expect(Number(u.amount)).toBeGreaterThanOrEqual(Number(u.min_spend));
      expect(Number(u.paid_at)).toBe(Number(u.redeemed_at));
    }
    const orderId = String(used[0].redeemed_order);
    const events = await rows(ds, `SELECT type, properties FROM customer_events WHERE customer_id = ? AND idempotency_key LIKE ?`, [Number(used[0].customer_id), `order:${orderId}:%`]);
    // What the order intake records for an order that arrives paid (as POST /api/orders would).
    expect(events.map((e) => e.type).sort()).toEqual(['coupon_redeemed', 'order_paid']);
    const redemption = events.find((e) => e.type === 'coupon_redeemed');
    const props = typeof redemption?.properties === 'string' ? JSON.parse(redemption.properties) : redemption?.properties;
    expect((props as { orderAmount: number }).orderAmount).toBe(Number(used[0].amount));
    // The customer's facts count the order (the same intake as an imported order).
    const [f] = await rows(ds, 'SELECT last_order_at FROM customer_facts WHERE customer_id = ?', [Number(used[0].customer_id)]);
    expect(Number(f.last_order_at)).toBeGreaterThanOrEqual(Number(used[0].paid_at));
    expect(report.redeemed).toBe(used.length);
  });

  it('clicks without a coupon buy at the purchase rate, worth about the customer\'s own average order', async () => {
    const plain = await rows(ds, `SELECT o.external_id, o.amount, o.customer_id FROM orders o WHERE o.external_id LIKE 'sim-%' AND o.external_id NOT LIKE 'sim-organic-%' AND NOT EXISTS (SELECT 1 FROM coupons c WHERE c.redeemed_order = o.external_id)`);
    expect(plain.length).toBeGreaterThan(0);
    const total = await rows(ds, `SELECT COUNT(*) AS n, SUM(amount) AS v FROM orders WHERE external_id LIKE 'sim-%' AND external_id NOT LIKE 'sim-organic-%'`);
    expect(report.orders).toBe(Number(total[0].n));
    expect(report.revenue).toBeCloseTo(Number(total[0].v), 2);
    // Deterministic: (seed, message) gives the amount; 0.7–1.3 × the AOV, 100 without history.
    expect(simulatedOrderAmount(RATES, 'k', 200, 0)).toBe(simulatedOrderAmount(RATES, 'k', 200, 0));
    expect(simulatedOrderAmount(RATES, 'k', 200, 0)).toBeGreaterThanOrEqual(140);
    expect(simulatedOrderAmount(RATES, 'k', 200, 0)).toBeLessThanOrEqual(260);
    expect(simulatedOrderAmount(RATES, 'k', null, 300)).toBe(300);
  });

  // A run ending at 10:00 held clicks and orders stamped up to 36 hours later (answers drawn at the
  // last ticks), so the designer's panel said 截至 10:00 and the API, CLI and CSV 10:44.
  it('no simulated event, order, payment or click is stamped after the end of the run, and none is paid before its click', async () => {
    const end = FROM + DAYS * MS_PER_DAY;
    const [e] = await rows(ds, 'SELECT MAX(occurred_at) AS m, COUNT(*) AS n FROM customer_events WHERE occurred_at >= ?', [FROM]);
    expect(Number(e.n)).toBeGreaterThan(0);
    expect(Number(e.m)).toBeLessThanOrEqual(end);
    const [o] = await rows(ds, `SELECT MAX(created_at) AS c, MAX(paid_at) AS p FROM orders WHERE external_id LIKE 'sim-%'`);
    expect(Number(o.c)).toBeLessThanOrEqual(end);
    expect(Number(o.p)).toBeLessThanOrEqual(end);
    const [c] = await rows(ds, 'SELECT MAX(clicked_at) AS m FROM sends');
    expect(Number(c.m)).toBeLessThanOrEqual(end);
    // The answers and orders the channel reports are the ones in the copy.
    const [clicks] = await rows(ds, "SELECT COUNT(*) AS n FROM customer_events WHERE type = 'click'");
    expect(report.responses).toBeLessThanOrEqual(Number(clicks.n));
    const late = await rows(ds, `SELECT COUNT(*) AS n FROM orders o JOIN sends s ON o.external_id = 'sim-' || s.idempotency_key WHERE o.paid_at < s.clicked_at`);
    expect(Number(late[0].n)).toBe(0);
  });

  it('the purchases end journeys at the goal (exitOn order_paid, logged at the step they stood at) and reach the experiment (responders and revenue)', async () => {
    const [done] = await rows(ds, `SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'new-product-launch' AND status = 'completed'`);
    expect(Number(done.n)).toBeGreaterThan(0);
    const [waited] = await rows(ds, `SELECT COUNT(*) AS n FROM journey_steps WHERE flow_id = 'new-product-launch' AND node_id = 'bought' AND outcome LIKE 'completed:order_paid%'`);
    expect(Number(waited.n)).toBeGreaterThan(0);
    const { flow, node } = await findExperiment(ds, 'new-product-launch');
    const r = await experimentReport(ds, flow.id, node, FROM + DAYS * MS_PER_DAY + MS_PER_DAY);
    const sent = r.arms.filter((a) => !a.holdout);
    expect(sent.reduce((n, a) => n + a.responders, 0)).toBeGreaterThan(0);
    expect(sent.reduce((n, a) => n + a.revenue, 0)).toBeGreaterThan(0);
  });

  it("the send log's cost, summed by arm, is the experiment report's message cost (blocked messages, priced in the database, cost nothing)", async () => {
    const { flow, node } = await findExperiment(ds, 'new-product-launch');
    const r = await experimentReport(ds, flow.id, node, FROM + DAYS * MS_PER_DAY + MS_PER_DAY);
    const byArm = new Map<string, number>();
    let blockedPriced = 0;
    for await (const s of sendLogRows(ds, { flowId: 'new-product-launch' })) {
      if (s.status !== 'sent') expect(s.cost).toBeNull();
      if (s.arm && s.cost !== null) byArm.set(String(s.arm), (byArm.get(String(s.arm)) ?? 0) + Number(s.cost));
    }
    // The database keeps the price on held-back rows: a sum over sends.cost over-states the report.
    const [priced] = await rows(ds, `SELECT COUNT(*) AS n FROM sends WHERE flow_id = 'new-product-launch' AND status = 'blocked' AND cost > 0`);
    blockedPriced = Number(priced.n);
    expect(blockedPriced).toBeGreaterThan(0);
    const paid = r.arms.filter((a) => Object.keys(a.messageCost).length > 0);
    expect(paid.length).toBeGreaterThan(0);
    for (const a of r.arms) expect(byArm.get(a.arm) ?? 0).toBeCloseTo(Object.values(a.messageCost).reduce((n, c) => n + c, 0), 6);
  });

  it('customers buy on their own beyond the shop\'s data, in the flow or not; the flow\'s report counts its customers\' purchases after they entered, not as the messages\' orders', async () => {
    const organic = await rows(ds, `SELECT o.customer_id, o.amount, o.paid_at FROM orders o WHERE o.external_id LIKE 'sim-organic-%'`);
    const entered = new Map((await rows(ds, `SELECT customer_id, MIN(entered_at) AS at FROM enrollments WHERE flow_id = 'new-product-launch' GROUP BY customer_id`)).map((r) => [Number(r.customer_id), Number(r.at)]));
    const flows = organic.filter((o) => Number(o.paid_at) >= (entered.get(Number(o.customer_id)) ?? Infinity));
    expect(flows.length).toBeGreaterThan(0);
    expect(report.organicOrders).toBe(flows.length);
    // The shop's data ends the evening before the run: customers outside the flow buy too.
    expect(organic.some((o) => !entered.has(Number(o.customer_id)))).toBe(true);
  });

  it("a customer's path shows the click, the coupon used and the order that ended the journey (explain, GET /api/customers/:id/journey)", async () => {
    const [used] = await rows(ds, `SELECT c.customer_id, c.code, c.redeemed_order FROM coupons c WHERE c.redeemed_at IS NOT NULL AND c.flow_id = 'new-product-launch' ORDER BY c.code LIMIT 1`);
    const j = (await customerJourney(ds, Number(used.customer_id), TZ))!;
    const journey = j.journeys.find((x) => x.flowId === 'new-product-launch')!;
    expect(journey.answers.map((a) => a.kind)).toEqual(expect.arrayContaining(['clicked', 'coupon-used']));
    expect(journey.answers.find((a) => a.kind === 'coupon-used')).toMatchObject({ code: used.code, order: used.redeemed_order });
    const send = j.sends.find((x) => x.coupon?.code === used.code)!;
    expect(send.clickedAt).not.toBeNull();
    expect(send.coupon).toMatchObject({ status: 'used', order: used.redeemed_order });
    // The journey ended at the goal on a paid order: the step names it.
    const end = journey.steps.find((x) => String(x.outcome).startsWith('completed:order_paid'))!;
    expect(end.event).toMatchObject({ type: 'order_paid' });
    expect(String(end.event!.orderId)).toMatch(/^sim-/);
  });

  it("the funnel's send steps say how many clicked and used their coupon, the same figures in JSON, CSV and the send log", async () => {
    const nodes = (await newestPublishedNodes(ds, 'new-product-launch'))!.nodes;
    const f = await flowFunnel(ds, 'new-product-launch', nodes);
    const promo = f.nodes.find((n) => n.nodeId === 'promo-coupon')!;
    expect(promo.sent).toBeGreaterThan(0);
    // Every delivered message was clicked, every coupon used (rates 1).
    expect(promo.clicked).toBe(promo.sent);
    expect(promo.redeemed).toBe(promo.sent);
    const totalClicked = f.nodes.reduce((n, x) => n + x.clicked, 0);
    expect(totalClicked).toBe(report.responses);
    const csv = funnelCsv(f).split('\n');
    const head = csv[0].split(',');
    const row = csv.find((l) => l.includes(',promo-coupon,'))!.split(',');
    expect(row[head.indexOf('clicked')]).toBe(String(promo.clicked));
    expect(row[head.indexOf('coupons_used')]).toBe(String(promo.redeemed));
    let logged = 0;
    let used = 0;
    for await (const s of sendLogRows(ds, { flowId: 'new-product-launch' })) {
      if (s.clicked_at) logged++;
      if (s.coupon_used_at) used++;
    }
    expect(logged).toBe(totalClicked);
    expect(used).toBe(f.nodes.reduce((n, x) => n + x.redeemed, 0));
  });
});

const holdoutFlow = FlowSchema.parse({
  id: 'holdout-test',
  name: 'holdout test',
  exitOn: [{ event: 'order_paid', goal: true }],
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'go' }, next: 'pick' },
    {
      id: 'pick',
      type: 'split',
      experiment: { id: 'holdout-test', window: '7d', responses: [{ event: 'order_paid' }] },
      arms: [
        { id: 'sms', weight: 50, next: 'send' },
        { id: 'holdout', weight: 50, holdout: true, next: 'done' },
      ],
    },
    { id: 'send', type: 'send', channel: 'sms', category: 'care', template: '新品到了', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

describe.each(DIALECTS)('organic purchases of a simulation on %s', (dialect) => {
  let db: TestDatabase;
  const run = async (rates: SimulatedRates) => {
    db = await openTestDatabase(dialect);
    const ds = db.dataSource;
    await bulkWriteShop(ds, generateDemoShop({ customers: 400, seed: 9, now: NOW, timezone: TZ }), { timezone: TZ, now: NOW });
    const clock = new VirtualClock(FROM);
    const rt = createEngineRuntime(ds, workspace, clock);
    const { version } = await rt.flows.publish(holdoutFlow, 'test', FROM);
    const ids = (await rows(ds, 'SELECT id FROM customers ORDER BY id')).map((r) => Number(r.id));
    for (const id of ids) await addEvent(ds, id, 'go', {}, FROM);
    const channel = simulatedDeliveryEachTick(ds, rates, { flowId: holdoutFlow.id, versionId: version.id }, TZ);
    await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: FROM, to: FROM + 7 * MS_PER_DAY, step: 6 * MS_PER_HOUR, afterTick: channel.afterTick });
    const r = await experimentReport(ds, holdoutFlow.id, experimentNode(holdoutFlow)!, FROM + 8 * MS_PER_DAY);
    const orders = await rows(ds, `SELECT external_id, paid_at FROM orders WHERE external_id LIKE 'sim-organic-%' ORDER BY external_id`);
    await db.close();
    return { r, orders, report: channel.report };
  };
  afterAll(async () => db?.close().catch(() => undefined));

  it('lets every customer buy at their own rate from their order history, so a holdout responds and the experiment has a baseline', async () => {
    const { r, orders, report } = await run(DEFAULT_SIMULATED_RATES);
    const holdout = r.arms.find((a) => a.holdout)!;
    expect(holdout.assigned).toBeGreaterThan(150);
    expect(holdout.responders).toBeGreaterThan(0);
    expect(r.warnings.map((w) => w.code)).not.toContain('no-baseline');
    expect(report.organicOrders).toBe(orders.length);
    // Seeded: the same run gives the same purchases at the same instants (once: the draws are the same code on either database).
    if (dialect === 'sqlite') expect((await run(DEFAULT_SIMULATED_RATES)).orders).toEqual(orders);
  }, 120_000);

  it('has none with --baseline-rate 0 (only messages lead to orders: the holdout never responds)', async () => {
    if (dialect !== 'sqlite') return; // the rate is read before any query: one database is enough
    const { r, orders } = await run({ ...DEFAULT_SIMULATED_RATES, baseline: 0 });
    expect(orders).toEqual([]);
    expect(r.arms.find((a) => a.holdout)!.responders).toBe(0);
  }, 120_000);

  it('draws the rate from the customer\'s orders over their lifetime plus the shop\'s mean time between purchases, or the --baseline-rate given', () => {
    expect(organicRatePerDay({ baseline: null }, { orderCount: 9, since: FROM - 90 * MS_PER_DAY }, FROM, 30)).toBeCloseTo(9 / 120, 9);
    // A first order yesterday is not a purchase a day: one order over a day plus the shop's 250-day mean gap.
    expect(organicRatePerDay({ baseline: null }, { orderCount: 1, since: FROM - MS_PER_DAY }, FROM, 250)).toBeCloseTo(1 / 251, 9);
    expect(organicRatePerDay({ baseline: null }, { orderCount: 0, since: null }, FROM)).toBe(0);
    expect(organicRatePerDay({ baseline: 0.02 }, { orderCount: 9, since: FROM - 90 * MS_PER_DAY }, FROM)).toBe(0.02);
    expect(nextOrganicPurchase(DEFAULT_SIMULATED_RATES, 7, 0, FROM, 0.05)).toBe(nextOrganicPurchase(DEFAULT_SIMULATED_RATES, 7, 0, FROM, 0.05));
    expect(nextOrganicPurchase(DEFAULT_SIMULATED_RATES, 7, 0, FROM, 0)).toBeNull();
  });
});

describe.each(DIALECTS)('organic orders left unpaid on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    await bulkWriteShop(db.dataSource, generateDemoShop({ customers: 300, seed: 7, now: NOW, timezone: TZ }), { timezone: TZ, now: NOW });
    const clock = new VirtualClock(FROM);
    const rt = createEngineRuntime(db.dataSource, workspace, clock);
    const { flow } = loadValidFlow(workspace.rulesDir, 'new-product-launch', rt.rules);
    const { version } = await rt.flows.publish(flow, 'test', FROM);
    // A purchase a day each: enough orders that some are never paid and closed within the run.
    const channel = simulatedDeliveryEachTick(db.dataSource, { ...RATES, baseline: 1 }, { flowId: flow.id, versionId: version.id }, TZ);
    await simulate(rt.engine, clock, new StoredEventReplay(db.dataSource), { from: FROM, to: FROM + DAYS * MS_PER_DAY, step: MS_PER_HOUR, afterTick: channel.afterTick });
  }, 180_000);
  afterAll(async () => db?.close());

  it('are closed exactly two days after they were placed: order_cancelled is stamped then, not at the tick that wrote it', async () => {
    const closed = await rows(
      db.dataSource,
      `SELECT o.external_id, o.created_at, e.occurred_at FROM orders o JOIN customer_events e ON e.idempotency_key = 'order:' || o.external_id || ':order_cancelled'
        WHERE o.external_id LIKE 'sim-organic-%' AND o.status = 'cancelled' ORDER BY o.external_id`,
    );
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.filter((c) => Number(c.occurred_at) - Number(c.created_at) !== 2 * MS_PER_DAY)).toEqual([]);
  });
});
