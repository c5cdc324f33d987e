/**
 * A simulated answer to a payment reminder pays the reminded order (the journey's key), not a
 * new one: the journey then reaches its goal (exitOn order_paid of $key) and the funnel counts
 * the conversion at the reminder. Before, every answer bought a fresh `sim-…` order that the
 * journey never heard of, so the last reminder showed converted 0 however many answered it.
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
import { flowFunnel, newestPublishedNodes } from '../../server/src/persistence/flow-report.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { DEFAULT_SIMULATED_RATES, type SimulatedRates } from '../../server/src/core/channels/simulated-delivery.js';
import { simulatedDeliveryEachTick, type SimulatedDeliveryReport } from '../../server/src/persistence/simulated-delivery.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const workspace = openWorkspace('rules');
const TZ = workspace.shop.timezone;
const NOW = Date.parse('2027-04-19T12:00:00+08:00');
const FROM = NOW - 3 * MS_PER_DAY;
const all = (r: number) => Object.fromEntries(CHANNELS.map((c) => [c, r])) as SimulatedRates['delivery'];
// Every message delivered and answered, every answer buys; no organic purchases.
const RATES: SimulatedRates = { ...DEFAULT_SIMULATED_RATES, delivery: all(1), response: all(1), redeem: 1, purchase: 1, baseline: 0 };

describe.each(DIALECTS)('a simulated answer to a payment reminder on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let report: SimulatedDeliveryReport;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ds = db.dataSource;
    await bulkWriteShop(ds, generateDemoShop({ customers: 1500, seed: 7, now: NOW, timezone: TZ }), { timezone: TZ, now: NOW });
    const clock = new VirtualClock(FROM);
    const rt = createEngineRuntime(ds, workspace, clock);
    const { flow } = loadValidFlow(workspace.rulesDir, 'payment-reminder', rt.rules);
    const { version } = await rt.flows.publish(flow, 'test', FROM);
    const channel = simulatedDeliveryEachTick(ds, RATES, { flowId: flow.id, versionId: version.id }, TZ);
    report = channel.report;
    await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: FROM, to: NOW + 3 * MS_PER_DAY, step: MS_PER_HOUR, afterTick: channel.afterTick });
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });

  it('pays the reminded order itself: an answered journey reaches its goal (or was cancelled first), never given up', async () => {
    const answered = await queryRows(ds, "SELECT s.enrollment_id, e.journey_key, e.status, e.exit_reason FROM sends s JOIN enrollments e ON e.id = s.enrollment_id WHERE s.flow_id = 'payment-reminder' AND s.status = 'sent' AND s.clicked_at IS NOT NULL");
    expect(answered.length).toBeGreaterThan(0);
    // Paid, or cancelled by the shop's own history before the answer came; never given up.
    for (const a of answered) expect([a.journey_key, `${a.status}:${a.exit_reason}`]).toEqual([a.journey_key, expect.stringMatching(/^(completed:order_paid|exited:order_cancelled)$/)]);
    const keys = [...new Set(answered.filter((a) => a.status === 'completed').map((a) => String(a.journey_key)))];
    expect(keys.length).toBeGreaterThan(0);
    const paid = await queryRows(ds, `SELECT external_id, status FROM orders WHERE external_id IN (${keys.map(() => '?').join(', ')})`, keys);
    expect(paid.map((o) => o.status)).toEqual(keys.map(() => 'paid'));
    // A fresh order only for an answer that came when the reminded order was no longer unpaid
    // (paid or cancelled meanwhile, or already paid by an earlier answer): fewer than the answers.
    const fresh = await queryRows(ds, "SELECT o.external_id FROM orders o JOIN sends s ON 'sim-' || s.idempotency_key = o.external_id WHERE s.flow_id = 'payment-reminder'");
    expect(fresh.length).toBeLessThan(answered.length);
    expect(report.orders).toBeGreaterThanOrEqual(keys.length);
  });

  it('the funnel counts the conversion at the reminder that was answered', async () => {
    const nodes = await newestPublishedNodes(ds, 'payment-reminder');
    const funnel = (await flowFunnel(ds, 'payment-reminder', nodes!.nodes)).nodes;
    const at = (id: string) => funnel.find((n) => n.nodeId === id)!;
    // The last reminder: sent, answered, and its answers are conversions.
    expect(at('remind-2').sent).toBeGreaterThan(0);
    expect(at('remind-2').clicked).toBeGreaterThan(0);
    expect(at('remind-2').converted).toBeGreaterThan(0);
    for (const id of ['remind-1-wangwang', 'remind-1-sms', 'remind-2']) expect(at(id).converted).toBeGreaterThan(0);
  });
});
