import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { fixedClock } from '../../server/src/core/clock.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');

/** A one-off audience over a segment, sending one SMS (with an email fallback) and one email. */
const campaign = (over: Record<string, unknown> = {}) => ({
  id: 'preview-campaign',
  name: '预览活动',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'mobile-customers', startAt: '2026-11-25T09:00:00+08:00' }, next: 'sms' },
    { id: 'sms', type: 'send', channel: 'sms', fallback: 'email', template: '您好', next: 'mail' },
    { id: 'mail', type: 'send', channel: 'email', subject: 's', template: '您好', next: 'end' },
    { id: 'end', type: 'exit' },
  ],
  ...over,
});

/** POST /api/flows/:id/publish-preview: the figures the designer's publish confirmation shows. */
describe('POST /api/flows/:id/publish-preview', () => {
  let db: TestDatabase;
  let api: TestApp;
  const rules = tempDir('rekindle-publish-preview-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    api = await createTestApp({ database: db.target, rulesDir: rules, clock: fixedClock(T0), schedulers: false });
    const ds = api.app.get(DataSource);
    await addCustomers(ds, [{ externalId: 'm-1' }, { externalId: 'm-2' }, { externalId: 'p-1', device: 'pc' }], T0 - 86_400_000);
    // Three more on PCs who never allowed email marketing: half the shop cannot get a marketing email.
    const noEmail = { sms: true, email: false, wechat: true, wangwang: true, push: true };
    await addCustomers(ds, ['p-2', 'p-3', 'p-4'].map((externalId) => ({ externalId, device: 'pc', consent: noEmail })), T0 - 86_400_000);
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it("counts the entry audience's segment now, as the segment count does, and names the caps and quiet hours that bind its channels", async () => {
    const r = await api.http('marketer').post('/api/flows/preview-campaign/publish-preview').send({ flow: campaign() }).expect(200);
    const count = await api.http('analyst').get('/api/segments/mobile-customers/count').expect(200);
    expect(count.body.count).toBe(2);
    expect(r.body).toMatchObject({ flowId: 'preview-campaign', at: T0, audience: { segment: 'mobile-customers', count: 2 }, inFlight: 0 });
    // rules/policy.yaml: one marketing message a day, two SMS a month; quiet hours for SMS and push.
    expect(r.body.caps.map((c: { id: string; source: string }) => `${c.source}:${c.id}`)).toEqual(['policy:marketing-per-day', 'policy:sms-per-month']);
    expect(Object.keys(r.body.quietHours)).toEqual(['sms']);
  });

  it('binds an email-only care journey by no marketing or SMS cap; a flow tagged with a campaign by its own campaign cap', async () => {
    const care = campaign({ nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_paid' }, next: 'mail' }, { id: 'mail', type: 'send', channel: 'email', category: 'care', template: '谢谢', next: 'end' }, { id: 'end', type: 'exit' }] });
    const r = await api.http('marketer').post('/api/flows/preview-campaign/publish-preview').send({ flow: care }).expect(200);
    expect(r.body).toMatchObject({ audience: null, caps: [], quietHours: {} });
    const capped = campaign({ campaign: 'd11', caps: [{ id: 'd11-touches', max: 3, campaign: true }, { id: 'broken', max: 'three', window: '1d' }] });
    const c = await api.http('marketer').post('/api/flows/preview-campaign/publish-preview').send({ flow: capped }).expect(200);
    expect(c.body.caps.map((x: { id: string; source: string }) => `${x.source}:${x.id}`)).toEqual(['policy:marketing-per-day', 'policy:sms-per-month', 'flow:d11-touches']);
    const untagged = await api.http('marketer').post('/api/flows/preview-campaign/publish-preview').send({ flow: campaign({ caps: [{ id: 'd11-touches', max: 3, campaign: true }] }) }).expect(200);
    expect(untagged.body.caps.map((x: { id: string }) => x.id)).not.toContain('d11-touches');
  });

  it('says an unknown segment cannot be counted (null), and refuses a body without a nodes list naming the field', async () => {
    const unknown = campaign();
    (unknown.nodes[0] as { trigger: { segment: string } }).trigger.segment = 'no-such-segment';
    const r = await api.http('marketer').post('/api/flows/preview-campaign/publish-preview').send({ flow: unknown }).expect(200);
    expect(r.body.audience).toEqual({ segment: 'no-such-segment', count: null });
    const bad = await api.http('marketer').post('/api/flows/preview-campaign/publish-preview').send({ flow: { name: 'x' } }).expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/flow\.nodes/);
    await api.http('marketer').post('/api/flows/Bad_Id/publish-preview').send({ flow: campaign() }).expect(400);
  });

  it('publishes and writes nothing: no flow file, no version, no audit entry', async () => {
    const before = readdirSync(join(rules, 'flows')).sort();
    await api.http('admin').post('/api/flows/preview-campaign/publish-preview').send({ flow: campaign() }).expect(200);
    expect(readdirSync(join(rules, 'flows')).sort()).toEqual(before);
    const flows = await api.http('analyst').get('/api/flows').expect(200);
    expect(JSON.stringify(flows.body)).not.toContain('preview-campaign');
    const audit = await api.http('admin').get('/api/audit').expect(200);
    expect(JSON.stringify(audit.body)).not.toContain('preview-campaign');
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toContain('marketing-per-day');
  });

  it("counts who would reach each A/B arm's first marketing message and how many of them allow its channel, through the conditions before the split", async () => {
    const ab = (before: Record<string, unknown>[], into: string) =>
      campaign({
        nodes: [
          { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_paid' }, next: into },
          ...before,
          { id: 'ab', type: 'split', arms: [{ id: 'a', label: '短信组', weight: 45, next: 'sms' }, { id: 'b', label: '邮件组', weight: 45, next: 'mail' }, { id: 'h', label: '对照组', weight: 10, holdout: true, next: 'end' }] },
          { id: 'sms', type: 'send', channel: 'sms', template: '您好', next: 'end' },
          { id: 'mail', type: 'send', channel: 'email', subject: 's', template: '您好', next: 'end' },
          { id: 'end', type: 'exit' },
        ],
      });
    const arms = async (flow: unknown) => (await api.http('marketer').post('/api/flows/preview-campaign/publish-preview').send({ flow }).expect(200)).body.arms;
    // Straight from the entry: the whole shop (6), 3 of whom allow email; the holdout sends nothing.
    expect(await arms(ab([], 'ab'))).toEqual([
      { splitId: 'ab', armId: 'a', sendId: 'sms', channel: 'sms', reached: 6, allowing: 6, fallback: null, fallbackAllowing: null },
      { splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 6, allowing: 3, fallback: null, fallbackAllowing: null },
    ]);
    // A 备用渠道 on the email: the 3 without email consent all allow SMS and get the message on it.
    const mailFallback = (flow: ReturnType<typeof ab>, fallback: string) => ({ ...flow, nodes: flow.nodes.map((n) => (n.id === 'mail' ? { ...n, fallback } : n)) });
    expect((await arms(mailFallback(ab([], 'ab'), 'sms')))[1]).toEqual({ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 6, allowing: 3, fallback: 'sms', fallbackAllowing: 3 });
    // Only the PC customers (the no branch): 1 of 4 allows email, the other 3 allow WeChat.
    const pcWechat = mailFallback(ab([{ id: 'pc', type: 'condition', rule: 'mobile-customers', yes: 'end', no: 'ab' }], 'pc'), 'wechat');
    expect((await arms(pcWechat))[1]).toMatchObject({ reached: 4, allowing: 1, fallback: 'wechat', fallbackAllowing: 3 });
    // Only mobile customers into the test (the yes branch), or only the others (no).
    const mobileYes = await arms(ab([{ id: 'mobile', type: 'condition', rule: 'mobile-customers', yes: 'ab', no: 'end' }], 'mobile'));
    expect(mobileYes[1]).toMatchObject({ armId: 'b', reached: 2, allowing: 2 });
    const mobileNo = await arms(ab([{ id: 'mobile', type: 'condition', rule: 'mobile-customers', yes: 'end', no: 'ab' }], 'mobile'));
    expect(mobileNo[1]).toMatchObject({ armId: 'b', reached: 4, allowing: 1 });
    // The simulation's advice followed: a condition on email consent before the split.
    const consenting = await arms(ab([{ id: 'ok', type: 'condition', conditions: { all: [{ fact: 'consentEmail', operator: 'equal', value: true }] }, yes: 'ab', no: 'end' }], 'ok'));
    expect(consenting[1]).toMatchObject({ armId: 'b', reached: 3, allowing: 3 });
    // A care message needs no consent; who responds to a wait cannot be counted: neither is said.
    expect(await arms(campaign({ nodes: ab([], 'ab').nodes.map((n) => (n.id === 'mail' ? { ...n, category: 'care' } : n)) }))).toHaveLength(1);
    const afterWait = ab([{ id: 'w', type: 'waitForEvent', events: ['order_paid'], within: '1d', responded: 'ab', timedOut: 'end' }], 'w');
    expect(await arms(afterWait)).toEqual([]);
  });

  it('refuses anonymous callers (401) and analysts, who may not publish (403)', async () => {
    await api.http('anonymous').post('/api/flows/preview-campaign/publish-preview').send({ flow: campaign() }).expect(401);
    await api.http('analyst').post('/api/flows/preview-campaign/publish-preview').send({ flow: campaign() }).expect(403);
  });
});
