import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { createSplitExecutor } from '../../server/src/core/engine/executors/split.executor.js';
import { defaultExecutors } from '../../server/src/core/engine/executors/index.js';
import { JourneyEngine } from '../../server/src/core/engine/journey-engine.js';
import { FlowSchema, type Flow } from '../../server/src/core/flow/schema.js';
import { ExperimentStore, experimentNode, experimentReport } from '../../server/src/persistence/experiment-store.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { DecisionCodesBackfill1765002530000 } from '../../server/src/persistence/migrations/1765002530000-decision-codes-backfill.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { ruleFreeEngine } from '../support/engine-fixture.js';

const T0 = Date.parse('2026-11-02T02:00:00Z');

const offer: Flow = FlowSchema.parse({
  id: 'coupon-offer',
  name: 'Coupon offer',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'visit' }, reentry: { policy: 'always' }, next: 'offer' },
    {
      id: 'offer',
      type: 'split',
      stratify: 'lifecycleStage',
      experiment: { id: 'coupon-test', window: '7d', responses: [{ event: 'order_paid' }] },
      arms: [
        { id: 'a', weight: 40, next: 'sms' },
        { id: 'b', weight: 40, next: 'email' },
        { id: 'holdout', weight: 20, holdout: true, next: 'done' },
      ],
    },
    { id: 'sms', type: 'send', channel: 'sms', template: '送你{{coupon}}', coupon: { value: 5 }, cost: 0.1, next: 'done' },
    { id: 'email', type: 'send', channel: 'email', template: 'hello', cost: 0.01, next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

const testFlow = (id: string): Flow =>
  FlowSchema.parse({
    id,
    name: id,
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: `enter-${id}` }, next: 'pick' },
      {
        id: 'pick',
        type: 'split',
        experiment: { id: `${id}-x`, window: '3d', test: { sample: 80, window: '3d', defaultArm: 'a' } },
        arms: [
          { id: 'a', weight: 50, next: 'send-a' },
          { id: 'b', weight: 50, next: 'send-b' },
        ],
      },
      { id: 'send-a', type: 'send', channel: 'email', template: 'A', next: 'done' },
      { id: 'send-b', type: 'send', channel: 'email', template: 'B', next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  });

describe.each(DIALECTS)('experiments in the journey engine on %s', (dialect) => {
  let db: TestDatabase;
  let clock: VirtualClock;
  let engine: JourneyEngine;
  let ids: number[];
  const markSent = (at: number) => executeBatch(db.dataSource, [{ sql: "UPDATE sends SET status = 'sent', sent_at = ? WHERE status = 'queued'", params: [at] }]);
  const armsOf = async (flowId: string) => new Map((await queryRows(db.dataSource, 'SELECT customer_id, arm FROM split_assignments WHERE flow_id = ?', [flowId])).map((r) => [Number(r.customer_id), String(r.arm)]));

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new VirtualClock(T0);
    const flows = new FlowRepository(db.dataSource);
    for (const f of [offer, testFlow('test-win'), testFlow('test-none')]) await flows.publish(f, 'test', T0 - MS_PER_HOUR);
    engine = ruleFreeEngine(db.dataSource, clock, {
      flows,
      executors: defaultExecutors().register(createSplitExecutor(new ExperimentStore(db.dataSource))),
    });
    ids = await addCustomers(db.dataSource, Array.from({ length: 100 }, (_, i) => ({ externalId: `c${i}` })), T0 - MS_PER_DAY);
  }, 60_000);
  afterAll(async () => db?.close());

  it('fills every arm exactly to its weight within the stratum (permuted blocks), once per customer', async () => {
    await engine.onEvents(await Promise.all(ids.map((id) => addEvent(db.dataSource, id, 'visit', {}, T0))));
    await engine.tick();
    const arms = await armsOf('coupon-offer');
    expect(arms.size).toBe(100);
    const sizes = [...arms.values()].reduce((m, a) => m.set(a, (m.get(a) ?? 0) + 1), new Map<string, number>());
    expect(Object.fromEntries(sizes)).toEqual({ a: 40, b: 40, holdout: 20 });
  });

  it('keeps the arm of a returning customer and records the assignment only once', async () => {
    const before = await armsOf('coupon-offer');
    clock.advance(MS_PER_HOUR);
    await engine.onEvents([await addEvent(db.dataSource, ids[0], 'visit', {}, clock.now())]);
    await engine.tick();
    const [again] = await queryRows(db.dataSource, "SELECT arm FROM enrollments WHERE flow_id = 'coupon-offer' AND customer_id = ? ORDER BY id DESC", [ids[0]]);
    expect(String(again.arm)).toBe(before.get(ids[0]));
    expect((await armsOf('coupon-offer')).size).toBe(100);
  });

  it('counts exposure, the first response in the window with its revenue, message and coupon cost', async () => {
    await markSent(T0 + MS_PER_HOUR);
    const arms = await armsOf('coupon-offer');
    const inArm = (a: string) => ids.filter((id) => arms.get(id) === a);
    const a = inArm('a');
    const holdout = inArm('holdout');
    for (const id of a.slice(0, 10)) await addEvent(db.dataSource, id, 'order_paid', { orderId: `o${id}`, amount: 100 }, T0 + 2 * MS_PER_DAY);
    await addEvent(db.dataSource, a[0], 'order_paid', { orderId: 'dup', amount: 999 }, T0 + 3 * MS_PER_DAY); // second order: not a second response
    await addEvent(db.dataSource, a[10], 'order_paid', { orderId: 'late', amount: 100 }, T0 + 9 * MS_PER_DAY); // after the 7-day window
    await addEvent(db.dataSource, a[11], 'order_paid', { orderId: 'early', amount: 100 }, T0 + 30 * 60_000); // before exposure
    for (const id of holdout.slice(0, 2)) await addEvent(db.dataSource, id, 'order_paid', { orderId: `h${id}`, amount: 100 }, T0 + MS_PER_DAY);
    const coupons = await queryRows(db.dataSource, "SELECT customer_id, coupon_code FROM sends WHERE node_id = 'sms' ORDER BY customer_id");
    for (const c of coupons.slice(0, 3)) {
      await addEvent(db.dataSource, Number(c.customer_id), 'coupon_redeemed', { code: c.coupon_code }, T0 + 2 * MS_PER_DAY);
      await addEvent(db.dataSource, Number(c.customer_id), 'coupon_redeemed', { code: c.coupon_code }, T0 + 2 * MS_PER_DAY + 1); // duplicate delivery
    }
    
    const node = experimentNode(offer, 'coupon-test')!;
    const r = await experimentReport(db.dataSource, 'coupon-offer', node, T0 + 20 * MS_PER_DAY);
    const by = Object.fromEntries(r.arms.map((x) => [x.arm, x]));
    expect([by.a.assigned, by.a.exposed, by.a.responders, by.a.revenue]).toEqual([40, 40, 10, 1000]);
    expect(by.a.messageCost.sms).toBeCloseTo(4, 9);
    expect(by.a.couponCost).toBe(15);
    expect([by.b.assigned, by.b.exposed, by.b.responders]).toEqual([40, 40, 0]);
    expect(by.b.cost).toBeCloseTo(0.4, 9);
    expect([by.holdout.assigned, by.holdout.exposed, by.holdout.responders, by.holdout.revenue]).toEqual([20, 0, 2, 200]);
    expect(r.control).toBe('holdout');
    // Reference (tests/reference/experiment-statistics.py): Wilson(10, 40) and the z-test 10/40 vs 2/20.
    expect(by.a.responseRateCi.low).toBeCloseTo(0.141871, 5);
    expect(by.a.responseRateCi.high).toBeCloseTo(0.401940, 5);
    expect(by.a.vsControl!.pValue).toBeCloseTo(0.170904, 5);
    // incremental revenue vs holdout: (1000/40 − 200/20) × 40 = 600; ROI (600 − 19) / 19
    expect(by.a.incrementalRevenue).toBeCloseTo(600, 9);
    expect(by.a.roi!).toBeCloseTo(581 / 19, 9);
    expect(r.overall.test).toBe('chi-square');
    expect(r.sampleRatio.mismatch).toBe(false);
  });

  it('counts only the customers assigned and the messages sent by the time a report is as of', async () => {
    // Assigned at T0, messages sent at T0 + 1 h (the test above): before T0 nobody was in the test yet,
    // and half an hour in every customer was assigned but no message (nor its cost) had gone out.
    const node = experimentNode(offer, 'coupon-test')!;
    const before = await experimentReport(db.dataSource, 'coupon-offer', node, T0 - 1);
    expect(before.arms.map((x) => [x.arm, x.assigned, x.exposed, x.cost])).toEqual([['a', 0, 0, 0], ['b', 0, 0, 0], ['holdout', 0, 0, 0]]);
    const mid = await experimentReport(db.dataSource, 'coupon-offer', node, T0 + 30 * 60_000);
    expect(mid.arms.map((x) => [x.arm, x.assigned, x.exposed, x.cost])).toEqual([['a', 40, 0, 0], ['b', 40, 0, 0], ['holdout', 20, 0, 0]]);
  });

  it('tests on a sample, then sends the rest down the significant winner and records why', async () => {
    const start = clock.now();
    await engine.onEvents(await Promise.all(ids.map((id) => addEvent(db.dataSource, id, 'enter-test-win', {}, start))));
    await engine.tick();
    await markSent(start);
    const tested = await armsOf('test-win');
    // A sample of 80% of 100: enough customers an arm (≥ 30, enough-data.ts) for a winner to count.
    expect(tested.size).toBeGreaterThan(65);
    expect(tested.size).toBeLessThan(95);
    expect(Math.min(...['a', 'b'].map((arm) => [...tested.values()].filter((x) => x === arm).length))).toBeGreaterThanOrEqual(30);
    const waiting = await queryRows(db.dataSource, "SELECT COUNT(*) AS n FROM journey_steps WHERE flow_id = 'test-win' AND outcome = 'awaiting-decision'");
    expect(Number(waiting[0].n)).toBe(100 - tested.size);
    for (const [id, arm] of tested) if (arm === 'b') await addEvent(db.dataSource, id, 'order_paid', { amount: 50 }, start + MS_PER_DAY);
    clock.advance(3 * MS_PER_DAY);
    await engine.tick();
    const [d] = await queryRows(db.dataSource, "SELECT arm, winner, reason FROM experiment_decisions WHERE flow_id = 'test-win'");
    expect([String(d.arm), d.winner === true || Number(d.winner) === 1]).toEqual(['b', true]);
    expect(String(d.reason)).toMatch(/^arm b \(100\.00%\) beats every other arm/);
    // …with its code and figures beside the reason, as the report (API, designer) reads them back.
    const store = new ExperimentStore(db.dataSource);
    const recorded = await store.decision('test-win', 'pick');
    expect(recorded).toMatchObject({ arm: 'b', winner: true, code: 'winner', figures: { best: { arm: 'b', responseRate: 1 }, comparisons: 1, level: 0.05 }, reason: String(d.reason) });
    // A row decided before decisions had codes: the store reads the stored code only, never decides the stored report again on a read…
    await executeBatch(db.dataSource, [{ sql: "UPDATE experiment_decisions SET code = NULL, figures = NULL WHERE flow_id = 'test-win'", params: [] }]);
    expect(await store.decision('test-win', 'pick')).toEqual({ arm: 'b', winner: true, reason: String(d.reason), code: null, figures: null });
    // …migration 1765002530000 gave such rows their code once, when deciding the stored report again gives the reason recorded…
    const backfill = async () => {
      const runner = db.dataSource.createQueryRunner();
      await new DecisionCodesBackfill1765002530000().up(runner).finally(() => runner.release());
    };
    await backfill();
    expect(await store.decision('test-win', 'pick')).toEqual(recorded);
    // …and none when it does not (the reason alone, never a code the server did not record).
    await executeBatch(db.dataSource, [{ sql: "UPDATE experiment_decisions SET reason = 'picked by hand', code = NULL, figures = NULL WHERE flow_id = 'test-win'", params: [] }]);
    await backfill();
    expect(await store.decision('test-win', 'pick')).toEqual({ arm: 'b', winner: true, reason: 'picked by hand', code: null, figures: null });
    await executeBatch(db.dataSource, [{ sql: "UPDATE experiment_decisions SET reason = ?, code = ?, figures = ? WHERE flow_id = 'test-win'", params: [recorded!.reason, recorded!.code, JSON.stringify(recorded!.figures)] }]);
    const rest = await queryRows(db.dataSource, "SELECT arm FROM enrollments WHERE flow_id = 'test-win' AND customer_id NOT IN (SELECT customer_id FROM split_assignments WHERE flow_id = 'test-win')");
    expect(rest.length).toBe(100 - tested.size);
    expect(new Set(rest.map((x) => x.arm))).toEqual(new Set(['b']));
    expect((await armsOf('test-win')).size).toBe(tested.size); // roll-out customers are not test subjects
  });

  it('sends the rest down the default arm when no arm wins significantly', async () => {
    const start = clock.now();
    await engine.onEvents(await Promise.all(ids.map((id) => addEvent(db.dataSource, id, 'enter-test-none', {}, start))));
    await engine.tick();
    clock.advance(3 * MS_PER_DAY);
    await engine.tick();
    const [d] = await queryRows(db.dataSource, "SELECT arm, winner, reason FROM experiment_decisions WHERE flow_id = 'test-none'");
    expect([String(d.arm), d.winner === true || Number(d.winner) === 1]).toEqual(['a', false]);
    expect(String(d.reason)).toMatch(/not significantly better .* default arm a$/);
    expect((await experimentReport(db.dataSource, 'test-none', experimentNode(testFlow('test-none'))!, clock.now())).decision).toMatchObject({ arm: 'a', code: 'not-significant', figures: { defaultArm: 'a', level: 0.05 }, reason: String(d.reason) });
    const steps = await queryRows(db.dataSource, "SELECT detail FROM journey_steps WHERE flow_id = 'test-none' AND node_id = 'pick' AND outcome = 'arm:a' AND detail LIKE '%rollout%'");
    expect(steps.length).toBeGreaterThan(0);
  });
});
