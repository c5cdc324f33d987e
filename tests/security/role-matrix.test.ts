import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { fixedClock } from '../../server/src/core/clock.js';
import { permits, splitScopes, type Principal } from '../../server/src/core/access/roles.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';
import { expressRoutes, nestRoutes, type RouteEntry } from '../support/route-table.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * The role matrix, generated from the running app's route table: every route × every caller
 * (anonymous, each role, and API tokens with narrow scopes). A route without an access rule fails
 * here; so does a route whose rule the guard does not enforce.
 */
process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');

type Caller = { name: string; principal: Principal | null; headers: Record<string, string> };

describe('role matrix: every route × every caller', () => {
  let api: TestApp;
  let routes: RouteEntry[];
  const callers: Caller[] = [];
  const rules = tempDir('rekindle-matrix-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false });
    routes = nestRoutes(api.app);
    const user = (role: 'admin' | 'marketer' | 'analyst'): Principal => ({ kind: 'user', name: role, userId: 1, tokenId: null, role, scopes: [], contactsVisible: role !== 'analyst' });
    callers.push({ name: 'anonymous', principal: null, headers: {} });
    for (const role of ['analyst', 'marketer', 'admin'] as const) callers.push({ name: role, principal: user(role), headers: api.headers(role) });
    for (const scopes of [['events:write'], ['import:write'], ['analyst'], ['marketer', 'contacts:read']]) {
      const { token } = await api.accounts.createToken(`matrix-${scopes.join('-').replace(':', '-')}`, scopes, 'test');
      const s = splitScopes(scopes);
      callers.push({ name: `token(${scopes.join(',')})`, principal: { kind: 'token', name: 'token', userId: null, tokenId: 1, role: s.role, scopes: s.scopes, contactsVisible: false }, headers: { Authorization: `Bearer ${token}` } });
    }
  });
  afterAll(async () => api?.close());

  it('finds the routes, and Express serves no route Nest does not know', () => {
    expect(routes.length).toBeGreaterThan(30);
    const nest = new Set(routes.map((r) => `${r.method} ${r.path}`));
    expect(expressRoutes(api.app).filter((r) => !nest.has(r))).toEqual([]);
  });

  it('the catch-all beside /r/:token serves nothing but 404', async () => {
    for (const m of ['post', 'put', 'delete', 'patch'] as const) await api.http('anonymous')[m]('/r/anything').expect(404);
  });

  it('every route states who may call it (@Allow or @Public)', () => {
    expect(routes.filter((r) => !r.rule).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`)).toEqual([]);
  });

  it('the guard enforces each rule for every caller: 401 without credentials, 403 below the rule', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      if (!r.rule) continue;
      // Signing out would end the caller's session for the rest of the matrix: tested in accounts.test.ts.
      if (r.path === '/api/auth/sign-out') continue;
      const url = r.path.replace(/:[A-Za-z]+/g, 'x1');
      for (const c of callers) {
        const res = await api.http('anonymous')[r.method.toLowerCase() as 'get'](url).set(c.headers);
        const allowed = r.rule.public || (c.principal !== null && permits(c.principal, r.rule.grants));
        const expected = allowed ? 'not 401/403' : c.principal ? '403' : '401';
        const ok = allowed ? res.status !== 401 && res.status !== 403 : res.status === (c.principal ? 403 : 401);
        if (!ok) wrong.push(`${r.method} ${url} as ${c.name}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body?.message ?? '').slice(0, 120)}`);
        if (res.status >= 500) wrong.push(`${r.method} ${url} as ${c.name}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('the dangerous routes are closed to lower roles (pinned, not derived)', () => {
    const rule = (method: string, path: string) => {
      const r = routes.find((x) => x.method === method && x.path === path);
      if (!r) throw new Error(`no route ${method} ${path}`);
      return r.rule && !r.rule.public ? r.rule.grants : 'public';
    };
    expect(rule('PUT', '/api/policy')).toEqual(['admin']);
    expect(rule('PUT', '/api/policy/lists/:name')).toEqual(['admin']);
    expect(rule('POST', '/api/users')).toEqual(['admin']);
    expect(rule('PATCH', '/api/users/:username')).toEqual(['admin']);
    expect(rule('POST', '/api/tokens')).toEqual(['admin']);
    expect(rule('GET', '/api/audit')).toEqual(['admin']);
    expect(rule('POST', '/api/flows/:id/publish')).toEqual(['marketer']);
    expect(rule('POST', '/api/publish-requests/:id/approve')).toEqual(['admin']);
    expect(rule('POST', '/api/publish-requests/:id/reject')).toEqual(['admin']);
    expect(rule('PUT', '/api/flows/:id/file')).toEqual(['marketer']);
    expect(rule('POST', '/api/flows/:id/:action')).toEqual(['marketer']);
    expect(rule('GET', '/api/export/customers.csv')).toEqual(['marketer']);
    // A segment changes who enters the journeys running on it: saved or changed by a marketer, never an analyst (an admin too with publish approval on: tests/e2e/segment-edit-api.test.ts).
    expect(rule('POST', '/api/segments')).toEqual(['marketer']);
    expect(rule('PUT', '/api/segments/:name')).toEqual(['marketer']);
    // The send log is open to analysts with the message text withheld and contacts masked (core/access/send-log-view.ts).
    expect(rule('GET', '/api/sends')).toEqual(['analyst']);
    expect(rule('POST', '/api/recycle-bin/:id/erase')).toEqual(['admin']);
    expect(rule('POST', '/api/import/taobao')).toEqual(['admin', 'import:write']);
    expect(rule('POST', '/api/events')).toEqual(['admin', 'events:write']);
    expect(rule('GET', '/r/:token')).toBe('public');
    expect(rule('POST', '/api/auth/sign-in')).toBe('public');
  });

  it('analysts see phone and e-mail masked unless granted; marketers see them', async () => {
    await addCustomers(api.app.get(DataSource), [{ externalId: 'm-1', phone: '13912345678', email: 'li.na@example.com' }], NOW - 86_400_000);
    const as = async (role: 'analyst' | 'marketer') => (await api.http(role).get('/api/customers?search=m-1').expect(200)).body;
    expect(JSON.stringify(await as('analyst'))).toContain('139****5678');
    expect(JSON.stringify(await as('analyst'))).not.toContain('13912345678');
    expect(JSON.stringify(await as('analyst'))).toContain('l***@example.com');
    const one = await api.http('analyst').get('/api/customers/m-1').expect(200);
    expect(one.body.customer.phone).toBe('139****5678');
    expect(JSON.stringify(await as('marketer'))).toContain('13912345678');
    // An analyst granted contacts sees them.
    await api.accounts.add('analyst-pii', 'analyst', TEST_PASSWORD, { contactsGranted: true });
    const signIn = await api.http('anonymous').post('/api/auth/sign-in').send({ username: 'analyst-pii', password: TEST_PASSWORD }).expect(200);
    const cookie = ([] as string[]).concat(signIn.headers['set-cookie']).map((c) => c.split(';')[0]).join('; ');
    const granted = await api.http('anonymous').get('/api/customers?search=m-1').set('Cookie', cookie).expect(200);
    expect(JSON.stringify(granted.body)).toContain('13912345678');
  });
});
