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

  it('refuses anonymous callers (401) and analysts, who may not publish (403)', async () => {
    await api.http('anonymous').post('/api/flows/preview-campaign/publish-preview').send({ flow: campaign() }).expect(401);
    await api.http('analyst').post('/api/flows/preview-campaign/publish-preview').send({ flow: campaign() }).expect(403);
  });
});
