/**
 * A server opened on a simulation's copy of the shop sends nothing and moves no journey.
 * `rekindle simulate payment-reminder --copy-of <live> --db <copy> --no-delivery` leaves the
 * simulation's messages queued and its journeys waiting in a copy of the real customers' phones and
 * e-mails; the docs then say to start a server on the copy to read the results. Its outbox worker
 * delivered those messages through the shop's real providers (all at once for a simulation of a
 * past period: 25 webhooks within a second in the reproduction), and its ticker stepped the waiting
 * journeys into new messages. `simulate` now marks the copy it makes (persistence/simulation-copy-mark.ts)
 * and a server on a marked database holds its engine and outbox (runtime/simulation-copy-hold.ts),
 * says so in one line as it starts, and tells the designer (GET /api/shop). Reading still works.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { OutboxService } from '../../server/src/api/channels/outbox.service.js';
import { EventIntakeRunner } from '../../server/src/api/journeys/event-intake.runner.js';
import { JourneyTicker } from '../../server/src/api/journeys/journey-ticker.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { simulationRunsIn } from '../../server/src/persistence/simulation-copy-mark.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { startUpLines } from '../support/server-process.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
/** The server's clock: nine days after the simulated day, so every simulated message and wake-up is due. */
const NOW = Date.parse('2026-11-20T12:00:00+08:00');
const LINE = "this database is a simulation's copy (payment-reminder, 2026-11-11 – 2026-11-12): nothing is sent and no journey moves";

describe("a server on a simulation's copy made by `rekindle simulate --copy-of`", () => {
  const dir = tempDir('rekindle-sim-copy-held-');
  const rules = join(dir, 'rules');
  const live = join(dir, 'live.sqlite');
  const copy = join(dir, 'copy.sqlite');
  /** What reached the shop's SMS / 旺旺 gateway. */
  const delivered: string[] = [];
  const logs: { msg?: string }[] = [];
  let gateway: Server;
  let api: TestApp;
  let ds: DataSource;
  let simulated: { queued: number };

  const snapshot = async () => ({
    sends: await queryRows(ds, 'SELECT id, status, attempts, sent_at, provider_message_id FROM sends ORDER BY id'),
    enrollments: await queryRows(ds, 'SELECT id, node_id, status, wake_at, step_count FROM enrollments ORDER BY id'),
  });

  beforeAll(async () => {
    gateway = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        delivered.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `m${delivered.length}` }));
      });
    });
    await new Promise<void>((ok) => gateway.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    // The shop's real providers: SMS and 旺旺 through its gateway (rules/channels.yaml, docs/channels.md).
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const channels = join(rules, 'channels.yaml');
    process.env.TEST_SIM_COPY_GATEWAY_SECRET = 'gateway-secret';
    writeFileSync(
      channels,
      readFileSync(channels, 'utf8')
        .replace('  sms: { provider: outbox-only }', `  sms: { provider: webhook, url: "${url}/sms", secretEnv: TEST_SIM_COPY_GATEWAY_SECRET }`)
        .replace('  wangwang: { provider: outbox-only }', `  wangwang: { provider: webhook, url: "${url}/wangwang", secretEnv: TEST_SIM_COPY_GATEWAY_SECRET }`),
    );
    expect((await cli(['--db', live, '--rules', rules, 'seed', '--customers', '2000', '--now', '2026-11-20T00:00:00+08:00'])).code).toBe(0);
    const sim = await cli(['--db', copy, '--rules', rules, '--json', 'simulate', 'payment-reminder', '--copy-of', live, '--from', '2026-11-11T00:00:00+08:00', '--days', '1', '--no-delivery']);
    expect(sim.code).toBe(0);
    simulated = JSON.parse(sim.stdout);
    expect(JSON.parse(sim.stdout).simulationCopy).toBe(true);
    api = await createTestApp({
      database: { url: copy },
      rulesDir: rules,
      clock: fixedClock(NOW),
      schedulers: false,
      settings: loadSettings({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }),
      logDestination: { write: (s: string) => void logs.push(JSON.parse(s)) },
    });
    ds = api.app.get(DataSource);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await new Promise((ok) => gateway?.close(ok));
    delete process.env.TEST_SIM_COPY_GATEWAY_SECRET;
  });

  it('says once, as it starts, that the database is a simulation\'s copy, naming the flow and the virtual period', () => {
    expect(logs.filter((l) => l.msg === LINE)).toHaveLength(1);
  });

  it('says it in one line as `npm run serve` starts on the copy, and that nothing is stepped there (the built server: `stepping in this process` was its line)', async () => {
    const { out } = await startUpLines({ DATABASE_URL: copy, REKINDLE_RULES: rules, LOG_FORMAT: 'json' });
    const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string });
    expect(lines.filter((l) => l.msg === LINE)).toHaveLength(1);
    expect(lines.find((l) => l.msg.startsWith('Rekindle is running'))?.msg).toContain("nothing stepped or sent: a simulation's copy");
  }, 90_000);

  it('delivers none of the simulated messages that are due, on its schedule or by hand: none is claimed, none reaches the gateway', async () => {
    const due = await queryRows(ds, "SELECT COUNT(*) AS n FROM sends WHERE status = 'queued' AND scheduled_at <= ?", [NOW]);
    expect(Number(due[0].n)).toBe(simulated.queued);
    expect(simulated.queued).toBeGreaterThan(0);
    const before = await snapshot();
    // What the outbox worker's interval runs, then an admin's POST /api/outbox/dispatch.
    expect((await api.app.get(OutboxService).dispatchNow()).claimed).toBe(0);
    expect((await api.http().post('/api/outbox/dispatch').expect(200)).body.claimed).toBe(0);
    expect(delivered).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('moves none of the waiting journeys that are due and enters nobody, on its schedule, by hand or on a new event', async () => {
    const due = await queryRows(ds, "SELECT COUNT(*) AS n FROM enrollments WHERE status = 'active' AND wake_at <= ?", [NOW]);
    expect(Number(due[0].n)).toBeGreaterThan(0);
    const before = await snapshot();
    // What the ticker's interval runs, then an admin's POST /api/engine/tick.
    const tick = await api.app.get(JourneyTicker).tickNow();
    expect({ entries: tick.entries, steps: tick.steps.steps, sends: tick.steps.sends }).toEqual({ entries: [], steps: 0, sends: 0 });
    await api.http().post('/api/engine/tick').expect(200);
    // A new order would start a payment reminder: the event is stored, no journey acts on it.
    const [customer] = await queryRows<{ external_id: string }>(ds, 'SELECT external_id FROM customers ORDER BY id LIMIT 1');
    await api
      .http()
      .post('/api/events')
      .send({ type: 'order_created', customerExternalId: customer.external_id, occurredAt: new Date(NOW).toISOString(), idempotencyKey: 'held-order-1', properties: { orderId: 'held-order-1', amount: 199 } })
      .expect(200);
    await api.app.get(EventIntakeRunner).drainNow();
    expect(await queryRows(ds, 'SELECT COUNT(*) AS n FROM event_inbox')).toEqual([{ n: 1 }]);
    await api.app.get(OutboxService).dispatchNow();
    expect(delivered).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('still reads: the journeys home, the funnel and the counts show the simulation', async () => {
    const home = (await api.http('analyst').get('/api/home').expect(200)).body;
    expect(home.flows.find((f: { id: string }) => f.id === 'payment-reminder').simulatedAt).not.toBeNull();
    const funnel = (await api.http('analyst').get('/api/flows/payment-reminder/funnel').expect(200)).body;
    expect(funnel.nodes.find((n: { nodeId: string }) => n.nodeId === 'start').entered).toBeGreaterThan(0);
    expect((await api.http('analyst').get('/api/outbox').expect(200)).body).toMatchObject({ byStatus: { queued: simulated.queued } });
  });

  it('tells the designer (GET /api/shop) which simulation the copy holds, for its banner 这是模拟副本', async () => {
    const shop = (await api.http('analyst').get('/api/shop').expect(200)).body;
    expect(shop.simulationCopy).toEqual({ runs: [{ flowId: 'payment-reminder', from: Date.parse('2026-11-11T00:00:00+08:00'), to: Date.parse('2026-11-12T00:00:00+08:00') }] });
  });

  it('records a further simulation run into the copy (`simulate --db <copy>`, no --copy-of): it stays a simulation\'s copy', async () => {
    const again = await cli(['--db', copy, '--rules', rules, '--json', 'simulate', 'payment-reminder', '--from', '2026-11-14T00:00:00+08:00', '--days', '2', '--no-delivery']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).simulationCopy).toBe(true);
    expect((await simulationRunsIn(ds)).map((r) => r.from)).toEqual([Date.parse('2026-11-11T00:00:00+08:00'), Date.parse('2026-11-14T00:00:00+08:00')]);
  }, 60_000);

  it('stays ready: an outbox that is never sent and an engine that never ticks are not faults there', async () => {
    const ready = (await api.http('anonymous').get('/api/health/ready').expect(200)).body;
    expect(ready.details.engine).toEqual({ status: 'up', message: 'not scheduled in this process' });
    expect(ready.details.outbox).toEqual({ status: 'up', message: LINE });
  });
});
