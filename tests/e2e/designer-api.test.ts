import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { loadSettings } from '../../server/src/config/settings.js';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { validateFiles } from '../../server/src/cli/commands/validate.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';
import { cli } from '../support/cli.js';
import { serializeFlow } from '../../server/src/core/flow/flow-file.js';
import type { Flow } from '../../server/src/core/flow/schema.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');

/**
 * The payment reminder as the designer sends it: plain JSON, edges named on each node. Its first
 * 2 hours are a wait for the payment itself (not a plain wait): a waitForEvent counts only payments
 * after it starts, so one paid in those hours would have got the text (missed-response-checks.ts).
 */
const drawn = () => ({
  id: 'drawn-reminder',
  name: '催付 drawn',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'wait-2h' },
    { id: 'wait-2h', type: 'waitForEvent', events: ['order_paid'], match: { orderId: '$key' }, within: '2h', responded: 'paid', timedOut: 'sms' },
    { id: 'sms', type: 'send', channel: 'sms', category: 'transactional', template: '【示例旗舰店】您的订单{{key}}尚未付款 {{link}}', link: 'https://shop.example/pay', next: 'paid?' },
    { id: 'paid?', type: 'waitForEvent', events: ['order_paid'], match: { orderId: '$key' }, within: '22h', responded: 'paid', timedOut: 'give-up' },
    { id: 'paid', type: 'exit', goal: true },
    { id: 'give-up', type: 'exit' },
  ],
});
const valid = () => {
  const f = drawn();
  f.nodes[3].id = 'paid-in-time';
  (f.nodes[2] as { next: string }).next = 'paid-in-time';
  return f;
};

describe('designer API on sqlite', () => {
  let app: INestApplication;
  let api: TestApp;
  let ds: DataSource;
  let dbUrl: string;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-designer-rules-');
  const http = () => api.http();

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite');
    dbUrl = t.target.url;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    app = api.app;
    ds = app.get(DataSource);
    await addCustomers(ds, [{ externalId: 'buyer-1' }, { externalId: 'buyer-2' }], T0 - 10 * 24 * MS_PER_HOUR);
    const ev = (who: string, type: string, orderId: string, at: number) => ({ customerExternalId: who, type, properties: { orderId }, occurredAt: new Date(at).toISOString(), idempotencyKey: `${type}:${orderId}` });
    await http()
      .post('/api/events')
      .send([ev('buyer-1', 'order_created', 'o-1', T0 - 3 * 24 * MS_PER_HOUR), ev('buyer-2', 'order_created', 'o-2', T0 - 2 * 24 * MS_PER_HOUR), ev('buyer-2', 'order_paid', 'o-2', T0 - 2 * 24 * MS_PER_HOUR + 5 * MS_PER_HOUR)])
      .expect((r) => expect([200, 201]).toContain(r.status));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('reads a flow file with its layout and problems', async () => {
    const res = await http().get('/api/flows/payment-reminder/file').expect(200);
    expect(res.body.flow.id).toBe('payment-reminder');
    expect(res.body.layout.positions.start).toEqual({ x: expect.any(Number), y: expect.any(Number) });
    expect(res.body.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
    await http().get('/api/flows/no-such/file').expect(404);
  });

  it('answers a validate request without a {"flow": …} object by naming the field and the form it wants', async () => {
    const yamlText = await http().post('/api/flows/validate').set('Content-Type', 'text/plain').send('id: x\nname: X\nnodes: []\n').expect(400);
    expect(JSON.stringify(yamlText.body.message)).toContain('flow: required (a JSON object');
    const noFlow = await http().post('/api/flows/validate').send({ nodes: [] }).expect(400);
    expect(JSON.stringify(noFlow.body.message)).toContain('flow: required (a JSON object');
    // The field is named once ("flow: flow: required" said it twice).
    expect(JSON.stringify(noFlow.body.message)).not.toContain('flow: flow:');
  });

  it('answers a save without a {"flow": …} object the same way (not zod\'s "expected nonoptional")', async () => {
    const noFlow = await api.http('marketer').put('/api/flows/payment-reminder/file').send({ nodes: [] }).expect(400);
    expect(noFlow.body.message).toEqual([expect.stringMatching(/^flow: required \(a JSON object/)]);
    const yamlText = await api.http('marketer').put('/api/flows/payment-reminder/file').set('Content-Type', 'text/plain').send('id: x\nname: X\nnodes: []\n').expect(400);
    expect(JSON.stringify(yamlText.body.message)).toMatch(/^"flow: required \(a JSON object|^\["flow: required \(a JSON object/);
  });

  it('validates a draft with the checks of rekindle validate, naming the node', async () => {
    const res = await http().post('/api/flows/validate').send({ flow: drawn() }).expect(200);
    expect(res.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'paid?', severity: 'error', path: 'nodes.3.id', line: expect.any(Number) })]));
    const ok = await http().post('/api/flows/validate').send({ flow: valid() }).expect(200);
    expect(ok.body.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
    const cut = valid();
    delete (cut.nodes[1] as { timedOut?: string }).timedOut;
    const res2 = await http().post('/api/flows/validate').send({ flow: cut }).expect(200);
    expect(res2.body.problems.some((p: { nodeId: string }) => p.nodeId === 'wait-2h')).toBe(true);
  });

  it('refuses to save a flow with problems (422, per node) and writes nothing', async () => {
    const cut = valid();
    cut.nodes[2] = { ...cut.nodes[2], channel: 'pigeon' } as never;
    const res = await http().put('/api/flows/drawn-reminder/file').send({ flow: cut, layout: { positions: {} } }).expect(422);
    expect(res.body.problems.some((p: { nodeId: string; message: string }) => p.nodeId === 'sms' && /channel/.test(p.message))).toBe(true);
    expect(existsSync(join(rules, 'flows', 'drawn-reminder.flow.yaml'))).toBe(false);
    await http().put('/api/flows/other-id/file').send({ flow: valid() }).expect(422);
    expect(existsSync(join(rules, 'flows', 'other-id.flow.yaml'))).toBe(false);
  });

  it('saves canonical YAML and the layout that rekindle validate accepts', async () => {
    const res = await http()
      .put('/api/flows/drawn-reminder/file')
      .send({ flow: valid(), layout: { positions: { start: { x: 10.4, y: 0 }, gone: { x: 1, y: 1 } } } })
      .expect(200);
    expect(res.body.saved).toBe(true);
    const text = readFileSync(join(rules, 'flows', 'drawn-reminder.flow.yaml'), 'utf8');
    expect(text.startsWith('# yaml-language-server')).toBe(true);
    expect(text).toContain('reentry:'); // defaults are written out
    expect(readFileSync(join(rules, 'flows', 'drawn-reminder.layout.yaml'), 'utf8')).not.toContain('gone');
    const problems = [...validateFiles([join(rules, 'flows', 'drawn-reminder.flow.yaml')], rules).values()].flat();
    // The shipped rules/channels.yaml sets no publicBaseUrl: the link warning is the only thing said.
    expect(problems.filter((p) => !/tracked link would go out as a relative path/.test(p.message))).toEqual([]);
    const back = await http().get('/api/flows/drawn-reminder/file').expect(200);
    expect(back.body.layout.positions.start).toEqual({ x: 10, y: 0 });
  });

  it('refuses to create a flow over an existing file, and malformed drafts with 4xx, not 500', async () => {
    const res = await http().put('/api/flows/payment-reminder/file').send({ flow: { ...valid(), id: 'payment-reminder' }, create: true }).expect(409);
    expect(res.body.message).toMatch(/already exists/);
    for (const flow of [{ id: 'x', nodes: 'abc' }, { id: 'x', name: 'n', nodes: [null, 3, { type: 'zzz' }] }, { id: 5 }, [], 'text']) {
      const r = await http().post('/api/flows/validate').send({ flow });
      expect(r.status).toBe(200);
      expect(r.body.problems.length).toBeGreaterThan(0);
      await http().put('/api/flows/x/file').send({ flow }).expect(422);
    }
    expect(existsSync(join(rules, 'flows', 'x.flow.yaml'))).toBe(false);
  });

  it('lists the worked examples as templates', async () => {
    const res = await http().get('/api/templates').expect(200);
    const ids = res.body.templates.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['payment-reminder', 'double11-campaign']));
    expect(res.body.templates.find((t: { id: string }) => t.id === 'payment-reminder')).toMatchObject({ name: expect.any(String), nodes: expect.any(Number) });
  });

  it('previews {{link}} as customers would get it: without publicBaseUrl a relative /r/<token>, flagged as not openable', async () => {
    const res = await api.http('analyst').post('/api/messages/preview').send({ channel: 'sms', template: '付款：{{link}}', customer: 'buyer-1', link: 'https://shop.example/pay' }).expect(200);
    expect(res.body.body).toBe('付款：/r/PREVIEW00000');
    expect(res.body.linkAbsolute).toBe(false);
    expect(res.body.linkMissing).toBe(false);
  });

  it('previews a one-off coupon valid for more than 36,500 days with a 400 naming the field, not a 500 (its expiry is no date)', async () => {
    const res = await api.http('analyst').post('/api/messages/preview').send({ channel: 'sms', template: '券 {{coupon.amount}} 到 {{coupon.expires}}', customer: 'buyer-1', coupon: { value: 5, validDays: 99999999999 } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain('coupon.validDays');
  });

  it('previews {{link}} of a send without link target as customers get it: no link, and says so', async () => {
    for (const link of [undefined, null, '']) {
      const res = await api.http('analyst').post('/api/messages/preview').send({ channel: 'sms', template: '回店看看 {{link}} 退订回T', customer: 'buyer-1', link }).expect(200);
      expect(res.body.body).toBe('回店看看  退订回T');
      expect(res.body.linkMissing).toBe(true);
    }
  });

  it('validate names the node of a {{link}} without link target, a misspelt variable and a misspelt or unknown event', async () => {
    const f = valid();
    f.nodes[0] = { ...f.nodes[0], trigger: { type: 'event', event: 'order_creatd', key: 'orderId' } } as never;
    f.nodes[2] = { id: 'sms', type: 'send', channel: 'sms', template: '{{customer.nmae}}，回店看看 {{link}} 退订回T', next: 'paid-in-time' } as never;
    (f as { exitOn?: unknown }).exitOn = [{ event: '下单' }];
    const res = await http().post('/api/flows/validate').send({ flow: f }).expect(200);
    const said = res.body.problems.map((p: { nodeId: string | null; severity: string; message: string; line: number }) => `${p.severity} ${p.nodeId}: ${p.message}`);
    expect(said).toEqual(
      expect.arrayContaining([
        'error start: event "order_creatd" is not an event the shop records: did you mean "order_created"?',
        'error sms: uses {{link}} but has no link target: customers would get the text without a link; fill in the link target (link) or take {{link}} out',
        'error sms: {{customer.nmae}} is not a message variable (customers would get an empty text in its place): did you mean {{customer.name}}?',
        expect.stringMatching(/^warning null: event "下单" is neither one the system records, nor declared in rules\/shop\.yaml, nor seen in the shop's event log/),
      ]),
    );
    expect(res.body.problems.every((p: { line: number }) => p.line > 0)).toBe(true);
  });

  it("knows the shop's own events from its event log: validate accepts them, GET /api/event-types lists them (signed-in only)", async () => {
    // wangwang_reply is declared nowhere (rules/shop.yaml declares wechat_reply and review_posted): only the log makes it known.
    const f = valid();
    (f.nodes[3] as { events: string[] }).events = ['order_paid', 'wangwang_reply'];
    const before = await http().post('/api/flows/validate').send({ flow: f }).expect(200);
    expect(before.body.problems.map((p: { message: string }) => p.message)).toEqual([expect.stringMatching(/^event "wangwang_reply" is neither one/)]);
    await api.http('anonymous').get('/api/event-types').expect(401);
    expect((await api.http('analyst').get('/api/event-types').expect(200)).body.events).not.toContainEqual(expect.objectContaining({ name: 'wangwang_reply' }));
    await http()
      .post('/api/events')
      .send({ customerExternalId: 'buyer-1', type: 'wangwang_reply', properties: {}, occurredAt: new Date(T0).toISOString(), idempotencyKey: 'wangwang_reply:1' })
      .expect((r) => expect([200, 201]).toContain(r.status));
    const after = await http().post('/api/flows/validate').send({ flow: f }).expect(200);
    expect(after.body.problems).toEqual([]);
    const listed = (await api.http('analyst').get('/api/event-types').expect(200)).body.events;
    const seenOnly = { declared: false, description: null, fields: null };
    expect(listed).toEqual(
      expect.arrayContaining([
        { name: 'order_created', system: true, seen: true, ...seenOnly },
        { name: 'order_signed', system: true, seen: false, ...seenOnly },
        { name: 'click', system: true, seen: false, ...seenOnly },
        { name: 'wangwang_reply', system: false, seen: true, ...seenOnly },
      ]),
    );
  });

  it('publishing (POST /api/flows/:id/publish and rekindle flows publish) knows the events seen in the log, as the designer checks do', async () => {
    // taobao_reply is declared nowhere: only the log makes it known.
    await http()
      .post('/api/events')
      .send({ customerExternalId: 'buyer-1', type: 'taobao_reply', properties: {}, occurredAt: new Date(T0).toISOString(), idempotencyKey: 'taobao_reply:1' })
      .expect((r) => expect([200, 201]).toContain(r.status));
    const write = (id: string, event: string) =>
      writeFileSync(join(rules, 'flows', `${id}.flow.yaml`), [`id: ${id}`, `name: ${id}`, 'nodes:', `  - { id: start, type: entry, trigger: { type: event, event: ${event} }, next: done }`, '  - { id: done, type: exit }', ''].join('\n'));
    write('seen-reply', 'taobao_reply');
    write('never-sent', 'never_sent_anywhere');
    try {
      await api.http('anonymous').post('/api/flows/seen-reply/publish').send({}).expect(401);
      expect((await api.http('marketer').post('/api/flows/seen-reply/publish').send({}).expect(200)).body.warnings).toEqual([]);
      // An event nobody sent is still a warning: the publish says it.
      expect((await api.http('marketer').post('/api/flows/never-sent/publish').send({}).expect(200)).body.warnings).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^event "never_sent_anywhere" is neither one/) })]);
      const seen = await cli(['--db', dbUrl, '--rules', rules, '--json', 'flows', 'publish', 'seen-reply']);
      expect(seen.code).toBe(0);
      expect(JSON.parse(seen.stdout)).toMatchObject({ flowId: 'seen-reply', created: false, warnings: [] });
      const never = await cli(['--db', dbUrl, '--rules', rules, 'flows', 'publish', 'never-sent']);
      expect(never.code).toBe(0);
      expect(never.stdout).toContain('warning: event "never_sent_anywhere" is neither one the system records');
    } finally {
      for (const id of ['seen-reply', 'never-sent']) rmSync(join(rules, 'flows', `${id}.flow.yaml`), { force: true });
    }
  });

  it('a send printing a coupon that only an earlier email issues is a warning of rekindle validate, the designer\'s check and both publishes (API and CLI), which still publish', async () => {
    const file = join(rules, 'flows', 'coupon-by-email.flow.yaml');
    writeFileSync(
      file,
      ['id: coupon-by-email', 'name: 召回', 'nodes:', '  - { id: start, type: entry, trigger: { type: event, event: order_signed }, next: mail }', '  - { id: mail, type: send, channel: email, subject: 送你一张券, template: "券码 {{coupon.code}}", coupon: welcome-back-10, next: wait }', '  - { id: wait, type: wait, duration: 3d, next: sms }', '  - { id: sms, type: send, channel: sms, template: "【示例旗舰店】您的券（券码{{coupon.code}}）快到期了 回T退订", next: done }', '  - { id: done, type: exit }', 'exitOn: [{ event: order_paid }]', ''].join('\n'),
    );
    const unsent = expect.objectContaining({ line: 7, nodeId: 'sms', severity: 'warning', message: expect.stringMatching(/^prints the coupon that "mail" issues, which goes out only with that email message/) });
    try {
      const validated = await cli(['validate', '--rules', rules, file]);
      expect(validated.code).toBe(0);
      expect(validated.stdout).toMatch(/coupon-by-email\.flow\.yaml:7 node sms: warning: prints the coupon that "mail" issues, which goes out only with that email message: .* this sms message is held back \(no-coupon\); issue the same coupon here too \(coupon: welcome-back-10\)/);
      expect((await api.http('marketer').get('/api/flows/coupon-by-email/file').expect(200)).body.problems).toEqual([unsent]);
      await api.http('anonymous').post('/api/flows/coupon-by-email/publish').send({}).expect(401);
      expect((await api.http('marketer').post('/api/flows/coupon-by-email/publish').send({}).expect(200)).body.warnings).toEqual([unsent]);
      const published = await cli(['--db', dbUrl, '--rules', rules, 'flows', 'publish', 'coupon-by-email']);
      expect(published.code).toBe(0);
      expect(published.stdout).toMatch(/coupon-by-email\.flow\.yaml:7 node sms: warning: prints the coupon that "mail" issues/);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('a marketing SMS drawn before its email is a warning of rekindle validate, the draft\'s problems and both publishes (API and CLI), which still publish', async () => {
    const file = join(rules, 'flows', 'sms-first.flow.yaml');
    writeFileSync(
      file,
      ['id: sms-first', 'name: 双十一预热', 'nodes:', '  - { id: start, type: entry, trigger: { type: schedule, segment: sleeping-high-value, every: day, at: "09:00" }, next: sms }', '  - { id: sms, type: send, channel: sms, template: "【示例旗舰店】双十一预热开始 回T退订", next: wait }', '  - { id: wait, type: wait, duration: 3d, next: mail }', '  - { id: mail, type: send, channel: email, subject: 双十一预热, template: 双十一预热开始, next: done }', '  - { id: done, type: exit }', 'exitOn: [{ event: order_paid }]', ''].join('\n'),
    );
    const first = expect.objectContaining({ line: 5, nodeId: 'sms', severity: 'warning', message: expect.stringMatching(/^this marketing SMS goes out before the email "mail" that follows it on the same path/) });
    try {
      const validated = await cli(['validate', '--rules', rules, file]);
      expect(validated.code).toBe(0);
      expect(validated.stdout).toContain('sms-first.flow.yaml:5 node sms: warning: this marketing SMS goes out before the email "mail" that follows it on the same path, so a customer gets the SMS first: email goes 2–3 days before the matching SMS wave, to stagger channels; send "mail" first and this SMS 2–3 days after it');
      expect((await api.http('marketer').get('/api/flows/sms-first/file').expect(200)).body.problems).toEqual([first]);
      expect((await api.http('marketer').post('/api/flows/sms-first/publish').send({}).expect(200)).body.warnings).toEqual([first]);
      const published = await cli(['--db', dbUrl, '--rules', rules, 'flows', 'publish', 'sms-first']);
      expect(published.code).toBe(0);
      expect(published.stdout).toMatch(/sms-first\.flow\.yaml:5 node sms: warning: this marketing SMS goes out before the email "mail"/);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('a journey without a conversion goal, an SMS without 【签名】 or 回T退订 and a split that is no experiment are warnings of rekindle validate, the draft\'s problems and both publishes (API and CLI), which still publish', async () => {
    const file = join(rules, 'flows', 'unmarked-ab.flow.yaml');
    writeFileSync(
      file,
      [
        'id: unmarked-ab',
        'name: 新品 A/B',
        'nodes:',
        '  - { id: start, type: entry, trigger: { type: schedule, segment: sleeping-high-value, every: day, at: "10:00" }, next: ab }',
        '  - { id: ab, type: split, arms: [{ id: a, weight: 90, next: sms }, { id: holdout, weight: 10, holdout: true, next: done }] }',
        '  - { id: sms, type: send, channel: sms, template: 新品上市, next: done }',
        '  - { id: done, type: exit, goal: false }',
        '',
      ].join('\n'),
    );
    const expected = [
      ['warning', null, 'exitOn', /^this journey has no conversion goal/],
      ['warning', 'ab', 'nodes.1.experiment', /^this split is not an experiment/],
      ['warning', 'sms', 'nodes.2.template', /^this SMS has no signature/],
      ['warning', 'sms', 'nodes.2.template', /^this marketing SMS does not say how to unsubscribe/],
    ].map(([severity, nodeId, path, message]) => expect.objectContaining({ severity, nodeId, path, message: expect.stringMatching(message as RegExp) }));
    try {
      const validated = await cli(['validate', '--rules', rules, file]);
      expect(validated.code).toBe(0);
      expect(validated.stdout).toContain('unmarked-ab.flow.yaml:1: warning: this journey has no conversion goal');
      expect(validated.stdout).toContain('unmarked-ab.flow.yaml:5 node ab: warning: this split is not an experiment');
      expect(validated.stdout).toContain('unmarked-ab.flow.yaml:6 node sms: warning: this SMS has no signature');
      expect(validated.stdout).toContain('unmarked-ab.flow.yaml:6 node sms: warning: this marketing SMS does not say how to unsubscribe');
      expect(validated.stdout).toMatch(/1 file checked: 0 errors, 4 warnings\n$/);
      const draft = (await api.http('marketer').get('/api/flows/unmarked-ab/file').expect(200)).body.flow;
      expect((await api.http('marketer').post('/api/flows/validate').send({ flow: draft }).expect(200)).body.problems).toEqual(expected);
      expect((await api.http('marketer').post('/api/flows/unmarked-ab/publish').send({}).expect(200)).body.warnings).toEqual(expected);
      const published = await cli(['--db', dbUrl, '--rules', rules, 'flows', 'publish', 'unmarked-ab']);
      expect(published.code).toBe(0);
      expect(published.stdout).toMatch(/unmarked-ab\.flow\.yaml:6 node sms: warning: this SMS has no signature/);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('a one-off audience start and a wait date already past (by the server clock) are warnings in the Problems panel, the draft and the publish answer, which still publishes', async () => {
    // T0 is 20 Nov 2026: the start (27 Oct) and one wait (11 Nov) are past, the other wait (25 Nov) is ahead.
    const flow = {
      id: 'past-d11',
      name: '双十一大促 copy',
      nodes: [
        { id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'd11-audience', startAt: '2026-10-27T09:00:00+08:00' }, next: 'wait-d11' },
        { id: 'wait-d11', type: 'wait', untilDate: '2026-11-11T00:00:00+08:00', next: 'wait-later' },
        { id: 'wait-later', type: 'wait', untilDate: '2026-11-25T10:00:00+08:00', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    };
    const dated = (problems: { nodeId: string; path: string; severity: string; message: string }[]) => problems.filter((p) => / is already past \(now /.test(p.message)).map((p) => [p.nodeId, p.path, p.severity]);
    const expected = [
      ['start', 'nodes.0.trigger.startAt', 'warning'],
      ['wait-d11', 'nodes.1.untilDate', 'warning'],
    ];
    const checked = await http().post('/api/flows/validate').send({ flow }).expect(200);
    expect(dated(checked.body.problems)).toEqual(expected);
    expect(checked.body.problems.find((p: { nodeId: string }) => p.nodeId === 'start').message).toContain('startAt 2026-10-27 09:00 +08:00 is already past (now 2026-11-20 10:00 +08:00): customers would all enter at once on publishing');
    const draft = await api.http('marketer').put('/api/flows/past-d11/draft').send({ flow, revision: null }).expect(200);
    expect(dated(draft.body.problems)).toEqual(expected);
    await api.http('marketer').delete('/api/flows/past-d11/draft').expect(200);
    writeFileSync(join(rules, 'flows', 'past-d11.flow.yaml'), serializeFlow(flow as unknown as Flow));
    try {
      expect(dated((await http().get('/api/flows/past-d11/file').expect(200)).body.problems)).toEqual(expected);
      // Warnings never block: a live flow whose start passed while it ran must republish.
      await api.http('anonymous').post('/api/flows/past-d11/publish').send({}).expect(401);
      const published = await api.http('marketer').post('/api/flows/past-d11/publish').send({}).expect(200);
      expect(dated(published.body.warnings)).toEqual(expected);
      expect(published.body.warnings.find((w: { nodeId: string }) => w.nodeId === 'wait-d11')).toMatchObject({ line: expect.any(Number), message: expect.stringContaining('the wait passes at once') });
      expect((await api.http('marketer').post('/api/flows/past-d11/publish').send({}).expect(200)).body).toMatchObject({ created: false, warnings: expect.arrayContaining([expect.objectContaining({ nodeId: 'start' })]) });
    } finally {
      await api.http('marketer').post('/api/flows/past-d11/stop').send({});
      rmSync(join(rules, 'flows', 'past-d11.flow.yaml'), { force: true });
    }
  });

  it('knows the events rules/shop.yaml declares before any is sent: no warning, a misspelling is an error, an undeclared one says where to declare it, GET /api/event-types lists them with their description', async () => {
    const f = valid();
    const waitFor = (events: string[]) => {
      (f.nodes[3] as { events: string[] }).events = events;
      return http().post('/api/flows/validate').send({ flow: f }).expect(200);
    };
    expect((await waitFor(['order_paid', 'review_posted'])).body.problems).toEqual([]);
    expect((await waitFor(['order_paid', 'review_postd'])).body.problems).toEqual([expect.objectContaining({ severity: 'error', nodeId: 'paid-in-time', message: 'event "review_postd" is not an event the shop records: did you mean "review_posted"?' })]);
    const undeclared = (await waitFor(['order_paid', 'gift_card_used'])).body.problems;
    expect(undeclared).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('declare it in rules/shop.yaml under events: (name: gift_card_used and a description)') })]);

    await api.http('anonymous').get('/api/event-types').expect(401);
    const listed = (await api.http('marketer').get('/api/event-types').expect(200)).body.events as { name: string }[];
    expect(listed).toContainEqual({ name: 'review_posted', system: false, declared: true, seen: false, description: '客户发表了商品评价', fields: { orderId: 'string', rating: 'number' } });
    expect(listed).toContainEqual(expect.objectContaining({ name: 'wechat_reply', declared: true, description: expect.stringContaining('微信') }));
    // System events first, then the declared ones, then those only seen.
    const names = listed.map((e) => e.name);
    expect(names.indexOf('unsubscribe')).toBeLessThan(names.indexOf('wechat_reply'));

    // A declaration added to rules/shop.yaml (a git pull) is known without a restart; intake never needed it.
    const shopFile = join(rules, 'shop.yaml');
    const shopText = readFileSync(shopFile, 'utf8');
    try {
      writeFileSync(shopFile, `${shopText}  - name: gift_card_used\n    description: 客户用了礼品卡\n`);
      expect((await waitFor(['order_paid', 'gift_card_used'])).body.problems).toEqual([]);
    } finally {
      writeFileSync(shopFile, shopText);
    }
    await http()
      .post('/api/events')
      .send({ customerExternalId: 'buyer-2', type: 'never_declared_anywhere', properties: { x: 1 }, occurredAt: new Date(T0).toISOString(), idempotencyKey: 'never_declared_anywhere:1' })
      .expect((r) => expect([200, 201]).toContain(r.status));
  });

  it('lists the coupon templates of rules/coupons.yaml to signed-in accounts and refuses anonymous calls', async () => {
    await api.http('anonymous').get('/api/coupons').expect(401);
    for (const role of ['analyst', 'marketer', 'admin'] as const) {
      const res = await api.http(role).get('/api/coupons').expect(200);
      expect(res.body.templates).toEqual(expect.arrayContaining([{ id: 'welcome-back-10', name: '老顾客无门槛券 10元', amount: 10, minSpend: 0, validDays: 7 }]));
    }
  });

  it('simulates on a copy: counts per node, and the live shop gets no journeys', async () => {
    const res = await http().post('/api/flows/drawn-reminder/simulate').send({ days: 7 }).expect(200);
    const byNode = Object.fromEntries(res.body.report.nodes.map((n: { nodeId: string; outcomes: Record<string, number> }) => [n.nodeId, n.outcomes]));
    expect(byNode.start.entered).toBe(2);
    expect(byNode.sms).toBeDefined();
    const funnel = Object.fromEntries(res.body.funnel.map((n: { nodeId: string }) => [n.nodeId, n]));
    expect(funnel.start).toMatchObject({ entered: 2 });
    expect(funnel.sms.sent + Object.values(funnel.sms.blocked as Record<string, number>).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // A simulated channel delivered what went out (as `rekindle simulate` does), unless told not to.
    const out = (body: { report: { sends: { status: string; count: number }[] } }, ...statuses: string[]) => body.report.sends.filter((x) => statuses.includes(x.status)).reduce((a, x) => a + x.count, 0);
    expect(out(res.body, 'sent', 'failed')).toBeGreaterThan(0);
    expect(res.body.delivery.delivered + res.body.delivery.undelivered).toBe(out(res.body, 'sent', 'failed'));
    // Its SMS has a link, so every delivered one could be answered.
    expect(res.body.delivery.deliveredWithoutLink).toBe(0);
    const queuedOnly = await http().post('/api/flows/drawn-reminder/simulate').send({ days: 7, delivery: false }).expect(200);
    expect(queuedOnly.body.delivery).toBeNull();
    expect(out(queuedOnly.body, 'sent', 'failed')).toBe(0);
    expect(out(queuedOnly.body, 'queued')).toBeGreaterThan(0);
    const live = await queryRows(ds, 'SELECT COUNT(*) AS n FROM enrollments');
    expect(Number(live[0].n)).toBe(0);
    await http().post('/api/flows/no-such/simulate').send({}).expect(404);
    await http().post('/api/flows/drawn-reminder/simulate').send({ step: 'soon' }).expect(400);
  });

  // The panel said 数据截至 the run's end (10:00) while the report, products and CSV of a copy of the
  // same run said its newest event (09:58, or 10:44 when simulated events fell past the end): it
  // reads the simulation as of the same instant now, never after the end.
  it("dates a simulated experiment panel as of the run's last step or newest event, as the copy's reports read it, not the bare end", async () => {
    const ab = { id: 'ab-reminder', name: '催付 A/B', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'ab' }, { id: 'ab', type: 'split', experiment: { id: 'ab-reminder-test', window: '1d', responses: [{ event: 'order_paid' }] }, arms: [{ id: 'sms', weight: 50, next: 'sms' }, { id: 'hold', weight: 50, holdout: true, next: 'done' }] }, { id: 'sms', type: 'send', channel: 'sms', category: 'transactional', template: '您的订单{{key}}还没付款', next: 'done' }, { id: 'done', type: 'exit' }] };
    // Run on a week past the shop's last 7 days: the end is after anything the copy holds.
    const res = await http().post('/api/flows/ab-reminder/simulate').send({ days: 14, entering: 7, flow: ab }).expect(200);
    const from = Date.parse(res.body.from);
    const end = from + 14 * 24 * MS_PER_HOUR;
    const asOf = res.body.experiments.ab.asOf;
    expect(asOf).toBeGreaterThan(from);
    expect(asOf).toBeLessThan(end);
  });

  it('simulates the shop\'s last `entering` days and runs on past now for the rest of `days`, so the last to enter finish', async () => {
    const week = await http().post('/api/flows/drawn-reminder/simulate').send({ days: 7 }).expect(200);
    const on = await http().post('/api/flows/drawn-reminder/simulate').send({ days: 10, entering: 7 }).expect(200);
    // The same customers enter (the same 7 days are replayed), from the same start; the run is 3 days longer.
    expect(on.body.from).toBe(week.body.from);
    expect(on.body.days).toBe(10);
    const entered = (b: { report: { enrollments: Record<string, number> } }) => Object.values(b.report.enrollments).reduce((a, n) => a + n, 0);
    expect(entered(on.body)).toBe(entered(week.body));
    expect(on.body.report.enrollments.active).toBeLessThanOrEqual(week.body.report.enrollments.active);
    const bad = await http().post('/api/flows/drawn-reminder/simulate').send({ days: 3, entering: 7 }).expect(400);
    expect(bad.body.message).toMatch(/^entering: 7 day\(s\) of entries do not fit in a run of 3 day\(s\)/);
  });

  it('lets no one new in after the `entering` days: a daily audience stops drawing when the run-out begins', async () => {
    writeFileSync(join(rules, 'segments', 'everyone-here.yaml'), 'name: everyone-here\nconditions:\n  all:\n    - fact: orderCount\n      operator: greaterThanInclusive\n      value: 0\n');
    // Every customer, every day at 09:00, again and again (the journey ends at once).
    const daily = { id: 'daily-hello', name: '每日问候', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'everyone-here', every: 'day', at: '09:00' }, reentry: { policy: 'always' }, next: 'mail' }, { id: 'mail', type: 'send', channel: 'email', category: 'care', subject: '你好', template: '你好', next: 'done' }, { id: 'done', type: 'exit' }] };
    const entered = (b: { report: { enrollments: Record<string, number> } }) => Object.values(b.report.enrollments).reduce((a, n) => a + n, 0);
    const two = await http().post('/api/flows/daily-hello/simulate').send({ days: 2, flow: daily }).expect(200);
    const runOut = await http().post('/api/flows/daily-hello/simulate').send({ days: 6, entering: 2, flow: daily }).expect(200);
    expect(runOut.body.from).toBe(two.body.from);
    // Two days of 09:00 runs over the shop's customers, in both: the four days after them add none.
    expect(entered(two.body)).toBeGreaterThan(0);
    expect(entered(runOut.body)).toBe(entered(two.body));
    expect(runOut.body.summary.enrolled).toBe(two.body.summary.enrolled);
  });

  it('gives per-node counts of the live flow', async () => {
    await http().post('/api/flows/drawn-reminder/publish').send({}).expect(200);
    const res = await http().get('/api/flows/drawn-reminder/counts').expect(200);
    expect(res.body).toMatchObject({ flowId: 'drawn-reminder', nodes: expect.any(Array) });
    expect(res.body.funnel.map((n: { nodeId: string }) => n.nodeId)).toEqual(valid().nodes.map((n) => n.id));
  });

  it("a simulation with another flow live reports only the simulated flow's figures: delivered + not delivered = its messages sent", async () => {
    // drawn-reminder is live (above) and texts both buyers in the copy; thank-you texts the one who paid.
    // The reminder is a transactional message (a payment reminder: it takes no slot of the daily
    // marketing cap), so thank-you's text goes out: its channel figures are its one message, not
    // also the live flow's two (before, they counted the live flow's messages).
    const thanks = { id: 'thank-you', name: '感谢付款', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_paid', key: 'orderId' }, next: 'sms' }, { id: 'sms', type: 'send', channel: 'sms', template: '谢谢您的订单{{key}}', next: 'done' }, { id: 'done', type: 'exit' }] };
    const res = await http().post('/api/flows/thank-you/simulate').send({ days: 7, flow: thanks }).expect(200);
    const entered = res.body.report.enrollments.active + res.body.report.enrollments.completed + res.body.report.enrollments.exited;
    expect(entered).toBe(1);
    expect(res.body.report.sends).toEqual([{ channel: 'sms', status: 'sent', reason: null, count: 1 }]);
    expect(res.body.delivery.delivered + res.body.delivery.undelivered).toBe(1);
    // Its SMS has no link: whatever was delivered is said to bring nothing in a simulation.
    expect(res.body.delivery.deliveredWithoutLink).toBe(res.body.delivery.delivered);
  });

  it('says which segment matched nobody by its title, the words the designer shows', async () => {
    const startAt = new Date(T0 + MS_PER_HOUR).toISOString();
    const draft = { id: 'sleepers-once', name: '一次性 沉睡', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'sleeping-high-value', startAt }, next: 'done' }, { id: 'done', type: 'exit' }] };
    const res = await http().post('/api/flows/sleepers-once/simulate').send({ days: 2, from: startAt, flow: draft }).expect(200);
    expect(res.body.whyNobody).toEqual([{ code: 'segment-empty', segment: 'sleeping-high-value', segmentTitle: '高价值沉睡客户' }]);
  });

  it("simulates a one-off audience that is live and has already run as if it ran fresh, counting only the simulation's journeys", async () => {
    // Published at T0 to start an hour later, its audience (the two mobile buyers) entered then and
    // got its e-mail; a third mobile customer came after. Simulated from its startAt, the flow enters
    // its audience as it is now (3), whether the draft is the live version (before: the live
    // version's 2 real journeys counted as the simulation's, and nobody new entered) or a changed
    // one (before: nobody entered at all).
    const startAt = new Date(T0 + MS_PER_HOUR).toISOString();
    const once = { id: 'mobile-once', name: '一次性 mobile', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'mobile-customers', startAt }, next: 'news' }, { id: 'news', type: 'send', channel: 'email', template: '新品上市', next: 'wait-1d' }, { id: 'wait-1d', type: 'wait', duration: '1d', next: 'done' }, { id: 'done', type: 'exit' }] };
    await http().put('/api/flows/mobile-once/file').send({ flow: once, create: true }).expect(200);
    await http().post('/api/flows/mobile-once/publish').send({}).expect(200);
    clock.advance(MS_PER_HOUR);
    await http().post('/api/engine/tick').send({}).expect(200);
    const liveEntered = async () => Number((await queryRows(ds, "SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'mobile-once'"))[0].n);
    expect(await liveEntered()).toBe(2);
    expect(await queryRows(ds, "SELECT status FROM sends WHERE flow_id = 'mobile-once'")).toEqual([{ status: 'queued' }, { status: 'queued' }]);
    await addCustomers(ds, [{ externalId: 'buyer-3' }], T0);
    const entered = (body: { report: { enrollments: Record<string, number> } }) => body.report.enrollments.active + body.report.enrollments.completed + body.report.enrollments.exited;
    const changed = { ...once, nodes: once.nodes.map((n) => (n.id === 'wait-1d' ? { ...n, duration: '2d' } : n)) };
    for (const draft of [undefined, changed]) {
      const res = await http().post('/api/flows/mobile-once/simulate').send({ days: 7, from: startAt, ...(draft ? { flow: draft } : {}) }).expect(200);
      expect(entered(res.body)).toBe(3);
      expect(res.body.report).toMatchObject({ flowId: 'mobile-once', enrollments: { completed: 0, exited: 3, active: 0 } });
      expect(res.body.funnel.find((n: { nodeId: string }) => n.nodeId === 'start')).toMatchObject({ entered: 3 });
      expect(res.body.whyNobody).toEqual([]);
      // Its e-mails all go out: the live flow's real ones of that hour (set aside in the copy) take
      // no slot of the one-a-day cap (before: every simulated e-mail was capped by the real one).
      expect(res.body.report.sends.filter((x: { status: string }) => x.status !== 'sent' && x.status !== 'failed')).toEqual([]);
      expect(res.body.report.sends.reduce((n: number, x: { count: number }) => n + x.count, 0)).toBe(3);
    }
    // Nothing of it reached the live shop: its journeys are the 2 real ones, and no simulated flow.
    expect(await liveEntered()).toBe(2);
    expect(await queryRows(ds, "SELECT id FROM flows WHERE id LIKE '%simulated%'")).toEqual([]);
    await http().post('/api/flows/mobile-once/stop').send({}).expect(200);
  });
});

describe('designer API on postgres', () => {
  it('refuses to simulate, saying how to simulate instead', async () => {
    const t = await freshTarget('postgres', { migrated: true });
    const pg = await createTestApp({ database: t.target, rulesDir: join(process.cwd(), 'rules'), clock: new VirtualClock(T0), schedulers: false });
    try {
      const res = await pg.http().post('/api/flows/payment-reminder/simulate').send({}).expect(422);
      expect(res.body.message).toMatch(/SQLite.*rekindle simulate/);
    } finally {
      await pg.close();
      await t.drop();
    }
  });
});

describe('message preview with a public address in rules/channels.yaml', () => {
  it('renders {{link}} absolute, as the outbox dispatch will send it', async () => {
    const rules = tempDir('rekindle-preview-rules-');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'channels.yaml'), 'publicBaseUrl: https://crm.shop.example/\nchannels:\n  sms: { provider: outbox-only }\n');
    const t = await freshTarget('sqlite');
    const app = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
    try {
      const res = await app.http('marketer').post('/api/messages/preview').send({ channel: 'sms', template: '付款：{{link}}', link: 'https://shop.example/pay' }).expect(200);
      expect(res.body.body).toBe('付款：https://crm.shop.example/r/PREVIEW00000');
      expect(res.body.linkAbsolute).toBe(true);
    } finally {
      await app.close();
      await t.drop();
      rmSync(rules, { recursive: true, force: true });
    }
  });
});

describe('message preview with REKINDLE_PUBLIC_BASE_URL (npm start) and no publicBaseUrl in rules/channels.yaml', () => {
  it("renders {{link}} on the demo server's own address", async () => {
    const t = await freshTarget('sqlite');
    const app = await createTestApp({ database: t.target, rulesDir: join(process.cwd(), 'rules'), clock: new VirtualClock(T0), schedulers: false, settings: loadSettings({ REKINDLE_PUBLIC_BASE_URL: 'http://127.0.0.1:3000' }) });
    try {
      const res = await app.http('marketer').post('/api/messages/preview').send({ channel: 'sms', template: '付款：{{link}}', link: 'https://shop.example/pay' }).expect(200);
      expect(res.body.body).toBe('付款：http://127.0.0.1:3000/r/PREVIEW00000');
      expect(res.body.linkAbsolute).toBe(true);
    } finally {
      await app.close();
      await t.drop();
    }
  });
});

describe("message preview and test send: the step's coupon as customers get it", () => {
  // 07:00 in Shanghai on 30 Nov is still 29 Nov in UTC: the expiry must be the shop's date.
  const NOW = Date.parse('2026-11-30T07:00:00+08:00');
  let app: TestApp;
  let drop: () => Promise<void>;
  const rules = tempDir('rekindle-preview-coupon-rules-');
  const template = '送您{{coupon.amount}}元券（券码{{coupon.code}}），{{coupon.expires}}前有效';
  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    drop = t.drop;
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    app = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(NOW), schedulers: false });
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
    rmSync(rules, { recursive: true, force: true });
  });

  it("shows the chosen template's amount and threshold, expiry = the clock + its validity in shop time, and a sample code of the real format", async () => {
    const res = await app.http('analyst').post('/api/messages/preview').send({ channel: 'sms', template, coupon: 'sleeping-vip-30' }).expect(200);
    expect(res.body.body).toBe('送您30元券（券码TESTXXXXXXXX），2026-12-14前有效');
    expect(res.body.coupon).toEqual({ templateId: 'sleeping-vip-30', name: '沉睡高价值客户专属券 30元 (满199)', code: 'TESTXXXXXXXX', amount: 30, minSpend: 199, expires: '2026-12-14', validDays: 14, sample: true });
    expect(res.body.couponMissing).toBe(false);
    const oneOff = await app.http('analyst').post('/api/messages/preview').send({ channel: 'sms', template: '{{coupon.amount}}元 满{{coupon.threshold}} {{coupon.expires}}', coupon: { value: 5, validDays: 1 } }).expect(200);
    expect(oneOff.body.body).toBe('5元 满0 2026-12-01');
  });

  it('with no coupon chosen says so and makes none up; an unknown template is refused naming the field', async () => {
    for (const coupon of [undefined, null]) {
      const res = await app.http('analyst').post('/api/messages/preview').send({ channel: 'sms', template, coupon }).expect(200);
      expect(res.body.couponMissing).toBe(true);
      expect(res.body.coupon).toBeNull();
      expect(res.body.body).toBe('送您元券（券码），前有效');
    }
    const plain = await app.http('analyst').post('/api/messages/preview').send({ channel: 'sms', template: '您好' }).expect(200);
    expect(plain.body.couponMissing).toBe(false);
    const unknown = await app.http('analyst').post('/api/messages/preview').send({ channel: 'sms', template, coupon: 'no-such-coupon' }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'coupon-unknown', message: expect.stringMatching(/^coupon: template "no-such-coupon" is not in rules\/coupons\.yaml/) });
  });

  it('test send: an outbox-only channel and a missing coupon are refused with a stable code beside the English message', async () => {
    const outbox = await app.http('marketer').post('/api/messages/test-send').send({ channel: 'sms', template: '您好', to: '13800000000' }).expect(422);
    expect(outbox.body).toMatchObject({ code: 'channel-outbox-only', channel: 'sms', message: expect.stringMatching(/^sms is not connected to a provider/) });
    const noCoupon = await app.http('marketer').post('/api/messages/test-send').send({ channel: 'sms', template, to: '13800000000' }).expect(422);
    expect(noCoupon.body).toMatchObject({ code: 'coupon-missing', message: expect.stringMatching(/names a coupon but none is chosen/) });
    await app.http('analyst').post('/api/messages/test-send').send({ channel: 'sms', template: '您好', to: '13800000000' }).expect(403);
  });

  it('a draft with problems is refused with the code flow-has-problems', async () => {
    const res = await app.http('marketer').put('/api/flows/win-back-vip/file').send({ flow: { id: 'win-back-vip', name: 'w', nodes: [] }, create: true }).expect(422);
    expect(res.body).toMatchObject({ code: 'flow-has-problems', message: expect.stringMatching(/has \d+ problem\(s\); nothing was written/) });
    expect(existsSync(join(rules, 'flows', 'win-back-vip.flow.yaml'))).toBe(false);
  });
});
