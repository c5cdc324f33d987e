import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { pValueText } from '../../server/src/core/experiment/p-value-text.js';
import { reasonWords, sendStatusWords } from '../../server/src/core/text/excel-words.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { fixedClock, MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { formatShopTime } from '../../server/src/core/engine/local-time.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import type { DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { addCustomers, addEvent, addOrder } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';
import { smsHoldoutAbFlow } from '../support/flow-fixtures.js';

const T0 = Date.parse('2026-11-03T10:00:00+08:00');
const FLOW = smsHoldoutAbFlow({ id: 'winback-test', name: 'Win-back test', experimentId: 'winback-sms', template: '回来看看', cost: 0.05, labels: { sms: '短信召回', holdout: '对照组' } });

describe.each(DIALECTS)('experiment report, funnel and groups over HTTP and the CLI on %s', (dialect) => {
  let app: INestApplication;
  let api: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let dbUrl: string;
  let target: DatabaseTarget;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-exp-rules-');
  let arms: Map<number, string>;

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'flows', 'winback-test.flow.yaml'), FLOW);
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    dbUrl = t.target.url;
    target = t.target;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    app = api.app;
    ds = app.get(DataSource);
    const ids = await addCustomers(ds, Array.from({ length: 40 }, (_, i) => ({ externalId: `w${i}`, device: i % 2 ? 'pc' : 'mobile' })), T0 - MS_PER_DAY);
    await api.http().post('/api/flows/winback-test/publish').send({}).expect(200);
    for (const [i] of ids.entries()) await api.http().post('/api/events').send({ customerExternalId: `w${i}`, type: 'visit', properties: {}, occurredAt: new Date(T0).toISOString(), idempotencyKey: `visit:${i}` }).expect((r) => expect([200, 201]).toContain(r.status));
    clock.advance(MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    await executeBatch(ds, [{ sql: "UPDATE sends SET status = 'sent', sent_at = ? WHERE status = 'queued'", params: [clock.now()] }]);
    arms = new Map((await queryRows(ds, 'SELECT customer_id, arm FROM split_assignments')).map((r) => [Number(r.customer_id), String(r.arm)]));
    // Every pc customer of the sms arm pays 80 within the window; no one in the holdout does.
    for (const [k, id] of ids.entries()) if (arms.get(id) === 'sms' && k % 2) await addEvent(ds, id, 'order_paid', { orderId: `p${id}`, amount: 80 }, T0 + MS_PER_DAY);
    clock.advance(8 * MS_PER_DAY);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const http = () => api.http();
  const smsCount = () => [...arms.entries()].filter(([, a]) => a === 'sms').length;

  it('reports every arm of an experiment by id, with figures and warnings', async () => {
    const res = await http().get('/api/experiments/winback-sms/report').expect(200);
    const [sms, holdout] = res.body.arms;
    expect(sms).toMatchObject({ arm: 'sms', assigned: smsCount(), exposed: smsCount() });
    expect(holdout).toMatchObject({ arm: 'holdout', assigned: 40 - smsCount(), exposed: 0, responders: 0 });
    expect(sms.revenue).toBe(sms.responders * 80);
    expect(sms.cost).toBeCloseTo(0.05 * smsCount(), 9);
    expect(res.body.overall.test).toBe('z');
    // Each warning a code and its figures for programs and the designer, and the English message.
    expect(res.body.warnings).toEqual([
      { code: 'not-enough-data', figures: { fewest: expect.any(Object), minPerArm: 30 }, message: expect.stringMatching(/^not enough data: arm /) },
      { code: 'no-baseline', figures: { control: 'holdout' }, message: 'no baseline responses yet: the control arm holdout has none, so the sample size cannot be estimated' },
    ]);
    expect(res.body.enoughData).toMatchObject({ enough: false, reason: 'few-customers', control: 'holdout' });
    // The sms arm responded: P(best) is a figure.
    expect(sms.probabilityBest).toBeGreaterThan(0.9);
    await http().get('/api/experiments/no-such/report').expect(404);
  });

  // Responses keep arriving within the window, so two exports of a running test differ: the text
  // said its instant ("as of …"), the JSON and the CSV did not; and the CSV named arms by id only
  // (the designer shows 短信召回), which needs the byte order mark for Excel on Chinese Windows.
  it('says the instant it counts up to and each arm\'s label in the JSON and the CSV, and writes the CSV for Excel on request', async () => {
    const at = '2026-11-05T12:30:00+08:00';
    const body = (await http().get('/api/experiments/winback-sms/report').query({ at }).expect(200)).body;
    expect(body.asOf).toBe(Date.parse(at));
    const plain = (await http().get('/api/experiments/winback-sms/report').query({ at, format: 'csv' }).expect(200)).text;
    expect(plain.charCodeAt(0)).not.toBe(0xfeff);
    const [head, ...rows] = plain.trim().split('\n').map((l) => l.split(','));
    expect(rows.map((r) => [r[head.indexOf('arm')], r[head.indexOf('as_of')], r[head.indexOf('label')]])).toEqual([
      ['sms', at, '短信召回'],
      ['holdout', at, '对照组'],
    ]);
    const excel = await http().get('/api/experiments/winback-sms/report').query({ at, format: 'csv', excel: '1' }).expect(200);
    // The Excel variant: Chinese headers (arm name next to the arm), the instant on the shop's clock as Excel
    // reads a date-time, rates in percent with two decimals; the plain CSV above stays as it was.
    expect(excel.text.charCodeAt(0)).toBe(0xfeff);
    const [xHead, ...xRows] = excel.text.slice(1).trim().split('\n').map((l) => l.split(','));
    expect(xHead.slice(0, 3)).toEqual(['实验', '分组', '分组名称']);
    expect(xRows.map((r) => [r[xHead.indexOf('分组')], r[xHead.indexOf('统计截至')], r[xHead.indexOf('分组名称')]])).toEqual([
      ['sms', '2026-11-05 12:30:00', '短信召回'],
      ['holdout', '2026-11-05 12:30:00', '对照组'],
    ]);
    for (const [i, r] of rows.entries()) expect(xRows[i][xHead.indexOf('响应率(%)')]).toBe((Math.round(Number(r[head.indexOf('response_rate')]) * 10000) / 100).toFixed(2));
    // The p-value as the designer's experiment panel shows it (four decimals, < 0.0001), the plain CSV every digit;
    // why there is not enough data in the panel's words, the plain CSV its code.
    const pValues = rows.map((r) => r[head.indexOf('p_value')]);
    expect(pValues.some((p) => p !== '' && p.replace(/^0\./, '').length > 4)).toBe(true);
    expect(xRows.map((r) => r[xHead.indexOf('p 值')])).toEqual(pValues.map((p) => (p === '' ? '' : pValueText(Number(p)))));
    const reasons = rows.map((r) => r[head.indexOf('enough_data_reason')]);
    expect(xRows.map((r) => r[xHead.indexOf('数据说明')])).toEqual(reasons.map((c) => (c === '' ? '' : expect.stringMatching(/^数据还不够：/))));
    expect((await http().get('/api/experiments/winback-sms/report').query({ excel: '1' }).expect(400)).body.message).toMatch(/^excel: only for format=csv/);
    expect((await http().get('/api/experiments/winback-sms/report').query({ format: 'csv', excel: 'yes' }).expect(400)).body.message).toMatch(/^excel: expected 1, true, 0 or false/);
    if (dialect !== 'sqlite') return; // the CLI opens its own connection; one dialect is enough here
    const json = JSON.parse((await cli(['--db', dbUrl, '--rules', rules, '--json', 'report', 'winback-sms', '--at', at])).stdout);
    expect(json.asOf).toBe(body.asOf);
    expect((await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback-sms', '--at', at, '--csv', '-'])).stdout).toBe(plain);
    const file = join(tempDir('rekindle-exp-csv-'), 'report.csv');
    expect((await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback-sms', '--at', at, '--csv', file, '--excel'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(excel.text);
    expect((await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback-sms', '--excel'])).stderr).toMatch(/--excel: only with --csv/);
  }, 60_000);

  it('refuses a report as of an instant later than now (?at=, --at), on the server and the CLI', async () => {
    const far = await http().get('/api/experiments/winback-sms/report').query({ at: '2099-01-01' }).expect(400);
    expect(far.body.message).toMatch(/^at: 2099-01-01 00:00 \+08:00 is later than now /);
    expect((await http().get('/api/experiments/winback-sms/report').query({ at: '2099-01-01', format: 'csv' }).expect(400)).body.message).toMatch(/^at: /);
    if (dialect !== 'sqlite') return; // the CLI opens its own connection; one dialect is enough here
    for (const args of [['report', 'winback-sms'], ['report', 'winback-test', '--products', 'send'], ['report', 'winback-test', '--products']]) {
      const r = await cli(['--db', dbUrl, '--rules', rules, ...args, '--at', '2030-01-01']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--at: 2030-01-01 00:00 \+08:00 is later than now /);
    }
  }, 60_000);

  it('reads a report ahead of the clock (a simulation copy) as of the flow\'s last step, and as of ?at= like the CLI\'s --at', async () => {
    // A server whose clock is a month before the journeys: as `rekindle report` without --at, not 0 assigned everywhere.
    const before = await createTestApp({ database: target, rulesDir: rules, clock: fixedClock(T0 - 30 * MS_PER_DAY), schedulers: false });
    try {
      const http = before.http('analyst');
      const now = (await http.get('/api/experiments/winback-sms/report').expect(200)).body;
      expect(now.arms.map((a: { assigned: number }) => a.assigned)).toEqual([smsCount(), 40 - smsCount()]);
      const cli1 = JSON.parse((await cli(['--db', dbUrl, '--rules', rules, '--json', 'report', 'winback-sms'])).stdout);
      expect(cli1.arms.map((a: { assigned: number }) => a.assigned)).toEqual([smsCount(), 40 - smsCount()]);
      const early = (await http.get('/api/experiments/winback-sms/report').query({ at: '2026-11-02T10:00:00+08:00' }).expect(200)).body;
      expect(early.arms.map((a: { assigned: number }) => a.assigned)).toEqual([0, 0]);
      const bad = await http.get('/api/experiments/winback-sms/report').query({ at: 'yesterday' }).expect(400);
      expect(bad.body.message).toMatch(/^at: /);
      // Later than now (here: the newest of the journeys' steps and their customers' events, a day after T0) has not
      // happened: refused, not today's figures stamped with that date.
      const ahead = await http.get('/api/experiments/winback-sms/report').query({ at: new Date(T0 + 20 * MS_PER_DAY).toISOString() }).expect(400);
      expect(ahead.body.message).toMatch(/^at: 2026-11-23 10:00 \+08:00 is later than now \(2026-11-04 10:00 \+08:00, /);
      expect((await http.get('/api/experiments/winback-sms/report').query({ at: new Date(T0 + MS_PER_DAY).toISOString() }).expect(200)).body.asOf).toBe(T0 + MS_PER_DAY);
    } finally {
      await before.close();
    }
  }, 60_000);

  it('exports the report as CSV, one row per arm', async () => {
    const res = await http().get('/api/experiments/winback-sms/report?format=csv').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.trim().split('\n');
    expect(lines[0].startsWith('experiment,arm,holdout,weight,assigned,exposed,responders,response_rate')).toBe(true);
    expect(lines[0].endsWith(',p_value,prob_best,enough_data,enough_data_reason,as_of,label')).toBe(true);
    expect(lines[1]).toMatch(/,false,few-customers,[^,]+,短信召回$/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['winback-sms,sms', 'winback-sms,holdout']);
  });

  it('refuses an at on the funnel, naming it: the funnel counts everything up to now (a bad at was taken without a word, a good one answered today\'s figures)', async () => {
    for (const at of ['bad', '2026-11-01T00:00:00+08:00']) {
      const r = await http().get(`/api/flows/winback-test/funnel?at=${encodeURIComponent(at)}`).expect(400);
      expect(r.body).toEqual({ statusCode: 400, error: 'Bad Request', message: [`at: the funnel takes no as-of instant, got "${at}": it counts every journey up to now, so leave at out (GET /api/experiments/:id/report takes at=<ISO-8601 instant, e.g. 2026-11-01T00:00:00+08:00>)`] });
    }
    await api.http('anonymous').get('/api/flows/winback-test/funnel?at=bad').expect(401);
  });

  it('gives a per-node funnel of the flow', async () => {
    const res = await http().get('/api/flows/winback-test/funnel').expect(200);
    const by = Object.fromEntries(res.body.nodes.map((n: { nodeId: string }) => [n.nodeId, n]));
    expect(by.start.entered).toBe(40);
    expect(by.split.entered).toBe(40);
    expect(by.send).toMatchObject({ entered: smsCount(), sent: smsCount(), blocked: {} });
    expect(by.done).toMatchObject({ entered: 40, exited: 40 });
  });

  it('counts messages the channel did not deliver as failed with their error, not as blocked, and explains them', async () => {
    const [one, two] = await queryRows(ds, "SELECT id, customer_id FROM sends WHERE node_id = 'send' ORDER BY id");
    const stack = 'attempt 3: SMTP 550 mailbox unavailable\n    at deliver (/srv/rekindle/dist/smtp.provider.js:40:11)';
    await executeBatch(ds, [{ sql: "UPDATE sends SET status = 'failed', last_error = ? WHERE id IN (?, ?)", params: [stack, one.id, two.id] }]);
    try {
      const res = await http().get('/api/flows/winback-test/funnel').expect(200);
      const send = res.body.nodes.find((n: { nodeId: string }) => n.nodeId === 'send');
      expect(send).toMatchObject({ sent: smsCount() - 2, failed: 2, failedErrors: { 'SMTP 550 mailbox unavailable': 2 }, blocked: {} });
      const j = await http().get(`/api/customers/${Number(one.customer_id)}/journey`).expect(200);
      expect(j.body.sends[0]).toMatchObject({ status: 'failed', error: 'SMTP 550 mailbox unavailable' });
      if (dialect === 'sqlite') {
        const text = await cli(['--db', dbUrl, '--rules', rules, 'explain', String(one.customer_id)]);
        expect(text.stdout).toMatch(/sms\s+failed\s+winback-test\/send\n\s+not delivered: SMTP 550 mailbox unavailable/);
        expect(text.stdout).not.toMatch(/\/srv\/|at deliver/);
      }
    } finally {
      await executeBatch(ds, [{ sql: "UPDATE sends SET status = 'sent', last_error = NULL WHERE id IN (?, ?)", params: [one.id, two.id] }]);
    }
  });

  it('says a flow of rules/flows that was never published was never published (publish or simulate it), not "no experiment"', async () => {
    if (dialect !== 'sqlite') return; // the CLI opens its own connection; one dialect is enough here
    writeFileSync(join(rules, 'flows', 'never-run.flow.yaml'), 'id: never-run\nname: Never run\nnodes:\n  - { id: start, type: entry, trigger: { type: event, event: order_paid }, next: thank }\n  - { id: thank, type: send, channel: sms, template: 谢谢, next: done }\n  - { id: done, type: exit }\n');
    for (const target of ['never-run', join(rules, 'flows', 'never-run.flow.yaml')]) {
      const r = await cli(['--db', dbUrl, '--rules', rules, 'report', target]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/flow "never-run" was never published.*rekindle flows publish never-run.*rekindle simulate never-run/);
      expect(r.stderr).not.toMatch(/no experiment/);
    }
  });

  it('answers 204, not 404, for an experiment that is only in a draft or a flow file', async () => {
    const draft = { id: 'drafted', name: 'Drafted', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'visit' }, next: 'ab' }, { id: 'ab', type: 'split', experiment: { id: 'drafted-ab', window: '7d', responses: [{ event: 'order_paid' }] }, arms: [{ id: 'a', weight: 50, next: 'end' }, { id: 'b', weight: 50, holdout: true, next: 'end' }] }, { id: 'end', type: 'exit' }] };
    await http().put('/api/flows/drafted/draft').send({ flow: draft, revision: null }).expect(200);
    const res = await http().get('/api/experiments/drafted-ab/report').expect(204);
    expect(res.text).toBe('');
    // A shipped flow file nobody published or edited yet (the designer opens it as it is).
    expect((await http().get('/api/experiments/new-product-launch/report').expect(204)).text).toBe('');
    await http().get('/api/experiments/never-drawn/report').expect(404);
  });

  it('gives the response rate of a send by customer group', async () => {
    const res = await http().get('/api/flows/winback-test/nodes/send/response-by-group?by=device').expect(200);
    const by = Object.fromEntries(res.body.groups.map((g: { group: string }) => [g.group, g]));
    expect(by.pc.responseRate).toBe(1);
    expect(by.mobile.responders).toBe(0);
    await http().get('/api/flows/winback-test/nodes/send/response-by-group?by=shoe-size').expect(400);
  });

  // A mistyped event counted nothing and answered every group 0% with confidence intervals, and a
  // zero window the same: a 400 naming the field, as a bad `by` gets.
  it('refuses response events the shop does not record and an empty window, naming the field', async () => {
    const url = '/api/flows/winback-test/nodes/send/response-by-group';
    const bogus = await http().get(url).query({ events: 'order_paid,bogus_event' }).expect(400);
    expect(bogus.body.message).toMatch(/^events: "bogus_event" is not an event type the shop records/);
    expect((await http().get(url).query({ events: 'order_piad' }).expect(400)).body.message).toMatch(/^events: "order_piad" \(did you mean "order_paid"\?\)/);
    expect((await http().get(url).query({ events: ' , ' }).expect(400)).body.message).toMatch(/^events: name at least one event type/);
    expect((await http().get(url).query({ window: '0d' }).expect(400)).body.message).toMatch(/^window: "0d" is an empty window/);
    // Events the system records, or the shop sends (seen in its log), count as before.
    await http().get(url).query({ events: 'order_paid,click' }).expect(200);
  });

  // Grouped by today's facts, the response moved its customer: the order a sleeper paid after the
  // message made them "active", so the responders all sat in active and every other stage read 0%.
  it('groups each recipient by their facts when the message went out, not by what their response made them', async () => {
    const [sleeper] = (await queryRows(ds, "SELECT customer_id FROM sends WHERE flow_id = 'winback-test' AND node_id = 'send' ORDER BY customer_id")).map((r) => Number(r.customer_id));
    await addOrder(ds, { externalId: `long-ago-${sleeper}`, customerId: sleeper, status: 'completed', amount: 120, createdAt: T0 - 200 * MS_PER_DAY, paidAt: T0 - 200 * MS_PER_DAY });
    await addOrder(ds, { externalId: `answer-${sleeper}`, customerId: sleeper, status: 'paid', amount: 99, createdAt: T0 + MS_PER_DAY, paidAt: T0 + MS_PER_DAY });
    await addEvent(ds, sleeper, 'order_paid', { orderId: `answer-${sleeper}`, amount: 99 }, T0 + MS_PER_DAY);
    const res = await http().get('/api/flows/winback-test/nodes/send/response-by-group').query({ by: 'lifecycleStage', events: 'order_paid' }).expect(200);
    const by = Object.fromEntries(res.body.groups.map((g: { group: string }) => [g.group, g]));
    // 200 days since the last purchase when the message went out: sleeping by rules/shop.yaml (27/138/426), one recipient, who responded.
    expect(by.sleeping).toMatchObject({ sent: 1, responders: 1 });
    expect(by.active).toBeUndefined();
  });

  it('prints the same report from the CLI, by experiment id and as JSON', async () => {
    if (dialect !== 'sqlite') return; // the CLI opens its own connection; one dialect is enough here
    const r = await cli(['--db', dbUrl, '--rules', rules, '--json', 'report', 'winback-sms', '--at', new Date(clock.now()).toISOString()]);
    expect(r.stderr).toBe('');
    const body = JSON.parse(r.stdout);
    expect(body.arms.map((a: { arm: string; assigned: number }) => [a.arm, a.assigned])).toEqual([['sms', smsCount()], ['holdout', 40 - smsCount()]]);
    const text = await cli(['--db', dbUrl, '--rules', rules, 'report', join(rules, 'flows', 'winback-test.flow.yaml')]);
    expect(text.stdout).toMatch(/experiment winback-sms \(flow winback-test, split split\)/);
    // About 20 customers an arm: counts, and no rates, lift or P(best) presented as findings.
    expect(body.enoughData).toMatchObject({ enough: false, minPerArm: 30 });
    expect(text.stdout).toMatch(/not enough data yet: each arm needs at least 30 customers to compare/);
    expect(text.stdout).not.toMatch(/z-test|\tP\(best\)|\tlift|%/);
    // By the flow's id as well; an unknown id names the experiments there are.
    expect((await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback-test'])).stdout).toMatch(/experiment winback-sms \(flow winback-test, split split\)/);
    const wrong = await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/no experiment "winback".*published experiments: winback-sms/);
    // report takes a flow too: the error says it is none either, with the flows there are.
    expect(wrong.stderr).toMatch(/; nor is "winback" a flow \(flows in rules\/flows\/: .*winback-test/);
  });

  it('reports the per-node funnel of a flow without an experiment (and with --funnel of any flow), the figures of GET /api/flows/:id/funnel', async () => {
    if (dialect !== 'sqlite') return; // the CLI opens its own connection; one dialect is enough here
    const api = (await http().get('/api/flows/winback-test/funnel').expect(200)).body;
    const json = await cli(['--db', dbUrl, '--rules', rules, '--json', 'report', 'winback-test', '--funnel']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(api);
    const text = await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback-test', '--funnel']);
    expect(text.stdout).toMatch(/^funnel of flow winback-test \(nodes of v1; journeys of every version counted\)\n\nnode +type +entered +waiting +sent +blocked +failed +responded +clicked +coupons used +after end +converted +conv\. +exited\n/);
    expect(text.stdout).toMatch(new RegExp(`\\nsend +send +${smsCount()} +0 +${smsCount()} +0 +0 +0 +0 +0 +0 +0 +0\\.00% +0\\n`));
    const csv = await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback-test', '--funnel', '--csv', '-']);
    const rows = csv.stdout.trim().split('\n');
    // conversion_rate and cost (added last): the text's conv., converted / entered as a ratio, empty where nobody
    // entered; what the step's delivered messages cost (sends.cost), which only the send log had.
    // label (last): the step's card name; this flow's steps have none, so it is empty.
    // message_cost (was `cost`: the messages alone, not the campaign's whole cost) and coupon_cost (the coupons used, at face value).
    expect(rows[0]).toBe('flow,node,type,entered,waiting,sent,blocked,failed,failed_errors,responded,clicked,coupons_used,coupons_used_after_end,converted,exited,conversion_rate,message_cost,queued,coupon_cost,label');
    const cost = Math.round(0.05 * smsCount() * 1e6) / 1e6;
    expect(rows.slice(1).map((l) => [l.split(',')[1], l.split(',').at(-4)])).toEqual([['start', '0'], ['split', '0'], ['send', String(cost)], ['done', '0']]);
    // queued: of sent, still in the outbox; the outbox has delivered every message here; no coupon in this flow.
    expect(rows.slice(1).map((l) => l.split(',').slice(-3))).toEqual([['0', '0', ''], ['0', '0', ''], ['0', '0', ''], ['0', '0', '']]);
    expect(api.nodes.find((n: { nodeId: string }) => n.nodeId === 'send')).toMatchObject({ messageCost: cost, couponCost: 0 });
    expect(text.stdout).toContain(`\nmessage cost (messages sent): send ¥${cost.toFixed(2)}; in all ¥${cost.toFixed(2)}\n`);
    expect(rows.slice(1).map((l) => l.split(',').slice(1, 4).join(','))).toEqual(['start,entry,40', 'split,split,40', `send,send,${smsCount()}`, 'done,exit,40']);
    const convRate = (l: string) => l.split(',').at(-5);
    const converted = (l: string) => Number(l.split(',').at(-7));
    for (const l of rows.slice(1)) expect(Number(convRate(l))).toBeCloseTo(converted(l) / Number(l.split(',')[3]), 9);
    const excel = await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback-test', '--funnel', '--csv', '-', '--excel']);
    // The Excel variant: Chinese headers with the step's name next to its id, the conversion rate in percent.
    const [xHead, ...xRows] = excel.stdout.slice(1).trim().split('\n').map((l) => l.split(','));
    expect(excel.stdout.charCodeAt(0)).toBe(0xfeff);
    expect(xHead.slice(0, 5)).toEqual(['旅程', '步骤', '步骤名称', '步骤类型', '进入人数']);
    expect(xHead).toContain('转化率(%)');
    for (const [i, l] of rows.slice(1).entries()) expect(xRows[i][xHead.indexOf('转化率(%)')]).toBe(convRate(l) === '' ? '' : (Math.round(Number(convRate(l)) * 10000) / 100).toFixed(2));
    // Step types and held-back reasons in the designer's words (core/text/excel-words.ts); the plain CSV keeps the codes.
    expect(xRows.map((r) => r[xHead.indexOf('步骤类型')])).toEqual(['入口', 'A/B 分流', '发送消息', '结束']);
    const heldBack = rows[0].split(',').filter((h) => /^(blocked|skipped):/.test(h));
    for (const h of heldBack) expect(xHead).toContain(`${sendStatusWords(h.split(':')[0])}:${reasonWords(h.split(':').slice(1).join(':'))}`);
    expect(xHead.filter((h) => /^(被拦截|未发送):/.test(h))).toHaveLength(heldBack.length);
    // The same CSV over HTTP (the designer's live view links it), for Excel on request; a wrong format or flag is named.
    const httpCsv = await http().get('/api/flows/winback-test/funnel?format=csv').expect(200);
    expect(httpCsv.headers['content-type']).toMatch(/^text\/csv/);
    expect(httpCsv.headers['content-disposition']).toBe('attachment; filename="winback-test-funnel.csv"');
    expect(httpCsv.text).toBe(csv.stdout);
    expect((await http().get('/api/flows/winback-test/funnel?format=csv&excel=1').expect(200)).text).toBe(excel.stdout);
    expect((await http().get('/api/flows/winback-test/funnel?format=xlsx').expect(400)).body.message).toBe('format: "xlsx" is not json or csv');
    expect((await http().get('/api/flows/winback-test/funnel?excel=1').expect(400)).body.message).toBe('excel: only for format=csv (a spreadsheet opens CSV)');
    // The experiment report points to it.
    expect((await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback-sms'])).stdout).toMatch(/\nper-node funnel of the flow: rekindle report winback-test --funnel\n$/);

    // A published flow without a split: its funnel, by flow id or file, never "has no experiment".
    writeFileSync(join(rules, 'flows', 'plain-thanks.flow.yaml'), 'id: plain-thanks\nname: Plain thanks\nnodes:\n  - { id: start, type: entry, trigger: { type: event, event: order_paid }, next: thank }\n  - { id: thank, type: send, label: 付款感谢短信, channel: sms, template: 谢谢, next: done }\n  - { id: done, type: exit }\n');
    const unpublished = await cli(['--db', dbUrl, '--rules', rules, 'report', 'plain-thanks']);
    expect(unpublished.code).toBe(1);
    expect(unpublished.stderr).not.toMatch(/has no experiment/);
    expect(unpublished.stderr).not.toMatch(/no experiment/);
    expect((await cli(['--db', dbUrl, '--rules', rules, 'report', join(rules, 'flows', 'plain-thanks.flow.yaml')])).stderr).toMatch(/flow "plain-thanks" was never published/);
    expect((await cli(['--db', dbUrl, '--rules', rules, 'flows', 'publish', 'plain-thanks'])).code).toBe(0);
    for (const args of [['plain-thanks'], [join(rules, 'flows', 'plain-thanks.flow.yaml')]]) {
      const r = await cli(['--db', dbUrl, '--rules', rules, '--json', 'report', ...args]);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual((await http().get('/api/flows/plain-thanks/funnel').expect(200)).body);
      expect(JSON.parse(r.stdout).nodes.map((n: { nodeId: string }) => n.nodeId)).toEqual(['start', 'thank', 'done']);
    }
    const plain = (await cli(['--db', dbUrl, '--rules', rules, 'report', 'plain-thanks'])).stdout;
    expect(plain).toMatch(/^funnel of flow plain-thanks /);
    // Each step by its card name too, where it has one (the last column of the text and of the CSV), over HTTP and from the CLI alike.
    expect(plain).toMatch(/\nnode +type +entered .* exited +step name\n/);
    expect(plain).toMatch(/\nthank +send +0 .* 0 +付款感谢短信\n/);
    const plainCsv = (await cli(['--db', dbUrl, '--rules', rules, 'report', 'plain-thanks', '--csv', '-'])).stdout;
    expect(plainCsv.trim().split('\n').map((l) => [l.split(',')[1], l.split(',').at(-1)])).toEqual([['node', 'label'], ['start', ''], ['thank', '付款感谢短信'], ['done', '']]);
    const xCsv = (await http().get('/api/flows/plain-thanks/funnel?format=csv&excel=1').expect(200)).text;
    expect(xCsv.slice(1).trim().split('\n').map((l) => l.split(',').slice(1, 3))).toEqual([['步骤', '步骤名称'], ['start', ''], ['thank', '付款感谢短信'], ['done', '']]);
    expect((await cli(['--db', dbUrl, '--rules', rules, 'report', 'plain-thanks', '--at', '2026-11-03T10:00:00+08:00'])).stderr).toMatch(/--at applies to experiment reports only/);
  });
});

describe('an experiment nobody has responded to yet, over HTTP, as CSV and from the CLI', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let dbUrl: string;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-exp-none-');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'flows', 'winback-test.flow.yaml'), FLOW);
    const t = await freshTarget('sqlite');
    drop = t.drop;
    dbUrl = t.target.url;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    const ds = api.app.get(DataSource);
    // Enough customers for 30 an arm, and not one order: no baseline to size the test from.
    await addCustomers(ds, Array.from({ length: 90 }, (_, i) => ({ externalId: `n${i}` })), T0 - MS_PER_DAY);
    await api.http().post('/api/flows/winback-test/publish').send({}).expect(200);
    for (let i = 0; i < 90; i++) await api.http().post('/api/events').send({ customerExternalId: `n${i}`, type: 'visit', properties: {}, occurredAt: new Date(T0).toISOString(), idempotencyKey: `visit:${i}` }).expect((r) => expect([200, 201]).toContain(r.status));
    clock.advance(MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    clock.advance(8 * MS_PER_DAY);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('gives no P(best) and not enough data, with the reason, alike in the JSON, the CSV and the CLI text', async () => {
    const body = (await api.http().get('/api/experiments/winback-sms/report').expect(200)).body;
    expect(body.arms.every((a: { assigned: number; responders: number }) => a.assigned >= 30 && a.responders === 0)).toBe(true);
    // Every posterior Beta(1, 1 + n): a P(best) would only rank the arms by size.
    expect(body.arms.map((a: { probabilityBest: unknown }) => a.probabilityBest)).toEqual([null, null]);
    expect(body.enoughData).toEqual({ enough: false, minPerArm: 30, fewest: expect.any(Object), reason: 'no-baseline', control: 'holdout' });
    // No outbox runs here: the sms arm's messages are all still queued, none sent, and the report says so beside the missing baseline.
    expect(body.warnings.map((w: { code: string }) => w.code)).toEqual(['low-exposure', 'no-baseline']);
    expect(body.warnings[0].figures).toEqual({ arms: [{ arm: 'sms', assigned: body.arms.find((a: { arm: string }) => a.arm === 'sms').assigned, exposed: 0 }], share: 0.5 });
    expect(body.warnings[1]).toEqual({ code: 'no-baseline', figures: { control: 'holdout' }, message: 'no baseline responses yet: the control arm holdout has none, so the sample size cannot be estimated' });

    const csv = (await api.http().get('/api/experiments/winback-sms/report?format=csv').expect(200)).text.trim().split('\n');
    const head = csv[0].split(',');
    for (const row of csv.slice(1).map((l) => l.split(','))) {
      expect(row[head.indexOf('prob_best')]).toBe('');
      expect(row[head.indexOf('enough_data')]).toBe('false');
      expect(row[head.indexOf('enough_data_reason')]).toBe('no-baseline');
    }

    const text = await cli(['--db', dbUrl, '--rules', rules, 'report', 'winback-sms', '--at', new Date(clock.now()).toISOString()]);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/not enough data yet: the control arm holdout has no responses yet, so the customers each arm needs cannot be estimated; rates, lift, p-values and P\(best\) are left out/);
    expect(text.stdout).not.toMatch(/\tP\(best\)|%|warning: no baseline/);
    // Responses keep arriving within the window: the text says the instant it counted up to, in shop time.
    expect(text.stdout.split('\n')[0]).toMatch(/^experiment winback-sms \(flow winback-test, split split\);.*; as of \d{4}-\d\d-\d\d \d\d:\d\d \+08:00$/);
    expect(text.stdout.split('\n')[0].endsWith(`; as of ${formatShopTime(clock.now(), 'Asia/Shanghai')}`)).toBe(true);
    const json = JSON.parse((await cli(['--db', dbUrl, '--rules', rules, '--json', 'report', 'winback-sms', '--at', new Date(clock.now()).toISOString()])).stdout);
    expect({ arms: json.arms, enoughData: json.enoughData, warnings: json.warnings }).toEqual({ arms: body.arms, enoughData: body.enoughData, warnings: body.warnings });
  }, 60_000);
});
