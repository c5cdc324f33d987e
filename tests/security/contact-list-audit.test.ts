import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { fixedClock } from '../../server/src/core/clock.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * The customer list with full contacts is audited as the exports are: GET /api/customers could be
 * paged through to read every customer's phone and e-mail without a trace in the audit log. One
 * entry per page shown unmasked (who, the search, where the page starts, how many rows); a masked
 * page (an analyst without the contact grant) and an empty one are not recorded (docs/security.md).
 */
process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');

interface Entry {
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

describe.each(DIALECTS)('pages of customers with contacts in the audit log (%s)', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;
  const rules = tempDir('rekindle-contact-list-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false });
    await addCustomers(
      api.app.get(DataSource),
      ['cl-1', 'cl-2', 'cl-3', 'cl-4'].map((externalId, i) => ({ externalId, phone: `1391234567${i}`, email: `${externalId}@example.com` })),
      NOW - 86_400_000,
    );
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const listed = async (): Promise<Entry[]> => (await api.http('admin').get('/api/audit?action=contacts-listed&limit=1000').expect(200)).body.entries;

  it("records a marketer's page with its search, start and row count, one entry per request", async () => {
    const page = await api.http('marketer').get('/api/customers?search=cl-&limit=2&offset=1').expect(200);
    expect(JSON.stringify(page.body)).toContain('13912345671');
    await api.http('marketer').get('/api/customers?search=cl-&limit=2&offset=3').expect(200);
    expect(await listed()).toEqual([
      expect.objectContaining({ actor: 'marketer', action: 'contacts-listed', target: 'customers:search', detail: { search: 'cl-', offset: 3, pageSize: 2, rows: 1 } }),
      expect.objectContaining({ actor: 'marketer', action: 'contacts-listed', target: 'customers:search', detail: { search: 'cl-', offset: 1, pageSize: 2, rows: 2 } }),
    ]);
  });

  it("records nothing for an analyst's masked page, nor for a page that found nobody", async () => {
    const before = (await listed()).length;
    const masked = await api.http('analyst').get('/api/customers?search=cl-').expect(200);
    expect(JSON.stringify(masked.body)).toContain('139****5670');
    expect(JSON.stringify(masked.body)).not.toContain('13912345670');
    await api.http('marketer').get('/api/customers?search=nobody-by-this-name').expect(200);
    expect((await listed()).length).toBe(before);
  });

  it('records an analyst granted contacts, and a page of the recycle bin shown unmasked', async () => {
    await api.accounts.add('analyst-contacts', 'analyst', TEST_PASSWORD, { contactsGranted: true });
    const signIn = await api.http('anonymous').post('/api/auth/sign-in').send({ username: 'analyst-contacts', password: TEST_PASSWORD }).expect(200);
    const cookie = ([] as string[]).concat(signIn.headers['set-cookie']).map((c) => c.split(';')[0]).join('; ');
    await api.http('anonymous').get('/api/customers').set('Cookie', cookie).expect(200);
    expect((await listed())[0]).toMatchObject({ actor: 'analyst-contacts', target: 'customers:search', detail: { search: null, offset: 0, pageSize: 50, rows: 4 } });

    await api.http('admin').delete('/api/customers/cl-4').expect(200);
    await api.http('analyst').get('/api/recycle-bin').expect(200);
    const bin = await api.http('marketer').get('/api/recycle-bin').expect(200);
    expect(JSON.stringify(bin.body)).toContain('13912345673');
    const [last, previous] = await listed();
    expect(last).toMatchObject({ actor: 'marketer', target: 'customers:recycle-bin', detail: { offset: 0, pageSize: 50, rows: 1 } });
    expect(previous.actor).toBe('analyst-contacts');
  });

  it("records one customer opened with contacts unmasked, not an analyst's masked view", async () => {
    const viewed = async (): Promise<Entry[]> => (await api.http('admin').get('/api/audit?action=contact-viewed&limit=1000').expect(200)).body.entries;
    const before = (await viewed()).length;
    expect(JSON.stringify((await api.http('analyst').get('/api/customers/cl-1').expect(200)).body)).toContain('139****5670');
    expect(await viewed()).toHaveLength(before);
    expect(JSON.stringify((await api.http('marketer').get('/api/customers/cl-1').expect(200)).body)).toContain('13912345670');
    expect((await viewed())[0]).toMatchObject({ actor: 'marketer', action: 'contact-viewed', target: 'customer:cl-1' });
    expect(await viewed()).toHaveLength(before + 1);
  });

  it('still refuses anonymous callers (401) and a token without a read role (403)', async () => {
    await api.http('anonymous').get('/api/customers').expect(401);
    await api.http('anonymous').get('/api/recycle-bin').expect(401);
    const { token } = await api.accounts.createToken('order-feed-contacts', ['events:write'], 'test');
    await api.http('anonymous').get('/api/customers').set('Authorization', `Bearer ${token}`).expect(403);
    await api.http('anonymous').get('/api/recycle-bin').set('Authorization', `Bearer ${token}`).expect(403);
  });
});
