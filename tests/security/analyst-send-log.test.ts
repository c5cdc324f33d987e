import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';
import { insertCustomer, insertSend } from '../support/outbox-fixtures.js';
import { forDialect } from '../../server/src/persistence/outbox-sql.js';

/**
 * The send log for analysts (`GET /api/sends`): it was the marketers' alone (it holds message text
 * and contacts), so an analyst comparing A/B arms or checking why a customer got a message had no way
 * to read it. An analyst now reads who, which flow/version/step/arm, channel, status, reason, times,
 * coupon and cost — the subject and body withheld (granted contacts or not: they carry the customer's
 * name and tracked link), a provider error's phone or e-mail masked unless granted contacts.
 * Marketers read it as before.
 */
process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2027-05-06T02:00:00Z');
const PROVIDER_ERROR = 'attempt 3: 550 5.1.1 <li.na@example.com>: Recipient address rejected; sms fallback 13912345678 invalid';

interface Row {
  customer_external_id: string;
  flow: string;
  node: string;
  arm: string | null;
  channel: string;
  status: string;
  reason: string | null;
  subject: string | null;
  body: string | null;
  coupon: string | null;
  last_error: string | null;
  scheduled_at: string;
  withheld?: string[];
}

describe('GET /api/sends for analysts: message text withheld, contacts masked unless granted; marketers unchanged', () => {
  let t: TestApp;
  let grantedCookie: string;
  let tokens: Record<'analyst' | 'analystContacts' | 'eventsOnly', string>;

  beforeAll(async () => {
    t = await createTestApp({ database: (await freshTarget('sqlite')).target, rulesDir: 'rules', clock: new VirtualClock(NOW), schedulers: false });
    const ds = t.app.get(DataSource);
    const lina = await insertCustomer(ds, { externalId: 'asl-lina', email: 'li.na@example.com', phone: '13912345678' });
    const failed = await insertSend(ds, { customerId: lina, flowId: 'asl-flow', nodeId: 'mail-1', arm: 'b', channel: 'email', status: 'failed', subject: '李娜，您的专属券', body: '李娜您好，点击 https://shop.example/r/AbCdEfGhIjKl 领券', scheduledAt: NOW - 3_600_000 });
    await ds.query(forDialect(ds, 'UPDATE sends SET last_error = ? WHERE id = ?'), [PROVIDER_ERROR, failed]);
    await insertSend(ds, { customerId: lina, flowId: 'asl-flow', nodeId: 'sms-1', arm: 'a', channel: 'sms', status: 'sent', subject: null, body: '李娜您好，券码 CPNTESTCODE1', couponCode: 'CPNTESTCODE1', scheduledAt: NOW - 7_200_000, sentAt: NOW - 7_200_000 });
    await insertSend(ds, { customerId: lina, flowId: 'asl-flow', nodeId: 'sms-1', channel: 'sms', status: 'blocked', reason: 'quiet-hours', subject: null, body: '李娜您好', scheduledAt: NOW - 1_800_000 });
    await t.accounts.add('asl-granted', 'analyst', TEST_PASSWORD, { contactsGranted: true });
    const signIn = await t.http('anonymous').post('/api/auth/sign-in').send({ username: 'asl-granted', password: TEST_PASSWORD }).expect(200);
    grantedCookie = ([] as string[]).concat(signIn.headers['set-cookie']).map((c) => c.split(';')[0]).join('; ');
    const token = async (name: string, scopes: string[]) => (await t.accounts.createToken(name, scopes, 'test')).token;
    tokens = { analyst: await token('asl-analyst', ['analyst']), analystContacts: await token('asl-analyst-contacts', ['analyst', 'contacts:read']), eventsOnly: await token('asl-events', ['events:write']) };
  });
  afterAll(() => t?.close());

  const rowsOf = (text: string): Row[] => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
  const URL = '/api/sends?flowId=asl-flow&format=ndjson';

  it('an analyst without the contacts grant reads every send with its arm, status, reason and coupon, the subject and body withheld and the provider error masked', async () => {
    const r = await t.http('analyst').get(URL).expect(200);
    expect(r.headers['x-rekindle-withheld']).toBe('subject,body');
    expect(r.headers['x-rekindle-masked']).toBe('last_error');
    const rows = rowsOf(r.text);
    expect(rows.map((x) => [x.customer_external_id, x.node, x.arm, x.channel, x.status, x.reason, x.coupon])).toEqual([
      ['asl-lina', 'mail-1', 'b', 'email', 'failed', null, null],
      ['asl-lina', 'sms-1', 'a', 'sms', 'sent', null, 'CPNTESTCODE1'],
      ['asl-lina', 'sms-1', null, 'sms', 'blocked', 'quiet-hours', null],
    ]);
    for (const row of rows) {
      expect(row.subject).toBeNull();
      expect(row.body).toBeNull();
      expect(row.withheld).toEqual(['subject', 'body']);
    }
    expect(rows[0].last_error).toBe('attempt 3: 550 5.1.1 <l***@example.com>: Recipient address rejected; sms fallback 139****5678 invalid');
    expect(r.text).not.toContain('李娜');
    expect(r.text).not.toContain('/r/AbCdEfGhIjKl');
    expect(r.text).not.toContain('li.na@example.com');
    expect(r.text).not.toContain('13912345678');
  });

  it("an analyst's CSV and Excel copies mark the withheld cells, in Chinese for Excel; a subject the message never had stays empty", async () => {
    const csv = (await t.http('analyst').get('/api/sends?flowId=asl-flow').expect(200)).text;
    expect(csv).toContain('(withheld)');
    expect(csv).toContain('l***@example.com');
    expect(csv).not.toMatch(/李娜|li\.na@|13912345678/);
    const [head, sms] = csv.trim().split('\n').filter((l) => l.includes(',sms-1,') || l.startsWith('id,'));
    const cell = (line: string, name: string) => line.split(',')[head.split(',').indexOf(name)];
    expect([cell(sms, 'subject'), cell(sms, 'body'), cell(sms, 'coupon')]).toEqual(['', '(withheld)', 'CPNTESTCODE1']);
    const excel = (await t.http('analyst').get('/api/sends?flowId=asl-flow&format=csv&excel=1').expect(200)).text;
    expect(excel).toContain('〈分析员不可见〉');
    expect(excel).not.toMatch(/李娜|li\.na@|13912345678/);
  });

  it('an analyst granted contacts sees the provider error as stored, the message text still withheld', async () => {
    const r = await t.http('anonymous').get(URL).set('Cookie', grantedCookie).expect(200);
    expect(r.headers['x-rekindle-withheld']).toBe('subject,body');
    expect(r.headers['x-rekindle-masked']).toBeUndefined();
    const rows = rowsOf(r.text);
    expect(rows[0].last_error).toBe(PROVIDER_ERROR);
    expect(rows.every((x) => x.body === null && x.subject === null)).toBe(true);
    expect(r.text).not.toContain('李娜');
  });

  it('API tokens: an analyst token reads the masked copy, with contacts:read the contacts; a token without a read role is refused 403, no credentials 401', async () => {
    const masked = await t.http('anonymous').get(URL).set('Authorization', `Bearer ${tokens.analyst}`).expect(200);
    expect(rowsOf(masked.text)[0].last_error).toContain('139****5678');
    expect(masked.text).not.toContain('李娜');
    const contacts = await t.http('anonymous').get(URL).set('Authorization', `Bearer ${tokens.analystContacts}`).expect(200);
    expect(rowsOf(contacts.text)[0].last_error).toBe(PROVIDER_ERROR);
    expect(contacts.text).not.toContain('李娜');
    const refused = await t.http('anonymous').get(URL).set('Authorization', `Bearer ${tokens.eventsOnly}`).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    const anonymous = await t.http('anonymous').get(URL).expect(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('a marketer reads the whole log as before: subject, body and the provider error as stored, no withheld columns', async () => {
    const r = await t.http('marketer').get(URL).expect(200);
    expect(r.headers['x-rekindle-withheld']).toBeUndefined();
    expect(r.headers['x-rekindle-masked']).toBeUndefined();
    const rows = rowsOf(r.text);
    expect(rows[0]).toMatchObject({ subject: '李娜，您的专属券', body: '李娜您好，点击 https://shop.example/r/AbCdEfGhIjKl 领券', last_error: PROVIDER_ERROR });
    expect(rows.every((x) => !('withheld' in x))).toBe(true);
    const csv = (await t.http('marketer').get('/api/sends?flowId=asl-flow').expect(200)).text;
    expect(csv).not.toContain('(withheld)');
    expect(csv).toContain('李娜您好，券码 CPNTESTCODE1');
  });

  it("audits an analyst's download like any export, saying what it left out", async () => {
    await t.http('analyst').get('/api/sends?flowId=asl-flow&format=csv&excel=1').expect(200);
    const { entries } = (await t.http('admin').get('/api/audit?action=exported&actor=analyst').expect(200)).body as { entries: { actor: string; target: string; detail: Record<string, unknown> }[] };
    expect(entries[0]).toMatchObject({ actor: 'analyst', target: 'export:sends', detail: { format: 'csv', flowId: 'asl-flow', withheld: ['subject', 'body'], masked: ['last_error'] } });
    await t.http('marketer').get('/api/sends?flowId=asl-flow&format=ndjson').expect(200);
    const [marketer] = (await t.http('admin').get('/api/audit?action=exported&actor=marketer').expect(200)).body.entries as { detail: Record<string, unknown> }[];
    expect(marketer.detail).not.toHaveProperty('withheld');
  });
});
