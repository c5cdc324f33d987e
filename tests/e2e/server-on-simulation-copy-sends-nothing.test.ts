/**
 * A server opened on a simulation's copy of the shop sends nothing and moves no journey.
 * `rekindle simulate payment-reminder --copy-of <live> --db <copy> --no-delivery` leaves the
 * simulation's messages queued and its journeys waiting in a copy of the real customers' phones and
 * e-mails; the docs then say to start a server on the copy to read the results. Its outbox worker
 * delivered those messages through the shop's real providers (all at once for a simulation of a
 * past period: 25 webhooks within a second in the reproduction), and its ticker stepped the waiting
 * journeys into new messages. `simulate` now marks the copy it makes (persistence/simulation-copy-mark.ts)
 * and a server on a marked database starts nothing that ticks, drains events or sends
 * (api/simulation-copy/live-only.ts), answers 409 to the routes that would by hand — a tick, an
 * outbox dispatch, a test send, which went out through the shop's real gateway
 * (api/simulation-copy/nothing-runs-on-a-copy.ts) — says so in one line as it starts, and tells the
 * designer (GET /api/shop). Reading still works. Publishing, pausing, resuming or stopping a journey,
 * approving a publish request answer 409 too: they "succeeded" on a database where nothing runs, and a
 * marketer took the copy's designer for the live shop's. Changing the policy, a block list's title or
 * a segment answers 409 saying the opposite reason: the copy is of the database only, and the rules
 * folder it would write is the live shop's own. Drafts stay open.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CUSTOMER_EVENT_LISTENERS } from '../../server/src/api/events/event-listeners.token.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { simulationRunsIn } from '../../server/src/persistence/simulation-copy-mark.js';
import { PublishRequestStore } from '../../server/src/persistence/publish-requests.js';
import { publishRequestSummary } from '../../server/src/core/flow/publish-request-summary.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { startUpLines } from '../support/server-process.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
/** The server's clock: nine days after the simulated day, so every simulated message and wake-up is due. */
const NOW = Date.parse('2026-11-20T12:00:00+08:00');
const LINE = "this database is a simulation's copy (payment-reminder, 2026-11-11 – 2026-11-12): nothing is sent and no journey moves";
/** The 409 a route that would send or move journeys by hand answers on the copy. */
const refused = (route: string) => ({ statusCode: 409, error: 'Conflict', code: 'simulation-copy', refused: 'runs', message: `${route} does not run: ${LINE}` });
/** The 409 a route that changes what runs (a publish, a pause…) answers on the copy. */
const refusedLive = (route: string) => ({
  statusCode: 409,
  error: 'Conflict',
  code: 'simulation-copy',
  refused: 'goes-live',
  message: `${route} is refused: ${LINE}; a journey published, paused, resumed or stopped here would run nowhere: do it on the live shop's server`,
});
/**
 * The 409 a route that writes one of the shop's rule files (the policy, a list's title, a segment)
 * answers on the copy: not "would run nowhere" — the copy is of the database only, and the rules
 * folder is the live shop's own.
 */
const refusedFiles = (route: string) => ({
  statusCode: 409,
  error: 'Conflict',
  code: 'simulation-copy',
  refused: 'shop-files',
  message: `${route} is refused: ${LINE}; the copy is of the database only, and the rules folder is the shop's own: saved here, this change would not stay in the copy but change the file the live shop runs on: make it on the live shop's server`,
});

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

  it('starts nothing that ticks, drains the event intake or sends: with the schedulers on, a live database schedules the ticker, the intake poll and the outbox, the copy only the retention prune, and no listener nudges its intake', async () => {
    // The server as `npm run serve` builds it (ScheduleModule loaded): on a live database, then on the same copy.
    const scheduledOn = async (url: string) => {
      const scheduled = await createTestApp({ database: { url }, rulesDir: rules, clock: fixedClock(NOW), settings: loadSettings({ LOG_LEVEL: 'error' }) });
      try {
        return { intervals: scheduled.app.get(SchedulerRegistry).getIntervals().sort(), listeners: scheduled.app.get<unknown[]>(CUSTOMER_EVENT_LISTENERS).length };
      } finally {
        await scheduled.close();
      }
    };
    expect(await scheduledOn(':memory:')).toEqual({ intervals: ['event-intake-poll', 'event-prune', 'journey-tick', 'outbox-dispatch'], listeners: 1 });
    expect(await scheduledOn(copy)).toEqual({ intervals: ['event-prune'], listeners: 0 });
  }, 60_000);

  it('delivers none of the simulated messages that are due: an admin\'s POST /api/outbox/dispatch answers 409 naming the copy, none is claimed, none reaches the gateway', async () => {
    const due = await queryRows(ds, "SELECT COUNT(*) AS n FROM sends WHERE status = 'queued' AND scheduled_at <= ?", [NOW]);
    expect(Number(due[0].n)).toBe(simulated.queued);
    expect(simulated.queued).toBeGreaterThan(0);
    const before = await snapshot();
    expect((await api.http().post('/api/outbox/dispatch').expect(409)).body).toEqual(refused('POST /api/outbox/dispatch'));
    // Who may call it is asked first, as anywhere.
    await api.http('anonymous').post('/api/outbox/dispatch').expect(401);
    await api.http('marketer').post('/api/outbox/dispatch').expect(403);
    expect(delivered).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('moves none of the waiting journeys that are due and enters nobody: POST /api/engine/tick answers 409, and a new event stays in the inbox', async () => {
    const due = await queryRows(ds, "SELECT COUNT(*) AS n FROM enrollments WHERE status = 'active' AND wake_at <= ?", [NOW]);
    expect(Number(due[0].n)).toBeGreaterThan(0);
    const before = await snapshot();
    expect((await api.http().post('/api/engine/tick').expect(409)).body).toEqual(refused('POST /api/engine/tick'));
    await api.http('anonymous').post('/api/engine/tick').expect(401);
    await api.http('marketer').post('/api/engine/tick').expect(403);
    // A new order would start a payment reminder: the event is stored, no journey acts on it.
    const [customer] = await queryRows<{ external_id: string }>(ds, 'SELECT external_id FROM customers ORDER BY id LIMIT 1');
    await api
      .http()
      .post('/api/events')
      .send({ type: 'order_created', customerExternalId: customer.external_id, occurredAt: new Date(NOW).toISOString(), idempotencyKey: 'held-order-1', properties: { orderId: 'held-order-1', amount: 199 } })
      .expect(200);
    // A nudge drained the inbox within milliseconds on a live database.
    await new Promise((r) => setTimeout(r, 500));
    expect(await queryRows(ds, 'SELECT COUNT(*) AS n FROM event_inbox')).toEqual([{ n: 1 }]);
    expect(delivered).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("sends no test from the message panel: POST /api/messages/test-send answers 409 naming the copy, and nothing reaches the shop's gateway", async () => {
    const test = { channel: 'sms', template: '【测试】{{customer.name}}，您的订单还未付款', to: '13800000000' };
    expect((await api.http('marketer').post('/api/messages/test-send').send(test).expect(409)).body).toEqual(refused('POST /api/messages/test-send'));
    expect((await api.http().post('/api/messages/test-send').send(test).expect(409)).body.code).toBe('simulation-copy');
    await api.http('anonymous').post('/api/messages/test-send').send(test).expect(401);
    await api.http('analyst').post('/api/messages/test-send').send(test).expect(403);
    // The preview beside it still renders: reading.
    expect((await api.http('analyst').post('/api/messages/preview').send({ channel: 'sms', template: test.template }).expect(200)).body.body).toContain('您的订单还未付款');
    expect(delivered).toEqual([]);
  });

  it('changes nothing that runs: publishing, pausing, resuming or stopping a journey, approving a publish request, changing the policy or a segment answer 409 naming the copy, after 401 and 403; nothing is published, paused, decided or written', async () => {
    const flows = () => queryRows(ds, 'SELECT f.id, f.status, v.version FROM flows f LEFT JOIN flow_versions v ON v.flow_id = f.id ORDER BY f.id, v.version');
    const flowFile = join(rules, 'flows', 'payment-reminder.flow.yaml');
    const policyFile = join(rules, 'policy.yaml');
    const [file, policy, before] = [readFileSync(flowFile, 'utf8'), readFileSync(policyFile, 'utf8'), await flows()];
    const drawn = (await api.http('marketer').get('/api/flows/payment-reminder/file').expect(200)).body.flow;
    const publish = '/api/flows/payment-reminder/publish';
    expect((await api.http('marketer').post(publish).send({}).expect(409)).body).toEqual(refusedLive(`POST ${publish}`));
    // With the drawing, which a live publish writes as the flow's file: not written either.
    expect((await api.http('marketer').post(publish).send({ flow: { ...drawn, name: '改过的催付' } }).expect(409)).body.code).toBe('simulation-copy');
    await api.http('anonymous').post(publish).send({}).expect(401);
    await api.http('analyst').post(publish).send({}).expect(403);
    for (const action of ['pause', 'resume', 'stop']) {
      const route = `/api/flows/payment-reminder/${action}`;
      expect((await api.http('marketer').post(route).expect(409)).body).toEqual(refusedLive(`POST ${route}`));
      await api.http('anonymous').post(route).expect(401);
      await api.http('analyst').post(route).expect(403);
    }
    // A request a marketer asked for before the copy was made: an admin's approval would publish it in the copy only.
    const request = await new PublishRequestStore(ds).add({ flowId: 'payment-reminder', flow: null, layout: null, isNew: false, fileVersion: null, summary: publishRequestSummary(drawn), requestedBy: 'marketer', requestedAt: NOW, note: null });
    const approve = `/api/publish-requests/${request.id}/approve`;
    expect((await api.http().post(approve).send({}).expect(409)).body).toEqual(refusedLive(`POST ${approve}`));
    await api.http('anonymous').post(approve).send({}).expect(401);
    await api.http('marketer').post(approve).send({}).expect(403);
    expect((await new PublishRequestStore(ds).get(request.id))?.status).toBe('pending');
    const current = (await api.http().get('/api/policy').expect(200)).body;
    expect((await api.http().put('/api/policy').send({ yaml: `${current.yaml}\n# changed on the copy\n`, ifVersion: current.version }).expect(409)).body).toEqual(refusedFiles('PUT /api/policy'));
    await api.http('anonymous').put('/api/policy').send({ yaml: current.yaml }).expect(401);
    await api.http('marketer').put('/api/policy').send({ yaml: current.yaml }).expect(403);
    // A segment changed in place changes who enters the journeys running on it, as a publish would: refused likewise, the file as it was.
    const segmentFile = join(rules, 'segments', 'pre-sleep.yaml');
    const segmentText = readFileSync(segmentFile, 'utf8');
    const seg = (await api.http('analyst').get('/api/segments').expect(200)).body.rules.find((r: { name: string }) => r.name === 'pre-sleep');
    const segmentRoute = '/api/segments/pre-sleep';
    const edit = { name: '改过的人群', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThan', value: 9 }] }, revision: seg.revision };
    expect((await api.http('marketer').put(segmentRoute).send(edit).expect(409)).body).toEqual(refusedFiles(`PUT ${segmentRoute}`));
    await api.http('anonymous').put(segmentRoute).send(edit).expect(401);
    await api.http('analyst').put(segmentRoute).send(edit).expect(403);
    expect(readFileSync(segmentFile, 'utf8')).toBe(segmentText);
    expect([readFileSync(flowFile, 'utf8'), readFileSync(policyFile, 'utf8'), await flows()]).toEqual([file, policy, before]);
    // Trying a change stays open: the draft is kept.
    await api.http('marketer').put('/api/flows/payment-reminder/draft').send({ flow: { ...drawn, name: '改过的催付' }, revision: null }).expect(200);
    expect(delivered).toEqual([]);
  });

  it("changes no block list's title: PUT /api/policy/lists/:name answers 409 naming the copy, after 401 and 403; rules/lists/<name>.txt is as it was", async () => {
    const listFile = join(rules, 'lists', 'do-not-contact.txt');
    const text = readFileSync(listFile, 'utf8');
    const route = '/api/policy/lists/do-not-contact';
    expect((await api.http().put(route).send({ title: '副本上改的名称' }).expect(409)).body).toEqual(refusedFiles(`PUT ${route}`));
    await api.http('anonymous').put(route).send({ title: '副本上改的名称' }).expect(401);
    await api.http('marketer').put(route).send({ title: '副本上改的名称' }).expect(403);
    expect(readFileSync(listFile, 'utf8')).toBe(text);
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

  it('runs again once `rekindle simulate unmark --yes` takes the mark off (a copy promoted to a real shop): a server opened on it then ticks', async () => {
    const refusedUnmark = await cli(['--db', copy, '--rules', rules, 'simulate', 'unmark']);
    expect(refusedUnmark.code).toBe(1);
    expect(refusedUnmark.stderr).toContain(`WILL send the messages queued in it to the real customers`);
    const unmarked = await cli(['--db', copy, '--rules', rules, 'simulate', 'unmark', '--yes']);
    expect(unmarked.code).toBe(0);
    expect(await simulationRunsIn(ds)).toEqual([]);
    const live = await createTestApp({ database: { url: copy }, rulesDir: rules, clock: fixedClock(NOW), schedulers: false, settings: loadSettings({ LOG_LEVEL: 'error' }) });
    try {
      expect((await live.http('analyst').get('/api/shop').expect(200)).body.simulationCopy).toBeNull();
      await live.http().post('/api/engine/tick').expect(200);
    } finally {
      await live.close();
    }
  }, 60_000);
});
