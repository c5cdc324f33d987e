/**
 * A server opened on a simulation's copy of the shop answers GET /api/flows/:id/funnel with the
 * simulation's figures by the flow's own id, as `rekindle report <id> --funnel` does: the analyst
 * got a 404 "never published" (the simulated flow is kept under <id>~simulated, which no URL id may
 * name). The same for the canvas's counts (GET /api/flows/:id/counts, which said 0 on every card)
 * and the flows list (GET /api/flows: `simulated`, so the editor offers 实时数据).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { fixedClock, MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import type { DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { responseByGroup } from '../../server/src/persistence/experiment-groups.js';
import { experimentReportTime, experimentResponsesTime } from '../../server/src/persistence/report-time.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { addEvent } from '../support/shop-fixtures.js';
import { simulate } from '../../server/src/core/engine/simulation.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { StoredEventReplay } from '../../server/src/persistence/event-replay.js';
import { flowFunnel, flowRunReport } from '../../server/src/persistence/flow-report.js';
import { flowStats } from '../../server/src/persistence/flow-stats.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { publishSimulatedFlow } from '../../server/src/runtime/simulated-flow.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';

const workspace = openWorkspace('rules');
const TZ = workspace.shop.timezone;
const NOW = Date.parse('2027-04-19T12:00:00+08:00');
const FROM = Date.parse('2027-04-20T00:00:00+08:00');

describe('the funnel API on a simulation copy', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let simId: string;
  let nodes: { id: string; type: string }[];
  let target: DatabaseTarget;

  beforeAll(async () => {
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    target = t.target;
    const clock = new VirtualClock(FROM);
    api = await createTestApp({ database: t.target, rulesDir: workspace.rulesDir, clock, schedulers: false });
    ds = api.app.get(DataSource);
    await bulkWriteShop(ds, generateDemoShop({ customers: 400, seed: 7, now: NOW, timezone: TZ }), { timezone: TZ, now: NOW });
    const rt = createEngineRuntime(ds, workspace, clock);
    const { flow } = loadValidFlow(workspace.rulesDir, 'new-product-launch', rt.rules);
    nodes = flow.nodes.map((n) => ({ id: n.id, type: n.type }));
    simId = (await publishSimulatedFlow(ds, rt.flows, flow, 'simulate', FROM)).flowId;
    await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: FROM, to: FROM + 2 * MS_PER_DAY, step: MS_PER_HOUR });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it("answers the flow's own id with the simulation's funnel (not 404 never published), to an analyst", async () => {
    const res = await api.http('analyst').get('/api/flows/new-product-launch/funnel').expect(200);
    const want = await flowFunnel(ds, simId, nodes);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(want)));
    expect(res.body.nodes.find((n: { nodeId: string }) => n.nodeId === nodes[0].id).entered).toBeGreaterThan(0);
  });

  it("answers response-by-group by the flow's own id with the simulation's sends, as of its last step (not 404 never published)", async () => {
    const [sent] = await queryRows(ds, "SELECT customer_id, COALESCE(sent_at, scheduled_at) AS at FROM sends WHERE flow_id = ? AND node_id = 'early-sms' AND status IN ('queued', 'sent') ORDER BY id", [simId]);
    await addEvent(ds, Number(sent.customer_id), 'order_paid', { orderId: 'sim-paid-1', amount: 199 }, Number(sent.at));
    const before = await createTestApp({ database: target, rulesDir: workspace.rulesDir, clock: fixedClock(NOW), schedulers: false });
    try {
      const res = await before.http('analyst').get('/api/flows/new-product-launch/nodes/early-sms/response-by-group').query({ by: 'device', events: 'order_paid,click', window: '10d' }).expect(200);
      const asOf = await experimentReportTime(ds, simId, NOW);
      expect(asOf).toBeGreaterThan(NOW);
      const want = await responseByGroup(ds, { flowId: simId, nodeId: 'early-sms', by: 'device', events: ['order_paid', 'click'], windowMs: 10 * MS_PER_DAY, now: asOf }, workspace.shop);
      expect(res.body.groups).toEqual(JSON.parse(JSON.stringify(want)));
      expect(res.body.groups.reduce((s: number, g: { sent: number }) => s + g.sent, 0)).toBeGreaterThan(0);
      // A recipient who paid as the message went out, after the server's clock (the simulation's last step is that tick): counted as of the simulation's last step.
      expect(res.body.groups.reduce((s: number, g: { responders: number }) => s + g.responders, 0)).toBe(1);
    } finally {
      await before.close();
    }
  }, 60_000);

  it("lists the simulated flow on the home page with the simulation's figures, its windows ending at its last step (it said 0)", async () => {
    const before = await createTestApp({ database: target, rulesDir: workspace.rulesDir, clock: fixedClock(NOW), schedulers: false });
    try {
      const home = (await before.http('analyst').get('/api/home').expect(200)).body;
      const row = home.flows.find((f: { id: string }) => f.id === 'new-product-launch');
      const asOf = await experimentReportTime(ds, simId, NOW);
      const want = (await flowStats(ds, asOf)).get(simId)!;
      expect(row.simulatedAt).toBe(asOf);
      expect({ last7: row.last7, last30: row.last30, daily: row.daily, active: row.active }).toEqual(JSON.parse(JSON.stringify({ last7: want.last7, last30: want.last30, daily: want.daily, active: want.active })));
      expect(row.last7.entered).toBeGreaterThan(0);
      // The simulation's own flow is not listed beside it (no designer URL may name <id>~simulated).
      expect(home.flows.map((f: { id: string }) => f.id)).not.toContain(simId);
      // A flow that was not simulated keeps today's windows.
      expect(home.flows.find((f: { id: string }) => f.id === 'payment-reminder').simulatedAt).toBeNull();
    } finally {
      await before.close();
    }
  }, 60_000);

  it("answers the send log by the flow's own id with the simulation's messages, as `rekindle export sends --flow` does (it gave the header alone)", async () => {
    const own = await api.http('marketer').get('/api/sends').query({ flowId: 'new-product-launch', format: 'csv' }).expect(200);
    const simulated = await api.http('marketer').get('/api/sends').query({ flowId: simId, format: 'csv' }).expect(200);
    const [n] = await queryRows(ds, 'SELECT COUNT(*) AS n FROM sends WHERE flow_id = ?', [simId]);
    expect(Number(n.n)).toBeGreaterThan(0);
    expect(own.text.trimEnd().split('\n')).toHaveLength(Number(n.n) + 1);
    expect(own.text).toBe(simulated.text);
    // Named for the flow as asked, and the same by NDJSON.
    expect(own.headers['content-disposition']).toBe('attachment; filename="new-product-launch-sends.csv"');
    const nd = await api.http('marketer').get('/api/sends').query({ flowId: 'new-product-launch', format: 'ndjson' }).expect(200);
    expect(nd.text.trimEnd().split('\n')).toHaveLength(Number(n.n));
  }, 60_000);

  // The funnel CSV said `new-product-launch` where its JSON, the CLI's funnel CSV and the send log of the same
  // copy say `new-product-launch~simulated`: an analyst joining the files found no match. All say the stored id.
  it("names the flow in the funnel CSV as its JSON and the send log of the copy do (<id>~simulated)", async () => {
    const csv = (await api.http('analyst').get('/api/flows/new-product-launch/funnel').query({ format: 'csv' }).expect(200)).text;
    const json = (await api.http('analyst').get('/api/flows/new-product-launch/funnel').expect(200)).body;
    const sends = (await api.http('marketer').get('/api/sends').query({ flowId: 'new-product-launch', format: 'csv' }).expect(200)).text;
    const flowColumn = (text: string) => [...new Set(text.trimEnd().split('\n').slice(1).map((l) => l.split(',')[text.split(',').indexOf('flow')]))];
    expect(flowColumn(csv)).toEqual([simId]);
    expect(json.flowId).toBe(simId);
    expect(flowColumn(sends)).toEqual([simId]);
    const excel = (await api.http('analyst').get('/api/flows/new-product-launch/funnel').query({ format: 'csv', excel: '1' }).expect(200)).text;
    expect(excel.slice(1).split('\n')[1].split(',')[0]).toBe(simId);
  }, 60_000);

  // The home said 截至 the simulation's last step while the A/B panel and the report of the same
  // copy said its customers' newest event, a day later: one instant for all of them.
  it("dates the home row as of the instant the A/B panel and the report read the simulation as of", async () => {
    const last = await experimentReportTime(ds, simId, NOW);
    const [c] = await queryRows(ds, 'SELECT customer_id FROM enrollments WHERE flow_id = ? ORDER BY id', [simId]);
    await addEvent(ds, Number(c.customer_id), 'order_paid', { orderId: 'sim-after-last-step', amount: 59 }, last + MS_PER_DAY);
    const before = await createTestApp({ database: target, rulesDir: workspace.rulesDir, clock: fixedClock(NOW), schedulers: false });
    try {
      const row = (await before.http('analyst').get('/api/home').expect(200)).body.flows.find((f: { id: string }) => f.id === 'new-product-launch');
      const report = (await before.http('analyst').get('/api/experiments/new-product-launch/report').expect(200)).body;
      expect(report.asOf).toBe(last + MS_PER_DAY);
      expect(row.simulatedAt).toBe(report.asOf);
      const products = (await before.http('analyst').get('/api/flows/new-product-launch/products').expect(200)).body;
      expect(products.asOf).toBe(report.asOf);
    } finally {
      await before.close();
    }
  }, 60_000);

  // Walkthrough: the home showed the simulation's figures, but the journey's canvas showed no number on any
  // card (GET /api/flows/:id/counts read the flow's own id) and 实时数据 was greyed out (GET /api/flows said
  // the flow, never published in the live shop, had no version).
  it("answers the canvas's counts by the flow's own id with the simulation's, saying up to when (they said 0 on every card)", async () => {
    const before = await createTestApp({ database: target, rulesDir: workspace.rulesDir, clock: fixedClock(NOW), schedulers: false });
    try {
      const res = await before.http('analyst').get('/api/flows/new-product-launch/counts').expect(200);
      // Up to the instant its reports read it as of (its last step, or its customers' newest event when later).
      const asOf = await experimentResponsesTime(ds, simId, NOW);
      expect(res.body.simulatedAt).toBe(asOf);
      expect(res.body.funnel).toEqual(JSON.parse(JSON.stringify((await flowFunnel(ds, simId, nodes)).nodes)));
      expect(res.body.funnel.find((n: { nodeId: string }) => n.nodeId === nodes[0].id).entered).toBeGreaterThan(0);
      const report = await flowRunReport(ds, simId);
      expect({ enrollments: res.body.enrollments, nodes: res.body.nodes }).toEqual(JSON.parse(JSON.stringify({ enrollments: report.enrollments, nodes: report.nodes })));
      // The home's row says the same instant (模拟数据，截至 …).
      const home = (await before.http('analyst').get('/api/home').expect(200)).body;
      expect(home.flows.find((f: { id: string }) => f.id === 'new-product-launch').simulatedAt).toBe(asOf);
      // A flow not simulated here reads live, as ever.
      expect((await before.http('analyst').get('/api/flows/payment-reminder/counts').expect(200)).body.simulatedAt).toBeNull();
    } finally {
      await before.close();
    }
  }, 60_000);

  it("lists the flow as simulated here, without the simulation's own <id>~simulated row beside it", async () => {
    const flows = (await api.http('analyst').get('/api/flows').expect(200)).body as { id: string; simulated: boolean; currentVersion: number | null }[];
    expect(flows.find((f) => f.id === 'new-product-launch')).toMatchObject({ simulated: true, currentVersion: null });
    expect(flows.find((f) => f.id === 'payment-reminder')).toMatchObject({ simulated: false });
    expect(flows.map((f) => f.id)).not.toContain(simId);
  });

  it('still refuses an anonymous caller', async () => {
    await api.http('anonymous').get('/api/flows/new-product-launch/funnel').expect(401);
    await api.http('anonymous').get('/api/flows/new-product-launch/counts').expect(401);
    await api.http('anonymous').get('/api/flows').expect(401);
  });
});
